//! Baseline vs candidate: the article's "3.12 vs 3.13" view for two results
//! files. Cases are matched by runtime, flavour, workload and parameters.

use crate::cases;
use crate::figure::Figure;
use crate::results::{Case, Host, Measure, Order, ResultsFile};
use crate::verdict;
pub use crate::verdict::{Change, Rules, Verdict};

/// Two results files side by side, case by case.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Host and date of the baseline file.
    pub baseline: Side,
    /// Host and date of the candidate file.
    pub candidate: Side,
    /// One line each: hosts, rustc, parameters or threads that differ.
    pub warnings: Vec<String>,
    /// Cases found in both files, in the baseline's order.
    pub pairs: Vec<Pair>,
    /// Cases of the baseline with no match in the candidate.
    pub only_in_baseline: Vec<Case>,
    /// Cases of the candidate with no match in the baseline.
    pub only_in_candidate: Vec<Case>,
    /// The rules the verdicts follow.
    pub rules: Rules,
    /// Whether runs were paired round by round (two cases of one
    /// interleaved run) rather than taken as independent sets.
    pub paired: bool,
    /// Counts when both sides measured counts: the gate then decides on
    /// them (see [`Comparison::gate`]).
    pub measure: Measure,
}

/// Where one side's numbers come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// When that run started.
    pub created: String,
    /// The machine it ran on.
    pub host: Host,
}

/// One case found in both files.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The case in the baseline.
    pub baseline: Case,
    /// The same case in the candidate.
    pub candidate: Case,
    /// One change per figure of [`Figure::of`] the workload; empty when
    /// either side failed.
    pub changes: Vec<Change>,
}

impl Pair {
    /// The change of `figure`, when both sides have figures.
    pub fn change(&self, figure: Figure) -> Option<&Change> {
        self.changes.iter().find(|c| c.figure == figure)
    }

    /// Which side failed, and why, when one did.
    pub fn failure(&self) -> Option<String> {
        let why = |case: &Case| cases::failure(case).to_owned();
        match (
            cases::figures(&self.baseline),
            cases::figures(&self.candidate),
        ) {
            (Some(_), Some(_)) => None,
            (None, Some(_)) => Some(format!("failed in baseline: {}", why(&self.baseline))),
            (Some(_), None) => Some(format!("failed in candidate: {}", why(&self.candidate))),
            (None, None) => Some(format!("failed in both: {}", why(&self.candidate))),
        }
    }
}

/// The key two cases must share to be compared.
fn same_case(a: &Case, b: &Case) -> bool {
    a.workload == b.workload
        && a.runtime == b.runtime
        && a.flavor == b.flavor
        && a.params == b.params
}

/// Compares `candidate` against `baseline`, case by case, each file's runs
/// taken as an independent set. A case present twice in a file is matched in
/// order (first with first).
pub fn compare(baseline: &ResultsFile, candidate: &ResultsFile, rules: Rules) -> Comparison {
    let mut unmatched: Vec<&Case> = candidate.cases.iter().collect();
    let mut pairs = Vec::new();
    let mut only_in_baseline = Vec::new();
    for base in &baseline.cases {
        match unmatched.iter().position(|c| same_case(base, c)) {
            Some(i) => {
                let cand = unmatched.remove(i);
                pairs.push(Pair {
                    changes: changes(base, cand, false, rules),
                    baseline: base.clone(),
                    candidate: cand.clone(),
                });
            }
            None => only_in_baseline.push(base.clone()),
        }
    }
    let mut only_in_candidate: Vec<Case> = unmatched.into_iter().cloned().collect();
    let across = pair_across_runtimes(
        (baseline, &mut only_in_baseline),
        (candidate, &mut only_in_candidate),
        rules,
    );
    let mut notes: Vec<String> = across
        .iter()
        .map(|p| {
            format!(
                "{}: {} (baseline) compared with {} (candidate), the only case of it in each file",
                p.baseline.workload, p.baseline.runtime, p.candidate.runtime
            )
        })
        .collect();
    pairs.extend(across);
    notes.splice(0..0, warnings(baseline, candidate, &pairs));
    Comparison {
        warnings: notes,
        baseline: Side {
            created: baseline.created.clone(),
            host: baseline.host.clone(),
        },
        candidate: Side {
            created: candidate.created.clone(),
            host: candidate.host.clone(),
        },
        pairs,
        only_in_baseline,
        only_in_candidate,
        rules,
        paired: false,
        measure: both_measured(baseline, candidate),
    }
}

/// What both files measured: counts only when both did.
fn both_measured(baseline: &ResultsFile, candidate: &ResultsFile) -> Measure {
    match (baseline.measure, candidate.measure) {
        (Some(Measure::Counts), Some(Measure::Counts)) => Measure::Counts,
        _ => Measure::Wall,
    }
}

/// Compares two runtimes of one results file: every case of `candidate`
/// with the case of `baseline` of the same workload and parameters. When
/// the file's repetitions were interleaved, round i of one is paired with
/// round i of the other, so the machine's drift cancels. Fails with one line
/// when either name has no case in the file.
pub fn compare_within(
    file: &ResultsFile,
    baseline: &str,
    candidate: &str,
    rules: Rules,
) -> Result<Comparison, String> {
    let named = |name: &str, flag: &str| {
        let found: Vec<&Case> = file.cases.iter().filter(|c| c.runtime == name).collect();
        if found.is_empty() {
            return Err(format!(
                "{flag} {name}: no case of that runtime in the file; it holds: {}",
                cases::runtimes(file).join(", ")
            ));
        }
        Ok(found)
    };
    let (bases, mut unmatched) = (
        named(baseline, "--baseline")?,
        named(candidate, "--candidate")?,
    );
    let paired = file.order == Some(Order::Interleaved);
    let mut pairs = Vec::new();
    let mut only_in_baseline = Vec::new();
    for base in bases {
        let twin = |c: &&Case| c.workload == base.workload && c.params == base.params;
        match unmatched.iter().position(twin) {
            Some(i) => {
                let cand = unmatched.remove(i);
                pairs.push(Pair {
                    changes: changes(base, cand, paired, rules),
                    baseline: base.clone(),
                    candidate: cand.clone(),
                });
            }
            None => only_in_baseline.push(base.clone()),
        }
    }
    Ok(Comparison {
        pairs,
        only_in_baseline,
        only_in_candidate: unmatched.into_iter().cloned().collect(),
        ..Comparison::within(file, rules)
    })
}

impl Comparison {
    /// An empty comparison of cases of one `file`: both sides are it, and
    /// its cases pair round by round when its rounds were interleaved.
    pub(crate) fn within(file: &ResultsFile, rules: Rules) -> Comparison {
        let side = Side {
            created: file.created.clone(),
            host: file.host.clone(),
        };
        Comparison {
            baseline: side.clone(),
            candidate: side,
            warnings: Vec::new(),
            pairs: Vec::new(),
            only_in_baseline: Vec::new(),
            only_in_candidate: Vec::new(),
            rules,
            paired: file.order == Some(Order::Interleaved),
            measure: both_measured(file, file),
        }
    }
}

/// The "3.12 vs 3.13" case: two files of one runtime each. Where each file
/// holds exactly one case of a workload, unmatched and with the same
/// parameters, the two are compared even though their runtimes differ. (In
/// files of several runtimes, a runtime dropped and another added stay apart.)
fn pair_across_runtimes(
    (baseline_file, baseline): (&ResultsFile, &mut Vec<Case>),
    (candidate_file, candidate): (&ResultsFile, &mut Vec<Case>),
    rules: Rules,
) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for workload in cases::in_order(baseline_file.cases.iter().map(|c| c.workload)) {
        let alone =
            |file: &ResultsFile| file.cases.iter().filter(|c| c.workload == workload).count() == 1;
        if !(alone(baseline_file) && alone(candidate_file)) {
            continue;
        }
        let one = |cases: &[Case]| {
            let mut of_it = cases
                .iter()
                .enumerate()
                .filter(|(_, case)| case.workload == workload)
                .map(|(i, _)| i);
            match (of_it.next(), of_it.next()) {
                (Some(i), None) => Some(i),
                _ => None,
            }
        };
        if let (Some(b), Some(c)) = (one(baseline), one(candidate)) {
            if baseline[b].params == candidate[c].params {
                let (base, cand) = (baseline.remove(b), candidate.remove(c));
                pairs.push(Pair {
                    changes: changes(&base, &cand, false, rules),
                    baseline: base,
                    candidate: cand,
                });
            }
        }
    }
    pairs
}

/// Row labels for `pairs`: the runtime, told apart from its twins as in a
/// results table, or "baseline → candidate" where the runtimes differ, or
/// "runtime: io_uring → epoll" where the I/O drivers do.
pub fn pair_labels(pairs: &[&Pair]) -> Vec<String> {
    let bases: Vec<&Case> = pairs.iter().map(|p| &p.baseline).collect();
    let candidates: Vec<&Case> = pairs.iter().map(|p| &p.candidate).collect();
    cases::labels(&bases)
        .into_iter()
        .zip(cases::labels(&candidates))
        .zip(pairs)
        .map(|((base, candidate), pair)| {
            if pair.baseline.params.io_driver != pair.candidate.params.io_driver {
                let (b, c) = (&pair.baseline, &pair.candidate);
                format!(
                    "{base}: {} → {}",
                    cases::driver_name(b),
                    cases::driver_name(c)
                )
            } else if pair.baseline.runtime == pair.candidate.runtime {
                base
            } else {
                format!("{} → {candidate}", pair.baseline.runtime)
            }
        })
        .collect()
}

/// Every figure's change, then every count's that both sides have, or none
/// when either side has no figures.
pub(crate) fn changes(
    baseline: &Case,
    candidate: &Case,
    paired: bool,
    rules: Rules,
) -> Vec<Change> {
    if cases::figures(baseline).is_none() || cases::figures(candidate).is_none() {
        return Vec::new();
    }
    (Figure::of(&baseline.about).into_iter())
        .chain(Figure::counts_of(baseline.about.per_op()))
        .filter_map(|figure| {
            verdict::change(
                figure,
                &figure.values(baseline),
                &figure.values(candidate),
                paired,
                rules,
            )
        })
        .collect()
}

/// One line for each thing that makes the two files less comparable.
fn warnings(baseline: &ResultsFile, candidate: &ResultsFile, pairs: &[Pair]) -> Vec<String> {
    let mut out = Vec::new();
    let (b, c) = (&baseline.host, &candidate.host);
    if (&b.cpu_model, b.cores, &b.kernel) != (&c.cpu_model, c.cores, &c.kernel) {
        out.push(format!(
            "hosts differ: baseline {}, {} cores, kernel {}; candidate {}, {} cores, kernel {}",
            b.cpu_model, b.cores, b.kernel, c.cpu_model, c.cores, c.kernel
        ));
    }
    if b.rustc != c.rustc {
        out.push(format!(
            "rustc differs: baseline {}; candidate {}",
            b.rustc, c.rustc
        ));
    }
    for workload in cases::in_order(baseline.cases.iter().map(|c| c.workload)) {
        let params = |file: &ResultsFile| {
            let mut all: Vec<String> = cases::of_workload(file, workload)
                .iter()
                .map(|c| cases::describe_params(c))
                .collect();
            all.sort();
            all.dedup();
            all
        };
        let (bp, cp) = (params(baseline), params(candidate));
        if bp.is_empty() || cp.is_empty() || bp == cp {
            continue;
        }
        let only = |these: &[String], those: &[String]| {
            these
                .iter()
                .filter(|p| !those.contains(p))
                .cloned()
                .collect::<Vec<_>>()
                .join(" / ")
        };
        let mut differ = Vec::new();
        for (name, these, those) in [("baseline", &bp, &cp), ("candidate", &cp, &bp)] {
            let only = only(these, those);
            if !only.is_empty() {
                differ.push(format!("only the {name} has {only}"));
            }
        }
        out.push(format!(
            "{workload} parameters differ: {}; only cases with equal parameters are compared",
            differ.join("; ")
        ));
    }
    for pair in pairs {
        if pair.baseline.threads != pair.candidate.threads {
            out.push(format!(
                "{} {}: threads differ: baseline {}, candidate {}",
                pair.baseline.runtime,
                pair.baseline.workload,
                pair.baseline.threads,
                pair.candidate.threads
            ));
        }
    }
    out
}
