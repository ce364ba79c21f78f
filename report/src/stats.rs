//! The statistics behind every interval and verdict, chosen for what rtbench
//! has: a few to a few dozen whole-process runs per case, right-skewed, with
//! the occasional burst from another process on a shared machine.
//!
//! - The median's interval comes from order statistics (binomial): it needs
//!   no assumption about the runs' distribution and ignores how far an
//!   outlier lies.
//! - Outliers are counted by the modified z-score (Iglewicz and Hoaglin, as
//!   hyperfine uses): |0.6745 (x − median) / MAD| > 3.5.
//! - A change between two sets of runs is the Hodges–Lehmann estimate of the
//!   shift with its rank-based interval: the Mann–Whitney interval for two
//!   independent sets, the Wilcoxon signed-rank interval for runs paired
//!   round by round. Both are robust to one wild run and lose little power
//!   against a t-test when the runs are normal (95 % efficiency). Critical
//!   values use the normal approximation (statrs), truncated down, so the
//!   intervals are never narrower than they should be.

use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal};
use statrs::statistics::Statistics;

/// The confidence level of every interval and test: 95 %.
pub const CONFIDENCE: f64 = 0.95;

/// A run whose modified z-score exceeds this is an outlier.
pub const OUTLIER_Z: f64 = 3.5;

/// The rule outliers are counted by, in words, for footers.
pub const OUTLIER_RULE: &str = "modified z-score |0.6745·(x − median)/MAD| > 3.5";

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// An interval of the median and the confidence it really has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MedianInterval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Its exact coverage, 1 − 2 P(B ≤ k − 1) for B ~ Binomial(n, ½):
    /// at least [`CONFIDENCE`] from 6 runs on; below that the widest
    /// interval there is (min–max), whose coverage is lower (93.75 % of 5).
    pub level: f64,
}

/// The distribution-free interval of the median of `values`: the k-th
/// smallest to the k-th largest, with k the largest for which the coverage
/// stays at least [`CONFIDENCE`] (k = 1, min–max, when no k reaches it).
pub fn median_interval(values: &[f64]) -> Option<MedianInterval> {
    let sorted = sorted(values);
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let binomial = Binomial::new(0.5, n as u64).expect("valid binomial");
    let tail = |k: usize| binomial.cdf(k as u64 - 1);
    let alpha = (1.0 - CONFIDENCE) / 2.0;
    let mut k = 1;
    while k < n.div_ceil(2) && tail(k + 1) <= alpha {
        k += 1;
    }
    Some(MedianInterval {
        low: sorted[k - 1],
        high: sorted[n - k],
        level: (1.0 - 2.0 * tail(k)).max(0.0),
    })
}

/// How many of `values` are outliers under [`OUTLIER_RULE`]. Where the MAD is
/// zero (more than half the runs equal), the mean absolute deviation scaled
/// to match (× 1.2533) stands in; where that is zero too, nothing is.
pub fn outliers(values: &[f64]) -> usize {
    let Some(middle) = median(values) else {
        return 0;
    };
    let deviations: Vec<f64> = values.iter().map(|v| (v - middle).abs()).collect();
    let mad = median(&deviations).unwrap_or(0.0);
    let scale = if mad > 0.0 {
        mad / 0.6745
    } else {
        1.253_314 * deviations.iter().mean()
    };
    if scale.is_nan() || scale <= 0.0 {
        return 0;
    }
    deviations.iter().filter(|d| *d / scale > OUTLIER_Z).count()
}

/// Sample standard deviation (n − 1); `None` for fewer than two values.
pub fn std_dev(values: &[f64]) -> Option<f64> {
    (values.len() >= 2).then(|| values.iter().std_dev())
}

/// Arithmetic mean; `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().mean())
}

/// An estimated shift from one set of runs to another, in their unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// The Hodges–Lehmann estimate: candidate − baseline.
    pub estimate: f64,
    /// Lower end of its 95 % interval.
    pub low: f64,
    /// Upper end of its 95 % interval.
    pub high: f64,
    /// Whether the runs were paired round by round (signed-rank) rather
    /// than taken as two independent sets (Mann–Whitney).
    pub paired: bool,
    /// The two-sided p-value of no shift, from the same statistic as the
    /// interval (normal approximation), for corrections over many tests.
    pub p_value: f64,
}

impl Shift {
    /// Whether the interval excludes zero: the shift is significant at 95 %.
    pub fn significant(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The shift from `baseline` to `candidate`. With `paired`, round i of one is
/// paired with round i of the other (both need the same count) and the
/// signed-rank interval is used; it needs 6 pairs to reach 95 %, so with
/// fewer, or unpaired, the Mann–Whitney interval is used, which needs at
/// least 4 runs a side. `None` when neither can reach 95 %.
pub fn shift(baseline: &[f64], candidate: &[f64], paired: bool) -> Option<Shift> {
    if paired && baseline.len() == candidate.len() {
        let differences: Vec<f64> = baseline.iter().zip(candidate).map(|(b, c)| c - b).collect();
        if let Some(shift) = signed_rank(&differences) {
            return Some(shift);
        }
    }
    mann_whitney(baseline, candidate)
}

/// The Hodges–Lehmann estimate and Wilcoxon signed-rank interval of the
/// centre of `differences`: the median of the Walsh averages, and the C-th
/// smallest to the C-th largest of them.
fn signed_rank(differences: &[f64]) -> Option<Shift> {
    let n = differences.len() as f64;
    let mut walsh = Vec::with_capacity(differences.len() * (differences.len() + 1) / 2);
    for (i, a) in differences.iter().enumerate() {
        for b in &differences[i..] {
            walsh.push((a + b) / 2.0);
        }
    }
    let spread = (n * (n + 1.0) * (2.0 * n + 1.0) / 24.0).sqrt();
    interval_of(walsh, spread, true)
}

/// The Hodges–Lehmann estimate and Mann–Whitney interval of the shift from
/// `baseline` to `candidate`: the median of every difference c − b, and the
/// C-th smallest to the C-th largest of them.
fn mann_whitney(baseline: &[f64], candidate: &[f64]) -> Option<Shift> {
    let (n, m) = (baseline.len() as f64, candidate.len() as f64);
    let differences: Vec<f64> = baseline
        .iter()
        .flat_map(|b| candidate.iter().map(move |c| c - b))
        .collect();
    let spread = (n * m * (n + m + 1.0) / 12.0).sqrt();
    interval_of(differences, spread, false)
}

/// The median of `estimates` and the interval that drops C − 1 of them at
/// each end, C = ⌊N/2 − z·spread⌋, where `spread` is the standard deviation
/// of the rank statistic; `None` when C < 1 (95 % cannot be reached).
fn interval_of(estimates: Vec<f64>, spread: f64, paired: bool) -> Option<Shift> {
    let sorted = sorted(&estimates);
    let total = sorted.len();
    let z = Normal::new(0.0, 1.0)
        .expect("standard normal")
        .inverse_cdf(1.0 - (1.0 - CONFIDENCE) / 2.0);
    let c = (total as f64 / 2.0 - z * spread).floor();
    if c < 1.0 {
        return None;
    }
    let c = c as usize;
    // The rank statistic: estimates above 0, ties at 0 counted half.
    let above = sorted.iter().filter(|e| **e > 0.0).count() as f64
        + 0.5 * sorted.iter().filter(|e| **e == 0.0).count() as f64;
    Some(Shift {
        estimate: median(&sorted)?,
        low: sorted[c - 1],
        high: sorted[total - c],
        paired,
        p_value: two_sided_p((above - total as f64 / 2.0) / spread),
    })
}

/// The smallest p-value the rank test behind [`shift`] can give with these
/// many runs: every estimate on one side of 0 (the signed-rank test's over
/// `baseline` pairs when `paired`, else Mann–Whitney's).
pub fn smallest_p(baseline: usize, candidate: usize, paired: bool) -> f64 {
    let (n, m) = (baseline as f64, candidate as f64);
    let (total, spread) = if paired {
        (
            n * (n + 1.0) / 2.0,
            (n * (n + 1.0) * (2.0 * n + 1.0) / 24.0).sqrt(),
        )
    } else {
        (n * m, (n * m * (n + m + 1.0) / 12.0).sqrt())
    };
    two_sided_p(total / 2.0 / spread)
}

/// The two-sided p-value of a standard normal statistic `z`.
pub fn two_sided_p(z: f64) -> f64 {
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    (2.0 * (1.0 - normal.cdf(z.abs()))).min(1.0)
}

/// Which of `p_values` Holm–Bonferroni rejects at 1 − [`CONFIDENCE`] over
/// the family: sorted ascending, the i-th smallest (from 0) is rejected
/// while it stays at or below α / (m − i); the first that does not stops
/// it. The chance of any false rejection stays at most α however many are
/// tested, with more power than plain Bonferroni (α / m for all).
pub fn holm(p_values: &[f64]) -> Vec<bool> {
    let alpha = 1.0 - CONFIDENCE;
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p_values[*a].total_cmp(&p_values[*b]));
    let mut rejected = vec![false; m];
    for (rank, &i) in order.iter().enumerate() {
        if p_values[i] > alpha / (m - rank) as f64 {
            break;
        }
        rejected[i] = true;
    }
    rejected
}

/// `values` sorted ascending (NaN last).
fn sorted(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_interval_takes_the_order_statistics_a_binomial_allows() {
        // n = 30: P(B ≤ 9) = 0.0214 ≤ 0.025 < P(B ≤ 10) = 0.0494, so k = 10:
        // the 10th smallest to the 10th largest (21st), coverage 1 − 2·0.0214.
        let values: Vec<f64> = (1..=30).rev().map(f64::from).collect();
        let ci = median_interval(&values).unwrap();
        assert_eq!((ci.low, ci.high), (10.0, 21.0));
        assert!((ci.level - 0.9572).abs() < 1e-4, "{}", ci.level);
        // n = 6: only min–max, P(B ≤ 0) = 1/64, coverage 62/64.
        let six = median_interval(&[3.0, 1.0, 2.0, 6.0, 5.0, 4.0]).unwrap();
        assert_eq!((six.low, six.high), (1.0, 6.0));
        assert!((six.level - 62.0 / 64.0).abs() < 1e-12);
        // n = 5: min–max is the best there is, at 30/32 = 93.75 %.
        let five = median_interval(&[5.0, 1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((five.low, five.high), (1.0, 5.0));
        assert!((five.level - 0.9375).abs() < 1e-12);
        assert!(median_interval(&[7.0]).unwrap().level.abs() < 1e-12);
        assert_eq!(median_interval(&[]), None);
    }

    #[test]
    fn outliers_by_modified_z_score() {
        // median 10, MAD 1 → scale 1.4826; 20 is 6.7 scales out, 12 is 1.35.
        assert_eq!(outliers(&[9.0, 10.0, 11.0, 10.0, 12.0, 20.0, 9.0]), 1);
        assert_eq!(outliers(&[1.0, 2.0, 3.0, 4.0, 5.0]), 0);
        // MAD 0: the mean absolute deviation stands in (0.5 × 1.2533 here),
        // so a run 5 away is an outlier and identical runs are none.
        assert_eq!(
            outliers(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 6.0]),
            1
        );
        assert_eq!(outliers(&[2.0; 8]), 0);
    }

    #[test]
    fn mean_and_sample_sd() {
        assert_eq!(mean(&[1.0, 2.0, 3.0, 6.0]), Some(3.0));
        // Σ(x − 3)² = 4 + 1 + 0 + 9 = 14, / 3.
        assert!((std_dev(&[1.0, 2.0, 3.0, 6.0]).unwrap() - (14.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(std_dev(&[1.0]), None);
    }

    #[test]
    fn mann_whitney_interval_of_five_a_side() {
        // 25 differences c − b; C = ⌊12.5 − 1.96·√(25·11/12)⌋ = ⌊3.12⌋ = 3,
        // so the 3rd smallest to the 3rd largest, as the exact table gives.
        let base = [10.0, 11.0, 12.0, 13.0, 14.0];
        let cand = [20.0, 21.0, 22.0, 23.0, 24.0];
        let s = shift(&base, &cand, false).unwrap();
        // Differences run 6..=14: one 6, two 7, three 8 … → 3rd smallest 7, 3rd largest 13.
        assert_eq!(
            (s.estimate, s.low, s.high, s.paired),
            (10.0, 7.0, 13.0, false)
        );
        assert!(s.significant());
        // Three a side cannot reach 95 %.
        assert_eq!(shift(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0], false), None);
    }

    #[test]
    fn signed_rank_interval_needs_six_pairs() {
        // Differences 1..=6: 21 Walsh averages; C = ⌊10.5 − 1.96·√(6·7·13/24)⌋
        // = ⌊1.15⌋ = 1: the whole range, 1 to 6; the median average is 3.5.
        let base = [10.0; 6];
        let cand = [11.0, 12.0, 13.0, 14.0, 15.0, 16.0];
        let s = shift(&base, &cand, true).unwrap();
        assert_eq!((s.estimate, s.low, s.high, s.paired), (3.5, 1.0, 6.0, true));
        // Five pairs fall back to the unpaired interval.
        assert!(!shift(&base[..5], &cand[..5], true).unwrap().paired);
    }

    #[test]
    fn rank_p_values_agree_with_the_interval() {
        // Five a side, fully apart: all 25 differences above 0, so the
        // statistic is 25 against a mean of 12.5 and a spread of √(25·11/12):
        // z = 12.5 / 4.787 = 2.611, p = 0.00902 (normal table).
        let s = shift(
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &[6.0, 7.0, 8.0, 9.0, 10.0],
            false,
        )
        .unwrap();
        assert!((s.p_value - 0.00902).abs() < 1e-4, "{}", s.p_value);
        let same = shift(
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            false,
        )
        .unwrap();
        assert!(same.p_value > 0.9, "{}", same.p_value);
    }

    #[test]
    fn few_runs_cannot_reach_a_small_p() {
        // Six a side, all 36 differences above 0: z = 18 / √(36·13/12) = 2.882,
        // p = 0.00395 (normal table): above 0.05 / 14 = 0.00357.
        assert!((smallest_p(6, 6, false) - 0.00395).abs() < 1e-4);
        // Twenty pairs: z = 105 / √(20·21·41/24) = 3.919, p = 0.0000889.
        assert!((smallest_p(20, 20, true) - 0.0000889).abs() < 1e-6);
    }

    #[test]
    fn holm_steps_down_past_bonferroni() {
        // m = 3, α = 0.05: 0.012 ≤ 0.05/3, 0.02 ≤ 0.05/2, 0.2 > 0.05/1.
        // Plain Bonferroni (0.0167 for each) would keep only the first.
        assert_eq!(holm(&[0.2, 0.012, 0.02]), [false, true, true]);
        // m = 4: 0.005 ≤ 0.0125, 0.01 ≤ 0.0167, 0.03 > 0.025 stops it, so
        // 0.04 is kept too though it is below 0.05 on its own.
        assert_eq!(holm(&[0.01, 0.04, 0.03, 0.005]), [true, false, false, true]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn one_wild_run_does_not_move_the_estimate() {
        let base = [1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01, 0.99];
        let mut cand = base;
        cand[3] = 9.0;
        let s = shift(&base, &cand, true).unwrap();
        assert_eq!(s.estimate, 0.0);
        assert!(!s.significant());
    }
}
