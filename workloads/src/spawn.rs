//! spawn: what a spawn costs. Tasks spawned from a task on the runtime
//! (`local`, joined in batches of `in_flight`), from a plain thread outside it
//! (`remote`, through the runtime's own way to be reached from outside), or
//! each by the one before (`chained`, `in_flight` chains); each task empty or
//! spinning `work_us` µs. An operation is one spawned task completed.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::task::{Context, Poll};

use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::counter::Counter;
use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::sched::{self, burn, watched};
use crate::workload::{Kind, Param, Preset, Size, Workload};

/// The spawn workload.
pub struct Spawn;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpawnParams {
    /// Tasks spawned in total.
    pub ops: u64,
    /// Tasks spawned before waiting for them (`local`, `remote`), or chains (`chained`).
    pub in_flight: u64,
    /// Where tasks are spawned from.
    pub spawn_from: SpawnFrom,
    /// CPU work in each task, µs (0: an empty task).
    pub work_us: u64,
}

/// Where the spawn workload's tasks are spawned from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpawnFrom {
    /// A task on the runtime, which joins them.
    Local,
    /// A plain thread outside the runtime.
    Remote,
    /// The task before, each task spawning the next.
    Chained,
}

impl Workload for Spawn {
    type Params = SpawnParams;
    const NAME: &'static str = "spawn";
    const DESCRIPTION: &'static str = "Tasks spawned and run to their end: what a spawn costs.";
    const OPERATION: &'static str = "task";
    const GROUPS: &'static [&'static str] = sched::GROUPS;
    const FIGURES: &'static [&'static str] = sched::NO_LATENCY;
    const PARAMS: &'static [Param] = &[
        Param::ops("tasks spawned in total"),
        Param::in_flight(
            "tasks spawned before waiting for them to end (local, remote), or chains (chained)",
        ),
        Param::new(
            "spawn_from",
            "from",
            "",
            "spawn from a task on the runtime (`local`), from a plain thread outside it \
             (`remote`), or each task from the one before (`chained`)",
            Kind::Choice(&["local", "remote", "chained"]),
        ),
        Param::new(
            "work_us",
            "work",
            " µs",
            "CPU work each task spins for (0: an empty task)",
            Kind::Wholes,
        ),
    ];

    fn sizes(size: Size) -> SpawnParams {
        let ops = match size {
            Size::Counts => 10_000,
            Size::Preset(Preset::Quick) | Size::Preset(Preset::Ci) => 100_000,
            Size::Default | Size::Preset(Preset::Full) => 1_000_000,
        };
        SpawnParams {
            ops,
            in_flight: 1_000,
            spawn_from: SpawnFrom::Local,
            work_us: 0,
        }
    }

    fn resolve(p: SpawnParams, _: &crate::Machine) -> Result<SpawnParams, String> {
        sched::at_least_one("ops", p.ops)?;
        sched::at_least_one("in-flight", p.in_flight)?;
        Ok(p)
    }

    fn counts_add_up(p: &SpawnParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("spawned") == p.ops && c("completed") + c("failed") == p.ops
    }

    fn run<R: Runtime>(params: SpawnParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// Runs this shard's share of the tasks, spawned as `spawn_from` says.
async fn shard<R: Runtime>(p: SpawnParams, shard: Shard) -> Result<ShardOutcome, String> {
    let total = shard.share(p.ops);
    let window = shard.share(p.in_flight).max(1);
    let mut outcome = ShardOutcome::start();
    let (completed, failed) = match p.spawn_from {
        SpawnFrom::Local => local::<R>(total, window, p.work_us).await?,
        SpawnFrom::Remote => remote::<R>(total, window, p.work_us).await?,
        SpawnFrom::Chained => chained::<R>(total, window, p.work_us).await?,
    };
    outcome.count("spawned", total);
    outcome.count("completed", completed);
    outcome.count("failed", failed);
    Ok(outcome.finish())
}

/// Spawns `window` tasks, joins them, and again until `total` have run.
async fn local<R: Runtime>(total: u64, window: u64, work_us: u64) -> Result<(u64, u64), String> {
    let joined = AtomicU64::new(0);
    let work = async {
        let (mut completed, mut failed) = (0, 0);
        let mut batch = Vec::with_capacity(window as usize);
        while completed + failed < total {
            let size = window.min(total - completed - failed);
            batch.extend((0..size).map(|_| R::spawn(async move { burn(work_us) })));
            for handle in batch.drain(..) {
                match R::join(handle).await {
                    Ok(()) => completed += 1,
                    Err(_) => failed += 1,
                }
                joined.store(completed + failed, Relaxed);
            }
        }
        Ok((completed, failed))
    };
    watched::<R, _>("spawn (local)", || joined.load(Relaxed), total, work).await
}

/// A plain thread spawns the tasks onto the runtime, `window` at a time,
/// waiting for each batch to end before the next.
async fn remote<R: Runtime>(total: u64, window: u64, work_us: u64) -> Result<(u64, u64), String> {
    let remote = R::remote()?;
    let done = Arc::new(Counter::new());
    let ended = {
        let done = done.clone();
        sched::on_thread("rtbench-spawner", move || {
            let mut spawned = 0;
            while spawned < total {
                let size = window.min(total - spawned);
                for _ in 0..size {
                    let done = done.clone();
                    remote.spawn(async move {
                        burn(work_us);
                        done.add();
                    });
                }
                spawned += size;
                futures_lite::future::block_on(done.reached(spawned));
            }
        })?
    };
    let work = sched::thread_result(ended);
    watched::<R, _>("spawn (remote)", || done.get(), total, work).await?;
    Ok((done.get(), 0))
}

/// Starts `window` chains; each task spawns the next, detached, until
/// `total` tasks have run.
async fn chained<R: Runtime>(total: u64, window: u64, work_us: u64) -> Result<(u64, u64), String> {
    let done = Arc::new(Counter::new());
    let chains = window.min(total);
    for chain in 0..chains {
        let left = total / chains + u64::from(chain < total % chains);
        let link = Link::<R> {
            left,
            work_us,
            done: done.clone(),
            runtime: std::marker::PhantomData,
        };
        R::detach(R::spawn(link));
    }
    let work = async {
        done.reached(total).await;
        Ok(())
    };
    watched::<R, _>("spawn (chained)", || done.get(), total, work).await?;
    Ok((done.get(), 0))
}

/// One task of a chain: its work, then the next task spawned. A plain future
/// rather than an `async fn`, which could not name its own type to spawn it.
struct Link<R> {
    left: u64,
    work_us: u64,
    done: Arc<Counter>,
    runtime: std::marker::PhantomData<fn() -> R>,
}

impl<R: Runtime> Future for Link<R> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        burn(self.work_us);
        if self.left > 1 {
            R::detach(R::spawn(Link::<R> {
                left: self.left - 1,
                work_us: self.work_us,
                done: self.done.clone(),
                runtime: std::marker::PhantomData,
            }));
        }
        self.done.add();
        Poll::Ready(())
    }
}
