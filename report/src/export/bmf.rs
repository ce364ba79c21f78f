//! Bencher Metric Format (<https://bencher.dev/docs/reference/bencher-metric-format/>):
//! per benchmark, per measure, the median with its 95 % interval as its bounds.

use serde_json::{Map, Value, json};

use super::named_cases;
use crate::cases;
use crate::figure::Figure;
use crate::results::ResultsFile;
use crate::summary::{Stat, Summary};

/// Reads one figure of a summary, in the unit its measure is in; `None`
/// where the case cannot have it.
type Pick = fn(&Summary) -> Option<Stat>;

/// The measures written for each completed case: Bencher's built-in
/// `latency` (nanoseconds; here the wall time of a whole run) and
/// `throughput` (operations per second), then rtbench's own, their unit in
/// their slug. Each with how to read it from a summary, in that unit. A
/// `--command` case has no per-operation measures and maybe no latencies;
/// it has `cpu-time-s`, the whole process's CPU time, instead of CPU per op.
/// The counts follow in [`render`].
const MEASURES: [(&str, Pick); 7] = [
    ("latency", |s| Some(scaled(s.wall_s, 1e9))),
    ("throughput", |s| s.throughput),
    ("overhead-per-op-ns", |s| s.overhead_ns_per_op),
    ("cpu-per-op-ns", |s| s.cpu_ns_per_op),
    ("cpu-time-s", |s| {
        s.cpu_ns_per_op.is_none().then_some(s.cpu_s)
    }),
    ("peak-memory-bytes", |s| Some(s.peak_rss_bytes)),
    ("p99-latency-ns", |s| s.p99_ns),
];

/// The BMF JSON of `results`: `{"sleep/tokio": {"latency": {"value": …,
/// "lower_value": …, "upper_value": …}, …}, …}`. A failed case has no
/// figures and is left out (Bencher has no way to say "failed"); a measure
/// a case cannot have is left out of it, never written as 0.
pub(super) fn render(results: &ResultsFile) -> String {
    let mut benchmarks = Map::new();
    for (name, _, case) in named_cases(results) {
        let Some(summary) = cases::figures(case) else {
            continue;
        };
        // Then each count the case has: `instructions-per-op`, … (a
        // command's whole-program totals: `instructions`, …).
        let counts = Figure::counts_of(case.about.per_op()).map(|f| {
            let count = f.count().expect("counts_of gives counts");
            let slug = match f {
                Figure::PerOp(_) if count.per_op() => format!("{}-per-op", count.slug()),
                _ => count.slug().to_owned(),
            };
            (slug, summary.count(count))
        });
        let measures: Map<String, Value> = (MEASURES.iter())
            .map(|(slug, pick)| ((*slug).to_owned(), pick(summary)))
            .chain(counts)
            .filter_map(|(slug, stat)| {
                let stat = stat?;
                let metric = json!({
                    "value": stat.median,
                    "lower_value": stat.ci_low,
                    "upper_value": stat.ci_high,
                });
                Some((slug, metric))
            })
            .collect();
        benchmarks.insert(name, Value::Object(measures));
    }
    serde_json::to_string_pretty(&benchmarks).expect("JSON values always serialise") + "\n"
}

fn scaled(stat: Stat, by: f64) -> Stat {
    stat.scaled(1.0 / by)
}
