//! Scaling line charts: one figure against a swept parameter, one line per
//! runtime in its colour, a whisker at every point (the 95 % interval of its
//! median), a logarithmic x
//! axis when the values span 10× or more, the legend beside the plot.

use plotters::coord::{CoordTranslate, Shift};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::bars::{DrawStyled, compact, font, head, text_px};
use super::{Chart, failed_text, svg};
use crate::cases;
use crate::figure::Figure;
use crate::results::Case;
use crate::scaling::{Knob, Sweep, oversubscribed};
use crate::style;
use crate::summary::Stat;

/// Height of every scaling chart, pixels, before the lines naming failures.
const HEIGHT: u32 = 440;
/// Height of one line naming a failed point under the chart.
const FAILURE_PX: u32 = 18;
/// Failed points named under a chart at most; more are counted.
const MAX_FAILURES: usize = 4;

/// `scaling-<workload>-<knob>-<figure>.svg` for `figure` along `sweep`.
pub(crate) fn chart(sweep: &Sweep<'_>, figure: Figure, cores: usize) -> Result<Chart, String> {
    let title = format!("{}: {} by {}", sweep.workload, figure.title(), sweep.name);
    let failures = failures(sweep);
    let shown = failures.len().min(MAX_FAILURES + 1) as u32;
    let height = HEIGHT + shown * FAILURE_PX;
    let svg = svg(style::WIDTH, height, |area| {
        draw(area, sweep, figure, cores, &title, &failures)
    })?;
    Ok(Chart {
        file_name: format!(
            "scaling-{}-{}-{}.svg",
            sweep.workload,
            sweep.knob.slug(),
            figure.slug()
        ),
        title,
        svg,
    })
}

/// "label at in flight 1,000,000: failed: reason" for every failed point.
fn failures(sweep: &Sweep<'_>) -> Vec<String> {
    sweep
        .lines
        .iter()
        .flat_map(|line| {
            line.points
                .iter()
                .filter(|(_, c)| cases::figures(c).is_none())
                .map(|(x, c)| {
                    format!(
                        "{} at {} {}: {}",
                        line.label,
                        sweep.name,
                        crate::figure::grouped(*x as f64),
                        failed_text(cases::failure(c))
                    )
                })
        })
        .collect()
}

/// A line as drawn: its legend label, colour, completed points, and which
/// of its runtime's lines it is (the first solid with circles, then dashes
/// and other markers, so two lines of one colour stay apart).
struct Line<'a> {
    label: &'a str,
    colour: RGBColor,
    points: Vec<Point>,
    variant: usize,
}

/// A drawn point: where on the x axis, the figure, and whether its threads
/// are more than the cores (drawn hollow).
struct Point {
    x: f64,
    stat: Stat,
    over: bool,
}

/// The completed points of a line.
fn points(points: &[(u64, &Case)], figure: Figure, log: bool, cores: usize) -> Vec<Point> {
    points
        .iter()
        .filter_map(|(x, case)| {
            Some(Point {
                x: axis_x(*x, log),
                stat: figure.stat(cases::figures(case)?)?,
                over: oversubscribed(case.threads, cores),
            })
        })
        .collect()
}

/// Where value `x` sits on the axis: its log₁₀ on a logarithmic axis. The
/// chart is drawn on a linear axis over these, with the ticks labelled by
/// the real values, so both scales share one drawing path.
fn axis_x(x: u64, log: bool) -> f64 {
    if log { (x as f64).log10() } else { x as f64 }
}

fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sweep: &Sweep<'_>,
    figure: Figure,
    cores: usize,
    title: &str,
    failures: &[String],
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let log = sweep.log_axis();
    let lines: Vec<Line> = sweep
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| Line {
            label: &l.label,
            colour: style::colour(&l.runtime),
            points: points(&l.points, figure, log, cores),
            variant: sweep.lines[..i]
                .iter()
                .filter(|other| other.runtime == l.runtime)
                .count(),
        })
        .collect();
    let any_over = lines.iter().flat_map(|l| &l.points).any(|p| p.over);
    let reps = sweep
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|(_, c)| *c))
        .collect::<Vec<_>>();
    let shared: Vec<String> = cases::param_parts(reps[0])
        .into_iter()
        .filter(|part| reps.iter().all(|c| cases::param_parts(c).contains(part)))
        .collect();
    let subtitle = format!(
        "{} · {}, whiskers: 95 % interval of the median{}",
        shared.join(" · "),
        cases::repetitions(&reps),
        if any_over {
            format!("; hollow: oversubscribed (threads > {cores} cores)")
        } else {
            String::new()
        }
    );
    head(area, title, &subtitle)?;
    let (_, height) = area.dim_in_pixel();
    let plot_bottom = height - failures.len().min(MAX_FAILURES + 1) as u32 * FAILURE_PX;
    for (i, line) in failure_lines(failures).iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (16, (plot_bottom + i as u32 * FAILURE_PX) as i32),
            font(style::TEXT_SIZE - 2.0, style::WORSE, HPos::Left, VPos::Top),
        ))
        .map_err(err)?;
    }

    let legend_px = lines
        .iter()
        .map(|l| text_px(l.label))
        .fold(90.0, f64::max)
        .min(260.0) as u32
        + 48;
    let xs: Vec<f64> = sweep.values.iter().map(|v| axis_x(*v, log)).collect();
    let (x_lo, x_hi) = (xs[0], xs[xs.len() - 1]);
    let pad = (x_hi - x_lo) * 0.06;
    let all = || lines.iter().flat_map(|l| &l.points).map(|p| p.stat);
    let y_lo = all().map(|s| s.ci_low).fold(0.0, f64::min);
    let y_hi = all().map(|s| s.ci_high.max(s.median)).fold(0.0, f64::max);
    let y_hi = if y_hi > y_lo { y_hi * 1.08 } else { y_lo + 1.0 };
    let plot_area = area.clone().shrink((0, 0), (style::WIDTH, plot_bottom));
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(style::HEAD_PX)
        .margin_left(12)
        .margin_right(legend_px)
        .margin_bottom(8)
        .x_label_area_size(52)
        .y_label_area_size(70)
        .build_cartesian_2d(x_lo - pad..x_hi + pad, y_lo..y_hi)
        .map_err(err)?;
    let tick = |v: &f64| compact(*v);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&tick)
        .x_desc(format!(
            "{}{}",
            sweep.name,
            if log { " (log scale)" } else { "" }
        ))
        .y_desc(format!("{}, {}", figure.header(), figure.better()))
        .draw_styled()?;

    let plot = chart.plotting_area();
    // The swept values are the ticks: a grid line and the value under each.
    for (x, value) in xs.iter().zip(&sweep.values) {
        plot.draw(&PathElement::new(vec![(*x, y_lo), (*x, y_hi)], style::GRID))
            .map_err(err)?;
        let label = tick_label(sweep.knob, *value, cores);
        plot.draw(
            &(EmptyElement::at((*x, y_lo))
                + Text::new(
                    label,
                    (0, 8),
                    font(style::TEXT_SIZE - 1.0, style::INK, HPos::Center, VPos::Top),
                )),
        )
        .map_err(err)?;
    }
    let cap = (x_hi - x_lo + 2.0 * pad) * 0.006;
    for line in &lines {
        let (colour, points) = (&line.colour, &line.points);
        let path: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.stat.median)).collect();
        draw_path(plot, path, line.variant, *colour)?;
        for Point { x, stat, over } in points {
            if stat.ci_high > stat.ci_low {
                for segment in [
                    vec![(*x, stat.ci_low), (*x, stat.ci_high)],
                    vec![(x - cap, stat.ci_low), (x + cap, stat.ci_low)],
                    vec![(x - cap, stat.ci_high), (x + cap, stat.ci_high)],
                ] {
                    plot.draw(&PathElement::new(segment, colour.stroke_width(1)))
                        .map_err(err)?;
                }
            }
            draw_marker(plot, (*x, stat.median), line.variant, *colour, *over)?;
        }
    }
    draw_legend(area, &lines, legend_px)
}

/// A tick under the x axis: the value, marked where threads exceed the cores.
fn tick_label(knob: Knob, value: u64, cores: usize) -> String {
    let text = crate::figure::grouped(value as f64);
    if knob == Knob::Threads && oversubscribed(value as usize, cores) {
        format!("{text} (over)")
    } else {
        text
    }
}

/// The failure lines shown: the first few, then how many more.
fn failure_lines(failures: &[String]) -> Vec<String> {
    let mut out: Vec<String> = failures.iter().take(MAX_FAILURES).cloned().collect();
    if failures.len() > MAX_FAILURES {
        out.push(format!(
            "… and {} more failed",
            failures.len() - MAX_FAILURES
        ));
    }
    out
}

/// The legend, right of the plot: a swatch and the label of every line.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[Line],
    legend_px: u32,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let left = (style::WIDTH - legend_px + 14) as i32;
    for (i, line) in lines.iter().enumerate() {
        let (label, colour) = (line.label, line.colour);
        let y = style::HEAD_PX as i32 + 8 + i as i32 * 22;
        draw_path(area, vec![(left, y), (left + 26, y)], line.variant, colour)?;
        draw_marker(area, (left + 13, y), line.variant, colour, false)?;
        area.draw(&Text::new(
            label.to_string(),
            (left + 30, y),
            font(style::TEXT_SIZE - 1.0, style::INK, HPos::Left, VPos::Center),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// A line through `points`: solid for a runtime's first line, dashed or
/// dotted for its next ones.
fn draw_path<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    points: Vec<CT::From>,
    variant: usize,
    colour: RGBColor,
) -> Result<(), String>
where
    CT::From: Clone,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let stroke = colour.stroke_width(2);
    match variant % 3 {
        0 => area.draw(&PathElement::new(points, stroke)),
        1 => area.draw(&DashedPathElement::new(points, 8, 4, stroke)),
        _ => area.draw(&DashedPathElement::new(points, 2, 3, stroke)),
    }
    .map_err(err)
}

/// A point's marker: a circle for a runtime's first line, then a square, a
/// triangle, a diamond; white inside when `hollow` (oversubscribed).
fn draw_marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: CT::From,
    variant: usize,
    colour: RGBColor,
    hollow: bool,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let fill = if hollow {
        WHITE.filled()
    } else {
        colour.filled()
    };
    let edge = colour.stroke_width(2);
    let outline = |corners: Vec<(i32, i32)>| {
        let mut closed = corners.clone();
        closed.push(corners[0]);
        (corners, closed)
    };
    let shape = match variant % 4 {
        0 => {
            return area
                .draw(
                    &(EmptyElement::at(at)
                        + Circle::new((0, 0), 4, fill)
                        + Circle::new((0, 0), 4, edge)),
                )
                .map_err(err);
        }
        1 => outline(vec![(-4, -4), (4, -4), (4, 4), (-4, 4)]),
        2 => outline(vec![(0, -5), (5, 4), (-5, 4)]),
        _ => outline(vec![(0, -5), (5, 0), (0, 5), (-5, 0)]),
    };
    area.draw(
        &(EmptyElement::at(at) + Polygon::new(shape.0, fill) + PathElement::new(shape.1, edge)),
    )
    .map_err(err)
}
