//! The scheduling workloads on every registered adapter: exact counts at
//! small sizes, and a case a runtime cannot run fails with the reason the
//! adapter states, never with a silent substitute.

mod common;

use common::{Check, cores, expect, on_every_runtime, run};
use rtbench_workloads::fairness::{CpuOn, FairnessParams};
use rtbench_workloads::fan_in::{FanInParams, SendersOn};
use rtbench_workloads::mutex::MutexParams;
use rtbench_workloads::ping_pong::{Peer, PingPongParams};
use rtbench_workloads::spawn::{SpawnFrom, SpawnParams};
use rtbench_workloads::yields::YieldParams;
use rtbench_workloads::{Outcome, Runtime};

/// What the adapter says, asked on its own runtime, about a way to reach it.
fn says<R: Runtime>(ask: fn() -> Result<(), String>) -> Result<(), String> {
    let mut answers = R::run(cores(), move |_| async move { ask() })?;
    answers.pop().expect("one shard")
}

/// A case that needs what the adapter answered `says` about: exact where it
/// says it can, else failing with the adapter's own reason.
fn where_it_can(
    says: Result<(), String>,
    ran: Result<Outcome, String>,
    exact: impl FnOnce(&Outcome) -> Result<(), String>,
) -> Result<(), String> {
    match (says, ran) {
        (Ok(()), Ok(out)) => exact(&out),
        (Ok(()), Err(e)) => Err(format!("it says it can, yet failed: {e}")),
        (Err(reason), Err(e)) if e.contains(&reason) => Ok(()),
        (Err(reason), Err(e)) => Err(format!("failed with '{e}', not its reason '{reason}'")),
        (Err(reason), Ok(_)) => Err(format!("it says it cannot ({reason}), yet ran")),
    }
}

fn spawn(ops: u64, in_flight: u64, spawn_from: SpawnFrom, work_us: u64) -> SpawnParams {
    SpawnParams {
        ops,
        in_flight,
        spawn_from,
        work_us,
    }
}

fn spawned_exactly(ops: u64) -> impl FnOnce(&Outcome) -> Result<(), String> {
    move |out| {
        expect(out.get("spawned") == ops, "spawned must be ops", out)?;
        expect(out.get("completed") == ops, "completed must be ops", out)?;
        expect(out.get("failed") == 0, "failed must be 0", out)
    }
}

struct SpawnLocal;
impl Check for SpawnLocal {
    fn check<R: Runtime>() -> Result<(), String> {
        spawned_exactly(2_500)(&run::<R>("spawn", &spawn(2_500, 100, SpawnFrom::Local, 0))?)?;
        spawned_exactly(300)(&run::<R>("spawn", &spawn(300, 7, SpawnFrom::Local, 5))?)
    }
}

#[test]
fn spawn_local_completes_every_task_on_every_runtime() {
    on_every_runtime::<SpawnLocal>();
}

/// Each task spawns the next, detached: a `detach` that cancelled would stall.
struct SpawnChained;
impl Check for SpawnChained {
    fn check<R: Runtime>() -> Result<(), String> {
        spawned_exactly(2_001)(&run::<R>(
            "spawn",
            &spawn(2_001, 10, SpawnFrom::Chained, 0),
        )?)
    }
}

#[test]
fn spawn_chained_completes_every_link_on_every_runtime() {
    on_every_runtime::<SpawnChained>();
}

struct SpawnRemote;
impl Check for SpawnRemote {
    fn check<R: Runtime>() -> Result<(), String> {
        let ran = run::<R>("spawn", &spawn(2_500, 100, SpawnFrom::Remote, 0));
        where_it_can(
            says::<R>(|| R::remote().map(drop)),
            ran,
            spawned_exactly(2_500),
        )
    }
}

#[test]
fn spawn_remote_completes_every_task_or_says_why_not_on_every_runtime() {
    on_every_runtime::<SpawnRemote>();
}

struct YieldsAreExact;
impl Check for YieldsAreExact {
    fn check<R: Runtime>() -> Result<(), String> {
        let params = YieldParams {
            ops: 10_001,
            in_flight: 10,
        };
        let out = run::<R>("yield", &params)?;
        expect(out.get("yields") == 10_001, "yields must be 10,001", &out)
    }
}

#[test]
fn yield_counts_are_exact_on_every_runtime() {
    on_every_runtime::<YieldsAreExact>();
}

fn ping_pong(peer: Peer) -> PingPongParams {
    PingPongParams {
        ops: 1_001,
        in_flight: 4,
        peer,
    }
}

fn round_trips_exact(out: &Outcome) -> Result<(), String> {
    expect(
        out.get("round_trips") == 1_001,
        "round trips must be 1,001",
        out,
    )?;
    expect(out.get("echoed") == 1_001, "echoed must be 1,001", out)?;
    expect(
        out.latency.len() == 1_001,
        "one latency per round trip",
        out,
    )
}

struct PingPongTasks;
impl Check for PingPongTasks {
    fn check<R: Runtime>() -> Result<(), String> {
        round_trips_exact(&run::<R>("ping-pong", &ping_pong(Peer::Task))?)
    }
}

#[test]
fn ping_pong_between_tasks_is_exact_on_every_runtime() {
    on_every_runtime::<PingPongTasks>();
}

struct PingPongThread;
impl Check for PingPongThread {
    fn check<R: Runtime>() -> Result<(), String> {
        let ran = run::<R>("ping-pong", &ping_pong(Peer::Thread));
        where_it_can(says::<R>(R::foreign_wakes), ran, round_trips_exact)
    }
}

#[test]
fn ping_pong_with_a_plain_thread_is_exact_or_says_why_not_on_every_runtime() {
    on_every_runtime::<PingPongThread>();
}

fn fan_in(senders_on: SendersOn) -> FanInParams {
    FanInParams {
        ops: 5_003,
        senders: 8,
        capacity: 16,
        senders_on,
    }
}

fn messages_exact(out: &Outcome) -> Result<(), String> {
    expect(out.get("sent") == 5_003, "sent must be 5,003", out)?;
    expect(out.get("received") == 5_003, "received must be 5,003", out)
}

struct FanInTasks;
impl Check for FanInTasks {
    fn check<R: Runtime>() -> Result<(), String> {
        messages_exact(&run::<R>("fan-in", &fan_in(SendersOn::Tasks))?)
    }
}

#[test]
fn fan_in_from_tasks_receives_every_message_on_every_runtime() {
    on_every_runtime::<FanInTasks>();
}

struct FanInThreads;
impl Check for FanInThreads {
    fn check<R: Runtime>() -> Result<(), String> {
        let ran = run::<R>("fan-in", &fan_in(SendersOn::Threads));
        where_it_can(says::<R>(R::foreign_wakes), ran, messages_exact)
    }
}

#[test]
fn fan_in_from_threads_receives_every_message_or_says_why_not_on_every_runtime() {
    on_every_runtime::<FanInThreads>();
}

/// Every update reads, yields holding the lock, then writes: a lock that let
/// two tasks in at once would lose updates from the final value.
struct MutexLosesNoUpdate;
impl Check for MutexLosesNoUpdate {
    fn check<R: Runtime>() -> Result<(), String> {
        let params = MutexParams {
            ops: 2_001,
            in_flight: 10,
        };
        let out = run::<R>("mutex", &params)?;
        expect(out.get("updates") == 2_001, "updates must be 2,001", &out)?;
        expect(
            out.get("final_value") == 2_001,
            "the final value must be 2,001",
            &out,
        )
    }
}

#[test]
fn mutex_loses_no_update_on_every_runtime() {
    on_every_runtime::<MutexLosesNoUpdate>();
}

fn fairness(cpu_on: CpuOn) -> FairnessParams {
    FairnessParams {
        ops: 41,
        in_flight: 4,
        latency_ms: 1,
        cpu_tasks: cores() as u64,
        busy_us: 200,
        cpu_on,
    }
}

fn timers_exact(out: &Outcome) -> Result<(), String> {
    expect(out.get("fired") == 41, "fired must be 41", out)?;
    expect(out.latency.len() == 41, "one lateness per firing", out)?;
    expect(
        out.get("cpu_slices") > 0,
        "the CPU tasks must have spun",
        out,
    )
}

struct FairnessBesideTasks;
impl Check for FairnessBesideTasks {
    fn check<R: Runtime>() -> Result<(), String> {
        timers_exact(&run::<R>("fairness", &fairness(CpuOn::Tasks))?)
    }
}

#[test]
fn fairness_fires_every_timer_beside_cpu_tasks_on_every_runtime() {
    on_every_runtime::<FairnessBesideTasks>();
}

/// Whether the adapter offloads CPU-bound work, asked on its own runtime.
fn offloads<R: Runtime>() -> Result<(), String> {
    let mut answers = R::run(cores(), |_| async { R::offload(|| ()).await })?;
    answers.pop().expect("one shard")
}

struct FairnessOffloaded;
impl Check for FairnessOffloaded {
    fn check<R: Runtime>() -> Result<(), String> {
        let ran = run::<R>("fairness", &fairness(CpuOn::Offload));
        where_it_can(offloads::<R>(), ran, timers_exact)
    }
}

#[test]
fn fairness_offloaded_fires_every_timer_or_says_why_not_on_every_runtime() {
    on_every_runtime::<FairnessOffloaded>();
}
