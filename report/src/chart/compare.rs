//! The baseline-vs-candidate chart of one workload: four panels (time,
//! throughput, overhead/op, peak memory; in counts mode also instructions/op
//! and estimated cycles/op) stacked, two bars per runtime.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::Chart;
use super::bars::{self, bold, font};
use crate::cases;
use crate::compare::{Comparison, Pair, Verdict};
use crate::figure::Figure;
use crate::results::{Case, Measure, Workload};
use crate::style;

/// Space at the top for the title and the legend, pixels.
const TOP_PX: u32 = 92;

pub(super) fn chart(cmp: &Comparison, workload: Workload) -> Result<Chart, String> {
    let pairs: Vec<&Pair> = cmp
        .pairs
        .iter()
        .filter(|p| p.baseline.workload == workload)
        .collect();
    let bases: Vec<&Case> = pairs.iter().map(|p| &p.baseline).collect();
    let labels = crate::compare::pair_labels(&pairs);
    let panel_px = bars::height(pairs.len(), style::PAIR_ROW_PX);
    // In counts mode, the gated counts follow the timed figures.
    let gated = match cmp.measure {
        Measure::Counts => crate::gate::gated(cases::about(&bases).per_op(), cmp.measure),
        Measure::Wall => Vec::new(),
    };
    let figures: Vec<Figure> = (Figure::charted(cases::about(&bases)).into_iter())
        .chain(gated)
        .collect();
    let height = TOP_PX + panel_px * figures.len() as u32;
    let title = format!("{workload}: baseline vs candidate");
    let svg = super::svg(style::WIDTH, height, |area| {
        let err = |e: DrawingAreaErrorKind<_>| e.to_string();
        area.draw(&Text::new(
            title.clone(),
            (16, 10),
            bold(style::TITLE_SIZE + 2.0, style::INK, HPos::Left, VPos::Top),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            format!(
                "{} · {}",
                super::params_of(&bases),
                cases::repetitions(&bases)
            ),
            (16, 40),
            font(style::SUBTITLE_SIZE, style::MUTED, HPos::Left, VPos::Top),
        ))
        .map_err(err)?;
        let grey = RGBColor(0x55, 0x55, 0x55);
        let mut x = 16;
        for (name, opacity, date) in [
            ("baseline", style::BASELINE_OPACITY, &cmp.baseline.created),
            ("candidate", 1.0, &cmp.candidate.created),
        ] {
            area.draw(&Rectangle::new(
                [(x, 64), (x + 26, 78)],
                grey.mix(opacity).filled(),
            ))
            .map_err(err)?;
            let text = format!("{name} ({date})");
            area.draw(&Text::new(
                text.clone(),
                (x + 32, 71),
                font(style::TEXT_SIZE, style::INK, HPos::Left, VPos::Center),
            ))
            .map_err(err)?;
            x += 32 + bars::text_px(&text) as i32 + 24;
        }

        let body = area
            .clone()
            .shrink((0, TOP_PX), (style::WIDTH, height - TOP_PX));
        let panels = body.split_evenly((figures.len(), 1));
        for (figure, panel_area) in figures.iter().copied().zip(&panels) {
            let rows = rows(&pairs, &labels, figure);
            bars::draw(
                panel_area,
                &bars::Panel {
                    title: figure.title().to_string(),
                    subtitle: format!(
                        "change = (candidate − baseline) / baseline; {}",
                        figure.better()
                    ),
                    axis: format!("{}, {}", figure.header(), figure.better()),
                    rows: &rows,
                },
            )?;
        }
        Ok(())
    })?;
    Ok(Chart {
        file_name: format!("compare-{workload}.svg"),
        title,
        svg,
    })
}

/// Per pair, the pale baseline bar above the solid candidate bar; the percent
/// change is written after the candidate, green when better, red when worse,
/// grey and marked "noise" when the verdict is within noise.
fn rows(pairs: &[&Pair], labels: &[String], figure: Figure) -> Vec<bars::Row> {
    pairs
        .iter()
        .zip(labels)
        .map(|(pair, label)| {
            let colour = style::colour(&pair.baseline.runtime);
            let value = |v: f64| format!("{} {}", figure.format(v), figure.unit());
            let bars = match pair.change(figure) {
                Some(change) => {
                    let (text, ink) = match change.verdict {
                        Verdict::Better => (change.percent_text(), style::BETTER),
                        Verdict::Worse => (change.percent_text(), style::WORSE),
                        Verdict::WithinNoise => {
                            (format!("{} (noise)", change.percent_text()), style::MUTED)
                        }
                    };
                    vec![
                        bars::Bar {
                            stat: change.baseline,
                            colour,
                            opacity: style::BASELINE_OPACITY,
                            value: value(change.baseline.median),
                            tag: None,
                        },
                        bars::Bar {
                            stat: change.candidate,
                            colour,
                            opacity: 1.0,
                            value: value(change.candidate.median),
                            tag: Some((text, ink)),
                        },
                    ]
                }
                None => Vec::new(),
            };
            bars::Row {
                label: label.clone(),
                bars,
                missing: (pair.failure())
                    .or_else(|| {
                        let why = figure.absent(&pair.baseline);
                        why.or_else(|| figure.absent(&pair.candidate))
                            .map(|why| format!("absent: {why}"))
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}
