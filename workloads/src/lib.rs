//! The workload layer: the runtime adapter trait ([`Runtime`]), what a
//! workload is ([`Workload`]), one file per workload, generic over the
//! adapter, and the one list of them ([`registry`]).

pub mod allocations;
pub mod cancel;
mod counter;
#[cfg(feature = "example-workload")]
mod example;
pub mod fairness;
pub mod fan_in;
pub mod fetch;
pub mod file;
mod http_client;
pub mod marks;
pub mod mutex;
mod open_loop;
mod outcome;
mod pacer;
pub mod ping_pong;
pub mod registry;
mod remote;
pub mod runtime;
mod sched;
mod scratch;
pub mod serve;
pub mod server;
pub mod sleep;
pub mod spawn;
pub mod workload;
pub mod yields;

use std::future::Future;

pub use outcome::{Outcome, ShardOutcome};
pub use registry::{Registered, VisitWorkload};
pub use remote::{Remote, RemoteTask};
pub use runtime::{
    BLOCK_ALIGN, Block, CancelOutcome, FileAccess, NeverFails, Runtime, Shard, TaskFailed,
};
pub use workload::{Kind, Load, Machine, Param, Preset, Role, Size, Workload};

/// Runs `shard_main` on every shard of runtime `R` with `threads` threads
/// and merges what the shards did into one outcome: what most workloads'
/// `run` is.
pub fn run_shards<R, F, Fut>(threads: usize, shard_main: F) -> Result<Outcome, String>
where
    R: Runtime,
    F: Fn(Shard) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<ShardOutcome, String>> + 'static,
{
    // quanta calibrates its clock on first use: do that before anything is timed.
    quanta::Instant::now();
    let shards = R::run(threads, shard_main)?;
    Ok(Outcome::merge(
        shards.into_iter().collect::<Result<_, _>>()?,
    ))
}

/// A timer duration in the compact form tasks carry (see `sleep::operation`).
fn timer_ms(latency_ms: u64) -> Result<u32, String> {
    u32::try_from(latency_ms)
        .map_err(|_| format!("--latency-ms {latency_ms} is above {}", u32::MAX))
}
