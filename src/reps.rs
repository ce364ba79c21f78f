//! How many repetitions a case gets: a fixed count, or `--reps auto`, which
//! adds rounds until the median time (in counts mode, the mean instructions
//! per operation) is known precisely enough.

use rtbench_report::Case;
use rtbench_report::count::Count;
use rtbench_report::figure::Figure;

/// How many repetitions each case gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reps {
    /// Exactly this many.
    Fixed(u32),
    /// At least `min`, then more until the 95 % interval of the median time
    /// is within `precision` (a share: 0.02 for 2 %) of it, or `max`. Where
    /// every run has instructions (counts mode), the rule follows the t
    /// interval of the mean instructions per operation instead, the figure
    /// verdicts on counts are decided by.
    Auto {
        /// Rounds always run.
        min: u32,
        /// Wanted half-width of the interval, as a share of the median.
        precision: f64,
        /// Rounds at most.
        max: u32,
    },
}

impl Reps {
    /// The most repetitions a case can get.
    pub fn most(self) -> u32 {
        match self {
            Reps::Fixed(n) => n,
            Reps::Auto { max, .. } => max,
        }
    }

    /// The repetitions every case gets unless it fails.
    pub fn least(self) -> u32 {
        match self {
            Reps::Fixed(n) => n,
            Reps::Auto { min, .. } => min,
        }
    }
}

/// `None` while the case needs more rounds; otherwise why it stops (itself
/// `None` for a fixed count, which needs no explaining).
pub fn stop_reason(case: &Case, round: u32, reps: Reps) -> Option<Option<String>> {
    let instructions = Figure::counts_of(case.about.per_op())[0].values(case);
    let counted = !instructions.is_empty();
    let interval = match counted {
        true => rtbench_report::welch::mean_half_width(&instructions),
        false => (case.summary.as_ref())
            .map(|s| s.wall_s)
            .filter(|t| t.ci_level >= rtbench_report::stats::CONFIDENCE)
            .map(|t| t.relative_half_width()),
    };
    let what = match counted {
        true => Count::Instructions.header(case.about.per_op()),
        false => "time",
    };
    let pct = |share: f64| format!("{} %", (share * 1000.0).round() / 10.0);
    match reps {
        Reps::Fixed(n) => (round >= n).then_some(None),
        Reps::Auto {
            min,
            precision,
            max,
        } => match interval {
            Some(half) if round >= min && half <= precision => Some(Some(format!(
                "{what} interval ±{} within --precision {}",
                pct(half),
                pct(precision)
            ))),
            _ if round >= max => Some(Some(format!(
                "--max-reps {max} reached with the {what} interval at {} (wanted within {})",
                interval.map_or("no 95 % interval".into(), |h| format!("±{}", pct(h))),
                pct(precision)
            ))),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tokio's sleep case of the hand-made counts file: 511.8, 512.0 and
    /// 512.5 million instructions over 100,000 operations.
    fn counted_case() -> Case {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/report/tests/fixtures/counts.json"
        );
        let file = rtbench_report::ResultsFile::read(path.as_ref()).unwrap();
        file.cases[0].clone()
    }

    #[test]
    fn in_counts_mode_auto_follows_the_mean_instructions() {
        // 5118, 5120, 5125 per op: mean 5121, sd √13 = 3.606; the t interval
        // of the mean is ±4.303 · 3.606 / √3 = ±8.96, 0.175 % of 5121.
        let case = counted_case();
        let auto = |precision| Reps::Auto {
            min: 3,
            precision,
            max: 10,
        };
        assert_eq!(
            stop_reason(&case, 3, auto(0.002)),
            Some(Some(
                "instructions/op interval ±0.2 % within --precision 0.2 %".into()
            ))
        );
        assert_eq!(stop_reason(&case, 3, auto(0.001)), None);
        // The same runs without counts follow the time, which 3 runs cannot
        // give a 95 % interval.
        let mut timed = case.clone();
        for run in &mut timed.runs {
            run.counted = None;
        }
        timed.summary = rtbench_report::summary::Summary::of(&timed);
        assert_eq!(stop_reason(&timed, 3, auto(0.5)), None);
    }
}
