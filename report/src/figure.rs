//! The figures a case is reported by: their names, units, which direction is
//! better, and how a value is printed. Tables, charts and the comparison all
//! read figures through this one place.

pub use crate::count::Count;
use crate::results::{About, Case};
use crate::summary::{self, Stat, Summary};

/// One figure of a case's [`Summary`], in the unit it is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Wall time of the workload, seconds.
    Time,
    /// Operations per second of wall time.
    Throughput,
    /// Wall overhead per operation, nanoseconds.
    Overhead,
    /// CPU time per operation, nanoseconds.
    Cpu,
    /// Peak resident set size, megabytes (10⁶ bytes).
    Memory,
    /// 99th-percentile latency, milliseconds.
    P99,
    /// CPU time of the whole process, seconds: the `command` workload's
    /// stand-in for CPU per operation.
    CpuTime,
    /// A count per operation (total ÷ the case's ops).
    PerOp(Count),
    /// A count over the whole run: the `command` workload's stand-in for
    /// the count per operation.
    Total(Count),
}

/// An interval wider than this share of the median is shown next to it.
pub const SHOWN_INTERVAL: f64 = 0.01;

impl Figure {
    /// Every figure, in the order tables list them.
    pub const ALL: [Figure; 6] = [
        Figure::Time,
        Figure::Throughput,
        Figure::Overhead,
        Figure::Cpu,
        Figure::Memory,
        Figure::P99,
    ];

    /// The figures of a `command` case, in the order tables list them: no
    /// per-operation ones, since rtbench knows no operations of a program.
    pub const OF_COMMANDS: [Figure; 4] =
        [Figure::Time, Figure::CpuTime, Figure::Memory, Figure::P99];

    /// The figures tables and comparisons show for a workload described by
    /// `about` (the figures it says apply), in the order tables list them.
    pub fn of(about: &About) -> Vec<Figure> {
        (Self::ALL.iter().chain(&Self::OF_COMMANDS))
            .filter(|f| about.figures.iter().any(|k| k == f.slug()))
            .fold(Vec::new(), |mut all, &f| {
                if !all.contains(&f) {
                    all.push(f);
                }
                all
            })
    }

    /// The figures drawn as one bar chart each for a workload described by `about`.
    pub fn charted(about: &About) -> Vec<Figure> {
        const CHARTABLE: [Figure; 5] = [
            Figure::Time,
            Figure::Throughput,
            Figure::Overhead,
            Figure::CpuTime,
            Figure::Memory,
        ];
        let of = Self::of(about);
        CHARTABLE.into_iter().filter(|f| of.contains(f)).collect()
    }

    /// The count figures: per operation (`per_op`), or for a `command`
    /// (whose operations rtbench does not know) over the whole run.
    pub fn counts_of(per_op: bool) -> [Figure; Count::ALL.len()] {
        Count::ALL.map(|count| match per_op {
            true => Figure::PerOp(count),
            false => Figure::Total(count),
        })
    }

    /// The count figures shown for `cases` of one workload: every count in
    /// counts mode (`valgrind` true), else those the kernel takes and those
    /// of counts mode's own (valgrind's, allocations) that some case has
    /// (files of both modes merged); none
    /// when no run has a counted record. An absent figure is still shown,
    /// with its reason, so a reader learns how to get it.
    pub fn counts_shown(cases: &[&Case], valgrind: bool) -> Vec<Figure> {
        if !crate::count::any_counted(cases.iter().flat_map(|c| &c.runs)) {
            return Vec::new();
        }
        let per_op = cases.first().is_none_or(|c| c.about.per_op());
        let some_case_has = |f: &Figure| cases.iter().any(|c| !f.values(c).is_empty());
        (Self::counts_of(per_op).into_iter())
            .filter(|f| {
                valgrind || f.count().is_some_and(|c| !c.counts_mode_only()) || some_case_has(f)
            })
            .collect()
    }

    /// The count the figure shows, if it is one.
    pub fn count(self) -> Option<Count> {
        match self {
            Figure::PerOp(count) | Figure::Total(count) => Some(count),
            _ => None,
        }
    }

    /// Why `case` has no value of this figure, where it is a count some run
    /// lacks; `None` otherwise.
    pub fn absent(self, case: &Case) -> Option<String> {
        self.count()?.absent_in(&case.runs)
    }

    /// Column header with its unit, e.g. `time (s)`.
    pub fn header(self) -> &'static str {
        match self {
            Figure::Time => "time (s)",
            Figure::Throughput => "throughput (ops/s)",
            Figure::Overhead => "overhead/op (ns)",
            Figure::Cpu => "CPU/op (ns)",
            Figure::Memory => "peak memory (MB)",
            Figure::P99 => "p99 (ms)",
            Figure::CpuTime => "CPU (s)",
            Figure::PerOp(count) => count.header(true),
            Figure::Total(count) => count.header(false),
        }
    }

    /// What the figure is, in words, for chart titles.
    pub fn title(self) -> &'static str {
        match self {
            Figure::Time => "wall time",
            Figure::Throughput => "throughput",
            Figure::Overhead => "wall overhead per operation",
            Figure::Cpu => "CPU time per operation",
            Figure::Memory => "peak memory (resident set)",
            Figure::P99 => "99th-percentile latency",
            Figure::CpuTime => "CPU time (user + system)",
            Figure::PerOp(count) => count.title(true),
            Figure::Total(count) => count.title(false),
        }
    }

    /// Short name used in file names, e.g. `sleep-time.svg`.
    pub fn slug(self) -> &'static str {
        match self {
            Figure::Time => "time",
            Figure::Throughput => "throughput",
            Figure::Overhead => "overhead",
            Figure::Cpu => "cpu",
            Figure::Memory => "memory",
            Figure::P99 => "p99",
            Figure::CpuTime => "cpu-time",
            Figure::PerOp(count) | Figure::Total(count) => count.slug(),
        }
    }

    /// The unit a value is shown in.
    pub fn unit(self) -> &'static str {
        match self {
            Figure::Time | Figure::CpuTime => "s",
            Figure::Throughput => "ops/s",
            Figure::Overhead | Figure::Cpu => "ns",
            Figure::Memory => "MB",
            Figure::P99 => "ms",
            Figure::PerOp(count) | Figure::Total(count) => count.unit(),
        }
    }

    /// Whether a smaller value is the better one (all but throughput).
    pub fn lower_is_better(self) -> bool {
        !matches!(self, Figure::Throughput)
    }

    /// `lower is better` or `higher is better`.
    pub fn better(self) -> &'static str {
        if self.lower_is_better() {
            "lower is better"
        } else {
            "higher is better"
        }
    }

    /// Where the figure is in [`summary::per_run`], and how many of the
    /// results file's units make one shown unit (bytes per MB: 1e6).
    fn column(self) -> (usize, f64) {
        match self {
            Figure::Time => (0, 1.0),
            Figure::Throughput => (1, 1.0),
            Figure::Overhead => (2, 1.0),
            Figure::Cpu => (3, 1.0),
            Figure::Memory => (4, 1e6),
            Figure::P99 => (5, 1e6),
            Figure::CpuTime => (6, 1.0),
            Figure::PerOp(count) | Figure::Total(count) => (summary::count_index(count), 1.0),
        }
    }

    /// The figure's statistics, in the unit it is shown in; `None` where the
    /// case cannot have it (see [`Summary`]).
    pub fn stat(self, summary: &Summary) -> Option<Stat> {
        let stat = match self {
            Figure::Time => Some(summary.wall_s),
            Figure::Throughput => summary.throughput,
            Figure::Overhead => summary.overhead_ns_per_op,
            Figure::Cpu => summary.cpu_ns_per_op,
            Figure::Memory => Some(summary.peak_rss_bytes),
            Figure::P99 => summary.p99_ns,
            Figure::CpuTime => Some(summary.cpu_s),
            Figure::PerOp(count) | Figure::Total(count) => summary.count(count),
        };
        stat.map(|s| s.scaled(self.column().1))
    }

    /// The figure of each of `case`'s runs, in order, in the unit it is
    /// shown in; empty unless every run has it.
    pub fn values(self, case: &Case) -> Vec<f64> {
        let (index, by) = self.column();
        let values: Option<Vec<f64>> = case
            .runs
            .iter()
            .map(|run| Some(summary::per_run(case, run)[index]? / by))
            .collect();
        values.unwrap_or_default()
    }

    /// One value, printed the way every table and chart prints it: three
    /// significant digits for seconds, megabytes and milliseconds, and for
    /// rates with a `k`/`M` suffix from 10,000 on (`1.75M`); whole numbers
    /// with thousands separators for nanoseconds.
    pub fn format(self, value: f64) -> String {
        match self {
            Figure::Time | Figure::Memory | Figure::P99 | Figure::CpuTime => significant(value, 3),
            Figure::Throughput => compact(value),
            Figure::Overhead | Figure::Cpu => grouped(value),
            // Whole counts as they are; small per-operation ones to 3 digits.
            Figure::PerOp(_) | Figure::Total(_) if value.abs() >= 100.0 || value.fract() == 0.0 => {
                grouped(value)
            }
            Figure::PerOp(_) | Figure::Total(_) => significant(value, 3),
        }
    }

    /// A table cell: the median, followed by `±3.1 %` (the larger half of
    /// its 95 % interval) where that exceeds [`SHOWN_INTERVAL`] of it; `n/a`
    /// for a figure the case cannot have.
    pub fn cell_or_na(self, stat: Option<Stat>) -> String {
        stat.map_or_else(|| "n/a".into(), |stat| self.cell(stat))
    }

    /// The table cell of this figure for `case` with figures `summary`:
    /// [`Figure::cell`], or `absent` for a count some run lacks (the
    /// reason goes in a note), or `n/a` for a figure the case cannot have.
    pub fn cell_of(self, case: &Case, summary: &Summary) -> String {
        match (self.stat(summary), self.absent(case)) {
            (Some(stat), _) => self.cell(stat),
            (None, Some(_)) => "absent".into(),
            (None, None) => "n/a".into(),
        }
    }

    /// A table cell: the median, followed by `±3.1 %` (the larger half of
    /// its 95 % interval) where that exceeds [`SHOWN_INTERVAL`] of it.
    pub fn cell(self, stat: Stat) -> String {
        let median = self.format(stat.median);
        let half = stat.relative_half_width();
        if half > SHOWN_INTERVAL && half.is_finite() {
            format!("{median} ±{} %", significant(half * 100.0, 2))
        } else {
            median
        }
    }
}

/// `value` rounded to `digits` significant digits, without exponent.
pub fn significant(value: f64, digits: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).clamp(0, 9) as usize;
    if decimals == 0 {
        grouped(value)
    } else {
        format!("{value:.decimals$}")
    }
}

/// Three significant digits with a `k` or `M` suffix from 10,000 on: `1.75M`,
/// `39.1k`, `8,250`.
pub fn compact(value: f64) -> String {
    let abs = value.abs();
    if abs >= 1e6 {
        format!("{}M", significant(value / 1e6, 3))
    } else if abs >= 1e4 {
        format!("{}k", significant(value / 1e3, 3))
    } else {
        significant(value, 3)
    }
}

/// `value` rounded to a whole number, with `,` between groups of thousands.
pub fn grouped(value: f64) -> String {
    let rounded = value.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_a_reader_expects() {
        assert_eq!(grouped(1_209_814.8), "1,209,815");
        assert_eq!(grouped(999.4), "999");
        assert_eq!(grouped(-1234.0), "-1,234");
        assert_eq!(significant(0.826572768, 3), "0.827");
        assert_eq!(significant(13.705216, 3), "13.7");
        assert_eq!(significant(1234.5, 3), "1,235");
        assert_eq!(significant(0.000123456, 3), "0.000123");
        assert_eq!(compact(1_751_313.0), "1.75M");
        assert_eq!(compact(39_062.5), "39.1k");
        assert_eq!(compact(8_249.6), "8,250");
    }

    #[test]
    fn the_interval_shows_only_above_one_percent() {
        let quiet = Stat::of(&[1.0, 1.002, 0.998, 1.0, 1.001]).unwrap();
        let noisy = Stat::of(&[1.0, 0.9, 1.2, 1.01, 0.99, 1.0]).unwrap();
        assert_eq!(Figure::Time.cell(quiet), "1.00");
        // min–max 0.9–1.2 around 1.0: the larger half is 0.2.
        assert_eq!(Figure::Time.cell(noisy), "1.00 ±20 %");
    }
}
