//! What a reader should know about how far a case's figures can be trusted,
//! with the advice they can act on.

use crate::cases;
use crate::count::Count;
use crate::figure::{Figure, significant};
use crate::results::{Case, Measure};
use crate::stats::OUTLIER_RULE;

/// A time interval wider than this share of the median marks its case.
pub const WIDE_INTERVAL: f64 = 0.05;

/// Why `case`'s time deserves caution, one line each with the advice: outlier
/// runs, or an interval wider than [`WIDE_INTERVAL`]; empty when neither. In
/// counts mode, where instructions/op decide, their mean's t interval wider
/// than their noise threshold instead (time is information there).
pub fn warnings(case: &Case, measure: Measure) -> Vec<String> {
    let Some(summary) = cases::figures(case) else {
        return Vec::new();
    };
    let instructions = Figure::counts_of(case.workload)[0].values(case);
    if measure == Measure::Counts && !instructions.is_empty() {
        let threshold = Count::Instructions.threshold_pct();
        return (crate::welch::mean_half_width(&instructions))
            .filter(|half| *half * 100.0 > threshold)
            .map(|half| {
                format!(
                    "instructions ±{} % (t interval of the mean), wider than their {} % noise \
                     threshold: raise --reps",
                    significant(half * 100.0, 2),
                    significant(threshold, 2)
                )
            })
            .into_iter()
            .collect();
    }
    let time = summary.wall_s;
    let mut out = Vec::new();
    if time.outliers > 0 {
        out.push(format!(
            "{} of {} runs are outliers in time ({OUTLIER_RULE}): something else ran; \
             rerun on a quiet machine",
            time.outliers, time.n
        ));
    }
    let half = time.relative_half_width();
    if half > WIDE_INTERVAL {
        out.push(format!(
            "time ±{} %, wider than {:.0} %: raise --reps, or use --reps auto",
            significant(half * 100.0, 2),
            WIDE_INTERVAL * 100.0
        ));
    }
    out
}

/// Why each case's repetitions stopped, where the run recorded it (`--reps
/// auto`): one line, or none.
pub fn stops(cases: &[&Case]) -> Option<String> {
    let each: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            c.stopped
                .as_ref()
                .map(|why| format!("{} after {}: {why}", c.runtime, c.runs.len()))
        })
        .collect();
    (!each.is_empty()).then(|| format!("repetitions stopped: {}", each.join("; ")))
}
