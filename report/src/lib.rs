//! The rtbench results format (`results.json`) and its renderers.
//!
//! This crate depends on the results format only, never on a runtime crate, so
//! tables and charts can be drawn on a machine that cannot build every runtime.
//!
//! - [`table`]: the article's table for Rust (terminal, Markdown) and the
//!   comparison table.
//! - [`chart`]: SVG charts, text as `<text>` elements, no font file needed.
//! - [`write_report`] and [`write_comparison`]: everything into a directory.
//! - [`merge`] / [`read_merged`]: several results files as one report.
//! - [`compare()`]: baseline vs candidate, case by case.
//! - [`scaling`]: sweeps of a parameter, their line charts and derived figures.

mod cases;
pub mod chart;
pub mod compare;
pub mod figure;
pub mod merge;
mod output;
pub mod results;
pub mod scaling;
pub mod style;
pub mod summary;
pub mod table;

pub use compare::{Comparison, compare};
pub use merge::{Merged, merge, read_merged};
pub use output::{write_comparison, write_report};
pub use results::{
    CancelMode, Case, CaseStatus, Counts, Host, Latency, Model, Params, ResultsFile, Run,
    RunRecord, Workload,
};
