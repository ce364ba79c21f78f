//! The gate of `compare --fail-on-regression`: which figures it decides on,
//! and how it keeps dozens of comparisons from throwing up a false "worse".
//!
//! Every case and figure tested at 95 % on its own would, over 30 of them,
//! call something worse in about half of all A-vs-A comparisons (a false
//! "worse" is half the 5 %: 1 − 0.975³⁰ ≈ 53 %, were they independent). The gate corrects for
//! the number of comparisons it decides on with Holm–Bonferroni, so the
//! chance of any false "worse" stays at most 5 % over the whole comparison.
//! In counts mode it decides on instructions/op and estimated cycles/op
//! only; wall time and every other figure stay in the report as information.

use crate::compare::{Comparison, Pair, pair_labels};
use crate::count::Count;
use crate::figure::Figure;
use crate::results::Measure;
use crate::stats;
use crate::verdict::{Change, Verdict};

/// What the gate decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// The figures it decides on, in words (`instructions/op, est.
    /// cycles/op`, or `time (s)`).
    pub figures: String,
    /// How many comparisons it decided on: the family Holm corrects over.
    pub tested: usize,
    /// Each regression that survives the correction, as `label workload
    /// figure +5.1 % (+2.9 … +7.4)`.
    pub regressions: Vec<String>,
    /// How many judged changes had too few runs for their rank test ever to
    /// pass the correction's first step (0.05 / `tested`).
    pub blind: usize,
}

impl Gate {
    /// The gate's rule in words, for the comparison's footer.
    pub fn rule(&self) -> String {
        if self.tested == 0 {
            return format!(
                "gate (--fail-on-regression): no change of {} has an interval (too few runs), \
                 so it cannot fail",
                self.figures
            );
        }
        let blind = match self.blind {
            0 => String::new(),
            n => format!(
                "; {n} of them have too few runs for their rank test ever to pass the \
                 correction, so they cannot fail it: rerun with --reps 10 or more (20 paired)"
            ),
        };
        format!(
            "gate (--fail-on-regression): fails on {} worse, after Holm–Bonferroni over the {} \
             comparisons it judged (at most a 5 % chance of any false \"worse\" in all of \
             them){blind}; the other figures are information",
            self.figures, self.tested
        )
    }
}

/// The figures the gate decides on under `measure`, for a workload whose
/// figures are per operation (`per_op`) or per run (a command's).
pub(crate) fn gated(per_op: bool, measure: Measure) -> Vec<Figure> {
    match measure {
        Measure::Counts => Figure::counts_of(per_op)
            .into_iter()
            .filter(|f| f.count().is_some_and(|c| Count::GATED.contains(&c)))
            .collect(),
        Measure::Wall => vec![Figure::Time],
    }
}

impl Comparison {
    /// What `--fail-on-regression` decides: every gated change with an
    /// interval, Holm–Bonferroni over all of them, and a regression where
    /// the correction keeps it significant and its verdict is worse.
    pub fn gate(&self) -> Gate {
        let mut judged: Vec<(String, &Change)> = Vec::new();
        for workload in crate::cases::in_order(self.pairs.iter().map(|p| p.baseline.workload)) {
            let pairs: Vec<&Pair> = (self.pairs.iter())
                .filter(|p| p.baseline.workload == workload)
                .collect();
            for (label, pair) in pair_labels(&pairs).into_iter().zip(&pairs) {
                for figure in gated(pair.baseline.about.per_op(), self.measure) {
                    if let Some(change) = pair.change(figure).filter(|c| c.p_value.is_some()) {
                        judged.push((format!("{label} {workload}"), change));
                    }
                }
            }
        }
        let p_values: Vec<f64> = judged.iter().filter_map(|(_, c)| c.p_value).collect();
        let rejected = stats::holm(&p_values);
        let regressions = (judged.iter().zip(rejected))
            .filter(|((_, change), rejected)| *rejected && change.verdict == Verdict::Worse)
            .map(|((name, change), _)| {
                format!("{name} {} {}", change.figure.header(), change.text())
            })
            .collect();
        // Counts' t test can reach any p-value; a rank test only down to a
        // floor set by its number of runs.
        let floor = |c: &Change| match c.figure.count() {
            Some(_) => 0.0,
            None => stats::smallest_p(c.baseline.n, c.candidate.n, c.paired),
        };
        let first_step = (1.0 - stats::CONFIDENCE) / judged.len().max(1) as f64;
        let blind = (judged.iter())
            .filter(|(_, c)| floor(c) > first_step)
            .count();
        let names: Vec<&str> = gated(true, self.measure)
            .iter()
            .map(|f| f.header())
            .collect();
        Gate {
            figures: names.join(", "),
            tested: judged.len(),
            regressions,
            blind,
        }
    }

    /// Every regression the gate finds (see [`Comparison::gate`]).
    pub fn regressions(&self) -> Vec<String> {
        self.gate().regressions
    }
}
