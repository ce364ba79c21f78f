//! The profiles as tables (terminal, Markdown, and the page through
//! [`super::html`]) and their flamegraphs: per case its top functions, per
//! compared pair its difference and its instructions by crate.

use crate::cases;
use crate::chart::Chart;
use crate::compare::{Comparison, Pair, pair_labels};
use crate::results::{Case, ResultsFile};
use crate::table::{self, Document, Grid, Row};

use super::diff::Difference;
use super::{crates, flame};

/// Rows of a difference table in each direction.
const CHANGES: usize = 10;

/// Profile tables and the flamegraph shown under each (none where a file
/// could not be read, or under a table that has none).
pub(crate) struct Views {
    /// The tables.
    pub doc: Document,
    /// One entry per table of `doc`, in its order.
    pub charts: Vec<Option<Chart>>,
}

impl Views {
    fn new(parts: Vec<(Grid, Option<Chart>)>) -> Views {
        let (grids, charts) = parts.into_iter().unzip();
        Views {
            doc: Document {
                title: "rtbench profiles".into(),
                preface: Vec::new(),
                grids,
                footer: Vec::new(),
            },
            charts,
        }
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.doc.grids.is_empty()
    }

    /// The flamegraphs drawn.
    pub fn drawn(&self) -> impl Iterator<Item = &Chart> {
        self.charts.iter().flatten()
    }
}

/// A table per case that has a profile (or says why it has none), `rows`
/// functions each, under it its flamegraph when `draw`.
pub(crate) fn cases(results: &ResultsFile, rows: usize, draw: bool) -> Views {
    let mut out = Vec::new();
    for workload in cases::workloads(results) {
        let of_it = cases::of_workload(results, workload);
        for (case, label) in of_it.iter().zip(cases::labels(&of_it)) {
            let Some(record) = &case.profile else {
                continue;
            };
            let title = format!(
                "{workload} · {label}: top functions by instructions per operation ({})",
                cases::describe_params(case)
            );
            let mut notes = record.notes.clone();
            let chart = match (draw, record.load()) {
                (false, _) => None,
                (true, Ok(profile)) => {
                    match flame::flamegraph(&profile, &format!("{workload} · {label}")) {
                        Ok(svg) => Some(Chart {
                            file_name: format!("profile-{workload}-{}.svg", slug(&label)),
                            title: format!(
                                "flamegraph of {label}, {workload}: instructions per operation"
                            ),
                            svg,
                        }),
                        Err(why) => {
                            notes.push(why);
                            None
                        }
                    }
                }
                (true, Err(why)) => {
                    notes.push(format!("no flamegraph: {why}"));
                    None
                }
            };
            let total = record
                .instructions
                .map(|n| n as f64 / record.ops.max(1) as f64);
            let rows_of = record.top.iter().take(rows).map(|f| {
                Row::Cells(vec![
                    f.name.clone(),
                    f.krate.clone(),
                    amount(f.own),
                    total.map_or("–".into(), |t| percent(f.own / t)),
                    amount(f.inclusive),
                ])
            });
            let last_line = match (total, record.top.first()) {
                (Some(t), Some(first)) => format!(
                    "{} instructions per operation; most of its own: {} ({})",
                    amount(t),
                    first.name,
                    percent(first.own / t)
                ),
                _ => "no profile".to_owned(),
            };
            out.push((
                Grid {
                    workload,
                    title,
                    header: [
                        "function",
                        "crate",
                        "self (instr/op)",
                        "self",
                        "inclusive (instr/op)",
                    ]
                    .map(String::from)
                    .to_vec(),
                    rows: rows_of.collect(),
                    numeric: 2..5,
                    keys: 1,
                    points: None,
                    notes,
                    context: vec![format!(
                        "one repetition under callgrind, {} operations, counting only the \
                         workload's own work; self: in the function itself, inclusive: with \
                         all it called",
                        crate::figure::grouped(record.ops as f64)
                    )],
                    last_line,
                },
                chart,
            ));
        }
    }
    Views::new(out)
}

/// Tables per pair of `comparison` where either side has a profile: the
/// difference (under it the differential flamegraph when `draw`), and
/// instructions by crate.
pub(crate) fn pairs(comparison: &Comparison, draw: bool) -> Views {
    let all: Vec<&Pair> = comparison.pairs.iter().collect();
    let labels = pair_labels(&all);
    Views::new(
        (all.iter().zip(labels).enumerate())
            .filter(|(_, (p, _))| p.baseline.profile.is_some() || p.candidate.profile.is_some())
            .flat_map(|(i, (pair, label))| pair_view(pair, &label, i, draw))
            .collect(),
    )
}

fn pair_view(pair: &Pair, label: &str, index: usize, draw: bool) -> Vec<(Grid, Option<Chart>)> {
    let workload = pair.baseline.workload;
    let title = format!("{workload} · {label}: where instructions per operation changed");
    let empty = |why: String| {
        let grid = Grid {
            workload,
            title: title.clone(),
            header: Vec::new(),
            rows: Vec::new(),
            numeric: 0..0,
            keys: 1,
            points: None,
            notes: vec![why],
            context: Vec::new(),
            last_line: "no difference of profiles".into(),
        };
        vec![(grid, None)]
    };
    let load = |case: &Case, side: &str| match &case.profile {
        Some(record) => record.load().map_err(|e| format!("{side}: {e}")),
        None => Err(format!("{side} has no profile (run it with --profile)")),
    };
    let (baseline, candidate) = match (
        load(&pair.baseline, "baseline"),
        load(&pair.candidate, "candidate"),
    ) {
        (Ok(b), Ok(c)) => (b, c),
        (Err(why), _) | (_, Err(why)) => return empty(why),
    };
    let diff = Difference::of(&baseline, &candidate);
    let mut rows: Vec<Row> = Vec::new();
    for f in diff
        .increases(CHANGES)
        .into_iter()
        .chain(diff.decreases(CHANGES))
    {
        rows.push(Row::Cells(vec![
            f.name.clone(),
            f.krate.clone(),
            f.baseline.map_or("–".into(), amount),
            f.candidate.map_or("–".into(), amount),
            signed(f.change()),
            diff.share(f).map_or("–".into(), percent),
            f.presence().into(),
        ]));
    }
    let one_side = diff
        .functions
        .iter()
        .filter(|f| f.presence() != "both")
        .count();
    let mut notes = vec![
        "change: candidate − baseline in the function's own instructions per operation; \
         share: of the total change (all functions' shares add up to 100 %)"
            .to_owned(),
    ];
    if one_side > 0 {
        notes.push(format!(
            "{one_side} functions are on one side only (new, renamed or inlined differently): \
             listed as such, never matched with another"
        ));
    }
    let diff_table = Grid {
        workload,
        title,
        header: [
            "function",
            "crate",
            "baseline",
            "candidate",
            "change",
            "share of change",
            "on",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric: 2..6,
        keys: 1,
        points: None,
        notes,
        context: Vec::new(),
        last_line: format!(
            "instructions per operation {} → {} ({})",
            amount(diff.baseline),
            amount(diff.candidate),
            signed(diff.change())
        ),
    };
    let chart = draw.then(|| {
        flame::differential(&baseline, &candidate, &format!("{workload} · {label}")).map(|svg| Chart {
            file_name: format!("profile-diff-{index}-{workload}.svg"),
            title: format!("differential flamegraph, {label}, {workload}: red where the candidate does more"),
            svg,
        })
    });
    let by_crate = crates_table(pair, label, &baseline, &candidate);
    let first = match chart {
        Some(Err(why)) => {
            let mut notes = diff_table.notes;
            notes.push(why);
            (
                Grid {
                    notes,
                    ..diff_table
                },
                None,
            )
        }
        Some(Ok(chart)) => (diff_table, Some(chart)),
        None => (diff_table, None),
    };
    vec![first, (by_crate, None)]
}

/// Each crate's instructions per operation on both sides, and the system
/// calls per operation from the counts where both sides have them.
fn crates_table(
    pair: &Pair,
    label: &str,
    baseline: &super::Profile,
    candidate: &super::Profile,
) -> Grid {
    let (b_total, c_total) = (baseline.per_op(), candidate.per_op());
    let rows = crates::side_by_side(baseline, candidate)
        .into_iter()
        .map(|(name, b, c)| {
            Row::Cells(vec![
                name,
                amount(b),
                percent(b / b_total),
                amount(c),
                percent(c / c_total),
                signed(c - b),
            ])
        })
        .collect();
    let mut notes = vec![
        "crates from the functions' paths (std, core and alloc as std); code outside Rust by the \
         library it is in (libc is where system calls are made)"
            .to_owned(),
    ];
    if let (Some(b), Some(c)) = (
        syscalls_per_op(&pair.baseline),
        syscalls_per_op(&pair.candidate),
    ) {
        notes.push(format!(
            "system calls per operation (from the counts): {b:.3} → {c:.3}"
        ));
    }
    Grid {
        workload: pair.baseline.workload,
        title: format!(
            "{} · {label}: instructions per operation by crate",
            pair.baseline.workload
        ),
        header: ["crate", "baseline", "share", "candidate", "share", "change"]
            .map(String::from)
            .to_vec(),
        rows,
        numeric: 1..6,
        keys: 1,
        points: None,
        notes,
        context: Vec::new(),
        last_line: format!(
            "instructions per operation {} → {}",
            amount(b_total),
            amount(c_total)
        ),
    }
}

/// The mean system calls per operation over a case's runs that counted them.
fn syscalls_per_op(case: &Case) -> Option<f64> {
    let counted: Vec<u64> = (case.runs.iter())
        .filter_map(|r| r.counted.as_ref()?.syscalls)
        .collect();
    (!counted.is_empty() && case.params.ops > 0)
        .then(|| counted.iter().sum::<u64>() as f64 / counted.len() as f64 / case.params.ops as f64)
}

/// Every profile of `results` for the terminal, ten functions each; empty
/// when no case has one.
pub fn terminal(results: &ResultsFile) -> String {
    let views = cases(results, 10, false);
    if views.is_empty() {
        return String::new();
    }
    table::render_terminal(&views.doc)
}

/// The profiles' differences of `comparison` for the terminal; empty when
/// no pair has a profile.
pub fn comparison_terminal(comparison: &Comparison) -> String {
    let views = pairs(comparison, false);
    if views.is_empty() {
        return String::new();
    }
    table::render_terminal(&views.doc)
}

/// Instructions per operation: whole numbers from 100 on, else one decimal.
pub(crate) fn amount(n: f64) -> String {
    if n.abs() >= 100.0 {
        crate::figure::grouped(n)
    } else {
        format!("{n:.1}")
    }
}

fn signed(n: f64) -> String {
    if n > 0.0 {
        format!("+{}", amount(n))
    } else {
        amount(n)
    }
}

fn percent(share: f64) -> String {
    format!("{:.1} %", 100.0 * share)
}

/// A file-name part made of `label`: letters, digits and `-`.
fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}
