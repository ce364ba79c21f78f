//! The rtbench results format (`results.json`) and its renderers.
//!
//! This crate depends on the results format only, never on a runtime crate, so
//! tables and charts can be drawn on a machine that cannot build every runtime.
//!
//! - [`table`]: the article's table for Rust (terminal, Markdown) and the
//!   comparison table.
//! - [`chart`]: SVG charts, text as `<text>` elements, no font file needed.
//! - [`write_report`] and [`write_comparison`]: everything into a directory.
//! - [`merge()`] / [`read_merged`]: several results files as one report.
//! - [`hosts`]: files of several machines, grouped and kept apart.
//! - [`compare()`]: baseline vs candidate, case by case; [`gate`]: what
//!   `--fail-on-regression` decides on, corrected for many comparisons.
//! - [`export()`]: CSV, Bencher Metric Format, github-action-benchmark JSON.
//! - [`scaling`]: sweeps of a parameter, their line charts and derived figures.
//! - [`profile`]: per-function profiles, their flamegraphs and differences.

mod cases;
pub mod chart;
pub mod compare;
pub mod count;
pub mod counted;
pub mod cpu_list;
pub mod export;
pub mod figure;
pub mod gate;
pub mod hosts;
pub mod load;
pub mod merge;
mod output;
mod page;
pub mod profile;
mod ranking;
pub mod results;
pub mod scaling;
pub mod stats;
pub mod style;
pub mod summary;
pub mod table;
mod upgrade;
pub mod variants;
pub mod verdict;
pub mod welch;
mod workload;

pub use compare::{Comparison, compare, compare_within};
pub use export::{Format, export};
pub use hosts::{HostResults, read_by_host};
pub use merge::{Merged, merge, read_merged};
pub use output::{write_comparison, write_hosts_report, write_report};
pub use results::{
    About, Case, CaseStatus, Counts, Host, IoDriver, Latency, Model, Order, ParamAbout, Params,
    Pinned, ResultsFile, Run, RunRecord, Source, Workload,
};
pub use variants::{compare_drivers, compare_in_run, compare_variants};
