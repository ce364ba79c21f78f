//! The latency-percentile chart: one line per runtime across p50, p90, p99,
//! p99.9 and max, on a log axis, with a legend on the right.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::Chart;
use super::bars::{DrawStyled, font, head, text_px};
use crate::cases::{self, PERCENTILES};
use crate::figure::significant;
use crate::results::{ResultsFile, Workload};
use crate::style;

/// Height of one legend entry, pixels.
const LEGEND_ROW_PX: i32 = 22;

pub(super) fn chart(results: &ResultsFile, workload: Workload) -> Result<Chart, String> {
    let cases = cases::of_workload(results, workload);
    let labels = cases::labels(&cases);
    let lines: Vec<(String, RGBColor, Option<[f64; 5]>)> = cases
        .iter()
        .zip(labels)
        .map(|(case, label)| {
            let medians = cases::latency_ms(case).map(|stats| stats.map(|s| s.median));
            (label, style::colour(&case.runtime), medians)
        })
        .collect();
    // Legend: the name, then its p99 in a column of its own.
    let legend: Vec<String> = lines
        .iter()
        .zip(&cases)
        .map(
            |((_, _, medians), case)| match (medians, cases::figures(case)) {
                (Some(m), _) => format!("p99 {} ms", significant(m[2], 3)),
                (None, Some(_)) => "no latencies".into(),
                (None, None) => "failed".into(),
            },
        )
        .collect();
    let name_px = lines.iter().map(|l| text_px(&l.0)).fold(60.0, f64::max) as i32 + 10;
    let legend_px =
        (name_px as f64 + legend.iter().map(|l| text_px(l)).fold(0.0, f64::max)) as u32 + 68;
    let height = (style::HEAD_PX as i32 + 30 + LEGEND_ROW_PX * lines.len() as i32).max(460) as u32;
    let title = format!("{workload}: latency per operation");
    let subtitle = format!(
        "{} · percentiles, each the {}",
        super::params_of(&cases),
        cases::repetitions(&cases)
    );
    let svg = super::svg(style::WIDTH, height, |area| {
        let err = |e: DrawingAreaErrorKind<_>| e.to_string();
        head(area, &title, &subtitle)?;

        let values = || lines.iter().filter_map(|l| l.2).flatten();
        let lo = values().filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
        let hi = values().fold(0.0, f64::max);
        // The axis starts on a power of ten: plotters puts its ticks on
        // powers of ten and their multiples from the first one in range.
        let (lo, hi) = if lo.is_finite() && hi > 0.0 {
            (10f64.powf((lo / 1.2).log10().floor()), hi * 1.3)
        } else {
            (0.01, 10.0)
        };
        let mut chart = ChartBuilder::on(area)
            .margin_top(style::HEAD_PX)
            .margin_left(8)
            .margin_right(legend_px)
            .margin_bottom(8)
            .y_label_area_size(64)
            .x_label_area_size(50)
            .build_cartesian_2d(-0.5_f64..4.5, (lo..hi).log_scale())
            .map_err(err)?;
        let name = |v: &f64| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && (0.0..5.0).contains(&i) {
                PERCENTILES[i as usize].to_string()
            } else {
                String::new()
            }
        };
        // Ticks on every multiple of each power of ten, labels on 1, 2 and 5 only.
        let tick = |v: &f64| {
            let mantissa = v / 10f64.powf(v.log10().floor());
            if [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-6) {
                significant(*v, 1)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .x_labels(5)
            .x_label_formatter(&name)
            .y_labels(50)
            .y_label_formatter(&tick)
            .y_desc("latency (ms, log scale)")
            .x_desc("percentile")
            .draw_styled()?;

        // Each runtime's points shift a little sideways so equal values stay visible.
        let n = lines.len().max(1) as f64;
        for (i, (_, colour, medians)) in lines.iter().enumerate() {
            let Some(medians) = medians else { continue };
            let dx = (i as f64 - (n - 1.0) / 2.0) * (0.36 / n);
            let points: Vec<(f64, f64)> = medians
                .iter()
                .enumerate()
                .map(|(x, y)| (x as f64 + dx, y.max(lo)))
                .collect();
            chart
                .plotting_area()
                .draw(&PathElement::new(points.clone(), colour.stroke_width(2)))
                .map_err(err)?;
            for point in points {
                chart
                    .plotting_area()
                    .draw(&Circle::new(point, 4, colour.filled()))
                    .map_err(err)?;
            }
        }

        let x0 = (style::WIDTH - legend_px + 24) as i32;
        let y0 = style::HEAD_PX as i32 + 10;
        for (i, ((name, colour, medians), text)) in lines.iter().zip(&legend).enumerate() {
            let y = y0 + LEGEND_ROW_PX * i as i32;
            if medians.is_some() {
                area.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 20, y)],
                    colour.stroke_width(2),
                ))
                .map_err(err)?;
                area.draw(&Circle::new((x0 + 10, y), 4, colour.filled()))
                    .map_err(err)?;
            }
            area.draw(&Text::new(
                name.clone(),
                (x0 + 28, y),
                font(style::TEXT_SIZE, style::INK, HPos::Left, VPos::Center),
            ))
            .map_err(err)?;
            let ink = if medians.is_some() {
                style::MUTED
            } else {
                style::WORSE
            };
            area.draw(&Text::new(
                text.clone(),
                (x0 + 28 + name_px, y),
                font(style::TEXT_SIZE, ink, HPos::Left, VPos::Center),
            ))
            .map_err(err)?;
        }
        Ok(())
    })?;
    Ok(Chart {
        file_name: format!("{workload}-latency.svg"),
        title,
        svg,
    })
}
