//! Turns `run`'s flags into the list of cases to measure.

use std::path::Path;

use rtbench_report::{Case, CaseStatus, Params, Workload};
use rtbench_runtimes::Adapter;

use crate::cli::RunArgs;
use crate::runner::Plan;

/// Every (workload, runtime) case the flags select, workload by workload, each
/// started as `program __case …`; fetch cases send their requests to
/// `fetch_url`. Fails with one line on an unknown name.
pub fn plans(
    args: &RunArgs,
    program: &Path,
    cores: usize,
    fetch_url: Option<&str>,
) -> Result<Vec<Plan>, String> {
    let workloads = args.workloads()?;
    let adapters = selected_runtimes(&args.runtimes)?;
    let threads = args.threads.map_or(cores, usize::from);
    let mut plans = Vec::new();
    for workload in workloads {
        let params = params(args, workload, cores);
        // The child is told where the server is; results record only a
        // server the user chose, so runs against the shipped one compare.
        let mut child_params = params.clone();
        if workload == Workload::Fetch {
            child_params.url = fetch_url.map(str::to_owned);
        }
        for adapter in &adapters {
            let threads = adapter.threads(threads);
            plans.push(Plan {
                case: Case {
                    runtime: adapter.name.to_owned(),
                    runtime_version: adapter.version.to_owned(),
                    flavor: adapter.flavor.to_owned(),
                    model: Some(adapter.model),
                    threads,
                    workload,
                    params: params.clone(),
                    status: CaseStatus::Ok,
                    error: None,
                    runs: Vec::new(),
                    summary: None,
                },
                program: program.to_owned(),
                args: vec![
                    "__case".into(),
                    format!("--runtime={}", adapter.name),
                    format!("--workload={workload}"),
                    format!("--threads={threads}"),
                    format!(
                        "--params={}",
                        serde_json::to_string(&child_params).expect("serialisable")
                    ),
                ],
                env: (adapter.process_env)(threads),
            });
        }
    }
    Ok(plans)
}

/// The adapters named in `--runtimes` (`all` for every registered one).
fn selected_runtimes(names: &[String]) -> Result<Vec<Adapter>, String> {
    let mut selected: Vec<Adapter> = Vec::new();
    for name in names.iter().map(|n| n.trim()) {
        let adapters = match name {
            "all" => rtbench_runtimes::adapters(),
            _ => vec![rtbench_runtimes::find(name).map_err(|e| format!("--runtimes: {e}"))?],
        };
        for adapter in adapters {
            if !selected.iter().any(|a| a.name == adapter.name) {
                selected.push(adapter);
            }
        }
    }
    Ok(selected)
}

/// A workload's defaults with the flags that apply to it laid over them.
fn params(args: &RunArgs, workload: Workload, cores: usize) -> Params {
    let mut params = rtbench_workloads::defaults(workload);
    params.ops = args.ops.unwrap_or(params.ops);
    params.in_flight = args.in_flight.unwrap_or(params.in_flight);
    params.latency_ms = args.latency_ms.map_or(params.latency_ms, u64::from);
    if params.fail_every.is_some() {
        params.fail_every = args.fail_every.or(params.fail_every);
    }
    if params.cancel_mode.is_some() {
        params.cancel_mode = args.cancel_mode().or(params.cancel_mode);
        params.cancel_wait_ms = args.cancel_wait_ms.or(params.cancel_wait_ms);
    }
    if workload == Workload::Fetch {
        params.body_bytes = args.body_bytes.or(params.body_bytes);
        params.timeout_ms = args.timeout_ms.or(params.timeout_ms);
        match &args.url {
            Some(url) => params.url = Some(url.clone()),
            None => params.server_threads = Some(args.server_threads.map_or(cores, usize::from)),
        }
    }
    params
}
