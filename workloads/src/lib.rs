//! The workload layer: the runtime adapter trait and the workloads, written
//! once and generic over it.

mod cancel;
mod counter;
pub mod fetch;
pub mod file;
pub mod marks;
mod open_loop;
mod outcome;
mod pacer;
pub mod runtime;
mod scratch;
pub mod serve;
pub mod server;
mod sleep;

use rtbench_report::{CancelMode, Counts, FileMode, Params, Workload};

pub use outcome::{Outcome, ShardOutcome};
pub use runtime::{
    BLOCK_ALIGN, Block, CancelOutcome, FileAccess, NeverFails, Runtime, Shard, TaskFailed,
};

/// SPEC.md's default parameters for `workload`; none (all zero) for
/// `command`, whose programs rtbench does not parameterise.
pub fn defaults(workload: Workload) -> Params {
    match workload {
        Workload::Sleep => Params {
            ops: 1_000_000,
            in_flight: 10_000,
            latency_ms: 1,
            fail_every: Some(sleep::DEFAULT_FAIL_EVERY),
            ..Params::default()
        },
        Workload::Cancel => Params {
            ops: 1_000_000,
            in_flight: 10_000,
            latency_ms: 10,
            cancel_mode: Some(CancelMode::Parked),
            cancel_wait_ms: Some(cancel::DEFAULT_CANCEL_WAIT_MS),
            ..Params::default()
        },
        Workload::Fetch => Params {
            ops: 100_000,
            in_flight: 5_000,
            latency_ms: 10,
            body_bytes: Some(server::DEFAULT_BODY_BYTES),
            timeout_ms: Some(fetch::DEFAULT_TIMEOUT_MS),
            ..Params::default()
        },
        Workload::Serve => Params {
            ops: 100_000,
            in_flight: 1_000,
            latency_ms: 0,
            body_bytes: Some(server::DEFAULT_BODY_BYTES),
            timeout_ms: Some(fetch::DEFAULT_TIMEOUT_MS),
            ..Params::default()
        },
        Workload::File => Params {
            ops: 100_000,
            in_flight: file::DEFAULT_IN_FLIGHT,
            latency_ms: 0,
            block_bytes: Some(file::DEFAULT_BLOCK_BYTES),
            file_mb: Some(file::DEFAULT_FILE_MB),
            file_mode: Some(FileMode::Read),
            ..Params::default()
        },
        Workload::Command => Params::default(),
    }
}

/// Runs `workload` once on runtime `R` with `threads` worker threads and
/// checks that its counts add up; counts that do not are a bug, not a figure.
/// `serve` is a server, not a run to the end: it runs through [`serve::serve`].
pub fn run<R: Runtime>(
    workload: Workload,
    params: &Params,
    threads: usize,
) -> Result<Outcome, String> {
    let ops = params.ops;
    let params = params.clone();
    // quanta calibrates its clock on first use: do that before anything is timed.
    quanta::Instant::now();
    let mut setup_cpu_s = None;
    let shards = match workload {
        Workload::Sleep => R::run(threads, move |s| sleep::shard::<R>(params.clone(), s))?,
        Workload::Cancel => R::run(threads, move |s| cancel::shard::<R>(params.clone(), s))?,
        Workload::Fetch => R::run(threads, move |s| fetch::shard::<R>(params.clone(), s))?,
        Workload::File => {
            // Created before the runtime starts and kept until it stops.
            let scratch = file::Scratch::create(&params)?;
            setup_cpu_s = scratch.setup_cpu_s();
            let (path, blocks) = (scratch.path(), scratch.blocks());
            let shards = R::run(threads, move |s| {
                file::shard::<R>(params.clone(), path.clone(), blocks, s)
            });
            drop(scratch);
            shards?
        }
        Workload::Serve => {
            return Err("serve runs as a server, through serve::serve, until stopped".into());
        }
        Workload::Command => return Err("the command workload runs programs, not runtimes".into()),
    };
    let mut outcome = Outcome::merge(shards.into_iter().collect::<Result<_, _>>()?);
    outcome.setup_cpu_s = setup_cpu_s;
    check_counts(workload, ops, &outcome)?;
    Ok(outcome)
}

/// The timer duration in the compact form tasks carry (see `sleep::operation`).
fn timer_ms(params: &Params) -> Result<u32, String> {
    u32::try_from(params.latency_ms)
        .map_err(|_| format!("latency_ms {} is above {}", params.latency_ms, u32::MAX))
}

/// Whether `counts` add up to the `ops` operations of `workload` (SPEC.md);
/// a command's counts are its own and always do.
pub fn counts_add_up(workload: Workload, ops: u64, counts: &Counts) -> bool {
    let c = |name| counts.get(name).copied().unwrap_or(0);
    match workload {
        Workload::Sleep => c("ok") + c("failed") == ops,
        Workload::Cancel => {
            c("created") == ops && c("completed") + c("cancelled") + c("errors") == ops
        }
        Workload::Fetch | Workload::Serve => {
            c("ok") + c("http_error") + c("timeout") + c("io_error") == ops
        }
        Workload::File => c("ok") + c("short") + c("corrupt") + c("io_error") == ops,
        Workload::Command => true,
    }
}

/// Refuses an outcome whose counts do not add up to the operations started.
fn check_counts(workload: Workload, ops: u64, outcome: &Outcome) -> Result<(), String> {
    if counts_add_up(workload, ops, &outcome.counts) {
        Ok(())
    } else {
        Err(format!(
            "{workload} counts do not add up: {:?} for {ops} operations",
            outcome.counts
        ))
    }
}
