//! The derived-figures table of the sweeps (terminal, Markdown; the page's
//! "Scaling" section, built in `page`, shows it too).

use crate::figure::{grouped, significant};
use crate::results::ResultsFile;
use crate::table::{self, Document, Grid, Row};

use super::derived::{Derived, derived};

/// The derived figures for the terminal, with their methods; empty when the
/// file has no sweep that yields one.
pub fn terminal(results: &ResultsFile) -> String {
    document(results).map_or_else(String::new, |doc| table::render_terminal(&doc))
}

/// The derived figures in Markdown, to follow `table.md`'s tables; empty
/// when there are none.
pub(crate) fn markdown(results: &ResultsFile) -> String {
    document(results).map_or_else(String::new, |doc| table::render_markdown(&doc))
}

/// The column headers of the derived-figures table.
const HEADERS: [&str; 6] = [
    "runtime",
    "workload",
    "bytes per in-flight task",
    "R²",
    "overhead growth",
    "thread scaling (at N threads)",
];

/// The derived figures as a one-table document, or `None` without any.
pub(crate) fn document(results: &ResultsFile) -> Option<Document> {
    let rows = derived(results);
    if rows.is_empty() {
        return None;
    }
    let grid = Grid {
        workload: rows[0].workload,
        title: "Derived figures (from the sweeps)".into(),
        header: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().map(row).collect(),
        numeric: 2..HEADERS.len(),
        keys: 1,
        notes: methods(),
        context: Vec::new(),
        last_line: headline(&rows),
        points: None,
    };
    Some(Document {
        title: "rtbench scaling".into(),
        preface: Vec::new(),
        grids: vec![grid],
        footer: Vec::new(),
    })
}

fn row(d: &Derived) -> Row {
    let none = || "–".to_string();
    let mut cells = vec![d.label.clone(), d.workload.to_string()];
    match d.bytes_per_task {
        Some(fit) => {
            cells.push(format!("{} B", grouped(fit.slope)));
            cells.push(format!("{:.3}", fit.r2));
        }
        None => cells.extend([none(), none()]),
    }
    cells.push(d.overhead_growth.map_or_else(none, |(lo, hi, pct)| {
        format!(
            "{pct:+.1} % ({} → {})",
            grouped(lo as f64),
            grouped(hi as f64)
        )
    }));
    cells.push(d.thread_scaling.map_or_else(none, |(n, eff, over)| {
        let over = if over { ", oversubscribed" } else { "" };
        format!("{} at {n}{over}", significant(eff, 3))
    }));
    Row::Cells(cells)
}

/// How each derived figure is computed, stated under the table.
fn methods() -> Vec<String> {
    vec![
        "bytes per in-flight task: least-squares slope of peak RSS over in-flight, fitted \
         through every completed repetition at every in-flight value of the row; R² is the \
         share of the variation the line explains (1 = every point on it)."
            .into(),
        "overhead growth: (overhead/op at the largest in-flight − at the smallest) / at the \
         smallest, medians, in %; absent where the smallest is ≤ 0 ns."
            .into(),
        "thread scaling: throughput at N threads ÷ (N × throughput at 1 thread), medians at the \
         largest in-flight both completed; 1 is perfect, 1/N no gain; oversubscribed: N is above \
         the host's cores."
            .into(),
    ]
}

/// The smallest and largest bytes per in-flight task.
fn headline(rows: &[Derived]) -> String {
    let fits: Vec<(&Derived, f64)> = rows
        .iter()
        .filter_map(|d| d.bytes_per_task.map(|f| (d, f.slope)))
        .collect();
    let by = |a: &&(&Derived, f64), b: &&(&Derived, f64)| a.1.total_cmp(&b.1);
    match (fits.iter().min_by(by), fits.iter().max_by(by)) {
        (Some(lo), Some(hi)) if fits.len() > 1 => format!(
            "fewest bytes per in-flight task: {} on {} ({} B); most: {} on {} ({} B)",
            lo.0.label,
            lo.0.workload,
            grouped(lo.1),
            hi.0.label,
            hi.0.workload,
            grouped(hi.1)
        ),
        (Some(one), _) => format!(
            "bytes per in-flight task: {} on {}: {} B",
            one.0.label,
            one.0.workload,
            grouped(one.1)
        ),
        _ => "no in-flight sweep: no bytes per task".into(),
    }
}
