//! The verdict method for counts: Welch's t interval on the difference of
//! the means, and its p-value.
//!
//! Counts (instructions, estimated cycles, system calls …) barely vary
//! between runs of one build, and not with the machine's speed: their runs
//! sit in a narrow, roughly symmetric band without the right-skewed bursts
//! of wall time. A rank test wastes that: its interval is made of the runs
//! themselves, so it cannot reach 95 % below 4 runs a side however tight
//! they are. The t interval uses their spread, so three runs a side give an
//! interval a few tenths of a percent wide. Welch's form does not assume the
//! two sides vary alike (a change can make a count steadier or noisier).
//! Runs of one interleaved file are not paired: counts do not drift with the
//! machine, so pairing would only cost degrees of freedom.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::{self, CONFIDENCE, Shift};

/// The method in words, for footers and the guide.
pub const METHOD: &str = "Welch's t interval on the difference of the means (counts barely vary, \
     so 2 runs a side give a verdict; identical runs give a zero-width interval)";

/// The difference of means from `baseline` to `candidate` (candidate −
/// baseline) with its 95 % Welch interval and two-sided p-value; `None`
/// with fewer than 2 runs a side. Where both sides are exactly steady (zero
/// spread, as identical counts are), the interval is the difference itself
/// and the p-value is 1 for no difference and 0 for any.
pub fn shift(baseline: &[f64], candidate: &[f64]) -> Option<Shift> {
    if baseline.len() < 2 || candidate.len() < 2 {
        return None;
    }
    let (mb, mc) = (stats::mean(baseline)?, stats::mean(candidate)?);
    let share = |values: &[f64], mean: f64| variance(values, mean) / values.len() as f64;
    let (vb, vc) = (share(baseline, mb), share(candidate, mc));
    let estimate = mc - mb;
    let se = (vb + vc).sqrt();
    // Below this the spread is rounding of identical values, not a spread.
    let steady = 1e-12 * mb.abs().max(mc.abs());
    if se <= steady {
        let p_value = if estimate.abs() <= steady { 1.0 } else { 0.0 };
        return Some(Shift {
            estimate,
            low: estimate,
            high: estimate,
            paired: false,
            p_value,
        });
    }
    let t = StudentsT::new(0.0, 1.0, degrees_of_freedom(baseline, vb, candidate, vc))
        .expect("positive degrees of freedom");
    let half = t.inverse_cdf(1.0 - (1.0 - CONFIDENCE) / 2.0) * se;
    Some(Shift {
        estimate,
        low: estimate - half,
        high: estimate + half,
        paired: false,
        p_value: 2.0 * (1.0 - t.cdf(estimate.abs() / se)),
    })
}

/// The half-width of the 95 % t interval of the mean of `values`, as a
/// share of the mean (0.002 for ±0.2 %); `None` with fewer than 2 values
/// or a zero mean. Identical values give 0.
pub fn mean_half_width(values: &[f64]) -> Option<f64> {
    let n = values.len();
    let mean = stats::mean(values).filter(|m| *m != 0.0 && n >= 2)?;
    let sd = variance(values, mean).sqrt();
    if sd <= 1e-12 * mean.abs() {
        return Some(0.0);
    }
    let t = StudentsT::new(0.0, 1.0, n as f64 - 1.0).expect("n ≥ 2");
    Some(t.inverse_cdf(1.0 - (1.0 - CONFIDENCE) / 2.0) * sd / (n as f64).sqrt() / mean.abs())
}

/// The Welch–Satterthwaite degrees of freedom, where `vb` and `vc` are each
/// side's variance over its count (s²/n).
pub fn degrees_of_freedom(baseline: &[f64], vb: f64, candidate: &[f64], vc: f64) -> f64 {
    let part = |v: f64, values: &[f64]| v * v / (values.len() as f64 - 1.0);
    (vb + vc).powi(2) / (part(vb, baseline) + part(vc, candidate))
}

/// The sample variance (n − 1) of `values` around their `mean`.
fn variance(values: &[f64], mean: f64) -> f64 {
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() as f64 - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_runs_a_side_by_hand() {
        // Means 11 and 14, both variances 1: se = √(1/3 + 1/3) = 0.816497,
        // df = (2/3)² / (2 · (1/3)² / 2) = 4, t(0.975, 4) = 2.776445 (any
        // t table), so 3 ± 2.266958. t = 3 / 0.816497 = 3.674; the table's
        // two-sided 0.02 and 0.05 points at df 4 are 3.747 and 2.776.
        let s = shift(&[10.0, 11.0, 12.0], &[13.0, 14.0, 15.0]).unwrap();
        assert_eq!(s.estimate, 3.0);
        assert!((s.low - 0.733042).abs() < 1e-5, "{}", s.low);
        assert!((s.high - 5.266958).abs() < 1e-5, "{}", s.high);
        assert!(s.p_value > 0.02 && s.p_value < 0.05, "{}", s.p_value);
        assert!(s.significant());
    }

    #[test]
    fn unequal_spreads_take_the_welch_degrees_of_freedom() {
        // Variances 4 and 1 over 3 runs: (5/3)² / ((4/3)²/2 + (1/3)²/2) = 50/17.
        let (b, c) = ([10.0, 12.0, 14.0], [15.0, 16.0, 17.0]);
        let df = degrees_of_freedom(&b, 4.0 / 3.0, &c, 1.0 / 3.0);
        assert!((df - 50.0 / 17.0).abs() < 1e-12);
        // t(0.975, 2.94) lies between the table's 3.182 (df 3) and 4.303 (df 2).
        let s = shift(&b, &c).unwrap();
        let half = (s.high - s.low) / 2.0 / (5.0f64 / 3.0).sqrt();
        assert!(half > 3.182 && half < 4.303, "{half}");
    }

    #[test]
    fn identical_runs_give_a_point_not_nan() {
        let same = shift(&[1000.0; 3], &[1000.0; 3]).unwrap();
        assert_eq!((same.estimate, same.low, same.high), (0.0, 0.0, 0.0));
        assert_eq!(same.p_value, 1.0);
        assert!(!same.significant());
        let moved = shift(&[1000.0; 3], &[1020.0; 3]).unwrap();
        assert_eq!((moved.low, moved.high, moved.p_value), (20.0, 20.0, 0.0));
        assert!(moved.significant());
        // One side steady, the other not: df is the other side's n − 1.
        let half = shift(&[1000.0; 3], &[1019.0, 1020.0, 1021.0]).unwrap();
        assert!(half.low > 0.0 && half.p_value.is_finite());
        assert_eq!(shift(&[1.0], &[2.0, 3.0]), None);
    }

    #[test]
    fn the_mean_interval_of_three_runs_by_hand() {
        // Mean 100, sd 1: t(0.975, 2) = 4.302653 · 1 / √3 = 2.484138, of 100.
        let half = mean_half_width(&[99.0, 100.0, 101.0]).unwrap();
        assert!((half - 0.02484138).abs() < 1e-7, "{half}");
        assert_eq!(mean_half_width(&[7.0; 3]), Some(0.0));
        assert_eq!(mean_half_width(&[7.0]), None);
    }
}
