//! fairness: latency-sensitive tasks waiting on timers beside CPU-bound
//! tasks. `in_flight` tasks each await a `latency_ms` timer over and over;
//! `cpu_tasks` tasks each spin `busy_us` µs between yields until the timers
//! are done (`cpu_on tasks`), or spin on the runtime's documented remedy for
//! CPU-bound work instead (`cpu_on offload`: tokio's `spawn_blocking`, …). An
//! operation is one timer firing; its latency is how late it fired, and the
//! CPU tasks' throughput is the slices they spun (`cpu_slices`). A CPU task
//! gives up at ten times the timers' ideal time (`cpu_cut_off` counts those).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use quanta::Instant;

use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::sched::{self, burn, watched};
use crate::workload::{Kind, Param, Preset, Size, Workload};

/// The fairness workload.
pub struct Fairness;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairnessParams {
    /// Timer firings in total, over every timer task.
    pub ops: u64,
    /// Timer tasks.
    pub in_flight: u64,
    /// Each timer, milliseconds.
    pub latency_ms: u64,
    /// CPU-bound tasks.
    pub cpu_tasks: u64,
    /// CPU time between yields, µs.
    pub busy_us: u64,
    /// Where the CPU-bound work runs.
    pub cpu_on: CpuOn,
}

/// Where the fairness workload's CPU-bound work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CpuOn {
    /// Tasks on the runtime, beside the timers.
    Tasks,
    /// The runtime's documented remedy for CPU-bound work.
    Offload,
}

impl Workload for Fairness {
    type Params = FairnessParams;
    const NAME: &'static str = "fairness";
    const DESCRIPTION: &'static str = "Timer tasks beside CPU-bound tasks: how late timers fire.";
    const OPERATION: &'static str = "timer";
    const GROUPS: &'static [&'static str] = sched::GROUPS;
    const PARAMS: &'static [Param] = &[
        Param::ops("timer firings in total, shared evenly by the timer tasks"),
        Param::in_flight("timer tasks, each awaiting its timer over and over"),
        Param::latency_ms("the timer each timer task awaits"),
        Param::new(
            "cpu_tasks",
            "CPU tasks",
            "",
            "CPU-bound tasks spinning until the timers are done (0: none)",
            Kind::Wholes,
        ),
        Param::new(
            "busy_us",
            "busy",
            " µs",
            "CPU time each CPU-bound task spins between yields",
            Kind::Sizes,
        ),
        Param::new(
            "cpu_on",
            "CPU on",
            "",
            "where the CPU-bound work runs: tasks on the runtime (`tasks`) or the runtime's \
             documented remedy for such work (`offload`: tokio's spawn_blocking, smol's \
             unblock, …)",
            Kind::Choice(&["tasks", "offload"]),
        ),
    ];

    fn sizes(size: Size) -> FairnessParams {
        let ops = match size {
            Size::Counts => 200,
            Size::Preset(Preset::Quick) | Size::Preset(Preset::Ci) => 2_000,
            Size::Default | Size::Preset(Preset::Full) => 20_000,
        };
        FairnessParams {
            ops,
            in_flight: 10,
            latency_ms: 1,
            cpu_tasks: 4,
            busy_us: 1_000,
            cpu_on: CpuOn::Tasks,
        }
    }

    fn resolve(p: FairnessParams, _: &crate::Machine) -> Result<FairnessParams, String> {
        sched::at_least_one("ops", p.ops)?;
        sched::at_least_one("latency-ms", p.latency_ms)?;
        crate::timer_ms(p.latency_ms)?;
        match p.in_flight > p.ops {
            true => Err(format!(
                "--in-flight {} is more than --ops {}: every timer task fires at least once",
                p.in_flight, p.ops
            )),
            false => Ok(p),
        }
    }

    fn ideal_s(p: &FairnessParams) -> f64 {
        p.ops.div_ceil(p.in_flight) as f64 * p.latency_ms as f64 / 1e3
    }

    fn counts_add_up(p: &FairnessParams, counts: &Counts) -> bool {
        counts.get("fired").copied().unwrap_or(0) == p.ops
    }

    fn run<R: Runtime>(params: FairnessParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// Awaits a `latency` timer `firings` times; hands back how late each fired, ns.
async fn timer<R: Runtime>(latency: Duration, firings: u64, progress: Arc<AtomicU64>) -> Vec<u32> {
    let mut late = Vec::with_capacity(firings as usize);
    for _ in 0..firings {
        let started = Instant::now();
        R::sleep(latency).await;
        let behind = started.elapsed().saturating_sub(latency);
        late.push(u32::try_from(behind.as_nanos()).unwrap_or(u32::MAX));
        progress.fetch_add(1, Relaxed);
    }
    late
}

/// When the CPU-bound work gives up: at [`CUTOFF`] times the timers' ideal
/// time, so a runtime whose timers never fire beside busy tasks (their
/// lateness then shows it) still ends.
const CUTOFF: u32 = 10;

/// How a CPU-bound task ended: the slices it spun, and whether it gave up
/// at the cutoff rather than being stopped.
type Spun = (u64, bool);

/// Spins `busy_us` µs at a time until `stop` or `cutoff`, yielding between.
async fn hog<R: Runtime>(busy_us: u64, stop: Arc<AtomicBool>, cutoff: Instant) -> Spun {
    let mut slices = 0;
    while !stop.load(Relaxed) {
        if Instant::now() >= cutoff {
            return (slices, true);
        }
        burn(busy_us);
        slices += 1;
        R::yield_now().await;
    }
    (slices, false)
}

/// The same spinning, on the runtime's remedy for CPU-bound work, without
/// yields (it runs off the runtime's task threads).
async fn offloaded<R: Runtime>(
    busy_us: u64,
    stop: Arc<AtomicBool>,
    cutoff: Instant,
) -> Result<Spun, String> {
    R::offload(move || {
        let mut slices = 0;
        while !stop.load(Relaxed) {
            if Instant::now() >= cutoff {
                return (slices, true);
            }
            burn(busy_us);
            slices += 1;
        }
        (slices, false)
    })
    .await
}

/// Starts this shard's CPU-bound work, then its timer tasks; stops the CPU
/// work once every timer task is done.
async fn shard<R: Runtime>(p: FairnessParams, shard: Shard) -> Result<ShardOutcome, String> {
    let total = shard.share(p.ops);
    let timers = shard.share(p.in_flight).min(total);
    let latency = Duration::from_millis(p.latency_ms);
    let stop = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(AtomicU64::new(0));
    let ideal = latency * u32::try_from(total.div_ceil(timers.max(1))).unwrap_or(u32::MAX);
    let mut outcome = ShardOutcome::start();
    let cutoff = Instant::now() + (ideal * CUTOFF).max(Duration::from_secs(1));
    let hogs: Vec<_> = (0..shard.share(p.cpu_tasks))
        .map(|_| match p.cpu_on {
            CpuOn::Tasks => R::spawn(futures::FutureExt::map(
                hog::<R>(p.busy_us, stop.clone(), cutoff),
                Ok::<Spun, String>,
            )),
            CpuOn::Offload => R::spawn(offloaded::<R>(p.busy_us, stop.clone(), cutoff)),
        })
        .collect();
    let tasks: Vec<_> = (0..timers)
        .map(|task| {
            let firings = total / timers + u64::from(task < total % timers);
            R::spawn(timer::<R>(latency, firings, progress.clone()))
        })
        .collect();
    let work = async {
        let mut fired = 0;
        for task in tasks {
            let late = R::join(task).await.map_err(|e| e.0)?;
            fired += late.len() as u64;
            (late.into_iter()).for_each(|ns| outcome.latency(Duration::from_nanos(ns.into())));
        }
        stop.store(true, Relaxed);
        let (mut slices, mut cut_off) = (0, 0);
        for hog in hogs {
            let (spun, gave_up) = R::join(hog).await.map_err(|e| e.0)??;
            slices += spun;
            cut_off += u64::from(gave_up);
        }
        Ok((fired, slices, cut_off))
    };
    let progress = || progress.load(Relaxed);
    let done = watched::<R, _>("fairness", progress, total, work).await;
    stop.store(true, Relaxed);
    let (fired, slices, cut_off) = done?;
    outcome.count("fired", fired);
    outcome.count("cpu_slices", slices);
    outcome.count("cpu_cut_off", cut_off);
    Ok(outcome.finish())
}
