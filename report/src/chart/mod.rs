//! SVG charts drawn with plotters: per workload one bar chart per figure and
//! a latency-percentile chart, and per workload a baseline-vs-candidate chart.
//! Every text is an SVG `<text>` element; no font file is read.

mod bars;
mod compare;
mod hosts;
mod latency;
mod rate;
mod rate_cpu;
mod scaling;

use plotters::prelude::*;

use crate::cases;
use crate::compare::Comparison;
use crate::figure::Figure;
use crate::hosts::HostResults;
use crate::results::{ResultsFile, Workload};
use crate::style;

/// One chart: where it goes and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name inside the output directory, e.g. `sleep-time.svg`.
    pub file_name: String,
    /// What it shows, in words (the `alt` text of the HTML page).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// Every chart of `results`: per workload present, the bar charts of
/// [`Figure::charted`] (`<workload>-time.svg`, `-throughput.svg`,
/// `-overhead.svg`, `-memory.svg`; for commands `command-time.svg`,
/// `-cpu-time.svg`, `-memory.svg`), one per count the runs carry
/// ([`Figure::counts_shown`]: `<workload>-instructions.svg`, …), `<workload>-latency.svg` (which commands
/// get only when one printed latencies), and `<workload>-rate.svg` and
/// `<workload>-rate-cpu.svg` where open-loop cases ran at several rates.
pub fn results_charts(results: &ResultsFile) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    let valgrind = results.measure == Some(crate::results::Measure::Counts);
    for workload in cases::workloads(results) {
        let of_it = cases::of_workload(results, workload);
        let counted = Figure::counts_shown(&of_it, valgrind);
        for figure in Figure::charted(cases::about(&of_it)).iter().chain(&counted) {
            charts.push(figure_chart(results, workload, *figure)?);
        }
        let latencies = of_it.iter().any(|c| cases::latency_ms(c).is_some());
        if cases::about(&of_it).per_op() || latencies {
            charts.push(latency_chart(results, workload)?);
        }
        charts.extend(rate_chart(results, workload)?);
        charts.extend(rate_cpu_chart(results, workload)?);
    }
    Ok(charts)
}

/// Every scaling chart of `results`: per sweep (a workload and a parameter
/// with several values) one line chart per figure of [`Figure::of`] the
/// workload, `scaling-<workload>-<parameter>-<figure>.svg`. None without a sweep.
pub fn scaling_charts(results: &ResultsFile) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    for sweep in crate::scaling::sweeps(results) {
        let of_it = cases::of_workload(results, sweep.workload);
        for figure in Figure::of(cases::about(&of_it)) {
            charts.push(scaling::chart(&sweep, figure, results.host.cores)?);
        }
    }
    Ok(charts)
}

/// Every comparison chart: `compare-<workload>.svg` for each workload with a
/// case in both files.
pub fn comparison_charts(comparison: &Comparison) -> Result<Vec<Chart>, String> {
    cases::in_order(comparison.pairs.iter().map(|p| p.baseline.workload))
        .into_iter()
        .map(|w| comparison_chart(comparison, w))
        .collect()
}

/// The figures the cross-host charts show, per workload.
pub const ACROSS_HOSTS: [Figure; 2] = [Figure::Time, Figure::Throughput];

/// Every cross-host chart: per workload any host ran and per figure of
/// [`ACROSS_HOSTS`] the workload has (commands have no throughput),
/// `hosts-<workload>-<figure>.svg`, a group of bars per runtime and one bar
/// per host, each bar the median of that host's own runs.
pub fn hosts_charts(hosts: &[HostResults]) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    let all = hosts.iter().flat_map(|h| &h.merged.results.cases);
    for workload in cases::in_order(all.clone().map(|c| c.workload)) {
        let about = &(all.clone().find(|c| c.workload == workload))
            .expect("a workload in_order found")
            .about;
        for figure in ACROSS_HOSTS
            .into_iter()
            .filter(|f| Figure::of(about).contains(f))
        {
            charts.push(hosts::chart(hosts, workload, figure)?);
        }
    }
    Ok(charts)
}

/// `<workload>-<figure>.svg`: one bar per runtime (the median) with its
/// whisker (the 95 % interval of the median) and value; a failed case is a row saying so.
pub fn figure_chart(
    results: &ResultsFile,
    workload: Workload,
    figure: Figure,
) -> Result<Chart, String> {
    let cases = cases::of_workload(results, workload);
    let labels = cases::labels(&cases);
    let rows: Vec<bars::Row> = cases
        .iter()
        .zip(labels)
        .map(|(case, label)| bars::Row {
            bars: cases::figures(case)
                .and_then(|s| figure.stat(s))
                .map(|stat| bars::Bar {
                    stat,
                    colour: style::colour(&case.runtime),
                    opacity: 1.0,
                    value: format!("{} {}", figure.format(stat.median), figure.unit()),
                    tag: None,
                })
                .into_iter()
                .collect(),
            missing: match (cases::figures(case), figure.absent(case)) {
                (Some(_), Some(why)) => cut("absent: ", &why),
                (Some(_), None) => "n/a".into(),
                (None, _) => failed_text(cases::failure(case)),
            },
            label: if crate::scaling::oversubscribed(case.threads, results.host.cores) {
                format!("{label}, oversubscribed")
            } else {
                label
            },
        })
        .collect();
    let title = format!("{workload}: {}", figure.title());
    let panel = bars::Panel {
        title: title.clone(),
        subtitle: format!(
            "{} · {}, whiskers: 95 % interval of the median",
            params_of(&cases),
            cases::repetitions(&cases)
        ),
        axis: format!("{}, {}", figure.header(), figure.better()),
        rows: &rows,
    };
    let height = bars::height(rows.len(), style::ROW_PX);
    let svg = svg(style::WIDTH, height, |area| bars::draw(area, &panel))?;
    Ok(Chart {
        file_name: format!("{workload}-{}.svg", figure.slug()),
        title,
        svg,
    })
}

/// `<workload>-latency.svg`: p50, p90, p99, p99.9 and max per runtime on a
/// log axis.
pub fn latency_chart(results: &ResultsFile, workload: Workload) -> Result<Chart, String> {
    latency::chart(results, workload)
}

/// `<workload>-rate.svg`: p50 and p99 over the achieved rate, one line per
/// runtime through its open-loop cases (from one run, or several files
/// merged), when a runtime has cases at two or more rates; `None` otherwise.
pub fn rate_chart(results: &ResultsFile, workload: Workload) -> Result<Option<Chart>, String> {
    rate::chart(results, workload)
}

/// `<workload>-rate-cpu.svg`: the runtime's CPU time per request over the
/// offered rate, one line per runtime through its open-loop cases, beside
/// [`rate_chart`] and drawn when it is; `None` otherwise.
pub fn rate_cpu_chart(results: &ResultsFile, workload: Workload) -> Result<Option<Chart>, String> {
    rate_cpu::chart(results, workload)
}

/// `compare-<workload>.svg`: per runtime the baseline bar (pale) and the
/// candidate bar (solid) for time, throughput, overhead/op and peak memory
/// (in counts mode also instructions/op and estimated cycles/op), the
/// percent change written after the candidate's bar.
pub fn comparison_chart(comparison: &Comparison, workload: Workload) -> Result<Chart, String> {
    compare::chart(comparison, workload)
}

/// "failed: reason", cut with `…` to fit a chart row.
fn failed_text(reason: &str) -> String {
    cut("failed: ", reason)
}

/// `lead` and `reason`, the reason cut with `…` to fit a chart row.
fn cut(lead: &str, reason: &str) -> String {
    const MAX: usize = 72;
    if reason.chars().count() <= MAX {
        return format!("{lead}{reason}");
    }
    let cut: String = reason.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{lead}{}…", cut.trim_end_matches([',', ';', ':']))
}

/// The workload's parameters, or a word that they differ.
fn params_of(cases: &[&crate::results::Case]) -> String {
    let first = cases.first().map(|c| cases::describe_params(c));
    if cases
        .iter()
        .all(|c| Some(cases::describe_params(c)) == first)
    {
        first.unwrap_or_default()
    } else {
        "parameters differ between cases".into()
    }
}

/// Draws into an SVG of `width` × `height` pixels on a white background.
fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
