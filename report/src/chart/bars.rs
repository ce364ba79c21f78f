//! A horizontal bar panel: one row per runtime, one or more bars per row, a
//! whisker on each bar (the 95 % interval of its median) and its value written after it. Horizontal, so
//! ten long runtime names stay readable on the left without rotation.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::style;
use crate::summary::Stat;

/// One runtime's row.
pub(crate) struct Row {
    /// The runtime's label, written left of the axis.
    pub label: String,
    /// Its bars, drawn top to bottom; none for a failed case.
    pub bars: Vec<Bar>,
    /// Written in place of the bars when there are none, e.g. why it failed.
    pub missing: String,
}

/// One bar: a median with its whisker.
pub(crate) struct Bar {
    /// Median (bar length) and its interval (whisker), in the figure's unit.
    pub stat: Stat,
    /// The runtime's colour.
    pub colour: RGBColor,
    /// 1 for a solid bar, less for the paler baseline of a comparison.
    pub opacity: f64,
    /// Written after the bar: its value with unit.
    pub value: String,
    /// Written after the value in its own colour, e.g. a percent change.
    pub tag: Option<(String, RGBColor)>,
}

/// A titled panel of rows on one axis.
pub(crate) struct Panel<'a> {
    /// Bold line at the top.
    pub title: String,
    /// Smaller line under the title.
    pub subtitle: String,
    /// Axis title, with unit.
    pub axis: String,
    /// The rows, top to bottom.
    pub rows: &'a [Row],
}

/// Height of a panel of `rows` rows of `row_px` pixels.
pub(crate) fn height(rows: usize, row_px: u32) -> u32 {
    style::HEAD_PX + rows.max(1) as u32 * row_px + style::FOOT_PX
}

/// Width in pixels that `text` takes at the normal text size, over-estimated.
pub(crate) fn text_px(text: &str) -> f64 {
    text.chars().count() as f64 * style::CHAR_PX
}

/// A text style of the chart font.
pub(crate) fn font(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (style::FONT, size).into_font(),
        color: colour.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// The same in bold.
pub(crate) fn bold(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (style::FONT, size, FontStyle::Bold).into_font(),
        color: colour.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// Draws a line chart's mesh in the charts' one look: grid lines at the
/// labelled ticks only, muted axes, labels in ink.
pub(crate) trait DrawStyled {
    /// Applies the look and draws.
    fn draw_styled(&mut self) -> Result<(), String>;
}

impl<X, Y, DB> DrawStyled for MeshStyle<'_, '_, X, Y, DB>
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
    DB: DrawingBackend,
{
    fn draw_styled(&mut self) -> Result<(), String> {
        house_style(self).draw().map_err(|e| e.to_string())
    }
}

/// Draws a chart's title and, under it, its subtitle, top left.
pub(crate) fn head<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.draw(&Text::new(
        title.to_owned(),
        (16, 10),
        bold(style::TITLE_SIZE, style::INK, HPos::Left, VPos::Top),
    ))
    .map_err(err)?;
    area.draw(&Text::new(
        subtitle.to_owned(),
        (16, 38),
        font(style::SUBTITLE_SIZE, style::MUTED, HPos::Left, VPos::Top),
    ))
    .map_err(err)
}

/// The look every chart's axes share: grid lines, axis colour, label fonts.
pub(crate) fn house_style<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged,
    Y: Ranged,
    DB: DrawingBackend,
{
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(style::GRID)
        .axis_style(style::MUTED)
        .label_style(font(
            style::TEXT_SIZE - 1.0,
            style::INK,
            HPos::Center,
            VPos::Top,
        ))
        .axis_desc_style(font(style::TEXT_SIZE, style::INK, HPos::Center, VPos::Top))
}

/// Draws `panel` filling `area`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (width, _) = area.dim_in_pixel();
    head(area, &panel.title, &panel.subtitle)?;

    let label_px = panel
        .rows
        .iter()
        .map(|r| text_px(&r.label))
        .fold(80.0, f64::max)
        .ceil() as u32
        + 20;
    let (margin_left, margin_right) = (8, 28);
    let plot_px = f64::from(width.saturating_sub(label_px + margin_left + margin_right)).max(100.0);
    let (lo, hi) = x_range(panel.rows, plot_px);

    let n = panel.rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin_top(style::HEAD_PX)
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_bottom(10)
        .y_label_area_size(label_px)
        .x_label_area_size(style::FOOT_PX - 10)
        .build_cartesian_2d(lo..hi, 0.0..n)
        .map_err(err)?;
    let tick = |v: &f64| compact(*v);
    house_style(&mut chart.configure_mesh())
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(6)
        .x_label_formatter(&tick)
        .x_desc(panel.axis.clone())
        .draw()
        .map_err(err)?;

    let plot = chart.plotting_area();
    let text = |size: f64, colour, h| font(size, colour, h, VPos::Center);
    for (i, row) in panel.rows.iter().enumerate() {
        let centre = n - i as f64 - 0.5;
        plot.draw(
            &(EmptyElement::at((lo, centre))
                + Text::new(
                    row.label.clone(),
                    (-10, 0),
                    text(style::TEXT_SIZE, style::INK, HPos::Right),
                )),
        )
        .map_err(err)?;
        if row.bars.is_empty() {
            plot.draw(
                &(EmptyElement::at((lo, centre))
                    + Text::new(
                        row.missing.clone(),
                        (8, 0),
                        text(style::TEXT_SIZE, style::WORSE, HPos::Left),
                    )),
            )
            .map_err(err)?;
            continue;
        }
        // Bars of a row share 70 % of its height; the rest separates rows.
        let k = row.bars.len() as f64;
        let slot = 0.7 / k;
        for (j, bar) in row.bars.iter().enumerate() {
            let mid = centre + 0.35 - slot * (j as f64 + 0.5);
            let half = slot * 0.42;
            let fill = bar.colour.mix(bar.opacity).filled();
            plot.draw(&Rectangle::new(
                [(0.0, mid - half), (bar.stat.median, mid + half)],
                fill,
            ))
            .map_err(err)?;
            if bar.stat.ci_high > bar.stat.ci_low {
                let whisker = style::WHISKER.stroke_width(1);
                let cap = half * 0.6;
                for path in [
                    vec![(bar.stat.ci_low, mid), (bar.stat.ci_high, mid)],
                    vec![(bar.stat.ci_low, mid - cap), (bar.stat.ci_low, mid + cap)],
                    vec![(bar.stat.ci_high, mid - cap), (bar.stat.ci_high, mid + cap)],
                ] {
                    plot.draw(&PathElement::new(path, whisker)).map_err(err)?;
                }
            }
            let end = bar.stat.median.max(bar.stat.ci_high);
            let value_size = if k > 1.0 {
                style::TEXT_SIZE - 2.0
            } else {
                style::TEXT_SIZE
            };
            plot.draw(
                &(EmptyElement::at((end, mid))
                    + Text::new(
                        bar.value.clone(),
                        (6, 0),
                        text(value_size, style::INK, HPos::Left),
                    )),
            )
            .map_err(err)?;
            if let Some((tag, colour)) = &bar.tag {
                let after = 6 + (text_px(&bar.value) * value_size / style::TEXT_SIZE) as i32 + 10;
                plot.draw(
                    &(EmptyElement::at((end, mid))
                        + Text::new(
                            tag.clone(),
                            (after, 0),
                            bold(value_size, *colour, HPos::Left, VPos::Center),
                        )),
                )
                .map_err(err)?;
            }
        }
    }
    Ok(())
}

/// The axis range: from 0 (or the lowest value, if negative) to far enough
/// right that every bar's value and tag fit after its whisker.
fn x_range(rows: &[Row], plot_px: f64) -> (f64, f64) {
    let bars = || rows.iter().flat_map(|r| &r.bars);
    let lo = bars().map(|b| b.stat.ci_low).fold(0.0, f64::min) * 1.05;
    let mut hi = bars()
        .map(|b| b.stat.ci_high.max(b.stat.median))
        .fold(0.0, f64::max);
    if hi <= lo {
        return (lo, lo + 1.0);
    }
    for bar in bars() {
        let end = bar.stat.ci_high.max(bar.stat.median);
        let words =
            text_px(&bar.value) + bar.tag.as_ref().map_or(0.0, |(t, _)| text_px(t) + 8.0) + 12.0;
        let room = (plot_px - words).max(plot_px * 0.25);
        hi = hi.max(lo + (end - lo) * plot_px / room);
    }
    (lo, hi)
}

/// A tick label: short, so six of them fit (`1.2M`, `800k`, `0.25`), and
/// without trailing zeros (`0.4`, not `0.400`).
pub(crate) fn compact(value: f64) -> String {
    let text = crate::figure::compact(value);
    let (number, suffix) = text.split_at(text.trim_end_matches(['k', 'M']).len());
    if number.contains('.') {
        format!(
            "{}{suffix}",
            number.trim_end_matches('0').trim_end_matches('.')
        )
    } else {
        text
    }
}
