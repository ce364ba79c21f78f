//! Variants of one runtime in one run (`tokio`, `tokio@1.38.0`,
//! `tokio@../tokio`): each compared with the first named, the baseline.

use crate::compare::{Comparison, Rules, Side, compare_within};
use crate::results::{Order, ResultsFile};

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
    let side = Side {
        created: results.created.clone(),
        host: results.host.clone(),
    };
    let mut all = Comparison {
        baseline: side.clone(),
        candidate: side,
        warnings: Vec::new(),
        pairs: Vec::new(),
        only_in_baseline: Vec::new(),
        only_in_candidate: Vec::new(),
        rules,
        paired: results.order == Some(Order::Interleaved),
        measure: results.measure.unwrap_or_default(),
    };
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

    #[test]
    fn a_pair_that_cannot_be_compared_says_why_and_the_others_stay() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/full.json");
        let results = ResultsFile::read(std::path::Path::new(path)).unwrap();
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
