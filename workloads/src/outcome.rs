//! What one run of a workload produced, merged over its shards.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rtbench_report::{Counts, Latency, RunRecord};

/// Slowest latency the histogram holds exactly; slower values are clamped to it.
const MAX_LATENCY_NS: u64 = 3_600_000_000_000;

/// One shard's counts and latencies, and when it ran.
#[derive(Debug)]
pub struct ShardOutcome {
    started: Instant,
    ended: Instant,
    counts: Counts,
    latency: Histogram<u64>,
    send_delay: Option<Histogram<u64>>,
    achieved_rate: Option<f64>,
}

impl ShardOutcome {
    /// Starts the clock of a shard with nothing counted yet, and marks the
    /// start of its work ([`crate::marks`]). The latency histogram is made
    /// first: allocating it is the harness's work, not the runtime's.
    pub(crate) fn start() -> ShardOutcome {
        ShardOutcome::begin(latency_histogram(), None)
    }

    /// [`start`](Self::start) for an open loop, which also records how late
    /// each request left ([`send_delay`](Self::send_delay)).
    pub(crate) fn start_open_loop() -> ShardOutcome {
        ShardOutcome::begin(latency_histogram(), Some(latency_histogram()))
    }

    fn begin(latency: Histogram<u64>, send_delay: Option<Histogram<u64>>) -> ShardOutcome {
        crate::marks::begin();
        ShardOutcome {
            started: Instant::now(),
            ended: Instant::now(),
            counts: Counts::new(),
            latency,
            send_delay,
            achieved_rate: None,
        }
    }

    /// Adds `n` to the count called `name`.
    pub(crate) fn count(&mut self, name: &str, n: u64) {
        match self.counts.get_mut(name) {
            Some(count) => *count += n,
            None => {
                self.counts.insert(name.to_owned(), n);
            }
        }
    }

    /// Records one operation's latency.
    pub(crate) fn latency(&mut self, latency: Duration) {
        let ns = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.latency.saturating_record(ns);
    }

    /// Records how long after it was due an open loop's request was handed
    /// to the connection; nothing in a shard started with [`start`](Self::start).
    pub(crate) fn send_delay(&mut self, delay: Duration) {
        if let Some(histogram) = &mut self.send_delay {
            histogram.saturating_record(u64::try_from(delay.as_nanos()).unwrap_or(u64::MAX));
        }
    }

    /// Records the rate an open loop's requests left at, per second.
    pub(crate) fn achieved_rate(&mut self, rate: f64) {
        self.achieved_rate = Some(rate);
    }

    /// Stops the clock and marks the end of the shard's work.
    pub(crate) fn finish(mut self) -> ShardOutcome {
        self.ended = Instant::now();
        crate::marks::end();
        self
    }
}

/// An empty histogram of nanoseconds up to [`MAX_LATENCY_NS`].
fn latency_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_LATENCY_NS, 3).expect("valid histogram bounds")
}

/// The percentiles of `h`, nanoseconds.
fn percentiles(h: &Histogram<u64>) -> Latency {
    Latency {
        p50: h.value_at_quantile(0.5),
        p90: h.value_at_quantile(0.9),
        p99: h.value_at_quantile(0.99),
        p999: h.value_at_quantile(0.999),
        max: h.max(),
    }
}

/// A whole run: the workload's wall time, counts and latency histogram.
#[derive(Debug)]
pub struct Outcome {
    /// From the first shard's start to the last shard's end.
    pub wall: Duration,
    /// Named counts, summed over shards.
    pub counts: Counts,
    /// Every operation's latency, nanoseconds.
    pub latency: Histogram<u64>,
    /// Open loop: how long after its due time each request was handed to
    /// its connection, nanoseconds; `None` for a closed loop.
    pub send_delay: Option<Histogram<u64>>,
    /// Open loop: the rate requests left at, summed over shards, per second.
    pub achieved_rate: Option<f64>,
    /// CPU time spent getting ready before the run was timed, seconds.
    pub setup_cpu_s: Option<f64>,
}

impl Outcome {
    /// Merges the shards of one run.
    pub(crate) fn merge(shards: Vec<ShardOutcome>) -> Outcome {
        let mut shards = shards.into_iter();
        let first = shards.next().expect("a run has at least one shard");
        let (mut started, mut ended) = (first.started, first.ended);
        let (mut counts, mut latency) = (first.counts, first.latency);
        let (mut achieved_rate, mut send_delay) = (first.achieved_rate, first.send_delay);
        for shard in shards {
            if let Some(rate) = shard.achieved_rate {
                achieved_rate = Some(achieved_rate.unwrap_or(0.0) + rate);
            }
            started = started.min(shard.started);
            ended = ended.max(shard.ended);
            for (name, n) in shard.counts {
                *counts.entry(name).or_default() += n;
            }
            latency
                .add(&shard.latency)
                .expect("histograms share bounds");
            if let (Some(all), Some(more)) = (&mut send_delay, &shard.send_delay) {
                all.add(more).expect("histograms share bounds");
            }
        }
        Outcome {
            wall: ended - started,
            counts,
            latency,
            send_delay,
            achieved_rate,
            setup_cpu_s: None,
        }
    }

    /// The count called `name`, zero when absent.
    pub fn get(&self, name: &str) -> u64 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// The record a case's child process prints.
    pub fn record(&self) -> RunRecord {
        RunRecord {
            wall_s: self.wall.as_secs_f64(),
            counts: self.counts.clone(),
            latency_ns: percentiles(&self.latency),
            send_delay_ns: self.send_delay.as_ref().map(percentiles),
            workload: None,
            params: None,
            io_driver: None,
            achieved_rate: self.achieved_rate,
            setup_cpu_s: self.setup_cpu_s,
            cpus: None,
        }
    }
}
