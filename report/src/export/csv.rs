//! CSV, one row per run, for spreadsheets and data frames: the host, the
//! case (runtime, version, parameters), and every figure of the run.

use std::collections::BTreeSet;

use crate::count::Count;
use crate::counted::Counted;
use crate::results::{Case, Latency, ResultsFile, Run};
use crate::summary::{count_index, per_run};

/// Columns before the parameters: the host and the case (`command` is what
/// a `--command` case ran, empty for a runtime's).
const HEAD: [&str; 15] = [
    "created",
    "cpu_model",
    "cores",
    "arch",
    "kernel",
    "rustc",
    "workload",
    "runtime",
    "runtime_version",
    "flavor",
    "model",
    "threads",
    "status",
    "error",
    "command",
];

/// Columns after the parameters: the run's figures, derived ones computed
/// as the tables compute them; the counts follow, one `count_<name>` column each.
const FIGURES: [&str; 13] = [
    "rep",
    "io_driver",
    "wall_s",
    "cpu_s",
    "peak_rss_bytes",
    "throughput_ops_per_s",
    "overhead_ns_per_op",
    "cpu_ns_per_op",
    "p50_ns",
    "p90_ns",
    "p99_ns",
    "p999_ns",
    "max_ns",
];

/// Columns of the counted figures, after the outcome counts, when any run
/// of the file has them: the run's totals, the per-operation figures (empty
/// for a command), and why any was not taken. A count not taken is empty,
/// never 0.
const COUNTED: [&str; 20] = [
    "instructions",
    "l1_hits",
    "ll_hits",
    "ram_accesses",
    "estimated_cycles",
    "syscalls",
    "voluntary_switches",
    "involuntary_switches",
    "minor_faults",
    "allocations",
    "allocated_bytes",
    "peak_live_bytes",
    "instructions_per_op",
    "estimated_cycles_per_op",
    "syscalls_per_op",
    "context_switches_per_op",
    "minor_faults_per_op",
    "allocations_per_op",
    "allocated_bytes_per_op",
    "counts_absent",
];

/// The CSV of `results`. Parameter columns are every parameter any case
/// has (alphabetical, empty where a workload has none); count columns
/// likewise; the [`COUNTED`] columns when any run has counts. A case without a completed run is one row with its error and
/// no figures, so no case disappears from the export.
pub(super) fn render(results: &ResultsFile) -> Result<String, String> {
    let params: BTreeSet<String> = results
        .cases
        .iter()
        .flat_map(|c| param_values(c).into_iter().map(|(k, _)| k))
        .collect();
    let counts: BTreeSet<&String> = results
        .cases
        .iter()
        .flat_map(|c| c.runs.iter().flat_map(|r| r.counts.keys()))
        .collect();
    let counted = crate::count::any_counted(results.cases.iter().flat_map(|c| &c.runs));
    let counted_columns: &[&str] = if counted { &COUNTED } else { &[] };
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let header = HEAD
        .iter()
        .map(|h| (*h).to_owned())
        .chain(params.iter().cloned())
        .chain(FIGURES.iter().map(|h| (*h).to_owned()))
        .chain(counts.iter().map(|c| format!("count_{c}")))
        .chain(counted_columns.iter().map(|h| (*h).to_owned()));
    out.write_record(header).map_err(|e| e.to_string())?;
    for case in &results.cases {
        let head = head(results, case);
        let values = param_values(case);
        let param = |key: &String| {
            values
                .iter()
                .find(|(k, _)| k == key)
                .map_or_else(String::new, |(_, v)| v.clone())
        };
        let lead: Vec<String> = head.into_iter().chain(params.iter().map(param)).collect();
        if case.runs.is_empty() {
            let empty = FIGURES.len() + counts.len() + counted_columns.len();
            let row = lead
                .iter()
                .cloned()
                .chain(std::iter::repeat_n(String::new(), empty));
            out.write_record(row).map_err(|e| e.to_string())?;
        }
        for (rep, run) in case.runs.iter().enumerate() {
            let count = |name: &&String| {
                run.counts
                    .get(*name)
                    .map_or_else(String::new, u64::to_string)
            };
            let row = lead
                .iter()
                .cloned()
                .chain(figures(case, rep + 1, run))
                .chain(counts.iter().map(count))
                .chain(
                    counted
                        .then(|| counted_fields(case, run))
                        .into_iter()
                        .flatten(),
                );
            out.write_record(row).map_err(|e| e.to_string())?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    Ok(String::from_utf8(bytes).expect("every field is a Rust string"))
}

/// The [`HEAD`] fields of a case.
fn head(results: &ResultsFile, case: &Case) -> Vec<String> {
    let host = &results.host;
    vec![
        results.created.clone(),
        host.cpu_model.clone(),
        host.cores.to_string(),
        host.arch.clone().unwrap_or_default(),
        host.kernel.clone(),
        host.rustc.clone(),
        case.workload.to_string(),
        case.runtime.clone(),
        case.runtime_version.clone(),
        case.flavor.clone(),
        case.model.map(|m| m.to_string()).unwrap_or_default(),
        case.threads.to_string(),
        serde_json::to_value(case.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        case.error.clone().unwrap_or_default(),
        case.command.clone().unwrap_or_default(),
    ]
}

/// The [`FIGURES`] fields of run number `rep` (from 1) of `case`; empty
/// where the run cannot have the figure (a `--command` case has no
/// per-operation figures, and no latencies unless it printed a run record).
fn figures(case: &Case, rep: usize, run: &Run) -> Vec<String> {
    let [_, throughput, overhead, cpu, ..] = per_run(case, run);
    let cell = |value: Option<f64>| value.map_or_else(String::new, |v| v.to_string());
    let latency = |pick: fn(&Latency) -> u64| {
        (run.latency_ns.as_ref()).map_or_else(String::new, |l| pick(l).to_string())
    };
    vec![
        rep.to_string(),
        run.io_driver.clone().unwrap_or_default(),
        run.wall_s.to_string(),
        run.cpu_s.to_string(),
        run.peak_rss_bytes.to_string(),
        cell(throughput),
        cell(overhead),
        cell(cpu),
        latency(|l| l.p50),
        latency(|l| l.p90),
        latency(|l| l.p99),
        latency(|l| l.p999),
        latency(|l| l.max),
    ]
}

/// The [`COUNTED`] fields of `run` of `case`; empty where not taken.
fn counted_fields(case: &Case, run: &Run) -> Vec<String> {
    let c = run.counted.clone().unwrap_or_default();
    let cell = |value: Option<u64>| value.map_or_else(String::new, |v| v.to_string());
    let figures = per_run(case, run);
    let per_op = |count: Count| match case.about.per_op() {
        false => String::new(),
        true => figures[count_index(count)].map_or_else(String::new, |v| v.to_string()),
    };
    let absent: Vec<String> = (Count::ALL.iter())
        .filter_map(|count| Some(format!("{}: {}", count.slug(), count.absent(run)?)))
        .collect();
    let Counted {
        instructions,
        l1_hits,
        ll_hits,
        ram_accesses,
        syscalls,
        voluntary_switches,
        involuntary_switches,
        minor_faults,
        allocations,
        allocated_bytes,
        peak_live_bytes,
        ..
    } = c;
    vec![
        cell(instructions),
        cell(l1_hits),
        cell(ll_hits),
        cell(ram_accesses),
        cell(c.estimated_cycles()),
        cell(syscalls),
        cell(voluntary_switches),
        cell(involuntary_switches),
        cell(minor_faults),
        cell(allocations),
        cell(allocated_bytes),
        cell(peak_live_bytes),
        per_op(Count::Instructions),
        per_op(Count::Cycles),
        per_op(Count::Syscalls),
        per_op(Count::Switches),
        per_op(Count::Faults),
        per_op(Count::Allocations),
        per_op(Count::AllocatedBytes),
        absent.join("; "),
    ]
}

/// The case's parameters as (name, text), read from their serialised form
/// so a parameter added to `Params` gets its column without a change here.
fn param_values(case: &Case) -> Vec<(String, String)> {
    let value = serde_json::to_value(&case.params).expect("parameters always serialise");
    value
        .as_object()
        .map(|fields| {
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    (
                        // The run's own `io_driver` column is the one it used.
                        match k.as_str() {
                            "io_driver" => "asked_io_driver".to_owned(),
                            _ => k.clone(),
                        },
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
