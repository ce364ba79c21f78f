//! The article's table for Rust, one per workload, and the comparison table,
//! each rendered for the terminal, Markdown and HTML from the same rows.

mod grid;
pub(crate) mod html;
mod markdown;
mod terminal;

use crate::compare::Comparison;
use crate::results::ResultsFile;

pub(crate) use grid::{Document, Grid, Row};

/// Column headers of the results table, in SPEC.md's order plus the model
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
pub fn terminal(results: &ResultsFile) -> String {
    terminal::render(&grid::results(results))
}

/// `table.md`: one table per workload with, under each, the host, rustc,
/// runtime versions, parameters, date, caveats and the headline.
pub fn markdown(results: &ResultsFile) -> String {
    markdown::render(&grid::results(results))
}

/// The comparison for the terminal: warnings, then per workload each case's
/// figures in baseline and candidate, the change in percent and its verdict.
pub fn comparison_terminal(comparison: &Comparison) -> String {
    terminal::render(&grid::comparison(comparison))
}

/// `compare.md`: the comparison tables in Markdown.
pub fn comparison_markdown(comparison: &Comparison) -> String {
    markdown::render(&grid::comparison(comparison))
}

/// Any [`Document`] for the terminal (the scaling section's tables).
pub(crate) fn render_terminal(doc: &Document) -> String {
    terminal::render(doc)
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
    grid::comparison(comparison)
}
