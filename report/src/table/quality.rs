//! What a reader should know about how far a table's figures can be trusted:
//! one line per kind of trouble naming every case it touches, with the range,
//! and what to do said once.

use crate::cases;
use crate::figure::significant;
use crate::results::Case;
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

/// Whether `case` is named in a [`notes`] line (its row is marked †).
pub fn flagged(case: &Case) -> bool {
    spread(case).is_some() || outliers(case).is_some()
}

/// The notes on the trustworthiness of `cases` (shown under `labels`): a line
/// for the cases with outlier runs, a line for those whose time interval is
/// wider than [`WIDE_INTERVAL`], each naming them with the range of the
/// figure, then what to do, once; nothing when no case is flagged.
pub fn notes(cases: &[&Case], labels: &[String]) -> Vec<String> {
    let wide = each(cases, labels, spread);
    let odd = each(cases, labels, outliers);
    let noun = noun(cases);
    // Only cases with figures can vary; a failed one is a row saying why.
    let total = cases.iter().filter(|c| cases::figures(c).is_some()).count();
    let mut out = Vec::new();
    let mut advice = Vec::new();
    if !odd.is_empty() {
        let names: Vec<&str> = odd.iter().map(|o| o.0).collect();
        let counts = range(odd.iter().map(|o| o.1.0 as f64), |v| format!("{v:.0}"));
        let of_n = range(odd.iter().map(|o| o.1.1 as f64), |v| format!("{v:.0}"));
        let verb = if names.len() == 1 { "has" } else { "have" };
        out.push(format!(
            "† {} {verb} outlier runs in time ({counts} of {of_n}; {OUTLIER_RULE})",
            who(&names, total, noun),
        ));
        advice.push("something else ran: rerun on a quiet machine");
    }
    if !wide.is_empty() {
        let names: Vec<&str> = wide.iter().map(|w| w.0).collect();
        let spreads = range(wide.iter().map(|w| w.1 * 100.0), |v| {
            format!("±{}", significant(v, 2))
        });
        let verb = if names.len() == 1 { "varies" } else { "vary" };
        let machine = if 2 * names.len() >= total && names.len() > 1 {
            ": this machine is noisy"
        } else {
            ""
        };
        out.push(format!(
            "† {} {verb} more than {:.0} % in time ({spreads} %){machine}",
            who(&names, total, noun),
            WIDE_INTERVAL * 100.0,
        ));
        advice.push("raise --reps, or use --reps auto");
        advice.push(COUNTS_ADVICE);
    }
    if !advice.is_empty() {
        out.push(format!("what to do: {}", advice.join("; ")));
    }
    out
}

/// The label of each case where `figure` has something to say, with it.
fn each<'a, T>(
    cases: &[&Case],
    labels: &'a [String],
    figure: fn(&Case) -> Option<T>,
) -> Vec<(&'a str, T)> {
    cases
        .iter()
        .zip(labels)
        .filter_map(|(c, label)| Some((label.as_str(), figure(c)?)))
        .collect()
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

/// The one name; "all 9 runtimes"-like counts when every case is named;
/// else "3 of 9 runtimes (a, b, c)".
fn who(names: &[&str], total: usize, noun: &str) -> String {
    match names {
        [one] => (*one).to_owned(),
        _ if names.len() == total => format!("{total} of {total} {noun}"),
        _ => format!("{} of {total} {noun} ({})", names.len(), names.join(", ")),
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
