//! Conformance: every registered adapter, found through the registry, must run
//! every workload with exact counts. A new adapter is covered without edits here.

use std::io::ErrorKind;
use std::net::TcpListener;

mod common;

use common::{Check, cores, expect, on_every_runtime, run};
use rtbench_workloads::cancel::{CancelMode, CancelParams};
use rtbench_workloads::file::{File, FileParams};
use rtbench_workloads::sleep::SleepParams;
use rtbench_workloads::{Outcome, Runtime, Size, Workload};

fn cancel_params(ops: u64, batch: u64, latency_ms: u64, mode: CancelMode) -> CancelParams {
    CancelParams {
        ops,
        in_flight: batch,
        latency_ms,
        cancel_mode: mode,
        cancel_wait_ms: 1000,
    }
}

struct SleepCountsAreExact;
impl Check for SleepCountsAreExact {
    fn check<R: Runtime>() -> Result<(), String> {
        let params = SleepParams {
            ops: 20_000,
            in_flight: 1_000,
            latency_ms: 1,
            fail_every: 1000,
        };
        let out = run::<R>("sleep", &params)?;
        expect(out.get("ok") == 19_980, "ok must be 19,980", &out)?;
        expect(out.get("failed") == 20, "failed must be 20", &out)?;
        expect(
            out.latency.len() == 20_000,
            "one latency per operation",
            &out,
        )
    }
}

#[test]
fn sleep_counts_are_exact_on_every_runtime() {
    on_every_runtime::<SleepCountsAreExact>();
}

/// Every task waits 10 s, far longer than a batch takes, so each one is still
/// pending when it is cancelled, and every cancelled future must be dropped.
fn cancels_every_task<R: Runtime>(mode: CancelMode) -> Result<Outcome, String> {
    let out = run::<R>("cancel", &cancel_params(20_000, 1_000, 10_000, mode))?;
    expect(out.get("created") == 20_000, "created must be 20,000", &out)?;
    expect(
        out.get("cancelled") == 20_000,
        "every task must be cancelled",
        &out,
    )?;
    expect(out.get("errors") == 0, "errors must be 0", &out)?;
    expect(
        out.get("dropped") == 20_000,
        "every task's future must be dropped",
        &out,
    )?;
    Ok(out)
}

struct CancelParked;
impl Check for CancelParked {
    fn check<R: Runtime>() -> Result<(), String> {
        let out = cancels_every_task::<R>(CancelMode::Parked)?;
        expect(
            out.get("started") == out.get("created"),
            "parked: every task must have started before its batch was cancelled",
            &out,
        )
    }
}

#[test]
fn cancel_parked_drops_every_started_task_on_every_runtime() {
    on_every_runtime::<CancelParked>();
}

struct CancelUnstarted;
impl Check for CancelUnstarted {
    fn check<R: Runtime>() -> Result<(), String> {
        cancels_every_task::<R>(CancelMode::Unstarted).map(drop)
    }
}

#[test]
fn cancel_unstarted_drops_every_task_on_every_runtime() {
    on_every_runtime::<CancelUnstarted>();
}

/// A last partial batch is awaited, not cancelled: its tasks complete.
struct CancelAwaitsLastPartialBatch;
impl Check for CancelAwaitsLastPartialBatch {
    fn check<R: Runtime>() -> Result<(), String> {
        let out = run::<R>(
            "cancel",
            &cancel_params(2_500, 1_000, 1, CancelMode::Parked),
        )?;
        expect(
            out.get("completed") >= 500,
            "the last 500 must complete",
            &out,
        )?;
        expect(
            out.get("completed") + out.get("cancelled") == 2_500,
            "completed + cancelled must be 2,500",
            &out,
        )?;
        expect(
            out.get("dropped") == 2_500,
            "every task's future must be dropped",
            &out,
        )
    }
}

#[test]
fn cancel_awaits_a_last_partial_batch_on_every_runtime() {
    on_every_runtime::<CancelAwaitsLastPartialBatch>();
}

/// `connect` reaches a listening socket and reports a refused one as an error.
struct Connects;
impl Check for Connects {
    fn check<R: Runtime>() -> Result<(), String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let open = listener.local_addr().map_err(|e| e.to_string())?;
        let closed = {
            let spare = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
            spare.local_addr().map_err(|e| e.to_string())?
        };
        let shards = R::run(cores(), move |_| async move {
            let reached = R::connect(open).await.map(drop).map_err(|e| e.to_string());
            let refused = R::connect(closed).await.map(drop).map_err(|e| e.kind());
            (reached, refused)
        })?;
        for (reached, refused) in shards {
            reached.map_err(|e| format!("connect to a listener failed: {e}"))?;
            listener
                .accept()
                .map_err(|e| format!("the listener saw no connection: {e}"))?;
            if refused != Err(ErrorKind::ConnectionRefused) {
                return Err(format!("connect to a closed port gave {refused:?}"));
            }
        }
        Ok(())
    }
}

#[test]
fn connect_reaches_listeners_and_reports_refusals_on_every_runtime() {
    on_every_runtime::<Connects>();
}

/// After a run, a runtime that chooses its I/O driver (its flavour says
/// "epoll fallback") names the one it started on; the others name none.
struct NamesItsIoDriver;
impl Check for NamesItsIoDriver {
    fn check<R: Runtime>() -> Result<(), String> {
        R::run(cores(), |_| async {})?;
        let chooses = R::FLAVOR.contains("epoll fallback");
        match (chooses, R::io_driver()) {
            (true, Some("io_uring" | "epoll")) | (false, None) => Ok(()),
            (_, driver) => Err(format!(
                "io_driver {driver:?} for a runtime that {} choose",
                if chooses { "does" } else { "does not" }
            )),
        }
    }
}

/// Where spawned tasks run is what `LOOP_ON_TASK_THREAD` records: on one
/// thread, every task runs on the loop's thread when it says so (smol's
/// `block_on(ex.run(main))`, single-thread, thread-per-core), none when it
/// does not (`#[tokio::main]`: the loop's thread only feeds the workers).
struct TasksRunWhereRecorded;
impl Check for TasksRunWhereRecorded {
    fn check<R: Runtime>() -> Result<(), String> {
        const TASKS: usize = 64;
        // async-std reads its thread count from the environment once per
        // process; its loop never runs tasks, whatever that count is.
        let threads = if R::process_env(1).is_empty() {
            1
        } else {
            cores()
        };
        let shards = R::run(threads, |_| async {
            let loop_thread = std::thread::current().id();
            let handles: Vec<_> = (0..TASKS)
                .map(|_| {
                    R::spawn(async {
                        R::sleep(std::time::Duration::from_millis(1)).await;
                        std::thread::current().id()
                    })
                })
                .collect();
            let mut on_loop = 0;
            for handle in handles {
                let ran_on = R::join(handle).await.map_err(|e| e.0)?;
                on_loop += usize::from(ran_on == loop_thread);
            }
            Ok::<usize, String>(on_loop)
        })?;
        let expected = if R::LOOP_ON_TASK_THREAD { TASKS } else { 0 };
        for on_loop in shards {
            let on_loop = on_loop?;
            if on_loop != expected {
                return Err(format!(
                    "{on_loop} of {TASKS} tasks ran on the loop's thread; LOOP_ON_TASK_THREAD = {} \
                     means {expected}",
                    R::LOOP_ON_TASK_THREAD
                ));
            }
        }
        Ok(())
    }
}

/// The file workload at a tiny size: every read of a 1 MiB file is whole and
/// holds the pattern (runtimes/tests/file.rs has writes, `O_DIRECT` and cleanup).
struct FileReadsAreChecked;
impl Check for FileReadsAreChecked {
    fn check<R: Runtime>() -> Result<(), String> {
        let params = FileParams {
            ops: 200,
            in_flight: 8,
            file_mb: 1,
            ..File::sizes(Size::Default)
        };
        let out = run::<R>("file", &params)?;
        expect(out.get("ok") == 200, "every read must be ok", &out)?;
        expect(out.latency.len() == 200, "one latency per read", &out)
    }
}

#[test]
fn file_reads_are_checked_on_every_runtime() {
    on_every_runtime::<FileReadsAreChecked>();
}

#[test]
fn runtimes_that_choose_an_io_driver_name_it() {
    on_every_runtime::<NamesItsIoDriver>();
}

#[test]
fn tasks_run_on_the_loop_thread_exactly_when_recorded_on_every_runtime() {
    on_every_runtime::<TasksRunWhereRecorded>();
}
