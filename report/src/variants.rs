//! Variants of one runtime in one run (`tokio`, `tokio@1.38.0`,
//! `tokio@../tokio`), and the I/O drivers of one runtime (`--io-driver
//! uring,epoll`): each compared with the first named, the baseline.

use crate::cases::same_point;
use crate::compare::{Comparison, Pair, Rules, changes, compare_within};
use crate::results::{Case, IoDriver, Order, ResultsFile};

/// The runtime a case's name is a variant of: `tokio` for `tokio@1.38.0`.
pub fn base_name(runtime: &str) -> &str {
    runtime.split_once('@').map_or(runtime, |(base, _)| base)
}

/// The comparison of every variant with the first-named variant of its
/// runtime, in one [`Comparison`] (paired when the run was interleaved);
/// `None` when no runtime has two variants in `results`. A variant that
/// cannot be compared is named with why among the comparison's warnings;
/// the others are compared all the same.
pub fn compare_variants(results: &ResultsFile, rules: Rules) -> Option<Comparison> {
    let names = crate::cases::runtimes(results);
    let mut variants = Vec::new();
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
            variants.push((baseline.as_str(), candidate.as_str()));
        }
    }
    (!variants.is_empty()).then(|| compare_pairs(results, &variants, rules))
}

/// Each `(baseline, candidate)` of `variants` compared, in one
/// [`Comparison`]; one that fails is a warning saying why.
fn compare_pairs(results: &ResultsFile, variants: &[(&str, &str)], rules: Rules) -> Comparison {
    let mut all = Comparison::within(results, rules);
    for (baseline, candidate) in variants {
        match compare_within(results, baseline, candidate, rules) {
            Ok(one) => {
                all.pairs.extend(one.pairs);
                all.only_in_baseline.extend(one.only_in_baseline);
                all.only_in_candidate.extend(one.only_in_candidate);
            }
            Err(why) => all
                .warnings
                .push(format!("{baseline} → {candidate} not compared: {why}")),
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
/// case of the same runtime, workload, parameters and threads on the runtime's first
/// driver, the baseline (the first named in `--io-driver`). Paired round by
/// round when the run was interleaved, and every figure `changes` knows is
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
            let twin = |c: &&Case| {
                (c.workload, c.threads) == (base.workload, base.threads)
                    && same_point(&c.params, &base.params)
            };
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
    Some(Comparison {
        pairs,
        only_in_baseline,
        only_in_candidate,
        ..Comparison::within(results, rules)
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::compare::{Verdict, pair_labels};
    use crate::figure::Figure;
    use crate::results::Workload;
    use crate::summary::Summary;

    /// full.json's monoio sleep case on io_uring and on epoll, and tokio's
    /// on epoll, ten interleaved rounds each on a machine whose speed drifts
    /// 10 % a round: monoio on epoll 5 % slower than on io_uring every round.
    fn drivers_file() -> ResultsFile {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full.json");
        let mut file = ResultsFile::read(&path).unwrap();
        file.order = Some(Order::Interleaved);
        file.cases.retain(|c| {
            c.workload == Workload::named("sleep")
                && ["monoio", "tokio"].contains(&c.runtime.as_str())
        });
        let monoio = file.cases.iter().position(|c| c.runtime == "monoio");
        let mut epoll = file.cases[monoio.unwrap()].clone();
        epoll.params.io_driver = Some(IoDriver::Epoll);
        file.cases[monoio.unwrap()].params.io_driver = Some(IoDriver::IoUring);
        file.cases.push(epoll);
        for case in &mut file.cases {
            let slower = case.params.io_driver == Some(IoDriver::Epoll) && case.runtime == "monoio";
            case.params.io_driver.get_or_insert(IoDriver::Epoll);
            let template = case.runs[0].clone();
            case.runs = (0..10)
                .map(|round| {
                    let mut run = template.clone();
                    run.wall_s = (1.0 + 0.1 * round as f64) * if slower { 1.05 } else { 1.0 };
                    run
                })
                .collect();
            case.summary = Summary::of(case);
        }
        file
    }

    #[test]
    fn the_drivers_of_one_runtime_are_paired_round_by_round() {
        let c = compare_drivers(&drivers_file(), Rules::default()).unwrap();
        assert!(c.paired);
        let pairs: Vec<&Pair> = c.pairs.iter().collect();
        // tokio runs on one driver: nothing to compare it with.
        assert_eq!(pair_labels(&pairs), ["monoio: io_uring → epoll"]);
        assert!(c.only_in_baseline.is_empty() && c.only_in_candidate.is_empty());
        let time = c.pairs[0].change(Figure::Time).unwrap();
        // Every round's difference is 5 % of that round's time; their
        // Hodges–Lehmann centre is 5 % of the median, and the drift cancels.
        assert_eq!(time.verdict, Verdict::Worse, "{}", time.text());
        assert!(
            (time.percent.unwrap() - 5.0).abs() < 1e-9,
            "{}",
            time.text()
        );
    }

    #[test]
    fn drivers_are_compared_by_every_figure_two_runtimes_are() {
        let file = drivers_file();
        let drivers = compare_drivers(&file, Rules::default()).unwrap();
        // The same two cases as two runtimes of one file.
        let mut apart = file.clone();
        for case in &mut apart.cases {
            if case.runtime == "monoio" && case.params.io_driver == Some(IoDriver::Epoll) {
                case.runtime = "monoio-epoll".into();
            }
            case.params.io_driver = None;
        }
        let runtimes = compare_within(&apart, "monoio", "monoio-epoll", Rules::default());
        assert_eq!(drivers.pairs[0].changes, runtimes.unwrap().pairs[0].changes);
    }

    #[test]
    fn a_case_on_one_driver_only_is_named_and_a_run_without_drivers_has_no_comparison() {
        let mut file = drivers_file();
        let on_epoll =
            |c: &&Case| c.runtime == "monoio" && c.params.io_driver == Some(IoDriver::Epoll);
        let mut lone = file.cases.iter().find(on_epoll).unwrap().clone();
        lone.params.ops += 1;
        file.cases.push(lone.clone());
        // The same point on other threads (`--threads 1,2`) is another case.
        lone.params.ops -= 1;
        lone.threads += 1;
        file.cases.push(lone);
        let c = compare_in_run(&file, Rules::default()).unwrap();
        assert_eq!(c.pairs.len(), 1);
        assert_eq!(c.only_in_candidate.len(), 2);
        for case in &mut file.cases {
            case.params.io_driver = None;
        }
        assert!(compare_drivers(&file, Rules::default()).is_none());
    }

    #[test]
    fn variants_share_their_base_name() {
        assert_eq!(base_name("tokio@1.38.0"), "tokio");
        assert_eq!(
            base_name("tokio-current-thread@../t/tokio"),
            "tokio-current-thread"
        );
        assert_eq!(base_name("smol"), "smol");
    }

    #[test]
    fn a_pair_that_cannot_be_compared_says_why_and_the_others_stay() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/full.json");
        let results = ResultsFile::read(Path::new(path)).unwrap();
        let variants = [
            ("tokio", "smol"),
            ("tokio", "tokio@gone"),
            ("smol", "compio"),
        ];
        let c = compare_pairs(&results, &variants, Rules::default());
        // tokio and smol share sleep and cancel; smol and compio only sleep.
        let pairs: Vec<(&str, &str)> = (c.pairs.iter())
            .map(|p| (p.baseline.runtime.as_str(), p.candidate.runtime.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("tokio", "smol"), ("tokio", "smol"), ("smol", "compio")]
        );
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(
            c.warnings[0].starts_with(
                "tokio → tokio@gone not compared: --candidate tokio@gone: no case of that runtime"
            ),
            "{}",
            c.warnings[0]
        );
    }
}
