//! The hidden `__case` subcommand: one repetition of one case, in its own process.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, OnceLock};

use rtbench_report::Params;
use rtbench_runtimes::Adapter;
use rtbench_workloads::Outcome;
use rtbench_workloads::Role;
use rtbench_workloads::serve::ServeControl;
use rtbench_workloads::server::new_state;

use crate::counts;
use crate::cpus::CpuList;

/// Runs `workload` once on `runtime` and prints its record as one JSON line on
/// stdout, after a line with the kernel's counts over the workload's own work
/// (see [`crate::counts`]); the parent adds CPU time and peak memory from outside.
pub fn run_case(runtime: &str, workload: &str, params: &str, threads: usize) -> Result<(), String> {
    // Before any thread exists, so every thread inherits the counter.
    counts::kernel::open();
    counts::allocations::start();
    rtbench_workloads::marks::on_edges(counts::edge);
    let adapter = rtbench_runtimes::find(runtime)?;
    let params: Params =
        serde_json::from_str(params).map_err(|e| format!("invalid --params for __case: {e}"))?;
    if let Some(driver) = params.io_driver {
        (adapter.use_io_driver)(driver)?;
    }
    let (outcome, cpus) = match rtbench_workloads::registry::find(workload)?.role {
        Role::Server => serve(adapter, workload, &params, threads)?,
        Role::Runs | Role::ClientOfShippedServer => {
            let outcome = (adapter.run)(workload, &params, threads)?;
            (outcome, CpuList::of_threads())
        }
    };
    let mut record = outcome.record();
    record.cpus = cpus.map(|cpus| cpus.to_string());
    record.io_driver = (adapter.io_driver)().map(str::to_owned);
    let record = serde_json::to_string(&record).expect("records always serialise");
    let mut counted = counts::kernel::counted();
    counts::allocations::fill(&mut counted);
    println!("{}", counts::kernel::line(&counted));
    println!("{record}");
    Ok(())
}

/// Serves on a free loopback port, printing its URL on the first line once
/// every shard accepts, until stdin closes (the parent's signal to stop, which
/// also stops a server whose parent died); with the CPUs its threads were
/// allowed as it was told to stop, while all of them still serve.
fn serve(
    adapter: Adapter,
    workload: &str,
    params: &Params,
    threads: usize,
) -> Result<(Outcome, Option<CpuList>), String> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    let cpus = Arc::new(OnceLock::new());
    let read = cpus.clone();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
        let _ = read.set(CpuList::of_threads());
        stopping.store(true, Relaxed);
    });
    let control = ServeControl {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ready: Box::new(|addr| {
            println!("http://{addr}");
            let _ = std::io::Write::flush(&mut std::io::stdout());
        }),
        stop,
        state: new_state(false),
    };
    let outcome = (adapter.serve)(workload, params, threads, control)?;
    Ok((outcome, cpus.get().cloned().flatten()))
}
