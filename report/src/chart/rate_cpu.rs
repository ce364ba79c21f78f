//! The CPU-at-rate chart of open-loop cases, beside the latency–throughput
//! one: per runtime, the CPU time its process took per request over the
//! offered rate, one point per rate, so that runtimes compare on what the
//! same load cost them.

use plotters::prelude::*;

use super::Chart;
use super::bars::{DrawStyled, head};
use super::rate::{bounds, generator, legend};
use crate::cases;
use crate::figure::{compact, significant};
use crate::load;
use crate::results::{Case, ResultsFile, Workload};
use crate::style;

/// One open-loop case as a point: offered rate, CPU µs per request.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    offered: f64,
    cpu_us: f64,
    /// The case fell short of its offered rate.
    missed: bool,
}

/// `<workload>-rate-cpu.svg`, when at least one runtime ran the open loop at
/// two or more offered rates; `None` otherwise.
pub(super) fn chart(results: &ResultsFile, workload: Workload) -> Result<Option<Chart>, String> {
    let cases = cases::of_workload(results, workload);
    let lines = lines(&cases, results.host.cores);
    if !lines.iter().any(|(_, points)| points.len() >= 2) {
        return Ok(None);
    }
    let title = format!("{workload}: CPU per request over offered rate (open loop)");
    let subtitle = format!(
        "the runtime's process (serve: the server; fetch: the client), medians over the runs · \
         {} · a hollow point fell short of its offered rate",
        generator(&cases)
    );
    let all = || lines.iter().flat_map(|(_, points)| points);
    let (x_lo, x_hi) = bounds(all().map(|p| p.offered));
    let y_hi = all().map(|p| p.cpu_us).fold(0.0, f64::max) * 1.15;
    let svg = super::svg(style::WIDTH, 520, |area| {
        let err = |e: DrawingAreaErrorKind<_>| e.to_string();
        head(area, &title, &subtitle)?;
        let mut chart = ChartBuilder::on(area)
            .margin_top(style::HEAD_PX)
            .margin_left(8)
            .margin_right(180)
            .margin_bottom(8)
            .y_label_area_size(64)
            .x_label_area_size(50)
            .build_cartesian_2d((x_lo..x_hi).log_scale(), 0.0..y_hi.max(1e-3))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|v| compact(*v))
            .y_label_formatter(&|v| significant(*v, 2))
            .x_desc("offered rate (requests/s, log scale)")
            .y_desc("CPU per request (µs)")
            .draw_styled()?;
        let plot = chart.plotting_area();
        for (runtime, points) in &lines {
            let colour = style::colour(runtime);
            let path: Vec<(f64, f64)> = points.iter().map(|p| (p.offered, p.cpu_us)).collect();
            plot.draw(&PathElement::new(path, colour.stroke_width(2)))
                .map_err(err)?;
            for p in points {
                let dot = match p.missed {
                    true => colour.stroke_width(2),
                    false => colour.filled(),
                };
                plot.draw(&Circle::new((p.offered, p.cpu_us), 4, dot))
                    .map_err(err)?;
            }
        }
        legend(area, lines.iter().map(|(runtime, _)| runtime.as_str()))
    })?;
    Ok(Some(Chart {
        file_name: format!("{workload}-rate-cpu.svg"),
        title,
        svg,
    }))
}

/// The open-loop cases with figures, one line per runtime, lowest offered
/// rate first.
fn lines(cases: &[&Case], cores: usize) -> Vec<(String, Vec<Point>)> {
    let mut lines: Vec<(String, Vec<Point>)> = Vec::new();
    for case in cases {
        let (Some(offered), Some(cpu)) =
            (case.params.number("rate"), load::cpu_at_rate(case, cores))
        else {
            continue;
        };
        let point = Point {
            offered: offered as f64,
            cpu_us: cpu.per_request_us,
            missed: load::missed_rate(case),
        };
        match lines
            .iter_mut()
            .find(|(runtime, _)| *runtime == case.runtime)
        {
            Some((_, points)) => points.push(point),
            None => lines.push((case.runtime.clone(), vec![point])),
        }
    }
    for (_, points) in &mut lines {
        points.sort_by(|a, b| a.offered.total_cmp(&b.offered));
    }
    lines
}
