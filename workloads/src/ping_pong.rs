//! ping-pong: pairs passing a message back and forth over two one-slot
//! channels (async-channel, the same for every runtime): a task on the
//! runtime sends, its peer echoes. The peer is another task on the runtime
//! (`task`) or a plain thread outside it (`thread`: every round trip wakes a
//! task from outside). An operation is one round trip, timed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use async_channel::{Receiver, Sender};
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::sched::{self, watched};
use crate::workload::{Kind, Param, Preset, Size, Workload};

/// The ping-pong workload.
pub struct PingPong;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PingPongParams {
    /// Round trips in total, over every pair.
    pub ops: u64,
    /// Pairs at once.
    pub in_flight: u64,
    /// What echoes: a task on the runtime, or a plain thread.
    pub peer: Peer,
}

/// What echoes the ping-pong workload's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Peer {
    /// A task on the runtime.
    Task,
    /// One plain thread outside the runtime, for every pair.
    Thread,
}

impl Workload for PingPong {
    type Params = PingPongParams;
    const NAME: &'static str = "ping-pong";
    const DESCRIPTION: &'static str = "Pairs passing a message back and forth over channels.";
    const OPERATION: &'static str = "round trip";
    const GROUPS: &'static [&'static str] = sched::GROUPS;
    const PARAMS: &'static [Param] = &[
        Param::ops("round trips in total, shared evenly by the pairs"),
        Param::in_flight("pairs passing messages at once"),
        Param::new(
            "peer",
            "peer",
            "",
            "what echoes each message: a task on the runtime (`task`) or a plain thread \
             outside it (`thread`, one for every pair)",
            Kind::Choice(&["task", "thread"]),
        ),
    ];

    fn sizes(size: Size) -> PingPongParams {
        let ops = match size {
            Size::Counts => 10_000,
            Size::Preset(Preset::Quick) | Size::Preset(Preset::Ci) => 100_000,
            Size::Default | Size::Preset(Preset::Full) => 1_000_000,
        };
        PingPongParams {
            ops,
            in_flight: 10,
            peer: Peer::Task,
        }
    }

    fn resolve(p: PingPongParams, _: &crate::Machine) -> Result<PingPongParams, String> {
        sched::at_least_one("ops", p.ops)?;
        match p.in_flight > p.ops {
            true => Err(format!(
                "--in-flight {} is more than --ops {}: every pair makes at least one round trip",
                p.in_flight, p.ops
            )),
            false => Ok(p),
        }
    }

    fn counts_add_up(p: &PingPongParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("round_trips") == p.ops && c("echoed") == p.ops
    }

    fn run<R: Runtime>(params: PingPongParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// One pair's ends: the pinger's, on the runtime, and the echo's.
type Ends = ((Sender<u64>, Receiver<u64>), (Receiver<u64>, Sender<u64>));

/// A pair's two one-slot channels, as the pinger and the echo hold them.
fn pair() -> Ends {
    let (ping, pinged) = async_channel::bounded(1);
    let (pong, ponged) = async_channel::bounded(1);
    ((ping, ponged), (pinged, pong))
}

/// Sends `rounds` numbered messages and waits for each to come back; hands
/// back each round trip's time, ns (4 bytes each: the harness's memory, not
/// the runtime's). Ends its channel, which ends its echo.
async fn pinger(
    (ping, ponged): (Sender<u64>, Receiver<u64>),
    rounds: u64,
    progress: Arc<AtomicU64>,
) -> Result<Vec<u32>, String> {
    let mut took = Vec::with_capacity(rounds as usize);
    for round in 0..rounds {
        let started = quanta::Instant::now();
        ping.send(round).await.map_err(|_| "the echo ended early")?;
        match ponged.recv().await {
            Ok(back) if back == round => {
                took.push(u32::try_from(started.elapsed().as_nanos()).unwrap_or(u32::MAX));
            }
            Ok(back) => return Err(format!("sent message {round}, got {back} back")),
            Err(_) => return Err("the echo ended early".to_owned()),
        }
        if round % sched::PROGRESS_EVERY == 0 {
            progress.fetch_add(sched::PROGRESS_EVERY, Relaxed);
        }
    }
    Ok(took)
}

/// Sends back every message until the pinger's channel ends; hands back how many.
async fn echo((pinged, pong): (Receiver<u64>, Sender<u64>)) -> u64 {
    let mut echoed = 0;
    while let Ok(message) = pinged.recv().await {
        if pong.send(message).await.is_err() {
            break;
        }
        echoed += 1;
    }
    echoed
}

/// Runs this shard's pairs: pingers as tasks, echoes as tasks or on one
/// plain thread; one latency per round trip.
async fn shard<R: Runtime>(p: PingPongParams, shard: Shard) -> Result<ShardOutcome, String> {
    let total = shard.share(p.ops);
    let pairs = shard.share(p.in_flight).min(total);
    if p.peer == Peer::Thread {
        R::foreign_wakes()?;
    }
    let progress = Arc::new(AtomicU64::new(0));
    let mut outcome = ShardOutcome::start();
    let mut pingers = Vec::with_capacity(pairs as usize);
    let mut echo_ends = Vec::with_capacity(pairs as usize);
    for index in 0..pairs {
        let (ours, theirs) = pair();
        let rounds = total / pairs + u64::from(index < total % pairs);
        pingers.push(R::spawn(pinger(ours, rounds, progress.clone())));
        echo_ends.push(theirs);
    }
    let echoes = match p.peer {
        Peer::Task => Echoes::Tasks(echo_ends.into_iter().map(|e| R::spawn(echo(e))).collect()),
        Peer::Thread => Echoes::Thread(sched::on_thread("rtbench-echo", move || {
            let all = futures::future::join_all(echo_ends.into_iter().map(echo));
            futures_lite::future::block_on(all).into_iter().sum()
        })?),
    };
    let work = async {
        let mut round_trips = 0;
        for handle in pingers {
            let took =
                (R::join(handle).await).map_err(|e| format!("a pinger panicked: {}", e.0))??;
            round_trips += took.len() as u64;
            took.into_iter()
                .for_each(|ns| outcome.latency(Duration::from_nanos(ns.into())));
        }
        let echoed: u64 = match echoes {
            Echoes::Tasks(handles) => {
                let mut echoed = 0;
                for handle in handles {
                    echoed += R::join(handle).await.map_err(|e| e.0)?;
                }
                echoed
            }
            Echoes::Thread(ended) => sched::thread_result(ended).await?,
        };
        Ok((round_trips, echoed))
    };
    let progress = || progress.load(Relaxed);
    let (round_trips, echoed) = watched::<R, _>("ping-pong", progress, total, work).await?;
    outcome.count("round_trips", round_trips);
    outcome.count("echoed", echoed);
    Ok(outcome.finish())
}

/// Where the echoes run.
enum Echoes<H> {
    /// Tasks on the runtime, with their handles.
    Tasks(Vec<H>),
    /// One plain thread, which hands back how many it echoed.
    Thread(Receiver<u64>),
}
