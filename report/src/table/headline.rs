//! The line under each results table naming the fastest, and for a sweep
//! the same at each of its points as a small table.

use crate::cases::{self, distinct};
use crate::figure::Figure;
use crate::ranking::Standing;
use crate::results::Case;

use super::Small;

/// The cases of each set of parameters among `cases`, by index, in the
/// order first seen.
fn by_point(cases: &[&Case]) -> Vec<Vec<usize>> {
    let points = distinct(cases.iter().map(|c| cases::describe_params(c)));
    points
        .iter()
        .map(|point| {
            (0..cases.len())
                .filter(|&i| cases::describe_params(cases[i]) == *point)
                .collect()
        })
        .collect()
}

/// The headline of a workload at one point; for a sweep, a line introducing
/// [`points`]. Cases are ranked by `basis`: time, or in counts mode
/// instructions/op.
pub(super) fn line(
    labels: &[String],
    standings: &[Option<Standing>],
    cases: &[&Case],
    basis: Figure,
) -> String {
    let points = by_point(cases);
    match points.as_slice() {
        [] => "no runtime completed this workload".into(),
        [_] => match lead(labels, standings, cases, basis) {
            Ok(lead) => lead.sentence(),
            Err(why) => why,
        },
        _ => format!(
            "{} at each of the sweep's {} points:",
            best(basis),
            points.len()
        ),
    }
}

/// "fastest", or for a count "fewest instructions/op".
fn best(basis: Figure) -> String {
    match basis {
        Figure::Time => "fastest".into(),
        _ => format!("fewest {}", basis.header()),
    }
}

/// "the slowest", or for a count "the most".
fn worst(basis: Figure) -> &'static str {
    match basis {
        Figure::Time => "the slowest",
        _ => "the most",
    }
}

/// A sweep's headline at each point as a small table: the parameters that
/// differ between points, the fastest, its ties, how many times faster than
/// the slowest, and their overheads.
pub(super) fn points(
    standings: &[Option<Standing>],
    cases: &[&Case],
    basis: Figure,
) -> Option<Small> {
    let points = by_point(cases);
    if points.len() < 2 {
        return None;
    }
    let parts: Vec<Vec<String>> = (points.iter())
        .map(|p| cases::param_parts(cases[p[0]]))
        .collect();
    let shared = |part: &String| parts.iter().all(|p| p.contains(part));
    let header = [
        "at".to_owned(),
        best(basis),
        "tied within noise".into(),
        format!("× {}", worst(basis)),
        worst(basis).trim_start_matches("the ").to_owned(),
        "overhead/op (ns)".into(),
    ];
    let rows = points
        .iter()
        .zip(&parts)
        .map(|(point, parts)| {
            let varied: Vec<&str> = (parts.iter())
                .filter(|p| !shared(p))
                .map(String::as_str)
                .collect();
            // Named among the cases of this point only: no point in the names.
            let here: Vec<&Case> = point.iter().map(|&i| cases[i]).collect();
            let here_labels = cases::labels(&here);
            let here_standings: Vec<Option<Standing>> =
                point.iter().map(|&i| standings[i]).collect();
            let mut row = vec![varied.join(" · ")];
            match lead(&here_labels, &here_standings, &here, basis) {
                Ok(lead) => row.extend(lead.cells()),
                Err(why) => row.push(why),
            }
            row.resize(header.len(), "-".into());
            row
        })
        .collect();
    Some(Small {
        header: header.to_vec(),
        rows,
    })
}

/// The headline's figures over some of a workload's cases.
struct Lead<'a> {
    /// The fastest case's label.
    fastest: &'a str,
    /// The labels of the cases tied with it.
    tied: Vec<&'a str>,
    /// The slowest case's label and its time over the fastest's; `None`
    /// when only one case completed.
    slowest: Option<(&'a str, f64)>,
    /// The fastest's figure, in `basis`'s unit.
    value: f64,
    /// What ranks the cases: time, or a count.
    basis: Figure,
    /// The fastest's and the slowest's overhead per operation (commands
    /// have none).
    overhead: (Option<f64>, Option<f64>),
}

impl Lead<'_> {
    /// "fastest: X (tied within noise: Y), N× the slowest (Z); overhead/op A
    /// ns vs B ns", or "only X completed: T s".
    fn sentence(&self) -> String {
        let ns = |v: f64| Figure::Overhead.format(v);
        let overhead = match self.overhead {
            (Some(fast), Some(slow)) if self.slowest.is_some() => {
                format!("; overhead/op {} ns vs {} ns", ns(fast), ns(slow))
            }
            (Some(fast), _) => format!("; overhead/op {} ns", ns(fast)),
            _ => String::new(),
        };
        let Some((slowest, ratio)) = self.slowest else {
            let value = self.basis.format(self.value);
            let unit = self.basis.unit();
            return format!("only {} completed: {value} {unit}{overhead}", self.fastest);
        };
        let ties = match self.tied.as_slice() {
            [] => String::new(),
            tied => format!(" (tied within noise: {})", tied.join(", ")),
        };
        format!(
            "{}: {}{ties}, {ratio:.2}× {} ({slowest}){overhead}",
            best(self.basis),
            self.fastest,
            worst(self.basis)
        )
    }

    /// The cells of a row of [`points`] after the point.
    fn cells(&self) -> Vec<String> {
        let ns = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| Figure::Overhead.format(v));
        let ties = if self.tied.is_empty() {
            "-".into()
        } else {
            self.tied.join(", ")
        };
        match self.slowest {
            Some((slowest, ratio)) => vec![
                self.fastest.to_owned(),
                ties,
                format!("{ratio:.2}"),
                slowest.to_owned(),
                format!("{} vs {}", ns(self.overhead.0), ns(self.overhead.1)),
            ],
            None => vec![
                format!("only {} completed", self.fastest),
                ties,
                "-".into(),
                "-".into(),
                ns(self.overhead.0),
            ],
        }
    }
}

/// The [`Lead`] over `cases` (named by `labels`, standing as `standings`
/// say, ranked by `basis`), or why there is none. The overhead is a time
/// figure, said only when time ranks.
fn lead<'a>(
    labels: &'a [String],
    standings: &[Option<Standing>],
    cases: &[&Case],
    basis: Figure,
) -> Result<Lead<'a>, String> {
    let done: Vec<(&String, Standing, f64, Option<f64>)> = labels
        .iter()
        .zip(standings)
        .zip(cases)
        .filter_map(|((label, standing), case)| {
            let s = cases::figures(case)?;
            let overhead = s.overhead_ns_per_op.filter(|_| basis == Figure::Time);
            Some((
                label,
                (*standing)?,
                basis.stat(s)?.median,
                overhead.map(|o| o.median),
            ))
        })
        .collect();
    let (Some(fast), Some(slow)) = (
        done.iter().find(|d| d.1.fastest),
        done.iter().max_by(|a, b| a.2.total_cmp(&b.2)),
    ) else {
        return Err("no runtime completed this workload".into());
    };
    Ok(Lead {
        fastest: fast.0,
        tied: (done.iter())
            .filter(|d| d.1.tied)
            .map(|d| d.0.as_str())
            .collect(),
        slowest: (done.len() > 1).then(|| (slow.0.as_str(), slow.2 / fast.2)),
        value: fast.2,
        basis,
        overhead: (fast.3, slow.3),
    })
}
