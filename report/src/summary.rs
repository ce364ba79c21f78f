//! The figures of a case: median, min and max over its repetitions.

use serde::{Deserialize, Serialize};

use crate::results::{Params, Run, Workload};

/// Median, min and max of one figure over a case's repetitions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    /// The figure: the median (the mean of the middle two for an even count).
    pub median: f64,
    /// Smallest value seen.
    pub min: f64,
    /// Largest value seen.
    pub max: f64,
}

impl Stat {
    /// Median, min and max of `values`; `None` when there are none.
    pub fn of(mut values: Vec<f64>) -> Option<Stat> {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => values[n / 2],
            _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
        };
        Some(Stat {
            median,
            min: values[0],
            max: values[n - 1],
        })
    }
}

/// A case's figures, as SPEC.md defines them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Wall time of the workload, seconds.
    pub wall_s: Stat,
    /// Operations per second of wall time.
    pub throughput: Stat,
    /// (wall − ideal) / ops, nanoseconds; see [`ideal_s`].
    pub overhead_ns_per_op: Stat,
    /// (user + system CPU) / ops, nanoseconds.
    pub cpu_ns_per_op: Stat,
    /// Peak resident set size of the child, bytes.
    pub peak_rss_bytes: Stat,
    /// 99th-percentile latency per operation, nanoseconds.
    pub p99_ns: Stat,
}

impl Summary {
    /// Summarises `runs` of `workload` with `params`; `None` when no run completed.
    pub fn of(workload: Workload, params: &Params, runs: &[Run]) -> Option<Summary> {
        let ops = params.ops as f64;
        let ideal = ideal_s(workload, params);
        let stat = |figure: &dyn Fn(&Run) -> f64| Stat::of(runs.iter().map(figure).collect());
        Some(Summary {
            wall_s: stat(&|r| r.wall_s)?,
            throughput: stat(&|r| ops / r.wall_s)?,
            overhead_ns_per_op: stat(&|r| (r.wall_s - ideal) / ops * 1e9)?,
            cpu_ns_per_op: stat(&|r| r.cpu_s / ops * 1e9)?,
            peak_rss_bytes: stat(&|r| r.peak_rss_bytes as f64)?,
            p99_ns: stat(&|r| r.latency_ns.p99 as f64)?,
        })
    }
}

/// The wall time a perfect runtime would need, seconds: every operation's wait,
/// `in_flight` at a time (ops × latency / in-flight). Cancelled tasks never wait
/// out their timer, so the cancel workload's ideal is zero and its overhead is
/// its whole wall time per task. An open loop (`rate`) takes ops / rate.
pub fn ideal_s(workload: Workload, params: &Params) -> f64 {
    if let Some(rate) = params.rate {
        // An open loop cannot finish before its schedule does.
        return params.ops as f64 / rate as f64;
    }
    match workload {
        Workload::Sleep | Workload::Fetch | Workload::Serve => {
            params.ops as f64 * params.latency_ms as f64 / 1e3 / params.in_flight as f64
        }
        Workload::Cancel => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let odd = Stat::of(vec![3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max), (2.0, 1.0, 3.0));
        let even = Stat::of(vec![4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!((even.median, even.min, even.max), (2.5, 1.0, 4.0));
        assert_eq!(Stat::of(vec![]), None);
    }

    #[test]
    fn sleep_ideal_matches_spec_defaults() {
        let params = Params {
            ops: 1_000_000,
            in_flight: 10_000,
            latency_ms: 1,
            fail_every: Some(1000),
            ..Params::default()
        };
        assert!((ideal_s(Workload::Sleep, &params) - 0.1).abs() < 1e-12);
    }
}
