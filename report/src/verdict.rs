//! Verdicts: whether a figure moved between two sets of runs, by how much,
//! with what uncertainty, under a stated rule.

use crate::count::Count;
use crate::figure::Figure;
use crate::stats;
use crate::summary::Stat;

/// How verdicts are decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// A change of a timed figure (time, throughput, CPU, memory, latency)
    /// whose estimate is smaller than this, in percent of the baseline's
    /// median, is within noise even when significant. Each count has its
    /// own threshold, from its measured spread ([`Count::threshold_pct`]).
    pub threshold_pct: f64,
}

impl Rules {
    /// The noise threshold of `figure`, in percent.
    pub fn threshold_of(self, figure: Figure) -> f64 {
        figure
            .count()
            .map_or(self.threshold_pct, Count::threshold_pct)
    }
}

impl Default for Rules {
    /// The default noise threshold: 2 %.
    fn default() -> Self {
        Rules { threshold_pct: 2.0 }
    }
}

/// How one figure moved from baseline to candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Which figure.
    pub figure: Figure,
    /// Its statistics in the baseline, in the figure's unit.
    pub baseline: Stat,
    /// Its statistics in the candidate.
    pub candidate: Stat,
    /// The estimated change in percent of the baseline's median (the
    /// Hodges–Lehmann shift, or the medians' difference where there are too
    /// few runs for a test); for a count, the means' difference in percent
    /// of the baseline's mean; `None` when that is 0.
    pub percent: Option<f64>,
    /// The 95 % interval of `percent`; `None` when there are too few runs
    /// for a test or the baseline's median is 0.
    pub interval: Option<(f64, f64)>,
    /// Whether runs were paired round by round.
    pub paired: bool,
    /// The two-sided p-value of no change; `None` without an interval.
    pub p_value: Option<f64>,
    /// Better, worse, or within noise.
    pub verdict: Verdict,
}

/// What a change means for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Moved in the figure's better direction: the 95 % interval excludes
    /// no change and the estimate exceeds the noise threshold.
    Better,
    /// Moved in the worse direction, by the same rule.
    Worse,
    /// Not shown to differ at 95 %, or by less than the noise threshold.
    WithinNoise,
}

impl Verdict {
    /// The word a table shows.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::WithinNoise => "within noise",
        }
    }
}

/// Said under a comparison where some change has no interval.
pub const NO_INTERVAL: &str = "no interval: too few runs for a 95 % interval (the Mann–Whitney \
     interval needs 4 runs a side), so no verdict; rerun with --reps 5 or more";

/// The method verdicts of timed figures follow, in words, for footers and
/// the guide.
pub fn method(rules: Rules) -> String {
    format!(
        "change = Hodges–Lehmann estimate of the shift, in % of the baseline median, with its \
         95 % interval (Mann–Whitney for two separate runs; Wilcoxon signed-rank, round by \
         round, for cases of one interleaved run); better or worse only when the interval \
         excludes 0 and the estimate exceeds {} %, otherwise within noise",
        crate::figure::significant(rules.threshold_pct, 2)
    )
}

/// The method verdicts of counts follow, in words, with each count's
/// threshold.
pub fn counts_method() -> String {
    let thresholds: Vec<String> = (Count::ALL.iter())
        .map(|c| {
            let name = c.header(true).trim_end_matches("/op");
            format!(
                "{name} {} %",
                crate::figure::significant(c.threshold_pct(), 2)
            )
        })
        .collect();
    format!(
        "counts: change = difference of the means, in % of the baseline mean, with {}; better \
         or worse only when the interval excludes 0 and the change exceeds the count's \
         threshold ({})",
        crate::welch::METHOD,
        thresholds.join(", ")
    )
}

impl Change {
    /// `-26.4 %`, `+3.0 %`, or `n/a` when there is no percentage.
    pub fn percent_text(&self) -> String {
        match self.percent {
            Some(p) => signed(p),
            None => "n/a".into(),
        }
    }

    /// The change with its interval, `+5.1 % (+2.9 … +7.4)`, or `+5.1 % (no
    /// interval)` when there are too few runs for one.
    pub fn text(&self) -> String {
        match (self.percent, self.interval) {
            (Some(_), Some((low, high))) => format!(
                "{} ({} … {})",
                self.percent_text(),
                signed_bare(low),
                signed_bare(high)
            ),
            (Some(_), None) => format!("{} (no interval)", self.percent_text()),
            (None, _) => self.percent_text(),
        }
    }
}

/// `+5.1 %`, `-0.3 %`, `0.0 %`.
fn signed(p: f64) -> String {
    format!("{} %", signed_bare(p))
}

/// `+5.1`, `-0.3`, `0.0`.
fn signed_bare(p: f64) -> String {
    let rounded = (p * 10.0).round() / 10.0;
    if rounded == 0.0 {
        "0.0".into()
    } else {
        format!("{rounded:+.1}")
    }
}

/// How `figure` moved from the `baseline` runs to the `candidate` runs (in
/// the figure's unit, round by round when `paired`); `None` when either side
/// has no runs.
pub fn change(
    figure: Figure,
    baseline: &[f64],
    candidate: &[f64],
    paired: bool,
    rules: Rules,
) -> Option<Change> {
    let (b, c) = (Stat::of(baseline)?, Stat::of(candidate)?);
    // Counts by their means (Welch), timed figures by ranks (Hodges–Lehmann).
    let (shift, centre, moved) = match figure.count() {
        Some(_) => (
            crate::welch::shift(baseline, candidate),
            b.mean,
            c.mean - b.mean,
        ),
        None => (
            stats::shift(baseline, candidate, paired),
            b.median,
            c.median - b.median,
        ),
    };
    let scale = (centre != 0.0).then(|| 100.0 / centre.abs());
    let percent = scale.map(|k| k * shift.map_or(moved, |s| s.estimate));
    let interval = scale.zip(shift).map(|(k, s)| (k * s.low, k * s.high));
    let beyond = percent.is_some_and(|p| p.abs() > rules.threshold_of(figure));
    let verdict = match shift {
        Some(s) if s.significant() && beyond => {
            if (s.estimate < 0.0) == figure.lower_is_better() {
                Verdict::Better
            } else {
                Verdict::Worse
            }
        }
        _ => Verdict::WithinNoise,
    };
    Some(Change {
        figure,
        baseline: b,
        candidate: c,
        percent,
        interval,
        paired: shift.is_some_and(|s| s.paired),
        p_value: shift.map(|s| s.p_value),
        verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules { threshold_pct: 2.0 };

    fn times(base: &[f64], factor: f64) -> Vec<f64> {
        base.iter().map(|t| t * factor).collect()
    }

    /// Ten runs around 1 s, spread ±1 %.
    const BASE: [f64; 10] = [
        1.0, 1.01, 0.99, 1.005, 0.995, 1.0, 1.008, 0.992, 1.003, 0.997,
    ];

    #[test]
    fn identical_runs_are_within_noise() {
        let c = change(Figure::Time, &BASE, &BASE, true, RULES).unwrap();
        assert_eq!(c.verdict, Verdict::WithinNoise);
        assert_eq!(c.percent_text(), "0.0 %");
        assert_eq!(c.interval, Some((0.0, 0.0)));
        assert!(c.paired);
    }

    #[test]
    fn a_clear_shift_is_worse_for_time_and_better_for_throughput() {
        let slower = times(&BASE, 1.10);
        let c = change(Figure::Time, &BASE, &slower, true, RULES).unwrap();
        // Every paired difference is 10 % of its run (9.9 … 10.1 % of the
        // median, 1.0). Of the 55 Walsh averages, C = ⌊27.5 − 1.96·9.81⌋ = 8:
        // the 8th smallest is 9.95, the 8th largest 10.05.
        assert_eq!(c.verdict, Verdict::Worse);
        let (low, high) = c.interval.unwrap();
        assert!(
            (low - 9.95).abs() < 1e-9 && (high - 10.05).abs() < 1e-9,
            "{low} {high}"
        );
        assert_eq!(c.text(), "+10.0 % (+10.0 … +10.1)");
        let c = change(Figure::Throughput, &BASE, &slower, false, RULES).unwrap();
        assert_eq!(c.verdict, Verdict::Better);
        assert!(!c.paired);
    }

    #[test]
    fn a_significant_shift_inside_the_threshold_is_within_noise() {
        let c = change(Figure::Memory, &BASE, &times(&BASE, 1.01), true, RULES).unwrap();
        // +1 %: every pair agrees, so it is significant, but below 2 %.
        assert!(c.interval.unwrap().0 > 0.0);
        assert_eq!(c.verdict, Verdict::WithinNoise);
        let loose = Rules { threshold_pct: 0.5 };
        let c = change(Figure::Memory, &BASE, &times(&BASE, 1.01), true, loose).unwrap();
        assert_eq!(c.verdict, Verdict::Worse);
    }

    #[test]
    fn one_wild_run_neither_hides_a_shift_nor_makes_one() {
        let mut wild = BASE;
        wild[4] = 3.0;
        let c = change(Figure::Time, &BASE, &wild, true, RULES).unwrap();
        assert_eq!(c.verdict, Verdict::WithinNoise);
        let mut slower_and_wild = times(&BASE, 1.10);
        slower_and_wild[4] = 3.0;
        let c = change(Figure::Time, &BASE, &slower_and_wild, true, RULES).unwrap();
        assert_eq!(c.verdict, Verdict::Worse);
        assert_eq!(c.percent_text(), "+10.0 %");
    }

    #[test]
    fn three_steady_counts_a_side_give_a_verdict() {
        let rules = Rules::default();
        let instructions = Figure::PerOp(Count::Instructions);
        let base = [10_000.0, 10_010.0, 9_990.0];
        // +2 %: Welch 200 ± t(0.975, ≈4) · √(100/3 + 104/3) = 200 ± 22.9, of 10,000.
        let c = change(instructions, &base, &times(&base, 1.02), false, rules).unwrap();
        assert_eq!(c.verdict, Verdict::Worse, "{}", c.text());
        assert_eq!(c.text(), "+2.0 % (+1.8 … +2.2)");
        // +0.6 %: significant (the interval excludes 0) but under the 1 %
        // threshold of instructions.
        let c = change(instructions, &base, &times(&base, 1.006), false, rules).unwrap();
        assert!(c.interval.unwrap().0 > 0.0, "{}", c.text());
        assert_eq!(c.verdict, Verdict::WithinNoise);
        // Identical counts: a zero-width interval at 0, not NaN.
        let c = change(instructions, &[5.0; 3], &[5.0; 3], false, rules).unwrap();
        assert_eq!(
            (c.text(), c.verdict),
            ("0.0 % (0.0 … 0.0)".into(), Verdict::WithinNoise)
        );
    }

    #[test]
    fn too_few_runs_give_no_interval_and_no_verdict() {
        let c = change(
            Figure::Time,
            &[1.0, 1.0, 1.0],
            &[2.0, 2.0, 2.0],
            false,
            RULES,
        )
        .unwrap();
        assert_eq!(c.interval, None);
        assert_eq!(c.verdict, Verdict::WithinNoise);
        assert_eq!(c.text(), "+100.0 % (no interval)");
        let zero = change(Figure::Overhead, &[0.0; 5], &[1.0; 5], false, RULES).unwrap();
        assert_eq!(zero.text(), "n/a");
    }
}
