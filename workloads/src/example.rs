//! example: the smallest whole workload, built only with the
//! `example-workload` feature. The tests register it to show that a workload
//! is this one file and one registry line; the guide's recipe copies it.
//! Each operation is one spawned task that hands back its id, `in_flight`
//! at a time; the ids handed back must add up.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::workload::{Param, Preset, Size, Workload};

/// The example workload.
pub struct Example;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleParams {
    /// Tasks in total.
    pub ops: u64,
    /// Tasks running at once.
    pub in_flight: u64,
}

impl Workload for Example {
    type Params = ExampleParams;
    const NAME: &'static str = "example";
    const DESCRIPTION: &'static str = "Spawned tasks that each hand back their id (an example).";
    const OPERATION: &'static str = "task";
    const GROUPS: &'static [&'static str] = &["examples"];
    const PARAMS: &'static [Param] = &[
        Param::ops("tasks in total"),
        Param::in_flight("tasks running at once"),
    ];

    fn sizes(size: Size) -> ExampleParams {
        let ops = match size {
            Size::Preset(Preset::Quick) | Size::Counts => 1_000,
            Size::Preset(Preset::Ci) | Size::Default => 10_000,
            Size::Preset(Preset::Full) => 1_000_000,
        };
        ExampleParams {
            ops,
            in_flight: 100,
        }
    }

    fn counts_add_up(p: &ExampleParams, counts: &Counts) -> bool {
        counts.get("ok").copied().unwrap_or(0) + counts.get("lost").copied().unwrap_or(0) == p.ops
    }

    fn run<R: Runtime>(params: ExampleParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// Spawns this shard's tasks, at most its share of `in_flight` at a time;
/// a task whose id does not come back is `lost`.
async fn shard<R: Runtime>(params: ExampleParams, shard: Shard) -> Result<ShardOutcome, String> {
    let ids = shard.ids(params.ops);
    let window = shard.share(params.in_flight).max(1) as usize;
    let mut outcome = ShardOutcome::start();
    let (mut ok, mut lost) = (0, 0);
    let mut running = FuturesUnordered::new();
    let mut next = ids.start;
    loop {
        while running.len() < window && next < ids.end {
            let id = next;
            let started = quanta::Instant::now();
            running.push(async move { (id, started, R::join(R::spawn(async move { id })).await) });
            next += 1;
        }
        let Some((id, started, done)) = running.next().await else {
            break;
        };
        outcome.latency(started.elapsed());
        match done {
            Ok(back) if back == id => ok += 1,
            _ => lost += 1,
        }
    }
    outcome.count("ok", ok);
    outcome.count("lost", lost);
    Ok(outcome.finish())
}
