//! Every colour, font and size the charts use, in one place, so a runtime has
//! the same colour in every chart and a reader learns it once.

use plotters::style::RGBColor;

/// Fixed colours of the runtimes rtbench knows. Runtimes of one family share a
/// hue (tokio blues, smol greens) so related flavours read as related.
const PALETTE: [(&str, RGBColor); 10] = [
    ("tokio", RGBColor(0x1F, 0x4E, 0x9C)),
    ("tokio-current-thread", RGBColor(0x5B, 0x9B, 0xD5)),
    ("tokio-per-thread", RGBColor(0x2A, 0x9D, 0xA8)),
    ("async-std", RGBColor(0x8C, 0x6D, 0x4F)),
    ("smol", RGBColor(0x2E, 0x8B, 0x3E)),
    ("smol-local", RGBColor(0x8C, 0xC0, 0x84)),
    ("glommio", RGBColor(0x7B, 0x3F, 0xA0)),
    ("monoio", RGBColor(0xC8, 0x38, 0x2E)),
    ("compio", RGBColor(0xE0, 0x8A, 0x1E)),
    ("node", RGBColor(0x55, 0x55, 0x55)),
];

/// Colours of `python3.X-asyncio`, picked by the minor version X, so two
/// Pythons side by side (the article's 3.12 vs 3.13) differ.
const PYTHON: [RGBColor; 4] = [
    RGBColor(0xB8, 0xA2, 0x00),
    RGBColor(0xD9, 0x5F, 0x9B),
    RGBColor(0x80, 0x70, 0x10),
    RGBColor(0xE6, 0xC2, 0x4C),
];

/// The colour of `runtime` in every chart: a fixed one for a known name, and
/// for any other name one derived from a stable hash of it, so it stays the
/// same from run to run and machine to machine.
pub fn colour(runtime: &str) -> RGBColor {
    if let Some((_, c)) = PALETTE.iter().find(|(name, _)| *name == runtime) {
        return *c;
    }
    if let Some(minor) = runtime
        .strip_prefix("python3.")
        .and_then(|rest| rest.strip_suffix("-asyncio"))
        .and_then(|minor| minor.parse::<usize>().ok())
    {
        return PYTHON[minor % PYTHON.len()];
    }
    hashed(runtime)
}

/// A mid-dark colour whose hue comes from FNV-1a of `name` (std's hasher
/// may change between Rust releases; this may not).
fn hashed(name: &str) -> RGBColor {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    hsl((hash % 360) as f64, 0.55, 0.42)
}

/// HSL to RGB, hue in degrees, saturation and lightness in 0..=1.
fn hsl(h: f64, s: f64, l: f64) -> RGBColor {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let byte = |v: f64| ((v + m) * 255.0).round() as u8;
    RGBColor(byte(r), byte(g), byte(b))
}

/// `#RRGGBB` of a colour, as the SVG backend writes it (tests look for it).
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Font family of every text; generic, so any installed sans-serif font serves.
pub const FONT: &str = "sans-serif";
/// Plotters writes `font-size` as this / 1.24: 16 gives 12.9 px in the SVG.
pub const TEXT_SIZE: f64 = 16.0;
/// Size of chart titles.
pub const TITLE_SIZE: f64 = 22.0;
/// Size of the line under a title.
pub const SUBTITLE_SIZE: f64 = 14.0;
/// Rendered width of one character of `TEXT_SIZE` text, pixels, generously
/// estimated (digits and lower case are narrower) so labels get enough room.
pub const CHAR_PX: f64 = 7.6;

/// Text colour.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text: subtitles, notes, "failed".
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Whiskers (min–max) over the bars.
pub const WHISKER: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// A change in the better direction.
pub const BETTER: RGBColor = RGBColor(0x1A, 0x7F, 0x37);
/// A change in the worse direction.
pub const WORSE: RGBColor = RGBColor(0xB3, 0x26, 0x1E);
/// Opacity of the baseline bar next to its candidate, same hue, lighter.
pub const BASELINE_OPACITY: f64 = 0.4;

/// Width of every chart, pixels.
pub const WIDTH: u32 = 900;
/// Height given to each runtime's row in a bar chart, pixels.
pub const ROW_PX: u32 = 34;
/// Height given to each runtime's row in a comparison (two bars), pixels.
pub const PAIR_ROW_PX: u32 = 46;
/// Height given to each host's bar in a cross-host chart, pixels.
pub const HOST_BAR_PX: u32 = 20;
/// Space above the rows: title and subtitle, pixels.
pub const HEAD_PX: u32 = 64;
/// Space below the rows: axis labels and axis title, pixels.
pub const FOOT_PX: u32 = 58;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_runtimes_have_distinct_fixed_colours() {
        let mut seen: Vec<String> = PALETTE.iter().map(|(n, _)| hex(colour(n))).collect();
        seen.push(hex(colour("python3.12-asyncio")));
        seen.push(hex(colour("python3.13-asyncio")));
        let count = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), count);
        assert_eq!(hex(colour("tokio")), "#1F4E9C");
    }

    #[test]
    fn unknown_runtimes_get_a_stable_colour() {
        assert_eq!(hex(colour("my-runtime")), hex(colour("my-runtime")));
        assert_ne!(hex(colour("my-runtime")), hex(colour("other-runtime")));
    }
}
