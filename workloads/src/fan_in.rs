//! fan-in: many senders into one receiver over a bounded channel
//! (async-channel, the same for every runtime), 64-byte messages: the shape
//! of a server handing requests to a worker. The senders are tasks on the
//! runtime (`tasks`) or plain threads outside it (`threads`); the receiver is
//! a task on the runtime. An operation is one message received.

use std::cell::Cell;

use async_channel::Sender;
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{Runtime, Shard};
use crate::sched::{self, watched};
use crate::workload::{Kind, Param, Preset, Size, Workload};

/// The fan-in workload.
pub struct FanIn;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanInParams {
    /// Messages in total, over every sender.
    pub ops: u64,
    /// Senders into the one receiver.
    pub senders: u64,
    /// Messages the channel holds before a sender waits.
    pub capacity: u64,
    /// Where the senders run.
    pub senders_on: SendersOn,
}

/// Where the fan-in workload's senders run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SendersOn {
    /// Tasks on the runtime.
    Tasks,
    /// Plain threads outside the runtime, one per sender.
    Threads,
}

/// A message: its number and the rest of its 64 bytes.
#[derive(Debug, Clone, Copy)]
struct Message {
    id: u64,
    _payload: [u8; 56],
}

impl Workload for FanIn {
    type Params = FanInParams;
    const NAME: &'static str = "fan-in";
    const DESCRIPTION: &'static str = "Many senders into one receiver over a bounded channel.";
    const OPERATION: &'static str = "message";
    const GROUPS: &'static [&'static str] = sched::GROUPS;
    const FIGURES: &'static [&'static str] = sched::NO_LATENCY;
    const PARAMS: &'static [Param] = &[
        Param::ops("64-byte messages in total, shared evenly by the senders"),
        Param::new(
            "senders",
            "senders",
            "",
            "senders into the one receiver (on a thread-per-core runtime, into each \
             thread's receiver, at least one each)",
            Kind::Sizes,
        ),
        Param::new(
            "capacity",
            "capacity",
            "",
            "messages the channel holds before a sender waits",
            Kind::Sizes,
        ),
        Param::new(
            "senders_on",
            "senders on",
            "",
            "where the senders run: tasks on the runtime (`tasks`) or plain threads outside \
             it (`threads`)",
            Kind::Choice(&["tasks", "threads"]),
        ),
    ];

    fn sizes(size: Size) -> FanInParams {
        let ops = match size {
            Size::Counts => 10_000,
            Size::Preset(Preset::Quick) | Size::Preset(Preset::Ci) => 200_000,
            Size::Default | Size::Preset(Preset::Full) => 1_000_000,
        };
        FanInParams {
            ops,
            senders: 8,
            capacity: 64,
            senders_on: SendersOn::Tasks,
        }
    }

    fn resolve(p: FanInParams, _: &crate::Machine) -> Result<FanInParams, String> {
        sched::at_least_one("ops", p.ops)?;
        sched::at_least_one("senders", p.senders)?;
        sched::at_least_one("capacity", p.capacity)?;
        match p.senders > p.ops {
            true => Err(format!(
                "--senders {} is more than --ops {}: every sender sends at least one message",
                p.senders, p.ops
            )),
            false => Ok(p),
        }
    }

    fn counts_add_up(p: &FanInParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("sent") == p.ops && c("received") == p.ops
    }

    fn run<R: Runtime>(params: FanInParams, threads: usize) -> Result<Outcome, String> {
        crate::run_shards::<R, _, _>(threads, move |s| shard::<R>(params.clone(), s))
    }
}

/// Sends message ids `first..first + count`; hands back how many went.
async fn send(into: Sender<Message>, first: u64, count: u64) -> u64 {
    let mut sent = 0;
    for id in first..first + count {
        let message = Message {
            id,
            _payload: [0; 56],
        };
        if into.send(message).await.is_err() {
            break;
        }
        sent += 1;
    }
    sent
}

/// Runs this shard's senders and receives every message on this task until
/// the last sender is done; the ids received must sum to the ids sent.
async fn shard<R: Runtime>(p: FanInParams, shard: Shard) -> Result<ShardOutcome, String> {
    let ids = shard.ids(p.ops);
    let total = ids.end - ids.start;
    let senders = shard.share(p.senders).max(1).min(total);
    if p.senders_on == SendersOn::Threads {
        R::foreign_wakes()?;
    }
    let (into, out) = async_channel::bounded(p.capacity as usize);
    let mut outcome = ShardOutcome::start();
    let mut tasks = Vec::new();
    let mut threads = Vec::new();
    let mut first = ids.start;
    for index in 0..senders {
        let count = total / senders + u64::from(index < total % senders);
        let into = into.clone();
        match p.senders_on {
            SendersOn::Tasks => tasks.push(R::spawn(send(into, first, count))),
            SendersOn::Threads => threads.push(sched::on_thread("rtbench-sender", move || {
                futures_lite::future::block_on(send(into, first, count))
            })?),
        }
        first += count;
    }
    drop(into);
    // Counted on this task alone: a plain cell, no atomic.
    let received = Cell::new(0);
    let work = async {
        let mut id_sum = 0u64;
        while let Ok(message) = out.recv().await {
            id_sum = id_sum.wrapping_add(message.id);
            received.set(received.get() + 1);
        }
        let mut sent = 0;
        for task in tasks {
            sent += R::join(task).await.map_err(|e| e.0)?;
        }
        for thread in threads {
            sent += sched::thread_result(thread).await?;
        }
        Ok((sent, id_sum))
    };
    let got = || received.get();
    let (sent, id_sum) = watched::<R, _>("fan-in", got, total, work).await?;
    let expected = ids.fold(0u64, u64::wrapping_add);
    if id_sum != expected {
        return Err(format!(
            "fan-in received ids summing to {id_sum}, sent ids summing to {expected}"
        ));
    }
    outcome.count("sent", sent);
    outcome.count("received", received.get());
    Ok(outcome.finish())
}
