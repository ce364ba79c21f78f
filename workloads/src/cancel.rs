//! cancel: tasks created and cancelled in batches (SPEC.md, "cancel").

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use quanta::Instant;

use futures::future::{FutureExt, select};
use futures::stream::{FuturesUnordered, StreamExt};
use rtbench_report::{CancelMode, Params};

use crate::counter::Counter;
use crate::outcome::ShardOutcome;
use crate::runtime::{CancelOutcome, Runtime, Shard};

/// Default: how long to wait, at most, for a cancelled batch's futures to be dropped.
pub const DEFAULT_CANCEL_WAIT_MS: u64 = 100;

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
pub(crate) async fn shard<R: Runtime>(
    params: Params,
    shard: Shard,
) -> Result<ShardOutcome, String> {
    let total = shard.share(params.ops);
    let batch = shard.share(params.in_flight).max(1);
    let latency_ms = crate::timer_ms(&params)?;
    let mode = params.cancel_mode.unwrap_or(CancelMode::Parked);
    let drop_wait = Duration::from_millis(params.cancel_wait_ms.unwrap_or(DEFAULT_CANCEL_WAIT_MS));
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
