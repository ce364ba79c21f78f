//! Figures derived from a sweep: memory per in-flight task, overhead growth
//! from the smallest to the largest in-flight, and thread scaling efficiency.

use crate::cases;
use crate::results::{Case, ResultsFile, Workload};

use super::{Knob, oversubscribed};

/// A straight line fitted by ordinary least squares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeastSquares {
    /// Slope: change of y per unit of x.
    pub slope: f64,
    /// Where the line crosses x = 0.
    pub intercept: f64,
    /// Coefficient of determination: 1 − residual / total sum of squares
    /// (1 when every point is on the line).
    pub r2: f64,
}

/// The least-squares line through `points`: slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²,
/// intercept = ȳ − slope·x̄. `None` with fewer than two distinct x. Two
/// sums over a handful of points: a regression crate (linregress builds a
/// data frame from formula strings) would be more code than this.
pub fn least_squares(points: &[(f64, f64)]) -> Option<LeastSquares> {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if points.len() < 2 || sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let total: f64 = points.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
    let residual: f64 = points
        .iter()
        .map(|p| (p.1 - intercept - slope * p.0).powi(2))
        .sum();
    let r2 = if total == 0.0 {
        1.0
    } else {
        1.0 - residual / total
    };
    Some(LeastSquares {
        slope,
        intercept,
        r2,
    })
}

/// The derived figures of one runtime on one workload.
#[derive(Debug)]
pub(crate) struct Derived {
    /// The workload.
    pub workload: Workload,
    /// The runtime and what tells it from the runtime's other rows.
    pub label: String,
    /// Peak RSS over in-flight, fitted over every completed repetition.
    pub bytes_per_task: Option<LeastSquares>,
    /// (smallest in-flight, largest in-flight, change of overhead/op in %).
    pub overhead_growth: Option<(u64, u64, f64)>,
    /// (N threads, throughput at N ÷ (N × throughput at 1), oversubscribed).
    pub thread_scaling: Option<(usize, f64, bool)>,
}

/// The derived figures of every runtime in `results` that has any: one row
/// per case with the in-flight value set aside.
pub(crate) fn derived(results: &ResultsFile) -> Vec<Derived> {
    let mut out = Vec::new();
    for workload in cases::workloads(results) {
        let all = cases::of_workload(results, workload);
        let groups = super::lines(&all, Knob::IN_FLIGHT);
        for group in &groups {
            let row = Derived {
                workload,
                label: group.label.clone(),
                bytes_per_task: bytes_per_task(&group.points),
                overhead_growth: overhead_growth(&group.points),
                thread_scaling: thread_scaling(&group.points, &groups, results.host.cores),
            };
            if row.bytes_per_task.is_some()
                || row.overhead_growth.is_some()
                || row.thread_scaling.is_some()
            {
                out.push(row);
            }
        }
    }
    out
}

/// The completed points of a line.
fn done<'a>(points: &[(u64, &'a Case)]) -> Vec<(u64, &'a Case)> {
    points
        .iter()
        .filter(|(_, c)| cases::figures(c).is_some())
        .copied()
        .collect()
}

fn bytes_per_task(points: &[(u64, &Case)]) -> Option<LeastSquares> {
    let xy: Vec<(f64, f64)> = done(points)
        .iter()
        .flat_map(|(x, c)| {
            c.runs
                .iter()
                .map(move |r| (*x as f64, r.peak_rss_bytes as f64))
        })
        .collect();
    least_squares(&xy)
}

fn overhead_growth(points: &[(u64, &Case)]) -> Option<(u64, u64, f64)> {
    let done = done(points);
    let (first, last) = (done.first()?, done.last()?);
    let overhead = |c: &Case| cases::figures(c)?.overhead_ns_per_op.map(|o| o.median);
    let (lo, hi) = (overhead(first.1)?, overhead(last.1)?);
    // A change relative to a non-positive overhead has no meaning.
    (first.0 < last.0 && lo > 0.0).then(|| (first.0, last.0, (hi - lo) / lo * 100.0))
}

/// This line's threads against the line with everything equal but 1 thread,
/// at the largest in-flight both completed.
fn thread_scaling(
    points: &[(u64, &Case)],
    lines: &[super::Series<'_>],
    cores: usize,
) -> Option<(usize, f64, bool)> {
    let (_, first) = points.first()?;
    let n = first.threads;
    if n < 2 {
        return None;
    }
    let key = Knob::Threads.without(&Knob::IN_FLIGHT.without(first));
    let single = lines.iter().find(|l| {
        l.points.first().is_some_and(|(_, c)| {
            c.threads == 1 && Knob::Threads.without(&Knob::IN_FLIGHT.without(c)) == key
        })
    })?;
    let throughput = |c: &Case| cases::figures(c)?.throughput.map(|t| t.median);
    let single = done(&single.points);
    let (at_n, at_1) = done(points).into_iter().rev().find_map(|(x, c)| {
        let one = single.iter().find(|(y, _)| *y == x)?;
        Some((throughput(c)?, throughput(one.1)?))
    })?;
    Some((n, at_n / (n as f64 * at_1), oversubscribed(n, cores)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_matches_a_hand_computed_line() {
        // x̄ = 2.5, ȳ = 6; Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5,
        // Sxy = 3 + 1 + 1 + 3 = 8: slope 1.6, intercept 6 − 1.6 × 2.5 = 2;
        // residuals 0.4, −1.2, 1.2, −0.4: SSres = 3.2; SStot = 4 × 2² = 16.
        let fit = least_squares(&[(1.0, 4.0), (2.0, 4.0), (3.0, 8.0), (4.0, 8.0)]).unwrap();
        assert!((fit.slope - 1.6).abs() < 1e-12, "{fit:?}");
        assert!((fit.intercept - 2.0).abs() < 1e-12, "{fit:?}");
        assert!((fit.r2 - (1.0 - 3.2 / 16.0)).abs() < 1e-12, "{fit:?}");
        let exact = least_squares(&[(10.0, 1000.0), (20.0, 1500.0)]).unwrap();
        assert_eq!((exact.slope, exact.r2), (50.0, 1.0));
        assert_eq!(least_squares(&[(1.0, 1.0), (1.0, 2.0)]), None);
        assert_eq!(least_squares(&[]), None);
    }
}
