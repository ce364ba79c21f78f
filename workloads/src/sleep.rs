//! sleep: timer-bound operations in a rolling window (SPEC.md, "sleep").

use std::time::Duration;

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

/// One operation: wait on the runtime's timer, then succeed unless it is one
/// chosen to fail. Returns its result and its latency, timed by the operation
/// itself from its first poll to its end, so the clock is read on the
/// runtime's workers rather than on the loop that feeds them.
///
/// Its state is kept as small as a hand-written task's (a `u32` of
/// milliseconds, a TSC clock reading): a larger future makes every spawn of
/// the runtime being measured copy and allocate more.
async fn operation<R: Runtime>(
    fails: bool,
    latency_ms: u32,
) -> (Result<(), InjectedFailure>, Duration) {
    let started = quanta::Instant::now();
    R::sleep(Duration::from_millis(latency_ms.into())).await;
    let result = if fails { Err(InjectedFailure) } else { Ok(()) };
    (result, started.elapsed())
}

/// Runs this shard's operations, at most its share of `in_flight` at a time,
/// starting a new one as soon as one ends.
pub(crate) async fn shard<R: Runtime>(
    params: Params,
    shard: Shard,
) -> Result<ShardOutcome, String> {
    let ids = shard.ids(params.ops);
    let window = shard.share(params.in_flight).max(1) as usize;
    let latency_ms = crate::timer_ms(&params)?;
    let fail_every = params.fail_every.unwrap_or(DEFAULT_FAIL_EVERY);

    let mut outcome = ShardOutcome::start();
    let (mut ok, mut failed) = (0, 0);
    let mut running = FuturesUnordered::new();
    let mut next = ids.start;
    // The next id divisible by fail_every, so the loop never divides.
    let mut next_failure = ids.start.next_multiple_of(fail_every);
    loop {
        while running.len() < window && next < ids.end {
            let fails = next == next_failure;
            if fails {
                next_failure += fail_every;
            }
            running.push(R::join(R::spawn(operation::<R>(fails, latency_ms))));
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
