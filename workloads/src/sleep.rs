//! sleep: timer-bound operations in a rolling window (SPEC.md, "sleep").

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use rtbench_report::Params;

use crate::outcome::ShardOutcome;
use crate::runtime::{Runtime, Shard};

/// Default: operation ids divisible by this fail (0.1 %).
pub const DEFAULT_FAIL_EVERY: u64 = 1000;

/// An operation that failed on purpose: an error value to count, never an abort.
#[derive(Debug)]
struct InjectedFailure;

/// One operation: wait on the runtime's timer, then succeed unless `id` is
/// one of the ids chosen to fail. Returns its result and its latency from
/// `created` (just before it was spawned) to its end.
async fn operation<R: Runtime>(
    id: u64,
    latency: Duration,
    fail_every: u64,
    created: Instant,
) -> (Result<(), InjectedFailure>, Duration) {
    R::sleep(latency).await;
    let result = if id % fail_every == 0 {
        Err(InjectedFailure)
    } else {
        Ok(())
    };
    (result, created.elapsed())
}

/// Runs this shard's operations, at most its share of `in_flight` at a time,
/// starting a new one as soon as one ends.
pub(crate) async fn shard<R: Runtime>(
    params: Params,
    shard: Shard,
) -> Result<ShardOutcome, String> {
    let ids = shard.ids(params.ops);
    let window = shard.share(params.in_flight).max(1) as usize;
    let latency = Duration::from_millis(params.latency_ms);
    let fail_every = params.fail_every.unwrap_or(DEFAULT_FAIL_EVERY);

    let mut outcome = ShardOutcome::start();
    let (mut ok, mut failed) = (0, 0);
    let mut running = FuturesUnordered::new();
    let mut next = ids.start;
    loop {
        while running.len() < window && next < ids.end {
            let task = R::spawn(operation::<R>(next, latency, fail_every, Instant::now()));
            running.push(R::join(task));
            next += 1;
        }
        let Some(done) = running.next().await else {
            break;
        };
        let (result, took) = done.map_err(|e| format!("a sleep task panicked: {}", e.0))?;
        outcome.latency(took);
        match result {
            Ok(()) => ok += 1,
            Err(InjectedFailure) => failed += 1,
        }
    }
    outcome.count("ok", ok);
    outcome.count("failed", failed);
    Ok(outcome.finish())
}
