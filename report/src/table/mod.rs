//! The article's table for Rust, one per workload, and the comparison table,
//! each rendered for the terminal, Markdown and HTML from the same rows.

mod comparison;
mod counts;
mod grid;
mod headline;
mod markdown;
mod quality;
mod terminal;

use crate::compare::Comparison;
use crate::figure::Figure;
use crate::results::ResultsFile;

pub(crate) use grid::{Document, Grid, Row, Small};

/// Column headers of the results table, in the article's order plus the model
/// and how many times the fastest time each runtime took.
pub const HEADERS: [&str; 9] = [
    "runtime",
    "model",
    "time (s)",
    "throughput (ops/s)",
    "overhead/op (ns)",
    "CPU/op (ns)",
    "peak memory (MB)",
    "p99 (ms)",
    "vs best (×)",
];

/// One table per workload present in `results`, each under a title line with
/// its parameters and above its headline, then the host line.
/// Fitted to `COLUMNS` or the terminal's width.
pub fn terminal(results: &ResultsFile) -> String {
    terminal_in(results, terminal::columns())
}

/// [`terminal`] fitted into `width` columns (by wrapping cells), or as wide
/// as its contents with `None` and no terminal.
pub fn terminal_in(results: &ResultsFile, width: Option<u16>) -> String {
    terminal::render(&grid::results(results), width)
}

/// The width the terminal tables are fitted into: `COLUMNS` when set, else
/// the terminal's; `None` when output goes to a file or pipe. Other commands'
/// tables (`rtbench list`) fit the same width.
pub fn width() -> Option<u16> {
    terminal::columns()
}

/// Any table for the terminal, drawn as the run tables are: a header and
/// rows of words (left-aligned), the first column never broken, the others
/// as wide as the width leaves them, fitted into
/// `width` as [`terminal_in`] fits them (split in two, then wrapped).
pub fn boxed(header: &[String], rows: Vec<Vec<String>>, width: Option<u16>) -> String {
    let table = Small {
        header: header.to_vec(),
        rows,
    };
    terminal::small(&table, width)
}

/// `table.md`: one table per workload with, under each, the host, rustc,
/// runtime versions, parameters, date, caveats and the headline.
pub fn markdown(results: &ResultsFile) -> String {
    markdown::render(&grid::results(results))
}

/// The comparison for the terminal: warnings, then per workload each case's
/// figures in baseline and candidate, the change in percent and its verdict.
pub fn comparison_terminal(comparison: &Comparison) -> String {
    comparison_terminal_in(comparison, terminal::columns())
}

/// [`comparison_terminal`] fitted into `width` columns, or as wide as its
/// contents with `None`.
pub fn comparison_terminal_in(comparison: &Comparison, width: Option<u16>) -> String {
    terminal::render(&comparison::document(comparison), width)
}

/// `compare.md`: the comparison tables in Markdown.
pub fn comparison_markdown(comparison: &Comparison) -> String {
    markdown::render(&comparison::document(comparison))
}

/// Any [`Document`] for the terminal (the scaling section's tables).
pub(crate) fn render_terminal(doc: &Document) -> String {
    terminal::render(doc, terminal::columns())
}

/// Any [`Document`] in Markdown (the scaling section's tables).
pub(crate) fn render_markdown(doc: &Document) -> String {
    markdown::render(doc)
}

/// The results tables as a [`Document`], for the HTML page.
pub(crate) fn results_document(results: &ResultsFile) -> Document {
    grid::results(results)
}

/// The comparison tables as a [`Document`], for the HTML page.
pub(crate) fn comparison_document(comparison: &Comparison) -> Document {
    comparison::document(comparison)
}

/// One line per compared case and its headline figure's verdict (wall
/// time; in counts mode, instructions per operation), for the terminal
/// after a run of variants: `sleep: tokio → tokio@1.38.0: time +5.1 % (+2.9 … +7.4) worse (paired)`.
/// A variant that could not be compared at all comes first, with why.
pub fn verdict_lines(comparison: &Comparison) -> String {
    let mut out: String = (comparison.warnings.iter())
        .map(|w| format!("{w}\n"))
        .collect();
    for pair in &comparison.pairs {
        let (base, cand) = (&pair.baseline, &pair.candidate);
        let workload = base.workload;
        let head = match base.params.io_driver == cand.params.io_driver {
            true => format!("{workload}: {} → {}", base.runtime, cand.runtime),
            false => format!(
                "{workload}: {} ({}) → {} ({})",
                base.runtime,
                crate::cases::driver_name(base),
                cand.runtime,
                crate::cases::driver_name(cand)
            ),
        };
        let figure = match comparison.measure {
            crate::results::Measure::Counts => Figure::counts_of(base.about.per_op())[0],
            crate::results::Measure::Wall => Figure::Time,
        };
        let name = match figure {
            Figure::Time => "time",
            other => other.header(),
        };
        out += &match (pair.failure(), pair.change(figure)) {
            (Some(why), _) => format!("{head}: {why}\n"),
            (None, Some(change)) => format!(
                "{head}: {name} {} {} ({})\n",
                change.text(),
                change.verdict.word(),
                if change.paired { "paired" } else { "unpaired" }
            ),
            (None, None) => format!("{head}: no {name}\n"),
        };
    }
    out
}
