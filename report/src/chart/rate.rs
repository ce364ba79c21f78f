//! The latency–throughput chart of open-loop cases: per runtime, p50 and p99
//! over the achieved rate, one point per offered rate, on log axes.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::Chart;
use super::bars::{DrawStyled, font, head};
use crate::cases;
use crate::figure::{compact, grouped, significant};
use crate::load;
use crate::results::{Case, ResultsFile, Workload};
use crate::style;

/// One open-loop case as a point: achieved rate, p50 and p99 in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    achieved: f64,
    p50: f64,
    p99: f64,
    /// The case fell short of its offered rate.
    missed: bool,
}

/// One runtime's points, lowest achieved rate first.
struct Line {
    runtime: String,
    points: Vec<Point>,
}

/// `<workload>-rate.svg`, when at least one runtime ran the open loop at two
/// or more offered rates (from one run or several merged files); `None` otherwise.
pub(super) fn chart(results: &ResultsFile, workload: Workload) -> Result<Option<Chart>, String> {
    let cases = cases::of_workload(results, workload);
    let lines = lines(&cases);
    if !lines.iter().any(|l| l.points.len() >= 2) {
        return Ok(None);
    }
    let title = format!("{workload}: latency over achieved rate (open loop)");
    let subtitle = format!(
        "{} · p99 solid, p50 dashed · a hollow point fell short of its offered rate",
        generator(&cases)
    );
    let all = || lines.iter().flat_map(|l| &l.points);
    let (x_lo, x_hi) = bounds(all().map(|p| p.achieved));
    let (y_lo, y_hi) = bounds(all().flat_map(|p| [p.p50, p.p99]));
    let height = 520;
    let svg = super::svg(style::WIDTH, height, |area| {
        let err = |e: DrawingAreaErrorKind<_>| e.to_string();
        head(area, &title, &subtitle)?;
        let mut chart = ChartBuilder::on(area)
            .margin_top(style::HEAD_PX)
            .margin_left(8)
            .margin_right(180)
            .margin_bottom(8)
            .y_label_area_size(64)
            .x_label_area_size(50)
            .build_cartesian_2d((x_lo..x_hi).log_scale(), (y_lo..y_hi).log_scale())
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|v| compact(*v))
            .y_label_formatter(&|v| significant(*v, 2))
            .x_desc("achieved rate (requests/s, log scale)")
            .y_desc("latency (ms, log scale)")
            .draw_styled()?;
        let plot = chart.plotting_area();
        for line in &lines {
            let colour = style::colour(&line.runtime);
            let p99: Vec<(f64, f64)> = line.points.iter().map(|p| (p.achieved, p.p99)).collect();
            let p50: Vec<(f64, f64)> = line.points.iter().map(|p| (p.achieved, p.p50)).collect();
            plot.draw(&PathElement::new(p99, colour.stroke_width(2)))
                .map_err(err)?;
            plot.draw(&plotters::element::DashedPathElement::new(
                p50,
                6,
                4,
                colour.stroke_width(2),
            ))
            .map_err(err)?;
            for p in &line.points {
                for y in [p.p50, p.p99] {
                    let dot = if p.missed {
                        colour.stroke_width(2)
                    } else {
                        colour.filled()
                    };
                    plot.draw(&Circle::new((p.achieved, y), 4, dot))
                        .map_err(err)?;
                }
            }
        }
        legend(area, lines.iter().map(|l| l.runtime.as_str()))
    })?;
    Ok(Some(Chart {
        file_name: format!("{workload}-rate.svg"),
        title,
        svg,
    }))
}

/// A line and the name of each runtime, in its colour, right of the plot.
pub(super) fn legend<'a>(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    runtimes: impl Iterator<Item = &'a str>,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    let x0 = (style::WIDTH - 170) as i32;
    for (i, runtime) in runtimes.enumerate() {
        let y = style::HEAD_PX as i32 + 10 + 22 * i as i32;
        let colour = style::colour(runtime);
        area.draw(&PathElement::new(
            vec![(x0, y), (x0 + 20, y)],
            colour.stroke_width(2),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            runtime.to_owned(),
            (x0 + 28, y),
            font(style::TEXT_SIZE, style::INK, HPos::Left, VPos::Center),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// The open-loop cases with figures, one line per runtime.
fn lines(cases: &[&Case]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for case in cases.iter().filter(|c| c.params.number("rate").is_some()) {
        let (Some(achieved), Some(latency)) = (load::achieved_rate(case), cases::latency_ms(case))
        else {
            continue;
        };
        let point = Point {
            achieved: achieved.median,
            p50: latency[0].median,
            p99: latency[2].median,
            missed: load::missed_rate(case),
        };
        match lines.iter_mut().find(|l| l.runtime == case.runtime) {
            Some(line) => line.points.push(point),
            None => lines.push(Line {
                runtime: case.runtime.clone(),
                points: vec![point],
            }),
        }
    }
    for line in &mut lines {
        line.points
            .sort_by(|a, b| a.achieved.total_cmp(&b.achieved));
    }
    lines
}

/// What sent the load, in words, from the cases' parameters.
pub(super) fn generator(cases: &[&Case]) -> String {
    let first = cases.iter().find(|c| c.params.number("rate").is_some());
    let Some(params) = first.map(|c| &c.params) else {
        return String::new();
    };
    let threads =
        (params.number("client_threads")).map_or_else(String::new, |t| format!(", {t} threads"));
    let number = |name| params.number(name).unwrap_or_default();
    format!(
        "load generator: rtbench fetch on tokio{threads}, {} connections, {} requests a point, \
         server delay {} ms",
        grouped(number("in_flight") as f64),
        grouped(params.ops as f64),
        number("latency_ms")
    )
}

/// A log axis range around `values`, with some room either side.
pub(super) fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| *v > 0.0)
        .fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo.is_finite() {
        (lo / 1.5, hi * 1.5)
    } else {
        (0.1, 10.0)
    }
}
