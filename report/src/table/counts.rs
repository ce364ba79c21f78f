//! The lines a results table carries about its counts: why a count is
//! absent, where the counts come from, the estimated-cycles formula, the
//! two kinds of context switch, and what "vs best" ranks by.

use std::collections::BTreeMap;

use crate::cases;
use crate::count::{CYCLES_FORMULA, Count};
use crate::figure::{Figure, significant};
use crate::results::{Case, ResultsFile};
use crate::verdict::{Rules, counts_method, method};

/// What the allocation counts are, under a table that shows them.
const ALLOCATIONS: &str = "allocations: counted by rtbench's allocator in the child over the \
     workload's own span, a reallocation as one allocation of its new size; peak live bytes: \
     the most the heap rose above its level when the workload began";

/// One note per count figure and reason some cases lack it: `syscalls/op
/// absent in tokio, smol: <reason>`, so a cell says `absent` and the reader
/// learns why (and how to get it) once; `absent in every runtime` when no
/// case of the table that has figures has it.
pub(super) fn absent_notes(cases: &[&Case], labels: &[String], shown: &[Figure]) -> Vec<String> {
    let measured: Vec<(&Case, &String)> = (cases.iter().copied().zip(labels))
        .filter(|(case, _)| cases::figures(case).is_some())
        .collect();
    let mut notes = Vec::new();
    for figure in shown {
        let mut by_reason: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for &(case, label) in &measured {
            if let Some(why) = figure.absent(case) {
                by_reason.entry(why).or_default().push(label);
            }
        }
        for (why, who) in by_reason {
            let who = match who.len() {
                n if n == measured.len() && n > 1 => "every runtime".to_owned(),
                _ => who.join(", "),
            };
            notes.push(format!("{} absent in {who}: {why}", figure.header()));
        }
    }
    notes
}

/// The estimated-cycles formula with the simulated caches, once under the
/// terminal's tables, when any run has cache counts.
pub(super) fn footer(results: &ResultsFile) -> Option<String> {
    let cached = (results.cases.iter().flat_map(|c| &c.runs))
        .any(|r| r.counted.as_ref().is_some_and(|c| c.l1_hits.is_some()));
    cached.then(|| cycles_line(results))
}

/// [`CYCLES_FORMULA`] and the tools behind it.
fn cycles_line(results: &ResultsFile) -> String {
    let tools = results.tools.clone().unwrap_or_default();
    let valgrind = tools.valgrind.as_deref().unwrap_or("valgrind");
    let cache = tools.cache.as_deref().map_or_else(
        || "simulated caches not recorded".to_owned(),
        |c| format!("simulated caches {c}"),
    );
    format!("{CYCLES_FORMULA}; instructions and cache accesses from {valgrind}, {cache}")
}

/// Where the counts come from and what they mean, when `shown` has any:
/// the tools, the estimated-cycles formula with the simulated caches, and
/// each case's context switches split into voluntary and involuntary.
pub(super) fn context(
    results: &ResultsFile,
    cases: &[&Case],
    labels: &[String],
    shown: &[Figure],
) -> Vec<String> {
    if shown.is_empty() {
        return Vec::new();
    }
    let tools = results.tools.clone().unwrap_or_default();
    let per = match shown.first() {
        Some(Figure::Total(_)) => {
            "totals over each whole program (rtbench knows no operations of a command)"
        }
        _ => "per operation, each run's total ÷ the case's ops",
    };
    let mut lines = vec![format!(
        "counts: {per}; system calls {}; context switches and minor page faults from the \
         kernel's accounting of the child",
        tools.syscalls.as_deref().map_or_else(
            || "from the kernel's raw_syscalls:sys_enter tracepoint".into(),
            |s| format!("from {s}")
        )
    )];
    if shown.iter().any(|f| f.count() == Some(Count::Cycles)) {
        lines.push(cycles_line(results));
    }
    if shown.iter().any(|f| f.count() == Some(Count::Allocations)) {
        lines.push(ALLOCATIONS.to_owned());
    }
    if shown.iter().any(|f| f.count() == Some(Count::Switches)) {
        let each: Vec<String> = (cases.iter().zip(labels))
            .filter_map(|(case, label)| Some(format!("{label} {}", switches(case, shown)?)))
            .collect();
        if !each.is_empty() {
            lines.push(format!(
                "context switches, voluntary + involuntary (mean over runs): {}",
                each.join(", ")
            ));
        }
    }
    lines
}

/// A case's mean voluntary and involuntary switches, in the unit `shown`
/// uses (per operation, or a command's total): `1.2 + 0.03`.
fn switches(case: &Case, shown: &[Figure]) -> Option<String> {
    cases::figures(case)?;
    let per_op = !matches!(shown.first(), Some(Figure::Total(_)));
    let ops = if per_op { case.params.ops as f64 } else { 1.0 };
    let mean = |pick: fn(&crate::counted::Counted) -> Option<u64>| {
        let values: Option<Vec<f64>> = (case.runs.iter())
            .map(|r| Some(pick(r.counted.as_ref()?)? as f64 / ops))
            .collect();
        crate::stats::mean(&values?)
    };
    let (voluntary, involuntary) = (
        mean(|c| c.voluntary_switches)?,
        mean(|c| c.involuntary_switches)?,
    );
    Some(format!(
        "{} + {}",
        significant(voluntary, 3),
        significant(involuntary, 3)
    ))
}

/// What "vs best" ranks by and how its ties (≈) are decided.
pub(super) fn vs_best(basis: Figure) -> String {
    match basis {
        Figure::Time => format!(
            "vs best = time / fastest time at the same parameters; ≈ marks a time not shown \
             slower than the fastest's: {}",
            method(Rules::default())
        ),
        _ => format!(
            "vs best = {0} / fewest {0} at the same parameters (counts mode: a count does not \
             drift with the machine); ≈ marks a case not shown above the fewest: {1}",
            basis.header(),
            counts_method()
        ),
    }
}
