//! Flamegraph SVGs of instructions per operation, drawn by inferno (the
//! library cargo-flamegraph uses) from a profile's folded stacks.

use std::collections::BTreeMap;
use std::io::BufReader;

use inferno::differential;
use inferno::flamegraph::color::{MultiPalette, Palette};
use inferno::flamegraph::{self, Options};

use super::Profile;
use crate::figure::grouped;

/// inferno counts whole samples: instructions per operation are handed over
/// in thousandths and scaled back for display.
const SCALE: f64 = 1000.0;

/// The flamegraph of `profile`, titled `title`: a frame's width is the
/// instructions per operation spent in it and below it.
pub fn flamegraph(profile: &Profile, title: &str) -> Result<String, String> {
    let lines = folded(&profile.stacks);
    let subtitle = format!(
        "{} instructions per operation ({} ops); stacks rebuilt from callgrind's call graph",
        grouped(profile.per_op()),
        profile.ops
    );
    draw(lines.iter().map(String::as_str), title, subtitle)
}

/// The differential flamegraph of `candidate` against `baseline`: frames as
/// wide as the candidate's instructions per operation, red where the
/// candidate does more, blue where it does less (deeper for a larger
/// change). A stack only the baseline has is not drawn: the difference
/// table lists it.
pub fn differential(
    baseline: &Profile,
    candidate: &Profile,
    title: &str,
) -> Result<String, String> {
    let (before, after) = (folded(&baseline.stacks), folded(&candidate.stacks));
    let mut merged = Vec::new();
    differential::from_readers(
        differential::Options::default(),
        BufReader::new(before.join("\n").as_bytes()),
        BufReader::new(after.join("\n").as_bytes()),
        &mut merged,
    )
    .map_err(|e| format!("cannot merge stacks for a differential flamegraph: {e}"))?;
    let merged = String::from_utf8(merged).expect("inferno writes the names it was given");
    let subtitle = format!(
        "instructions per operation: {} → {}; red: the candidate does more, blue: less",
        grouped(baseline.per_op()),
        grouped(candidate.per_op())
    );
    draw(merged.lines(), title, subtitle)
}

/// Folded lines `a;b;c COUNT`, counts in thousandths of an instruction per op.
fn folded(stacks: &BTreeMap<String, f64>) -> Vec<String> {
    (stacks.iter())
        .map(|(stack, per_op)| (stack, (per_op * SCALE).round() as u64))
        .filter(|(_, count)| *count > 0)
        .map(|(stack, count)| format!("{stack} {count}"))
        .collect()
}

fn draw<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    title: &str,
    subtitle: String,
) -> Result<String, String> {
    let mut options = Options::default();
    options.title = title.to_owned();
    options.subtitle = Some(subtitle);
    options.count_name = "instructions/op".to_owned();
    options.factor = 1.0 / SCALE;
    // Frames narrower than this many pixels are left out: a debug build's
    // thousands of tiny frames would make the file ten times larger.
    options.min_width = 0.5;
    options.colors = Palette::Multi(MultiPalette::Rust);
    // The same name gets the same colour in every graph, run after run.
    options.hash = true;
    options.deterministic = true;
    let mut svg = Vec::new();
    flamegraph::from_lines(&mut options, lines, &mut svg)
        .map_err(|e| format!("cannot draw a flamegraph: {e}"))?;
    Ok(String::from_utf8(svg).expect("inferno writes UTF-8"))
}
