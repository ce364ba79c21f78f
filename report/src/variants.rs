//! Variants of one runtime in one run (`tokio`, `tokio@1.38.0`,
//! `tokio@../tokio`): each compared with the first named, the baseline.

use crate::compare::{Comparison, Rules, compare_within};
use crate::results::ResultsFile;

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
