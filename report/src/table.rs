//! The article's table for Rust, one per workload, for the terminal.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};

use crate::results::{Case, CaseStatus, ResultsFile, Workload};

/// Column headers, in SPEC.md's order.
pub const HEADERS: [&str; 7] = [
    "runtime",
    "time (s)",
    "throughput (ops/s)",
    "overhead/op (ns)",
    "CPU/op (ns)",
    "peak memory (MB)",
    "p99 (ms)",
];

/// One table per workload present in `results`, each under a title line with
/// its parameters, followed by the host line.
pub fn terminal(results: &ResultsFile) -> String {
    let mut out = String::new();
    for workload in Workload::ALL {
        let cases: Vec<&Case> = results
            .cases
            .iter()
            .filter(|c| c.workload == workload)
            .collect();
        let Some(first) = cases.first() else {
            continue;
        };
        let p = &first.params;
        out += &format!(
            "{workload}: {} ops, {} in flight, {} ms\n",
            p.ops, p.in_flight, p.latency_ms
        );
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header(HEADERS);
        for case in cases {
            table.add_row(row(case));
        }
        for column in table.column_iter_mut().skip(1) {
            column.set_cell_alignment(CellAlignment::Right);
        }
        out += &format!("{table}\n\n");
    }
    let h = &results.host;
    out += &format!(
        "host: {} ({} cores), kernel {}, {}; {}\n",
        h.cpu_model, h.cores, h.kernel, h.rustc, results.created
    );
    out
}

/// One table row: the case's medians, or why it failed.
pub fn row(case: &Case) -> Vec<String> {
    let name = case.runtime.clone();
    match (&case.summary, case.status) {
        (Some(s), CaseStatus::Ok) => vec![
            name,
            format!("{:.3}", s.wall_s.median),
            format!("{:.0}", s.throughput.median),
            format!("{:.0}", s.overhead_ns_per_op.median),
            format!("{:.0}", s.cpu_ns_per_op.median),
            format!("{:.1}", s.peak_rss_bytes.median / 1e6),
            format!("{:.2}", s.p99_ns.median / 1e6),
        ],
        _ => {
            let why = case.error.as_deref().unwrap_or("no run completed");
            let mut cells = vec![name, format!("failed: {why}")];
            cells.resize(HEADERS.len(), "-".to_string());
            cells
        }
    }
}
