//! The rows every table renderer draws: computed once here, from a results
//! file or a comparison, so terminal, Markdown and HTML show the same cells.

use crate::cases;
use crate::compare::{Comparison, Pair, Verdict};
use crate::figure::Figure;
use crate::results::{Case, ResultsFile, Workload};

use super::HEADERS;

/// A whole rendered report: a title, lines before the tables, the tables,
/// lines after them.
pub(crate) struct Document {
    /// The report's title.
    pub title: String,
    /// Warnings, shown before any table.
    pub preface: Vec<String>,
    /// One table per workload.
    pub grids: Vec<Grid>,
    /// Shown once at the end of the terminal output (Markdown and HTML show
    /// each grid's context instead).
    pub footer: Vec<String>,
}

/// One table with what is written around it.
pub(crate) struct Grid {
    /// The workload the table is about.
    pub workload: Workload,
    /// Heading: the workload and its parameters.
    pub title: String,
    /// Column headers.
    pub header: Vec<String>,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
    /// Columns that hold numbers, right-aligned.
    pub numeric: std::ops::Range<usize>,
    /// Lines every renderer shows under the table: failures, caveats.
    pub notes: Vec<String>,
    /// Where the numbers come from (host, rustc, versions, parameters, date):
    /// under each Markdown and HTML table, once at the end of the terminal.
    pub context: Vec<String>,
    /// The headline, shown last.
    pub last_line: String,
}

/// One row of a table.
pub(crate) enum Row {
    /// A cell per column.
    Cells(Vec<String>),
    /// A case without figures: its first cells, then why, in words, over
    /// the remaining columns.
    Failed {
        /// The cells before the message (the runtime, the model).
        lead: Vec<String>,
        /// Why the case has no figures.
        message: String,
    },
}

impl Row {
    /// The row as one cell per column: the message in the first free column,
    /// `-` in the rest (for renderers without cells spanning columns).
    pub fn cells(&self, columns: usize) -> Vec<String> {
        match self {
            Row::Cells(cells) => cells.clone(),
            Row::Failed { lead, message } => {
                let mut cells = lead.clone();
                cells.push(message.clone());
                cells.resize(columns, "-".into());
                cells
            }
        }
    }
}

/// The results tables: one grid per workload present.
pub(crate) fn results(results: &ResultsFile) -> Document {
    let grids = cases::workloads(results)
        .into_iter()
        .map(|w| workload_grid(results, w))
        .collect();
    let h = &results.host;
    Document {
        title: "rtbench results".into(),
        preface: Vec::new(),
        grids,
        footer: vec![format!(
            "host: {} ({} cores), kernel {}, {}; {}",
            h.cpu_model, h.cores, h.kernel, h.rustc, results.created
        )],
    }
}

fn workload_grid(results: &ResultsFile, workload: Workload) -> Grid {
    let cases = cases::of_workload(results, workload);
    let labels = cases::labels(&cases);
    let best = cases
        .iter()
        .filter_map(|c| cases::figures(c))
        .map(|s| s.wall_s.median)
        .min_by(f64::total_cmp);
    let rows = cases
        .iter()
        .zip(&labels)
        .map(|(case, label)| {
            let lead = vec![label.clone(), model(case, results.host.cores)];
            match (cases::figures(case), best) {
                (Some(s), Some(best)) => {
                    let mut cells = lead;
                    cells.extend(Figure::ALL.map(|f| f.cell(f.stat(s))));
                    cells.push(format!("{:.2}", s.wall_s.median / best));
                    Row::Cells(cells)
                }
                _ => Row::Failed {
                    lead,
                    message: format!("failed: {}", cases::failure(case)),
                },
            }
        })
        .collect();
    Grid {
        workload,
        title: format!("{workload}: {}", params_line(&cases)),
        header: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows,
        numeric: 2..HEADERS.len(),
        notes: caveats(&cases, workload),
        context: context(results, &cases),
        last_line: headline(&cases, &labels),
    }
}

/// The model column: how the runtime schedules, on how many threads, and
/// whether they are more than the host's `cores`.
fn model(case: &Case, cores: usize) -> String {
    let model = case
        .model
        .map_or_else(|| case.flavor.clone(), |m| m.to_string());
    if case.threads > 1 {
        let over = if crate::scaling::oversubscribed(case.threads, cores) {
            ", oversubscribed"
        } else {
            ""
        };
        format!("{model}, {} threads{over}", case.threads)
    } else {
        model
    }
}

/// The values of `all`, each once, in the order first seen.
fn distinct(all: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in all {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

/// The parameters of a workload's cases, once if they all share them.
fn params_line(cases: &[&Case]) -> String {
    let mut all = distinct(cases.iter().map(|c| cases::describe_params(&c.params)));
    if all.len() == 1 {
        all.remove(0)
    } else {
        "parameters differ between cases (see the runtime column)".into()
    }
}

/// Facts a reader must know to read the numbers right.
fn caveats(cases: &[&Case], workload: Workload) -> Vec<String> {
    let mut out = Vec::new();
    if cases.iter().any(|c| c.runtime == "async-std") {
        out.push(
            "async-std is discontinued upstream (its authors point to smol); it is measured for \
             comparison only."
                .into(),
        );
    }
    if workload == Workload::Cancel && cases.iter().any(|c| c.runtime == "monoio") {
        out.push(
            "monoio has no cancellation API of its own: its tasks are cancelled through a \
             generic abortable wrapper."
                .into(),
        );
    }
    out
}

/// Host, rustc, runtime versions, parameters, repetitions and date.
fn context(results: &ResultsFile, cases: &[&Case]) -> Vec<String> {
    let h = &results.host;
    let versions = distinct(
        cases
            .iter()
            .map(|c| format!("{} {}", c.runtime, c.runtime_version)),
    );
    let params = distinct(cases.iter().map(|c| cases::describe_params(&c.params)));
    let reps = cases::repetitions(cases);
    vec![
        format!(
            "host: {}, {} cores, kernel {}",
            h.cpu_model, h.cores, h.kernel
        ),
        format!("rustc: {}", h.rustc),
        format!("runtimes: {}", versions.join(", ")),
        format!("parameters: {}", params.join(" / ")),
        counts(cases),
        format!(
            "figures: {reps}; (min–max) where the spread exceeds 10 % of the median; \
             vs best = time / fastest time"
        ),
        format!("date: {}", results.created),
    ]
}

/// The outcome counts over every completed repetition: each name with its
/// value when all runs agree, or its range when they do not (a runtime that
/// completed tasks it should have cancelled shows as `completed 0–1,674`).
fn counts(cases: &[&Case]) -> String {
    let mut ranges: std::collections::BTreeMap<&str, (u64, u64)> = Default::default();
    for case in cases.iter().filter(|c| cases::figures(c).is_some()) {
        for run in &case.runs {
            for (name, n) in &run.counts {
                let range = ranges.entry(name).or_insert((*n, *n));
                *range = (range.0.min(*n), range.1.max(*n));
            }
        }
    }
    if ranges.is_empty() {
        return "counts per run: none completed".into();
    }
    let n = |v: u64| crate::figure::grouped(v as f64);
    let each: Vec<String> = ranges
        .iter()
        .map(|(name, (lo, hi))| match lo == hi {
            true => format!("{name} {}", n(*lo)),
            false => format!("{name} {}–{}", n(*lo), n(*hi)),
        })
        .collect();
    format!("counts per run: {}", each.join(" · "))
}

/// "fastest: X, N× the slowest (Y); overhead/op A ns vs B ns".
fn headline(cases: &[&Case], labels: &[String]) -> String {
    let done: Vec<(&String, f64, f64)> = cases
        .iter()
        .zip(labels)
        .filter_map(|(c, label)| {
            cases::figures(c).map(|s| (label, s.wall_s.median, s.overhead_ns_per_op.median))
        })
        .collect();
    let by_time = |a: &&(&String, f64, f64), b: &&(&String, f64, f64)| a.1.total_cmp(&b.1);
    let (Some(fast), Some(slow)) = (done.iter().min_by(by_time), done.iter().max_by(by_time))
    else {
        return "no runtime completed this workload".into();
    };
    let ns = |v: f64| Figure::Overhead.format(v);
    if done.len() == 1 {
        return format!(
            "only {} completed: {} s; overhead/op {} ns",
            fast.0,
            Figure::Time.format(fast.1),
            ns(fast.2)
        );
    }
    format!(
        "fastest: {}, {:.2}× the slowest ({}); overhead/op {} ns vs {} ns",
        fast.0,
        slow.1 / fast.1,
        slow.0,
        ns(fast.2),
        ns(slow.2)
    )
}

/// Column headers of a comparison table.
const COMPARE_HEADERS: [&str; 6] = [
    "runtime",
    "figure",
    "baseline",
    "candidate",
    "change",
    "verdict",
];

/// The comparison tables: one grid per workload with a case in either file.
pub(crate) fn comparison(cmp: &Comparison) -> Document {
    let side = |name: &str, s: &crate::compare::Side| {
        format!(
            "{name}: {}; {}, {} cores, kernel {}, {}",
            s.created, s.host.cpu_model, s.host.cores, s.host.kernel, s.host.rustc
        )
    };
    let grids = Workload::ALL
        .into_iter()
        .filter(|w| {
            let has = |cases: &[Case]| cases.iter().any(|c| c.workload == *w);
            cmp.pairs.iter().any(|p| p.baseline.workload == *w)
                || has(&cmp.only_in_baseline)
                || has(&cmp.only_in_candidate)
        })
        .map(|w| {
            let mut grid = comparison_grid(cmp, w);
            grid.context = vec![
                side("baseline", &cmp.baseline),
                side("candidate", &cmp.candidate),
                "↓ lower is better, ↑ higher is better; change = (candidate − baseline) / \
                 baseline; within noise: the two runs' min–max ranges overlap"
                    .into(),
            ];
            grid
        })
        .collect();
    Document {
        title: "rtbench comparison: baseline vs candidate".into(),
        preface: cmp
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect(),
        grids,
        footer: vec![
            side("baseline", &cmp.baseline),
            side("candidate", &cmp.candidate),
        ],
    }
}

fn comparison_grid(cmp: &Comparison, workload: Workload) -> Grid {
    let pairs: Vec<&Pair> = cmp
        .pairs
        .iter()
        .filter(|p| p.baseline.workload == workload)
        .collect();
    let bases: Vec<&Case> = pairs.iter().map(|p| &p.baseline).collect();
    let labels = crate::compare::pair_labels(&pairs);
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let mut moved = Vec::new();
    let mut steady = 0;
    for (pair, label) in pairs.iter().zip(&labels) {
        let (b, c) = (&pair.baseline, &pair.candidate);
        if b.runtime_version != c.runtime_version {
            notes.push(format!(
                "{label}: version {} → {}",
                b.runtime_version, c.runtime_version
            ));
        }
        if let Some(failure) = pair.failure() {
            rows.push(Row::Failed {
                lead: vec![label.clone()],
                message: failure,
            });
            continue;
        }
        for (i, change) in pair.changes.iter().enumerate() {
            let f = change.figure;
            let arrow = if f.lower_is_better() { "↓" } else { "↑" };
            if f == Figure::Time {
                match change.verdict {
                    Verdict::Better | Verdict::Worse => moved.push(format!(
                        "{label} {} ({})",
                        change.percent_text(),
                        change.verdict.word()
                    )),
                    Verdict::WithinNoise | Verdict::Unchanged => steady += 1,
                }
            }
            rows.push(Row::Cells(vec![
                if i == 0 { label.clone() } else { String::new() },
                format!("{} {arrow}", f.header()),
                f.cell(change.baseline),
                f.cell(change.candidate),
                change.percent_text(),
                change.verdict.word().into(),
            ]));
        }
    }
    let missing = |which: &str, list: &[Case]| {
        let here: Vec<&Case> = list.iter().filter(|c| c.workload == workload).collect();
        (!here.is_empty()).then(|| {
            let names: Vec<String> = here
                .iter()
                .map(|c| format!("{} ({})", c.runtime, cases::describe_params(&c.params)))
                .collect();
            format!("only in {which}, not compared: {}", names.join("; "))
        })
    };
    notes.extend(missing("baseline", &cmp.only_in_baseline));
    notes.extend(missing("candidate", &cmp.only_in_candidate));
    let params = distinct(bases.iter().map(|c| cases::describe_params(&c.params)));
    // The headline is wall time, as in the article's "42.7 s → 25.6 s".
    let last_line = match (pairs.is_empty(), moved.is_empty()) {
        (true, _) => "no case of this workload is in both files".into(),
        (false, true) => format!("wall time: no change beyond noise ({steady} compared)"),
        (false, false) => format!(
            "wall time: {}; {steady} more within noise or unchanged",
            moved.join(", ")
        ),
    };
    Grid {
        workload,
        title: match params.as_slice() {
            [one] => format!("{workload}: {one}"),
            _ => workload.to_string(),
        },
        header: COMPARE_HEADERS.iter().map(|h| h.to_string()).collect(),
        rows,
        numeric: 2..5,
        notes,
        context: Vec::new(),
        last_line,
    }
}
