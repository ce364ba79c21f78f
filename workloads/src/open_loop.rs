//! The open loop (`--rate`): requests leave on a fixed schedule whatever the
//! answers, as wrk2 and oha's `--latency-correction` send them, and each
//! latency counts from the request's scheduled time, so a slow server shows
//! its queue instead of slowing the sender (coordinated omission corrected).
//!
//! A request leaves when it is due, not when the runtime's timer next ticks:
//! the [`Pacer`] wakes it, where the runtime can be woken from another thread.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use quanta::Instant;

use crate::pacer::Pacer;
use crate::runtime::{Runtime, Shard};

/// One shard's sending schedule: its share of the offered rate, its ids in
/// order, one every interval from its first send.
#[derive(Debug)]
pub(crate) struct Schedule {
    /// The shard's first id, due at `start`.
    first: u64,
    /// Time between two of this shard's requests.
    interval: Duration,
    /// When the shard's first request is due: set when it is first taken,
    /// so the time spent starting the connection tasks is not counted late.
    start: OnceLock<Instant>,
    /// Requests sent so far.
    sent: AtomicU64,
    /// Requests that found every connection busy when they were due.
    late: AtomicU64,
    /// The latest send, nanoseconds after `start`.
    last_sent_ns: AtomicU64,
    /// What wakes the requests when due; `None` where the runtime cannot be
    /// woken from another thread: they wait on its timer.
    pacer: Option<Pacer>,
}

impl Schedule {
    /// The schedule of `shard`, whose ids start at `first`, for `rate`
    /// requests per second over all shards; with `paced`, a [`Pacer`] wakes
    /// the requests ([`Runtime::foreign_wakes`]).
    pub(crate) fn new(rate: u64, shard: Shard, first: u64, paced: bool) -> Schedule {
        let interval = Duration::from_secs_f64(shard.count as f64 / rate as f64);
        Schedule {
            first,
            interval,
            start: OnceLock::new(),
            sent: AtomicU64::new(0),
            late: AtomicU64::new(0),
            last_sent_ns: AtomicU64::new(0),
            pacer: paced.then(Pacer::start),
        }
    }

    /// Waits until request `id` is due, never returning before, and returns
    /// when it was due: the time its latency counts from. A request already
    /// due when a connection takes it found every connection busy: it is sent
    /// at once and counted late, never skipped.
    pub(crate) async fn wait_for<R: Runtime>(&self, id: u64) -> Instant {
        let start = *self.start.get_or_init(Instant::now);
        let due = start + self.interval.mul_f64((id - self.first) as f64);
        let now = Instant::now();
        if due > now {
            match &self.pacer {
                Some(pacer) => pacer.until(id, due).await,
                None => R::sleep(due - now).await,
            }
        } else if id != self.first {
            self.late.fetch_add(1, Relaxed);
        }
        self.sent.fetch_add(1, Relaxed);
        let sent_ns = u64::try_from((Instant::now() - start).as_nanos()).unwrap_or(u64::MAX);
        self.last_sent_ns.fetch_max(sent_ns, Relaxed);
        due
    }

    /// Requests counted late.
    pub(crate) fn late(&self) -> u64 {
        self.late.load(Relaxed)
    }

    /// The rate requests actually left at, per second: those sent over the
    /// time from the first due to the last send, plus one interval (so a
    /// schedule kept exactly gives the offered rate). A server slower than
    /// the offered rate holds the connections, the sends wait for them, and
    /// this falls to what the server can take.
    pub(crate) fn achieved_rate(&self) -> f64 {
        let span = Duration::from_nanos(self.last_sent_ns.load(Relaxed)) + self.interval;
        self.sent.load(Relaxed) as f64 / span.as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_takes_its_share_of_the_rate() {
        let shard = Shard { index: 1, count: 4 };
        let schedule = Schedule::new(1000, shard, 250, false);
        // 4 shards share 1,000 requests per second: 250 each, one every 4 ms.
        assert_eq!(schedule.interval, Duration::from_millis(4));
        assert_eq!(schedule.late(), 0);
    }

    #[test]
    fn a_schedule_kept_exactly_achieves_the_offered_rate() {
        let schedule = Schedule::new(500, Shard::ONLY, 0, false);
        schedule.sent.store(100, Relaxed);
        // The 100th request (id 99) leaves 99 intervals of 2 ms after the first.
        schedule.last_sent_ns.store(198_000_000, Relaxed);
        assert!((schedule.achieved_rate() - 500.0).abs() < 1e-9);
        // Sent at half the pace: half the rate.
        schedule.last_sent_ns.store(398_000_000, Relaxed);
        assert!((schedule.achieved_rate() - 250.0).abs() < 1e-9);
    }
}
