//! The cross-host chart of one workload and figure: a group of bars per
//! runtime, one bar per host, each bar that host's own median and whisker.

use plotters::style::RGBColor;

use super::{Chart, bars};
use crate::cases;
use crate::figure::Figure;
use crate::hosts::HostResults;
use crate::results::{Case, Workload};
use crate::style;
use crate::summary::Stat;

/// Opacity of each host's bars, in host order (then repeating): the runtime
/// keeps its colour, the hosts differ by shade and by the label on each bar.
const SHADES: [f64; 4] = [1.0, 0.55, 0.3, 0.75];

pub(super) fn chart(
    hosts: &[HostResults],
    workload: Workload,
    figure: Figure,
) -> Result<Chart, String> {
    // Per host, its cases of the workload under the labels its own table uses.
    let labelled: Vec<Vec<(String, &Case)>> = hosts
        .iter()
        .map(|h| {
            let cases = cases::of_workload(&h.merged.results, workload);
            cases::labels(&cases).into_iter().zip(cases).collect()
        })
        .collect();
    // One row per label any host has, with its runtime's colour.
    let mut names: Vec<(&str, &str)> = Vec::new();
    for (label, case) in labelled.iter().flatten() {
        if !names.iter().any(|(l, _)| l == label) {
            names.push((label, &case.runtime));
        }
    }
    let rows: Vec<bars::Row> = names
        .iter()
        .map(|(name, runtime)| bars::Row {
            label: (*name).to_owned(),
            bars: hosts
                .iter()
                .zip(&labelled)
                .enumerate()
                .map(|(i, (host, cases))| {
                    let case = cases.iter().find(|(l, _)| l == name).map(|(_, c)| *c);
                    bar(host, i, case, figure, style::colour(runtime))
                })
                .collect(),
            missing: String::new(),
        })
        .collect();
    let title = format!("{workload} across hosts: {}", figure.title());
    let panel = bars::Panel {
        title: title.clone(),
        subtitle: format!(
            "each bar one host's own median, whiskers min–max; {}",
            repetitions(hosts, workload)
        ),
        axis: format!("{}, {}", figure.header(), figure.better()),
        rows: &rows,
    };
    let row_px = style::ROW_PX.max(style::HOST_BAR_PX * hosts.len() as u32 + 14);
    let height = bars::height(rows.len(), row_px);
    let svg = super::svg(style::WIDTH, height, |area| bars::draw(area, &panel))?;
    Ok(Chart {
        file_name: format!("hosts-{workload}-{}.svg", figure.slug()),
        title,
        svg,
    })
}

/// Host number `index`'s bar for the case (if it ran there): its median and
/// whisker in the runtime's colour and the host's shade, labelled by host.
fn bar(
    host: &HostResults,
    index: usize,
    case: Option<&Case>,
    figure: Figure,
    colour: RGBColor,
) -> bars::Bar {
    let opacity = SHADES[index % SHADES.len()];
    let tag = Some((host.label.clone(), style::MUTED));
    match case.map(|c| (c, cases::figures(c))) {
        Some((_, Some(summary))) => match figure.stat(summary) {
            Some(stat) => bars::Bar {
                stat,
                colour,
                opacity,
                value: format!("{} {}", figure.format(stat.median), figure.unit()),
                tag,
            },
            None => empty(colour, opacity, "n/a".to_owned(), tag),
        },
        Some((case, None)) => empty(
            colour,
            opacity,
            super::failed_text(cases::failure(case)),
            tag,
        ),
        None => empty(colour, opacity, "not run".to_owned(), tag),
    }
}

/// A bar of no length that says why it has none.
fn empty(
    colour: RGBColor,
    opacity: f64,
    why: String,
    tag: Option<(String, RGBColor)>,
) -> bars::Bar {
    bars::Bar {
        stat: Stat::of(&[0.0]).expect("one value has statistics"),
        colour,
        opacity,
        value: why,
        tag,
    }
}

/// "median of 5 repetitions" over every host's completed cases.
fn repetitions(hosts: &[HostResults], workload: Workload) -> String {
    let all: Vec<&Case> = hosts
        .iter()
        .flat_map(|h| cases::of_workload(&h.merged.results, workload))
        .collect();
    cases::repetitions(&all)
}
