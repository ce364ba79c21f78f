//! Variants of one runtime in one run (`tokio`, `tokio@1.38.0`,
//! `tokio@../tokio`), and the I/O drivers of one runtime (`--io-driver
//! uring,epoll`): each compared with the first named, the baseline.

use crate::cases::same_point;
use crate::compare::{Comparison, Pair, Rules, Side, changes, compare_within};
use crate::results::{Case, IoDriver, Order, ResultsFile};

/// The runtime a case's name is a variant of: `tokio` for `tokio@1.38.0`.
pub fn base_name(runtime: &str) -> &str {
    runtime.split_once('@').map_or(runtime, |(base, _)| base)
}

/// The comparison of every variant with the first-named variant of its
/// runtime, in one [`Comparison`] (paired when the run was interleaved);
/// `None` when no runtime has two variants in `results`.
pub fn compare_variants(results: &ResultsFile, rules: Rules) -> Option<Comparison> {
    let names = crate::cases::runtimes(results);
    let mut all: Option<Comparison> = None;
    for (i, baseline) in names.iter().enumerate() {
        let earlier = names[..i]
            .iter()
            .any(|n| base_name(n) == base_name(baseline));
        if earlier {
            continue;
        }
        for candidate in names[i + 1..]
            .iter()
            .filter(|n| base_name(n) == base_name(baseline))
        {
            let one = compare_within(results, baseline, candidate, rules).ok()?;
            match &mut all {
                None => all = Some(one),
                Some(all) => {
                    all.pairs.extend(one.pairs);
                    all.only_in_baseline.extend(one.only_in_baseline);
                    all.only_in_candidate.extend(one.only_in_candidate);
                }
            }
        }
    }
    all
}

/// Every comparison within one run: the variants' ([`compare_variants`])
/// and the I/O drivers' ([`compare_drivers`]) in one [`Comparison`];
/// `None` when the run has neither.
pub fn compare_in_run(results: &ResultsFile, rules: Rules) -> Option<Comparison> {
    match (
        compare_variants(results, rules),
        compare_drivers(results, rules),
    ) {
        (Some(mut all), Some(drivers)) => {
            all.pairs.extend(drivers.pairs);
            all.only_in_baseline.extend(drivers.only_in_baseline);
            all.only_in_candidate.extend(drivers.only_in_candidate);
            Some(all)
        }
        (one, other) => one.or(other),
    }
}

/// The comparison of the I/O drivers of every runtime that ran on two or
/// more (`--io-driver uring,epoll`): each case on another driver with the
/// case of the same runtime, workload and parameters on the runtime's first
/// driver, the baseline (the first named in `--io-driver`). Paired round by
/// round when the run was interleaved, and every figure [`changes`] knows is
/// compared, as for two runtimes. `None` when no runtime ran on two drivers.
pub fn compare_drivers(results: &ResultsFile, rules: Rules) -> Option<Comparison> {
    let paired = results.order == Some(Order::Interleaved);
    let mut pairs = Vec::new();
    let (mut only_in_baseline, mut only_in_candidate) = (Vec::new(), Vec::new());
    for runtime in crate::cases::runtimes(results) {
        let of_it: Vec<&Case> = (results.cases.iter())
            .filter(|c| c.runtime == runtime && c.params.io_driver.is_some())
            .collect();
        let mut drivers: Vec<IoDriver> = Vec::new();
        for driver in of_it.iter().filter_map(|c| c.params.io_driver) {
            if !drivers.contains(&driver) {
                drivers.push(driver);
            }
        }
        let [first, _, ..] = drivers[..] else {
            continue;
        };
        let (bases, mut unmatched): (Vec<&Case>, Vec<&Case>) =
            (of_it.iter()).partition(|c| c.params.io_driver == Some(first));
        for base in bases {
            let twin =
                |c: &&Case| c.workload == base.workload && same_point(&c.params, &base.params);
            let mut any = false;
            while let Some(i) = unmatched.iter().position(twin) {
                let cand = unmatched.remove(i);
                any = true;
                pairs.push(Pair {
                    changes: changes(base, cand, paired, rules),
                    baseline: base.clone(),
                    candidate: cand.clone(),
                });
            }
            if !any {
                only_in_baseline.push(base.clone());
            }
        }
        only_in_candidate.extend(unmatched.into_iter().cloned());
    }
    if pairs.is_empty() && only_in_candidate.is_empty() {
        return None;
    }
    let side = Side {
        created: results.created.clone(),
        host: results.host.clone(),
    };
    Some(Comparison {
        baseline: side.clone(),
        candidate: side,
        warnings: Vec::new(),
        pairs,
        only_in_baseline,
        only_in_candidate,
        rules,
        paired,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_share_their_base_name() {
        assert_eq!(base_name("tokio@1.38.0"), "tokio");
        assert_eq!(
            base_name("tokio-current-thread@../t/tokio"),
            "tokio-current-thread"
        );
        assert_eq!(base_name("smol"), "smol");
    }
}
