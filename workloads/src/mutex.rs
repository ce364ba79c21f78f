//! mutex: `in_flight` tasks taking one async mutex (async-lock's, the same for
//! every runtime) to update a shared counter. Each update reads the value,
//! yields while holding the lock, then writes it plus one: every other task
//! queues on the lock meanwhile, and an update lost to a broken exclusion
//! shows in the final value. An operation is one update.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use async_lock::Mutex;
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::sched::{self, watched};
use crate::workload::{Param, Preset, Size, Workload};

/// The mutex workload.
pub struct Mutexes;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MutexParams {
    /// Updates in total, over every task.
    pub ops: u64,
    /// Tasks taking the lock.
    pub in_flight: u64,
}

impl Workload for Mutexes {
    type Params = MutexParams;
    const NAME: &'static str = "mutex";
    const DESCRIPTION: &'static str = "Tasks taking one async mutex to update shared state.";
    const OPERATION: &'static str = "update";
    const GROUPS: &'static [&'static str] = sched::GROUPS;
    const FIGURES: &'static [&'static str] = sched::NO_LATENCY;
    const PARAMS: &'static [Param] = &[
        Param::ops("updates in total, shared evenly by the tasks"),
        Param::in_flight("tasks taking the one lock (on a thread-per-core runtime, each thread's)"),
    ];

    fn sizes(size: Size) -> MutexParams {
        let ops = match size {
            Size::Counts => 10_000,
            Size::Preset(Preset::Quick) | Size::Preset(Preset::Ci) => 200_000,
            Size::Default | Size::Preset(Preset::Full) => 1_000_000,
        };
        MutexParams {
            ops,
            in_flight: 100,
        }
    }

    fn resolve(p: MutexParams, _: &crate::Machine) -> Result<MutexParams, String> {
        sched::at_least_one("ops", p.ops)?;
        match p.in_flight > p.ops {
            true => Err(format!(
                "--in-flight {} is more than --ops {}: every task makes at least one update",
                p.in_flight, p.ops
            )),
            false => Ok(p),
        }
    }

    fn counts_add_up(p: &MutexParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("updates") == p.ops && c("final_value") == p.ops
    }

    fn run<R: Runtime>(params: MutexParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// Makes `updates` updates under `lock`; hands back how many.
async fn updater<R: Runtime>(lock: Arc<Mutex<u64>>, updates: u64, progress: Arc<AtomicU64>) -> u64 {
    for done in 1..=updates {
        let mut value = lock.lock().await;
        let read = *value;
        R::yield_now().await;
        *value = read + 1;
        drop(value);
        if done % sched::PROGRESS_EVERY == 0 {
            progress.fetch_add(sched::PROGRESS_EVERY, Relaxed);
        }
    }
    updates
}

/// Runs this shard's tasks on this shard's lock; its final value must be the
/// updates made.
async fn shard<R: Runtime>(p: MutexParams, shard: Shard) -> Result<ShardOutcome, String> {
    let total = shard.share(p.ops);
    let tasks = shard.share(p.in_flight).min(total);
    let lock = Arc::new(Mutex::new(0));
    let progress = Arc::new(AtomicU64::new(0));
    let mut outcome = ShardOutcome::start();
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let updates = total / tasks + u64::from(task < total % tasks);
            R::spawn(updater::<R>(lock.clone(), updates, progress.clone()))
        })
        .collect();
    let work = async {
        let mut updates = 0;
        for handle in handles {
            updates += R::join(handle)
                .await
                .map_err(|e| format!("a task panicked: {}", e.0))?;
        }
        Ok(updates)
    };
    let updates = watched::<R, _>("mutex", || progress.load(Relaxed), total, work).await?;
    outcome.count("updates", updates);
    outcome.count("final_value", *lock.lock().await);
    Ok(outcome.finish())
}
