//! The HTML pages (`index.html`, `compare.html`), built with maud: every
//! text is escaped and every element closed by construction, checked when
//! the crate compiles. Charts are referenced by file name, so the SVGs stay
//! the single copy.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::cases;
use crate::chart::Chart;
use crate::figure::grouped;
use crate::hosts::HostResults;
use crate::results::ResultsFile;
use crate::scaling;
use crate::table::{self, Document, Grid, Row};

/// A report or comparison page: each table followed by the charts of its
/// workload (those `belongs` picks), then `extra` (a report's "Scaling"
/// section, the profiles) after the last table, before the footer.
pub(crate) fn document_with(
    doc: &Document,
    charts: &[Chart],
    belongs: impl Fn(&Grid, &Chart) -> bool,
    extra: Markup,
) -> String {
    page(
        &doc.title,
        html! {
            @for line in &doc.preface { p.warn { (line) } }
            @for grid in &doc.grids {
                section {
                    (table(grid, Heading::Top, ""))
                    @for chart in charts.iter().filter(|c| belongs(grid, c)) {
                        (figure(chart, ""))
                    }
                }
            }
            (extra)
            @for line in &doc.footer { p.foot { (line) } }
        },
    )
}

/// The "Scaling" section of a report page: the derived figures, then per
/// sweep its `charts` (`scaling-<workload>-<parameter>-*.svg`) and one table
/// per value of the swept parameter. Empty when `results` has no sweep.
pub(crate) fn scaling(results: &ResultsFile, charts: &[Chart]) -> Markup {
    let sweeps = scaling::sweeps(results);
    if sweeps.is_empty() {
        return html! {};
    }
    let derived = scaling::derived_document(results);
    // Per sweep: its heading, its charts, and a table per swept value.
    let parts: Vec<(String, Vec<&Chart>, Vec<Grid>)> = sweeps
        .iter()
        .map(|sweep| {
            let prefix = format!("scaling-{}-{}-", sweep.workload, sweep.knob.slug());
            let mine = charts
                .iter()
                .filter(|c| c.file_name.starts_with(&prefix))
                .collect();
            let grids = sweep
                .values
                .iter()
                .flat_map(|value| {
                    let mut grids = table::results_document(&only_at(results, sweep, *value)).grids;
                    for grid in &mut grids {
                        grid.title =
                            format!("{} {} · {}", sweep.name, grouped(*value as f64), grid.title);
                    }
                    grids
                })
                .collect();
            (
                format!("{}: by {}", sweep.workload, sweep.name),
                mine,
                grids,
            )
        })
        .collect();
    html! {
        section id="scaling" {
            h2 { "Scaling" }
            @if let Some(doc) = &derived {
                @for grid in &doc.grids { (table(grid, Heading::Section, "")) }
            }
            @for (heading, mine, grids) in &parts {
                h3 { (heading) }
                @for chart in mine { (figure(chart, "")) }
                @for grid in grids { (table(grid, Heading::Value, "")) }
            }
        }
    }
}

/// `results` with only the cases of `sweep`'s workload at `value`.
fn only_at(results: &ResultsFile, sweep: &scaling::Sweep<'_>, value: u64) -> ResultsFile {
    let mut only = results.clone();
    only.cases
        .retain(|c| c.workload == sweep.workload && sweep.knob.value(c) == Some(value));
    only
}

/// One page over several hosts: the cross-host charts first, then a section
/// per host with its own tables and charts (from its directory).
pub(crate) fn hosts(hosts: &[(&HostResults, Document, Vec<Chart>)], across: &[Chart]) -> String {
    let title = format!("rtbench on {} hosts", hosts.len());
    page(
        &title,
        html! {
            p {
                "Each host's numbers are its own: no median is taken over runs of two hosts. "
                "Hosts: "
                @for (i, (host, _, _)) in hosts.iter().enumerate() {
                    @if i > 0 { "; " }
                    a href={ "#" (host.slug) } { (host.label) }
                }
                "."
            }
            section {
                h2 id="across-hosts" { "Across hosts" }
                @for chart in across { (figure(chart, "")) }
            }
            @for (host, doc, charts) in hosts {
                section {
                    h2 id=(host.slug) { (host.label) }
                    (host_facts(host))
                    @for line in host.merged.warnings.iter().chain(&doc.preface) {
                        p.warn { (line) }
                    }
                    @for grid in &doc.grids {
                        (table(grid, Heading::Nested, &host.slug))
                        @for chart in charts.iter().filter(|c| shows_workload(grid, c)) {
                            (figure(chart, &host.slug))
                        }
                    }
                }
            }
        },
    )
}

/// Whether `chart` is one of the results charts of `grid`'s workload
/// (`<workload>-<figure>.svg`).
pub(crate) fn shows_workload(grid: &Grid, chart: &Chart) -> bool {
    chart.file_name.starts_with(&format!("{}-", grid.workload))
}

/// Where a table's heading sits: under the page title, or under a host's
/// (both anchored), or inside the "Scaling" section (no anchor: the
/// workload's anchor belongs to its main table) as a section's own table or
/// as the table of one swept value.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Heading {
    Top,
    Nested,
    Section,
    Value,
}

/// The host in full, and a link to its own page.
fn host_facts(host: &HostResults) -> Markup {
    let h = &host.merged.results.host;
    html! {
        p.foot {
            (h.cpu_model) ", " (h.cores) " cores"
            @if let Some(arch) = &h.arch { ", " (arch) }
            ", kernel " (h.kernel) ", " (h.rustc)
            @let drivers = cases::io_drivers(&host.merged.results);
            @if !drivers.is_empty() { " · I/O driver " (drivers.join(", ")) }
            " · "
            a href={ (host.slug) "/index.html" } { "this host's own page" }
        }
    }
}

/// A grid as HTML: heading, table, notes and context, headline. `anchor`
/// prefixes the heading's id, so grids of several hosts stay apart.
pub(crate) fn table(grid: &Grid, heading: Heading, anchor: &str) -> Markup {
    let id = if anchor.is_empty() {
        grid.workload.to_string()
    } else {
        format!("{anchor}-{}", grid.workload)
    };
    // The class of a cell in `column`: `num` (right-aligned) or none.
    let numeric = |column: usize| grid.numeric.contains(&column).then_some("num");
    html! {
        @match heading {
            Heading::Top => h2 id=(id) { (grid.title) },
            Heading::Nested => h3 id=(id) { (grid.title) },
            Heading::Section => h3 { (grid.title) },
            Heading::Value => h4 { (grid.title) },
        }
        @if !grid.rows.is_empty() {
            div.scroll {
                table {
                    thead {
                        tr {
                            @for (i, h) in grid.header.iter().enumerate() {
                                th class=[numeric(i)] { (h) }
                            }
                        }
                    }
                    tbody {
                        @for row in &grid.rows {
                            tr {
                                @match row {
                                    Row::Cells(cells) => {
                                        @for (i, cell) in cells.iter().enumerate() {
                                            td class=[numeric(i)] { (cell) }
                                        }
                                    }
                                    Row::Failed { lead, message } => {
                                        @for cell in lead { td { (cell) } }
                                        td.failed colspan=(grid.header.len() - lead.len()) { (message) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        ul { @for line in grid.notes.iter().chain(&grid.context) { li { (line) } } }
        p { strong { (grid.last_line) } }
        @if let Some(points) = &grid.points {
            div.scroll {
                table {
                    thead { tr { @for h in &points.header { th { (h) } } } }
                    tbody { @for row in &points.rows { tr { @for cell in row { td { (cell) } } } } }
                }
            }
        }
    }
}

/// A chart as an image, its title as the alternative text; `dir` is the
/// directory it is in, relative to the page.
fn figure(chart: &Chart, dir: &str) -> Markup {
    let src = if dir.is_empty() {
        chart.file_name.clone()
    } else {
        format!("{dir}/{}", chart.file_name)
    };
    html! { figure { img src=(src) alt=(chart.title); } }
}

/// A whole page around `body`.
fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (title) }
                (body)
            }
        }
    }
    .into_string()
        + "\n"
}

/// The page's look: readable tables, charts at their natural width. A
/// table's box reaches from the text's left edge to the window's right one
/// (`50vw + 50%`), so a wide table fits where the window has room beside the
/// text; where it still does not, it scrolls under its first column (the
/// runtime), which stays in view with an opaque background. The borders are
/// the cells' own (`separate`), as collapsed ones would scroll away from a
/// sticky cell.
const STYLE: &str = "body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; \
padding: 0 1em; color: #222; }
table { border-collapse: separate; border-spacing: 0; margin: 1em 0; font-size: 14px; }
th, td { border: solid #ccc; border-width: 0 1px 1px 0; padding: 4px 8px; background: #fff; }
tr > :first-child { border-left-width: 1px; }
thead th { border-top-width: 1px; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.failed { color: #b3261e; }
.scroll { overflow-x: auto; width: max(100%, calc(50vw + 50% - 2em)); }
.scroll tr > :first-child { position: sticky; left: 0; z-index: 1; }
figure { margin: 1.5em 0; }
figure img, figure object { max-width: 100%; height: auto; border: 1px solid #eee; }
.warn { color: #b3261e; }
.foot { color: #666; }
";
