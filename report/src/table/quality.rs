//! What a reader should know about how far a table's figures can be trusted:
//! one line per kind of trouble naming every case it touches, with the range,
//! and what to do said once.

use crate::cases;
use crate::count::Count;
use crate::figure::{Figure, significant};
use crate::results::{Case, Measure};
use crate::stats::OUTLIER_RULE;

/// A time interval wider than this share of the median marks its case.
pub const WIDE_INTERVAL: f64 = 0.05;

/// What to do when wall time will not settle, said once under a table.
const COUNTS_ADVICE: &str = "where wall time does not settle, use --measure counts \
     (instructions and system calls counted under valgrind, which do not drift)";

/// The time interval's half-width relative to the median, where it is wider
/// than [`WIDE_INTERVAL`].
fn spread(case: &Case) -> Option<f64> {
    let half = cases::figures(case)?.wall_s.relative_half_width();
    (half > WIDE_INTERVAL).then_some(half)
}

/// How many of the case's runs are outliers in time, and of how many, where
/// any are.
fn outliers(case: &Case) -> Option<(usize, usize)> {
    let time = cases::figures(case)?.wall_s;
    (time.outliers > 0).then_some((time.outliers, time.n))
}

/// In counts mode, the t interval of the mean instructions/op as a share of
/// the mean, where it is wider than their noise threshold.
fn loose_count(case: &Case) -> Option<f64> {
    let instructions = Figure::counts_of(case.about.per_op())[0].values(case);
    let half = crate::welch::mean_half_width(&instructions)?;
    (half * 100.0 > Count::Instructions.threshold_pct()).then_some(half)
}

/// Whether counts decide for `cases`: a counts run whose cases have
/// instructions (time is then information only).
fn counts_decide(cases: &[&Case], measure: Measure) -> bool {
    measure == Measure::Counts
        && (cases.iter()).any(|c| !Figure::counts_of(c.about.per_op())[0].values(c).is_empty())
}

/// Whether `case` is named in a [`notes`] line (its row is marked †).
pub fn flagged(case: &Case, measure: Measure) -> bool {
    if counts_decide(&[case], measure) {
        return loose_count(case).is_some();
    }
    spread(case).is_some() || outliers(case).is_some()
}

/// The notes on the trustworthiness of `cases` (shown under `labels`): a line
/// for the cases with outlier runs, a line for those whose time interval is
/// wider than [`WIDE_INTERVAL`], each naming them with the range of the
/// figure, then what to do, once; nothing when no case is flagged. In
/// counts mode, one line for the cases whose instructions/op are known less
/// precisely than their noise threshold instead.
pub fn notes(cases: &[&Case], labels: &[String], measure: Measure) -> Vec<String> {
    if counts_decide(cases, measure) {
        return count_notes(cases, labels);
    }
    let wide = each(cases, labels, spread);
    let odd = each(cases, labels, outliers);
    let noun = noun(cases);
    // Only cases with figures can vary; a failed one is a row saying why.
    let total = cases.iter().filter(|c| cases::figures(c).is_some()).count();
    let mut out = Vec::new();
    let mut advice = Vec::new();
    if !odd.is_empty() {
        let counts = range(odd.iter().map(|o| o.1.0 as f64), |v| format!("{v:.0}"));
        let of_n = range(odd.iter().map(|o| o.1.1 as f64), |v| format!("{v:.0}"));
        let verb = if odd.len() == 1 { "has" } else { "have" };
        out.push(format!(
            "† {} {verb} outlier runs in time ({counts} of {of_n}; {OUTLIER_RULE}){}",
            who(odd.len(), total, noun, odd[0].0),
            named(&odd, total, &[]),
        ));
        advice.push("something else ran: rerun on a quiet machine");
    }
    if !wide.is_empty() {
        let spreads = range(wide.iter().map(|w| w.1 * 100.0), |v| {
            format!("±{}", significant(v, 2))
        });
        let verb = if wide.len() == 1 { "varies" } else { "vary" };
        // Several runtimes, most of them, not one runtime's several cases:
        // the machine, not a runtime.
        let flagged = runtimes(wide.iter().map(|w| w.2));
        let measured = runtimes(
            cases
                .iter()
                .filter(|c| cases::figures(c).is_some())
                .map(|c| c.runtime.as_str()),
        );
        let noisy = flagged > 1 && 2 * flagged >= measured;
        let machine: &[&str] = if noisy {
            &["this machine is noisy"]
        } else {
            &[]
        };
        out.push(format!(
            "† {} {verb} more than {:.0} % in time ({spreads} %){}",
            who(wide.len(), total, noun, wide[0].0),
            WIDE_INTERVAL * 100.0,
            named(&wide, total, machine),
        ));
        advice.push("raise --reps, or use --reps auto");
        advice.push(COUNTS_ADVICE);
    }
    if !advice.is_empty() {
        out.push(format!("what to do: {}", advice.join("; ")));
    }
    out
}

/// [`notes`] in counts mode.
fn count_notes(cases: &[&Case], labels: &[String]) -> Vec<String> {
    let loose = each(cases, labels, loose_count);
    if loose.is_empty() {
        return Vec::new();
    }
    let total = cases.iter().filter(|c| cases::figures(c).is_some()).count();
    let spreads = range(loose.iter().map(|l| l.1 * 100.0), |v| {
        format!("±{}", significant(v, 2))
    });
    let verb = if loose.len() == 1 { "varies" } else { "vary" };
    vec![
        format!(
            "† {} {verb} more than the {} % noise threshold in instructions/op ({spreads} %, \
             t interval of the mean){}",
            who(loose.len(), total, noun(cases), loose[0].0),
            significant(Count::Instructions.threshold_pct(), 2),
            named(&loose, total, &[]),
        ),
        "what to do: raise --reps".into(),
    ]
}

/// The label of each case where `figure` has something to say, with it and
/// the case's runtime.
fn each<'a, T>(
    cases: &[&'a Case],
    labels: &'a [String],
    figure: fn(&Case) -> Option<T>,
) -> Vec<(&'a str, T, &'a str)> {
    cases
        .iter()
        .zip(labels)
        .filter_map(|(c, label)| Some((label.as_str(), figure(c)?, c.runtime.as_str())))
        .collect()
}

/// How many different runtimes `names` holds.
fn runtimes<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    cases::distinct(names.map(str::to_owned)).len()
}

/// "runtimes" when each case is a runtime of its own, else "cases" (a sweep,
/// variants of one runtime).
fn noun(cases: &[&Case]) -> &'static str {
    let runtimes = cases::distinct(cases.iter().map(|c| c.runtime.clone()));
    if runtimes.len() == cases.len() {
        "runtimes"
    } else {
        "cases"
    }
}

/// Who a line is about: the one case's label, or "3 of 9 runtimes".
fn who(count: usize, total: usize, noun: &str, first: &str) -> String {
    match count {
        1 => first.to_owned(),
        _ => format!("{count} of {total} {noun}"),
    }
}

/// After a line's figures: the names when several but not all cases are
/// meant, then `more`, after a colon.
fn named<T>(flagged: &[(&str, T, &str)], total: usize, more: &[&str]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if flagged.len() > 1 && flagged.len() < total {
        let names: Vec<&str> = flagged.iter().map(|f| f.0).collect();
        parts.push(names.join(", "));
    }
    parts.extend(more.iter().map(|m| m.to_string()));
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join("; "))
    }
}

/// `values` as "a … b" from the smallest to the largest, or one value when
/// they are all the same.
fn range(values: impl Iterator<Item = f64>, show: impl Fn(f64) -> String) -> String {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = (show(lo), show(hi));
    if lo == hi {
        lo
    } else {
        format!("{lo} … {hi}")
    }
}

/// Why each case's repetitions stopped, where the run recorded it (`--reps
/// auto`): one line, or none.
pub fn stops(cases: &[&Case]) -> Option<String> {
    let each: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            c.stopped
                .as_ref()
                .map(|why| format!("{} after {}: {why}", c.runtime, c.runs.len()))
        })
        .collect();
    (!each.is_empty()).then(|| format!("repetitions stopped: {}", each.join("; ")))
}
