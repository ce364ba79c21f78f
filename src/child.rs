//! The hidden `__case` subcommand: one repetition of one case, in its own process.

use rtbench_report::{Params, Workload};

/// Runs `workload` once on `runtime` and prints its record as one JSON line on
/// stdout; the parent adds CPU time and peak memory from outside.
pub fn run_case(
    runtime: &str,
    workload: Workload,
    params: &str,
    threads: usize,
) -> Result<(), String> {
    let adapter = rtbench_runtimes::find(runtime)?;
    let params: Params =
        serde_json::from_str(params).map_err(|e| format!("invalid --params for __case: {e}"))?;
    let outcome = (adapter.run)(workload, &params, threads)?;
    let mut record = outcome.record();
    record.io_driver = (adapter.io_driver)().map(str::to_owned);
    let record = serde_json::to_string(&record).expect("records always serialise");
    println!("{record}");
    Ok(())
}
