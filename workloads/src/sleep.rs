//! sleep: timer-bound operations in a rolling window, each a spawned task
//! awaiting the runtime's own timer; one in `fail_every` fails on purpose,
//! an error value counted, never an abort.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::workload::{Kind, Param, Preset, Size, Workload};

/// The sleep workload.
pub struct Sleep;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SleepParams {
    /// Operations in total.
    pub ops: u64,
    /// Operations in flight at once.
    pub in_flight: u64,
    /// Each operation's timer, milliseconds.
    pub latency_ms: u64,
    /// Operation ids divisible by this fail.
    pub fail_every: u64,
}

impl Workload for Sleep {
    type Params = SleepParams;
    const NAME: &'static str = "sleep";
    const DESCRIPTION: &'static str = "Timer-bound operations in a rolling window.";
    const OPERATION: &'static str = "sleep";
    const IN_DEFAULT_RUN: bool = true;
    const PARAMS: &'static [Param] = &[
        Param::ops("operations in total"),
        Param::in_flight("operations in flight at once, a new one started as one ends"),
        Param::latency_ms("the timer each operation awaits"),
        Param::new(
            "fail_every",
            "failing every",
            "th",
            "operation ids divisible by this fail on purpose",
            Kind::Number,
        ),
    ];

    fn sizes(size: Size) -> SleepParams {
        let (ops, in_flight) = match size {
            Size::Preset(Preset::Quick) | Size::Counts => (10_000, 1_000),
            Size::Preset(Preset::Ci) => (100_000, 10_000),
            Size::Default | Size::Preset(Preset::Full) => (1_000_000, 10_000),
        };
        SleepParams {
            ops,
            in_flight,
            latency_ms: 1,
            fail_every: 1000,
        }
    }

    fn ideal_s(p: &SleepParams) -> f64 {
        p.ops as f64 * p.latency_ms as f64 / 1e3 / p.in_flight as f64
    }

    fn counts_add_up(p: &SleepParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("ok") + c("failed") == p.ops
    }

    fn run<R: Runtime>(params: SleepParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

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
async fn shard<R: Runtime>(params: SleepParams, shard: Shard) -> Result<ShardOutcome, String> {
    let ids = shard.ids(params.ops);
    let window = shard.share(params.in_flight).max(1) as usize;
    let latency_ms = crate::timer_ms(params.latency_ms)?;
    let fail_every = params.fail_every;

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
