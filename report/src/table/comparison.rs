//! The comparison tables: per workload, each case's figures in baseline and
//! candidate, the change with its interval, and the verdict.

use crate::cases;
use crate::compare::{Comparison, Pair, Verdict};
use crate::figure::Figure;
use crate::results::{Case, Measure, Workload};

use super::{Document, Grid, Row};
use crate::cases::distinct;

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
pub(super) fn document(cmp: &Comparison) -> Document {
    let side = |name: &str, s: &crate::compare::Side| {
        format!(
            "{name}: {}; {}, {} cores, kernel {}, {}",
            s.created, s.host.cpu_model, s.host.cores, s.host.kernel, s.host.rustc
        )
    };
    let gate = cmp.gate().rule();
    let all = (cmp.pairs.iter().map(|p| &p.baseline))
        .chain(&cmp.only_in_baseline)
        .chain(&cmp.only_in_candidate);
    let grids = cases::in_order(all.map(|c| c.workload))
        .into_iter()
        .map(|w| {
            let mut grid = comparison_grid(cmp, w);
            grid.context = vec![
                side("baseline", &cmp.baseline),
                side("candidate", &cmp.candidate),
                format!(
                    "↓ lower is better, ↑ higher is better; cells: median ± the larger half of \
                     its 95 % interval; {}",
                    crate::verdict::method(cmp.rules)
                ),
            ];
            let counted =
                (cmp.pairs.iter().flat_map(|p| &p.changes)).any(|c| c.figure.count().is_some());
            if counted {
                grid.context.push(crate::verdict::counts_method());
            }
            grid.context.push(pairing(cmp));
            grid.context.push(gate.clone());
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
            gate,
        ],
    }
}

/// Whether the runs were paired, in words.
fn pairing(cmp: &Comparison) -> String {
    if cmp.paired {
        "paired: both sides are cases of one interleaved run, compared round by round \
         (from 6 rounds; with fewer, as independent sets; counts always as independent sets)"
            .into()
    } else {
        "unpaired: each side's runs are taken as an independent set".into()
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
    // The headline is wall time, as in the article's "42.7 s → 25.6 s";
    // in counts mode, instructions per operation.
    let headline = match cmp.measure {
        Measure::Counts => Figure::counts_of(cases::about(&bases).per_op())[0],
        Measure::Wall => Figure::Time,
    };
    let mut rows = Vec::new();
    // Each version change once, with every case it applies to.
    let mut versions: Vec<(String, Vec<&str>)> = Vec::new();
    let mut moved = Vec::new();
    let mut steady = 0;
    for (pair, label) in pairs.iter().zip(&labels) {
        let (b, c) = (&pair.baseline, &pair.candidate);
        if b.runtime_version != c.runtime_version {
            let change = format!("version {} → {}", b.runtime_version, c.runtime_version);
            match versions.iter_mut().find(|(v, _)| *v == change) {
                Some((_, names)) => names.push(label.as_str()),
                None => versions.push((change, vec![label.as_str()])),
            }
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
            if f == headline {
                match change.verdict {
                    Verdict::Better | Verdict::Worse => moved.push(format!(
                        "{label} {} ({})",
                        change.text(),
                        change.verdict.word()
                    )),
                    Verdict::WithinNoise => steady += 1,
                }
            }
            rows.push(Row::Cells(vec![
                if i == 0 { label.clone() } else { String::new() },
                format!("{} {arrow}", f.header()),
                f.cell(change.baseline),
                f.cell(change.candidate),
                change.text(),
                change.verdict.word().into(),
            ]));
        }
    }
    let missing = |which: &str, list: &[Case]| {
        let here: Vec<&Case> = list.iter().filter(|c| c.workload == workload).collect();
        (!here.is_empty()).then(|| {
            let names: Vec<String> = here
                .iter()
                .map(|c| format!("{} ({})", c.runtime, cases::describe_params(c)))
                .collect();
            format!("only in {which}, not compared: {}", names.join("; "))
        })
    };
    let mut notes: Vec<String> = versions
        .iter()
        .map(|(change, names)| format!("{}: {change}", names.join(", ")))
        .collect();
    if pairs
        .iter()
        .flat_map(|p| &p.changes)
        .any(|c| c.interval.is_none() && c.percent.is_some())
    {
        notes.push(match cmp.measure {
            Measure::Counts => "timed figures: no interval with fewer than 4 runs a side (the \
                                Mann–Whitney interval), so no verdict; in counts mode they are \
                                information"
                .into(),
            Measure::Wall => crate::verdict::NO_INTERVAL.into(),
        });
    }
    notes.extend(missing("baseline", &cmp.only_in_baseline));
    notes.extend(missing("candidate", &cmp.only_in_candidate));
    let params = distinct(bases.iter().map(|c| cases::describe_params(c)));
    let what = match headline {
        Figure::Time => "wall time",
        other => other.header(),
    };
    let last_line = match (pairs.is_empty(), moved.is_empty()) {
        (true, _) => "no case of this workload is in both files".into(),
        (false, true) => format!("{what}: no change beyond noise ({steady} compared)"),
        (false, false) => format!("{what}: {}; {steady} more within noise", moved.join(", ")),
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
        keys: 2,
        notes,
        context: Vec::new(),
        last_line,
        points: None,
    }
}
