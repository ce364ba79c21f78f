//! github-action-benchmark's `customSmallerIsBetter` tool
//! (<https://github.com/benchmark-action/github-action-benchmark#examples>):
//! a JSON array of `{name, unit, value, range, extra}`, one entry per case and
//! figure, every figure one where smaller is better.

use serde::Serialize;

use super::{context, named_cases};
use crate::cases;
use crate::figure::Figure;
use crate::results::ResultsFile;

/// One entry of the array.
#[derive(Serialize)]
struct Entry {
    name: String,
    unit: String,
    value: f64,
    range: String,
    extra: String,
}

/// The entries of `results`: for each completed case, each figure of its
/// workload ([`Figure::of`]), then each count ([`Figure::counts_of`]),
/// where smaller is better (all but throughput, which this one-direction
/// format cannot hold) and that the case has (a command may have no
/// latencies; a count not taken is left out, never written as 0), named `<workload>/<runtime> <figure>`, in
/// the unit tables show it in; `range` is `± ` the larger half of the
/// median's 95 % interval.
pub(super) fn render(results: &ResultsFile) -> String {
    let mut entries = Vec::new();
    for (name, _, case) in named_cases(results) {
        let Some(summary) = cases::figures(case) else {
            continue;
        };
        let counts = Figure::counts_of(case.about.per_op());
        for figure in
            (Figure::of(&case.about).iter().chain(&counts)).filter(|f| f.lower_is_better())
        {
            let Some(stat) = figure.stat(summary) else {
                continue;
            };
            let spread = (stat.ci_high - stat.median).max(stat.median - stat.ci_low);
            entries.push(Entry {
                name: format!("{name} {}", figure.slug()),
                unit: match figure {
                    Figure::PerOp(count) if count.per_op() => format!("{}/op", figure.unit()),
                    _ => figure.unit().to_owned(),
                },
                value: stat.median,
                range: format!("± {}", figure.format(spread)),
                extra: context(results, case),
            });
        }
    }
    serde_json::to_string_pretty(&entries).expect("entries always serialise") + "\n"
}
