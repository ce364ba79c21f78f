//! The figures of a case: for each, its statistics over the repetitions,
//! always computed from the runs (a results file's stored summaries are only
//! a convenience for other tools; readers compute them again).

use serde::{Deserialize, Serialize};

use crate::count::Count;
use crate::results::{Case, Run};
use crate::stats;

/// One figure over a case's repetitions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    /// How many runs.
    pub n: usize,
    /// The figure: the median (the mean of the middle two for an even count).
    pub median: f64,
    /// Lower end of the median's interval (see [`stats::median_interval`]).
    pub ci_low: f64,
    /// Upper end of the median's interval.
    pub ci_high: f64,
    /// The interval's exact confidence: 0.95 or more from 6 runs on, less
    /// below (0.9375 for 5 runs, whose interval is their min–max).
    pub ci_level: f64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation; absent for a single run.
    pub sd: Option<f64>,
    /// Smallest value seen.
    pub min: f64,
    /// Largest value seen.
    pub max: f64,
    /// Runs that are outliers under [`stats::OUTLIER_RULE`].
    pub outliers: usize,
}

impl Stat {
    /// The statistics of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Stat> {
        let interval = stats::median_interval(values)?;
        Some(Stat {
            n: values.len(),
            median: stats::median(values)?,
            ci_low: interval.low,
            ci_high: interval.high,
            ci_level: interval.level,
            mean: stats::mean(values)?,
            sd: stats::std_dev(values),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            outliers: stats::outliers(values),
        })
    }

    /// The same statistics in a unit `by` times larger (bytes → MB: 1e6).
    pub fn scaled(self, by: f64) -> Stat {
        Stat {
            median: self.median / by,
            ci_low: self.ci_low / by,
            ci_high: self.ci_high / by,
            mean: self.mean / by,
            sd: self.sd.map(|sd| sd / by),
            min: self.min / by,
            max: self.max / by,
            ..self
        }
    }

    /// The interval's larger half-width as a share of the median (0.03 for
    /// ±3 %); infinite for a zero median with a non-zero interval.
    pub fn relative_half_width(&self) -> f64 {
        let half = (self.median - self.ci_low).max(self.ci_high - self.median);
        if half == 0.0 {
            0.0
        } else {
            half / self.median.abs()
        }
    }
}

/// A case's figures, as the guide's chapter on reading tables defines them. A figure a case cannot have is
/// absent: the per-operation ones for a `command` case (rtbench knows no
/// operations of a whole program), latency for a command that printed no
/// run record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Wall time of the workload, seconds.
    pub wall_s: Stat,
    /// Operations per second of wall time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Stat>,
    /// (wall − ideal) / ops, nanoseconds; see [`ideal_s`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overhead_ns_per_op: Option<Stat>,
    /// (user + system CPU) / ops, nanoseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_ns_per_op: Option<Stat>,
    /// Peak resident set size of the child, bytes.
    pub peak_rss_bytes: Stat,
    /// 99th-percentile latency per operation, nanoseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p99_ns: Option<Stat>,
    /// User + system CPU time of the child, seconds.
    pub cpu_s: Stat,
    /// Instructions per operation (a `command`'s: its total); absent unless
    /// every run has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Stat>,
    /// Estimated cycles per operation (a `command`'s: its total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cycles: Option<Stat>,
    /// System calls per operation (a `command`'s: its total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syscalls: Option<Stat>,
    /// Context switches, voluntary + involuntary, per operation (a
    /// `command`'s: its total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_switches: Option<Stat>,
    /// Minor page faults per operation (a `command`'s: its total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_faults: Option<Stat>,
    /// Allocations per operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocations: Option<Stat>,
    /// Bytes allocated per operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_bytes: Option<Stat>,
    /// Peak of live heap bytes above the workload's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_live_bytes: Option<Stat>,
}

impl Summary {
    /// The statistics of `count` (per operation, or a `command`'s total).
    pub fn count(&self, count: Count) -> Option<Stat> {
        match count {
            Count::Instructions => self.instructions,
            Count::Cycles => self.estimated_cycles,
            Count::Syscalls => self.syscalls,
            Count::Switches => self.context_switches,
            Count::Faults => self.minor_faults,
            Count::Allocations => self.allocations,
            Count::AllocatedBytes => self.allocated_bytes,
            Count::PeakLive => self.peak_live_bytes,
        }
    }
}

/// How many figures [`per_run`] gives: seven measured ones, then one per
/// [`Count`].
pub const FIGURES: usize = 7 + Count::ALL.len();

/// Where `count` is in [`per_run`]'s figures.
pub fn count_index(count: Count) -> usize {
    7 + Count::ALL
        .iter()
        .position(|c| *c == count)
        .expect("every count is in ALL")
}

/// The figures of one run of `case`, in [`Summary`]'s order and units;
/// `None` where the run cannot have it (see [`Summary`]). Counts are per
/// operation (total ÷ ops), a `command`'s over the whole run, and a peak
/// as it is. Overhead
/// subtracts the ideal time the case's own record states.
pub fn per_run(case: &Case, run: &Run) -> [Option<f64>; FIGURES] {
    let ops = case.params.ops as f64;
    let per_op = case.about.per_op();
    let count = |count: Count| {
        let total = count.total(run.counted.as_ref()?)? as f64;
        Some(if per_op && count.per_op() {
            total / ops
        } else {
            total
        })
    };
    [
        Some(run.wall_s),
        per_op.then(|| ops / run.wall_s),
        per_op.then(|| (run.wall_s - case.about.ideal_s) / ops * 1e9),
        per_op.then(|| run.cpu_s / ops * 1e9),
        Some(run.peak_rss_bytes as f64),
        run.latency_ns.map(|l| l.p99 as f64),
        Some(run.cpu_s),
        count(Count::Instructions),
        count(Count::Cycles),
        count(Count::Syscalls),
        count(Count::Switches),
        count(Count::Faults),
        count(Count::Allocations),
        count(Count::AllocatedBytes),
        count(Count::PeakLive),
    ]
}

impl Summary {
    /// Summarises the runs of `case`; `None` when no run completed. A
    /// figure is present only when every run has it.
    pub fn of(case: &Case) -> Option<Summary> {
        let figures: Vec<[Option<f64>; FIGURES]> =
            case.runs.iter().map(|run| per_run(case, run)).collect();
        let stat = |i: usize| {
            let values: Option<Vec<f64>> = figures.iter().map(|f| f[i]).collect();
            Stat::of(&values?)
        };
        Some(Summary {
            wall_s: stat(0)?,
            throughput: stat(1),
            overhead_ns_per_op: stat(2),
            cpu_ns_per_op: stat(3),
            peak_rss_bytes: stat(4)?,
            p99_ns: stat(5),
            cpu_s: stat(6)?,
            instructions: stat(count_index(Count::Instructions)),
            estimated_cycles: stat(count_index(Count::Cycles)),
            syscalls: stat(count_index(Count::Syscalls)),
            context_switches: stat(count_index(Count::Switches)),
            minor_faults: stat(count_index(Count::Faults)),
            allocations: stat(count_index(Count::Allocations)),
            allocated_bytes: stat(count_index(Count::AllocatedBytes)),
            peak_live_bytes: stat(count_index(Count::PeakLive)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statistic_of_a_small_sample() {
        let s = Stat::of(&[3.0, 1.0, 2.0, 4.0, 100.0]).unwrap();
        assert_eq!((s.n, s.median, s.min, s.max), (5, 3.0, 1.0, 100.0));
        assert_eq!((s.ci_low, s.ci_high), (1.0, 100.0));
        assert!((s.ci_level - 0.9375).abs() < 1e-12);
        assert_eq!(s.mean, 22.0);
        assert_eq!(s.outliers, 1);
        let even = Stat::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(even.median, 2.5);
        assert_eq!(Stat::of(&[]), None);
        assert_eq!(Stat::of(&[2.0]).unwrap().sd, None);
    }

    #[test]
    fn half_width_is_the_larger_side() {
        let s = Stat::of(&[0.9, 1.0, 1.0, 1.0, 1.05]).unwrap();
        assert!((s.relative_half_width() - 0.1).abs() < 1e-12);
        assert_eq!(Stat::of(&[1.0; 5]).unwrap().relative_half_width(), 0.0);
    }
}
