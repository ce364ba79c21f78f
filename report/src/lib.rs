//! The rtbench results format (`results.json`) and its renderers.
//!
//! This crate depends on the results format only, never on a runtime crate, so
//! tables and charts can be drawn on a machine that cannot build every runtime.

pub mod results;
pub mod summary;
pub mod table;

pub use results::{
    CancelMode, Case, CaseStatus, Counts, Host, Latency, Model, Params, ResultsFile, Run,
    RunRecord, Workload,
};
