//! yield: `in_flight` tasks each yielding to the scheduler many times, through
//! the runtime's own yield where it has one. An operation is one yield: the
//! task woken, queued and polled again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::sched::{self, watched};
use crate::workload::{Param, Preset, Size, Workload};

/// The yield workload.
pub struct Yield;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YieldParams {
    /// Yields in total, over every task.
    pub ops: u64,
    /// Tasks yielding at once.
    pub in_flight: u64,
}

impl Workload for Yield {
    type Params = YieldParams;
    const NAME: &'static str = "yield";
    const DESCRIPTION: &'static str = "Tasks each yielding to the scheduler many times.";
    const OPERATION: &'static str = "yield";
    const GROUPS: &'static [&'static str] = sched::GROUPS;
    const FIGURES: &'static [&'static str] = sched::NO_LATENCY;
    const PARAMS: &'static [Param] = &[
        Param::ops("yields in total, shared evenly by the tasks"),
        Param::in_flight("tasks yielding at once"),
    ];

    fn sizes(size: Size) -> YieldParams {
        let ops = match size {
            Size::Counts => 100_000,
            Size::Preset(Preset::Quick) | Size::Preset(Preset::Ci) => 1_000_000,
            Size::Default | Size::Preset(Preset::Full) => 10_000_000,
        };
        YieldParams {
            ops,
            in_flight: 100,
        }
    }

    fn resolve(p: YieldParams, _: &crate::Machine) -> Result<YieldParams, String> {
        sched::at_least_one("ops", p.ops)?;
        match p.in_flight > p.ops {
            true => Err(format!(
                "--in-flight {} is more than --ops {}: every task yields at least once",
                p.in_flight, p.ops
            )),
            false => Ok(p),
        }
    }

    fn counts_add_up(p: &YieldParams, counts: &Counts) -> bool {
        counts.get("yields").copied().unwrap_or(0) == p.ops
    }

    fn run<R: Runtime>(params: YieldParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// Spawns this shard's tasks, each with its share of the yields, and joins
/// them; each task hands back the yields it made.
async fn shard<R: Runtime>(p: YieldParams, shard: Shard) -> Result<ShardOutcome, String> {
    let total = shard.share(p.ops);
    let tasks = shard.share(p.in_flight).min(total);
    let mut outcome = ShardOutcome::start();
    // Yields so far, told every PROGRESS_EVERY, for the stall watchdog.
    let progress = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let mine = total / tasks + u64::from(task < total % tasks);
            let progress = progress.clone();
            R::spawn(async move {
                for done in 1..=mine {
                    R::yield_now().await;
                    if done % sched::PROGRESS_EVERY == 0 {
                        progress.fetch_add(sched::PROGRESS_EVERY, Relaxed);
                    }
                }
                mine
            })
        })
        .collect();
    let work = async {
        let mut yields = 0;
        for handle in handles {
            yields += (R::join(handle).await).map_err(|e| format!("a task panicked: {}", e.0))?;
        }
        Ok(yields)
    };
    let yields = watched::<R, _>("yield", || progress.load(Relaxed), total, work).await?;
    outcome.count("yields", yields);
    outcome.count("tasks", tasks);
    Ok(outcome.finish())
}
