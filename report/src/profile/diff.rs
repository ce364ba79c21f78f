//! The difference between two profiles: which functions' own instructions
//! per operation changed, each with its share of the total change. Own
//! (self) instructions add up to the total, so the shares of all functions
//! add up to 100 % (one function can exceed it when others went the other way).

use std::collections::BTreeMap;

use super::Profile;

/// Baseline against candidate, function by function.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The baseline's instructions per operation.
    pub baseline: f64,
    /// The candidate's instructions per operation.
    pub candidate: f64,
    /// Every function whose own instructions per operation changed, the
    /// largest change (either way) first.
    pub functions: Vec<FunctionChange>,
}

/// One function's change.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionChange {
    /// Its readable name.
    pub name: String,
    /// Its crate.
    pub krate: String,
    /// Own instructions per operation in the baseline; absent when only the
    /// candidate has the function (new, renamed, or no longer inlined).
    pub baseline: Option<f64>,
    /// Own instructions per operation in the candidate; absent when only the
    /// baseline has it.
    pub candidate: Option<f64>,
}

impl FunctionChange {
    /// Candidate minus baseline, instructions per operation.
    pub fn change(&self) -> f64 {
        self.candidate.unwrap_or(0.0) - self.baseline.unwrap_or(0.0)
    }

    /// Where the function is: `both`, `baseline only` or `candidate only`.
    pub fn presence(&self) -> &'static str {
        match (self.baseline, self.candidate) {
            (Some(_), Some(_)) => "both",
            (Some(_), None) => "baseline only",
            (None, _) => "candidate only",
        }
    }
}

impl Difference {
    /// The difference of `candidate` from `baseline`.
    pub fn of(baseline: &Profile, candidate: &Profile) -> Difference {
        let mut by_name: BTreeMap<&str, FunctionChange> = BTreeMap::new();
        for (side, profile) in [(0, baseline), (1, candidate)] {
            for f in &profile.functions {
                let entry = by_name.entry(&f.name).or_insert_with(|| FunctionChange {
                    name: f.name.clone(),
                    krate: f.krate.clone(),
                    baseline: None,
                    candidate: None,
                });
                *(if side == 0 {
                    &mut entry.baseline
                } else {
                    &mut entry.candidate
                }) = Some(f.own);
            }
        }
        let mut functions: Vec<FunctionChange> = (by_name.into_values())
            .filter(|f| f.change() != 0.0)
            .collect();
        functions.sort_by(|a, b| b.change().abs().total_cmp(&a.change().abs()));
        Difference {
            baseline: baseline.per_op(),
            candidate: candidate.per_op(),
            functions,
        }
    }

    /// Candidate minus baseline, instructions per operation, in all.
    pub fn change(&self) -> f64 {
        self.candidate - self.baseline
    }

    /// `f`'s change as a share of the total change (0.8 for 80 %); absent
    /// when the total did not change.
    pub fn share(&self, f: &FunctionChange) -> Option<f64> {
        let total = self.change();
        (total != 0.0).then(|| f.change() / total)
    }

    /// The `n` largest increases, largest first.
    pub fn increases(&self, n: usize) -> Vec<&FunctionChange> {
        self.functions
            .iter()
            .filter(|f| f.change() > 0.0)
            .take(n)
            .collect()
    }

    /// The `n` largest decreases, largest first.
    pub fn decreases(&self, n: usize) -> Vec<&FunctionChange> {
        self.functions
            .iter()
            .filter(|f| f.change() < 0.0)
            .take(n)
            .collect()
    }
}
