//! The rows every table renderer draws: computed once here, from a results
//! file or a comparison, so terminal, Markdown and HTML show the same cells.

use crate::cases::{self, distinct};
use crate::figure::Figure;
use crate::ranking;
use crate::results::{Case, Measure, Order, ResultsFile, Workload};
use crate::verdict::Rules;

use super::{counts, headline, quality};

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
    /// How many leading columns name a row (the runtime; the runtime and the
    /// figure in a comparison): repeated in each part of a table split to
    /// fit the terminal.
    pub keys: usize,
    /// Lines every renderer shows under the table: failures, caveats.
    pub notes: Vec<String>,
    /// Where the numbers come from (host, rustc, versions, parameters, date):
    /// under each Markdown and HTML table, once at the end of the terminal.
    pub context: Vec<String>,
    /// The headline, shown last.
    pub last_line: String,
    /// A sweep's headline at each of its points, as a small table after the
    /// last line; `None` for a workload at one point.
    pub points: Option<Small>,
}

/// A small table of words under a grid.
pub(crate) struct Small {
    /// Column headers.
    pub header: Vec<String>,
    /// The rows, a cell per column.
    pub rows: Vec<Vec<String>>,
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
        footer: vec![
            vs_best_footer(results.measure),
            format!(
                "host: {} ({} cores), kernel {}, {}; {}",
                h.cpu_model, h.cores, h.kernel, h.rustc, results.created
            ),
        ]
        .into_iter()
        .chain(counts::footer(results))
        .collect(),
    }
}

fn workload_grid(results: &ResultsFile, workload: Workload) -> Grid {
    let cases = cases::of_workload(results, workload);
    let labels = cases::labels(&cases);
    let paired = results.order == Some(Order::Interleaved);
    let measure = results.measure.unwrap_or_default();
    let basis = ranking::basis(&cases, measure);
    let standings = ranking::standings(&cases, basis, paired, Rules::default());
    let counted = Figure::counts_shown(&cases, measure == Measure::Counts);
    let figures = Figure::of(cases::about(&cases));
    let rows = cases
        .iter()
        .zip(&labels)
        .zip(&standings)
        .map(|((case, label), standing)| {
            let marked = if quality::flagged(case, measure) {
                format!("{label} †")
            } else {
                label.clone()
            };
            let lead = vec![marked, model(case, results.host.cores)];
            match (cases::figures(case), standing) {
                (Some(s), Some(standing)) => {
                    let mut cells = lead;
                    cells.extend(figures.iter().map(|f| f.cell_or_na(f.stat(s))));
                    cells.extend(counted.iter().map(|f| f.cell_of(case, s)));
                    cells.push(standing.cell());
                    Row::Cells(cells)
                }
                _ => Row::Failed {
                    lead,
                    message: format!("failed: {}", cases::failure(case)),
                },
            }
        })
        .collect();
    let mut notes = quality::notes(&cases, &labels, measure);
    notes.extend(counts::absent_notes(&cases, &labels, &counted));
    notes.extend(caveats(&cases));
    notes.extend(crate::load::notes(&cases, &labels, results.host.cores));
    // The runtime and the model, the workload's figures, its counts, then "vs best".
    let header: Vec<String> = (HEADERS[..2].iter().copied())
        .chain(figures.iter().map(|f| f.header()))
        .chain(counted.iter().map(|f| f.header()))
        .chain([HEADERS[HEADERS.len() - 1]])
        .map(str::to_owned)
        .collect();
    Grid {
        workload,
        title: format!("{workload}: {}", params_line(&cases)),
        numeric: 2..header.len(),
        keys: 1,
        header,
        rows,
        notes,
        context: context(results, &cases, &labels, basis, &counted),
        last_line: headline::line(&labels, &standings, &cases, basis),
        points: headline::points(&standings, &cases, basis),
    }
}

/// The footer's line on reading a cell and `vs best`.
fn vs_best_footer(measure: Option<Measure>) -> String {
    let ranked = match measure {
        Some(Measure::Counts) => format!(
            "not shown above the fewest instructions/op by Welch's t interval and by more than {} %",
            crate::figure::significant(crate::count::Count::Instructions.threshold_pct(), 2)
        ),
        _ => "not shown slower than the fastest at 95 % and by more than 2 %".into(),
    };
    format!(
        "figures: median ± the larger half of its 95 % interval; † see the note; vs best ≈: \
         {ranked} (table.md names the method; guide: Reading the tables and verdicts)"
    )
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

/// The parameters of a workload's cases, once if they all share them.
fn params_line(cases: &[&Case]) -> String {
    let mut all = distinct(cases.iter().map(|c| cases::describe_params(c)));
    if all.len() == 1 {
        all.remove(0)
    } else {
        "parameters differ between cases (see the runtime column)".into()
    }
}

/// Facts a reader must know to read the numbers right.
fn caveats(cases: &[&Case]) -> Vec<String> {
    let mut out = Vec::new();
    if cases.iter().any(|c| c.runtime == "async-std") {
        out.push(
            "async-std is discontinued upstream (its authors point to smol); it is measured for \
             comparison only."
                .into(),
        );
    }
    // Whatever the workload, cases that cancelled tasks say so in their counts.
    let cancels = |c: &&&Case| c.runs.iter().any(|r| r.counts.contains_key("cancelled"));
    if cases.iter().filter(cancels).any(|c| c.runtime == "monoio") {
        out.push(
            "monoio has no cancellation API of its own: its tasks are cancelled through a \
             generic abortable wrapper."
                .into(),
        );
    }
    out
}

/// Host, rustc, runtime versions, parameters, repetitions, what the counts
/// are, and date.
fn context(
    results: &ResultsFile,
    cases: &[&Case],
    labels: &[String],
    basis: Figure,
    counted: &[Figure],
) -> Vec<String> {
    let h = &results.host;
    let versions = distinct(
        cases
            .iter()
            .map(|c| format!("{} {}", c.runtime, c.runtime_version)),
    );
    let params = distinct(cases.iter().map(|c| cases::describe_params(c)));
    let reps = cases::repetitions(cases);
    let order = match results.order {
        Some(order) => format!("{order} order"),
        None => "order not recorded or several runs merged, so runs are not paired".into(),
    };
    let mut lines = vec![
        format!(
            "host: {}, {} cores, kernel {}",
            h.cpu_model, h.cores, h.kernel
        ),
        format!("rustc: {}", h.rustc),
        format!("runtimes: {}", versions.join(", ")),
        format!("parameters: {}", params.join(" / ")),
        counts(cases),
    ];
    lines.extend(commands(cases));
    lines.extend(counts::context(results, cases, labels, counted));
    lines.extend(drivers(cases));
    lines.extend([
        format!(
            "figures: {reps} ({order}); ± is the larger half of the median's 95 % interval \
             (order statistics; with fewer than 6 runs the min–max, 93.8 % for 5), shown above 1 %"
        ),
        counts::vs_best(basis),
        format!("date: {}", results.created),
    ]);
    lines.extend(quality::stops(cases));
    lines
}

/// The I/O driver each case asked its runtime for (`--io-driver`), in one
/// line, if any did.
fn drivers(cases: &[&Case]) -> Option<String> {
    let each = distinct(
        (cases.iter()).filter_map(|c| Some(format!("{} {}", c.runtime, c.params.io_driver?))),
    );
    (!each.is_empty()).then(|| format!("I/O drivers (--io-driver): {}", each.join(", ")))
}

/// What each `--command` case ran, in one line, if any did.
fn commands(cases: &[&Case]) -> Option<String> {
    let each: Vec<String> = cases
        .iter()
        .filter_map(|c| Some(format!("{} = {}", c.runtime, c.command.as_ref()?)))
        .collect();
    (!each.is_empty()).then(|| {
        format!(
            "commands (sh -c, measured as a whole process): {}",
            each.join("; ")
        )
    })
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
