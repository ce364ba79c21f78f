//! Where each case stands against the best of its workload at the same
//! parameters: how many times its time (in counts mode, its instructions
//! per operation), and whether it is told apart from the best at all.

use crate::cases;
use crate::count::Count;
use crate::figure::Figure;
use crate::results::{Case, Measure};
use crate::verdict::{self, Rules, Verdict};

/// One case's standing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// Its median time (or basis figure) over the best's.
    pub ratio: f64,
    /// The fastest case itself.
    pub fastest: bool,
    /// Compared with the fastest by [`verdict::change`] (which needs enough
    /// runs for an interval) and not shown slower: a tie.
    pub tied: bool,
}

impl Standing {
    /// The `vs best` cell: `1.00`, `1.04 ≈` for a tie, `1.31`.
    pub fn cell(&self) -> String {
        if self.tied {
            format!("{:.2} ≈", self.ratio)
        } else {
            format!("{:.2}", self.ratio)
        }
    }
}

/// The figure cases of one workload are ranked by: instructions per
/// operation in counts mode where every completed case has them (a count
/// does not drift with the machine), wall time otherwise.
pub fn basis(cases: &[&Case], measure: Measure) -> Figure {
    let instructions = Figure::counts_of(cases::about(cases).per_op())[0];
    let all_have = cases
        .iter()
        .filter_map(|c| cases::figures(c))
        .all(|s| s.count(Count::Instructions).is_some());
    if measure == Measure::Counts && all_have {
        instructions
    } else {
        Figure::Time
    }
}

/// The standing of each of `cases` (`None` for one without figures) against
/// the best of the cases with its parameters (a sweep's points are not
/// ranked against each other) by the `basis` figure (lower is better), its
/// runs compared with the best's under `rules`, round by round when `paired`.
pub fn standings(
    cases: &[&Case],
    basis: Figure,
    paired: bool,
    rules: Rules,
) -> Vec<Option<Standing>> {
    let time = |c: &&Case| {
        cases::figures(c)
            .and_then(|s| basis.stat(s))
            .map(|s| s.median)
    };
    let fastest_like = |case: &Case| {
        cases
            .iter()
            .filter(|c| cases::same_point(&c.params, &case.params))
            .filter_map(|c| time(c).map(|t| (c, t)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    };
    cases
        .iter()
        .map(|case| {
            let (best, best_time) = fastest_like(case)?;
            let mine = time(case)?;
            let is_fastest = std::ptr::eq(*case, *best);
            let tied = !is_fastest
                && verdict::change(
                    basis,
                    &basis.values(best),
                    &basis.values(case),
                    paired,
                    rules,
                )
                .is_some_and(|c| c.interval.is_some() && c.verdict != Verdict::Worse);
            Some(Standing {
                ratio: mine / best_time,
                fastest: is_fastest,
                tied,
            })
        })
        .collect()
}
