//! Instructions per operation by crate: for two runtimes on one workload,
//! how much of each one's work is its own crates, hyper, the workload, std,
//! and code outside Rust (libc, where system calls are made).

use std::collections::BTreeMap;

use super::Profile;

/// Own instructions per operation of each crate (see
/// [`super::names::crate_of`]), most first.
pub fn by_crate(profile: &Profile) -> Vec<(String, f64)> {
    let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
    for f in &profile.functions {
        *sums.entry(&f.krate).or_default() += f.own;
    }
    let mut out: Vec<(String, f64)> = sums.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Both sides' crates in one list: each crate with its instructions per
/// operation in the baseline and in the candidate (zero where a side has
/// none of its code), the larger of the two first; crates below 0.05
/// instructions per operation on both sides are left out.
pub fn side_by_side(baseline: &Profile, candidate: &Profile) -> Vec<(String, f64, f64)> {
    let mut both: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for (name, n) in by_crate(baseline) {
        both.entry(name).or_default().0 = n;
    }
    for (name, n) in by_crate(candidate) {
        both.entry(name).or_default().1 = n;
    }
    let mut out: Vec<(String, f64, f64)> = (both.into_iter())
        .filter(|(_, (b, c))| b.max(*c) >= 0.05)
        .map(|(k, (b, c))| (k, b, c))
        .collect();
    out.sort_by(|a, b| b.1.max(b.2).total_cmp(&a.1.max(a.2)).then(a.0.cmp(&b.0)));
    out
}
