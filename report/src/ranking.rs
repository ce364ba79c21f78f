//! Where each case stands against the fastest of its workload at the same
//! parameters: how many times its time, and whether it is told apart from
//! the fastest at all.

use crate::cases;
use crate::figure::Figure;
use crate::results::Case;
use crate::verdict::{self, Rules, Verdict};

/// One case's standing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// Its median time over the fastest's.
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

/// The standing of each of `cases` (`None` for one without figures) against
/// the fastest of the cases with its parameters (a sweep's points are not
/// ranked against each other), its time compared with the fastest's runs
/// under `rules`, round by round when `paired`.
pub fn standings(cases: &[&Case], paired: bool, rules: Rules) -> Vec<Option<Standing>> {
    let time = |c: &&Case| cases::figures(c).map(|s| s.wall_s.median);
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
                    Figure::Time,
                    &Figure::Time.values(best),
                    &Figure::Time.values(case),
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
