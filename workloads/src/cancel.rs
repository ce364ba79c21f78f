//! cancel: tasks created and cancelled in batches through the runtime's own
//! cancellation API, each task waiting on a timer; `parked` cancels a batch
//! once every task in it waits on its timer, `unstarted` right after it is
//! created. Every cancelled task's future is seen dropped.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use quanta::Instant;

use futures::future::{FutureExt, select};
use futures::stream::{FuturesUnordered, StreamExt};
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::counter::Counter;
use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{CancelOutcome, Runtime, Shard};
use crate::workload::{Kind, Param, Preset, Size, Workload};

/// The cancel workload.
pub struct Cancel;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelParams {
    /// Tasks created in total.
    pub ops: u64,
    /// Tasks per cancelled batch.
    pub in_flight: u64,
    /// Each task's timer, milliseconds.
    pub latency_ms: u64,
    /// When a batch is cancelled.
    pub cancel_mode: CancelMode,
    /// How long to wait, at most, for a cancelled batch's futures to be dropped.
    pub cancel_wait_ms: u64,
}

/// When the cancel workload cancels a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CancelMode {
    /// Every task has started and waits on its timer before its batch is cancelled.
    Parked,
    /// The batch is cancelled right after it is created, before its tasks first run.
    Unstarted,
}

impl Workload for Cancel {
    type Params = CancelParams;
    const NAME: &'static str = "cancel";
    const DESCRIPTION: &'static str = "Tasks created and cancelled in batches.";
    const OPERATION: &'static str = "task";
    const IN_DEFAULT_RUN: bool = true;
    const PARAMS: &'static [Param] = &[
        Param::ops("tasks created in total"),
        Param::in_flight("tasks per cancelled batch"),
        Param::latency_ms("the timer each task waits on"),
        Param::new(
            "cancel_mode",
            "cancel",
            "",
            "cancel each batch once all its tasks wait on their timer (`parked`), or right \
             after creating it (`unstarted`)",
            Kind::Choice(&["parked", "unstarted"]),
        ),
        Param::new(
            "cancel_wait_ms",
            "cancel wait ≤",
            " ms",
            "how long to wait, at most, for a cancelled batch's futures to be dropped",
            Kind::Number,
        ),
    ];

    fn sizes(size: Size) -> CancelParams {
        let (ops, in_flight) = match size {
            Size::Preset(Preset::Quick) | Size::Counts => (10_000, 1_000),
            Size::Preset(Preset::Ci) => (100_000, 10_000),
            Size::Default | Size::Preset(Preset::Full) => (1_000_000, 10_000),
        };
        CancelParams {
            ops,
            in_flight,
            latency_ms: 10,
            cancel_mode: CancelMode::Parked,
            cancel_wait_ms: 100,
        }
    }

    fn counts_add_up(p: &CancelParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("created") == p.ops && c("completed") + c("cancelled") + c("errors") == p.ops
    }

    fn run<R: Runtime>(params: CancelParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// What the workload learns from its tasks without holding them.
struct Probe {
    /// Tasks whose timer is registered: first poll done and pending.
    started: Counter,
    /// Task futures dropped, cancelled or finished: a task is gone once its
    /// future is dropped, whatever its handle reported.
    dropped: Counter,
}

/// Counts a task's future as dropped when it is.
struct DropWatch(Arc<Probe>);

impl Drop for DropWatch {
    fn drop(&mut self) {
        self.0.dropped.add();
    }
}

/// One task: register a timer, say so, then wait it out. The drop watch is made
/// outside the async block, so a task cancelled before its first poll still
/// counts as dropped.
fn task<R: Runtime>(probe: Arc<Probe>, latency_ms: u32) -> impl Future<Output = ()> + Send {
    let watch = DropWatch(probe);
    async move {
        let mut timer = pin!(R::sleep(Duration::from_millis(latency_ms.into())));
        let first = poll_fn(|cx| Poll::Ready(timer.as_mut().poll(cx))).await;
        watch.0.started.add();
        if first.is_pending() {
            timer.await;
        }
    }
}

/// Creates this shard's share of the tasks; after every full batch, cancels
/// the batch through the runtime's API (in `parked` mode only once every task
/// in it has started) and waits, within a bound, for its futures to be dropped. Tasks of a last partial batch are awaited.
async fn shard<R: Runtime>(params: CancelParams, shard: Shard) -> Result<ShardOutcome, String> {
    let total = shard.share(params.ops);
    let batch = shard.share(params.in_flight).max(1);
    let latency_ms = crate::timer_ms(params.latency_ms)?;
    let mode = params.cancel_mode;
    let drop_wait = Duration::from_millis(params.cancel_wait_ms);
    let probe = Arc::new(Probe {
        started: Counter::new(),
        dropped: Counter::new(),
    });

    let mut outcome = ShardOutcome::start();
    let (mut completed, mut cancelled, mut errors) = (0, 0, 0);
    let mut held = Vec::with_capacity(batch as usize);
    let mut created = 0;
    while created < total {
        let size = batch.min(total - created);
        for _ in 0..size {
            held.push((
                Instant::now(),
                R::spawn_cancellable(task::<R>(probe.clone(), latency_ms)),
            ));
        }
        created += size;
        if size < batch {
            break;
        }
        if mode == CancelMode::Parked {
            probe.started.reached(created).await;
        }
        let mut cancels: FuturesUnordered<_> = held
            .drain(..)
            .map(|(born, handle)| R::cancel(handle).map(move |ended| (born, ended)))
            .collect();
        while let Some((born, ended)) = cancels.next().await {
            outcome.latency(born.elapsed());
            match ended {
                Ok(CancelOutcome::Completed(())) => completed += 1,
                Ok(CancelOutcome::Cancelled) => cancelled += 1,
                Err(_) => errors += 1,
            }
        }
        wait_for_drops::<R>(&probe, created, drop_wait).await;
    }
    for (born, handle) in held {
        match R::join(handle).await {
            Ok(()) => completed += 1,
            Err(_) => errors += 1,
        }
        outcome.latency(born.elapsed());
    }
    wait_for_drops::<R>(&probe, created, drop_wait).await;

    outcome.count("created", created);
    outcome.count("completed", completed);
    outcome.count("cancelled", cancelled);
    outcome.count("errors", errors);
    outcome.count("started", probe.started.get());
    outcome.count("dropped", probe.dropped.get());
    Ok(outcome.finish())
}

/// Waits until the futures of all `created` tasks have been dropped, or `bound`
/// has passed: some runtimes drop a future a tick after its handle reports
/// "cancelled", and a task cancelled while it runs may finish instead.
async fn wait_for_drops<R: Runtime>(probe: &Probe, created: u64, bound: Duration) {
    select(probe.dropped.reached(created), pin!(R::sleep(bound))).await;
}
