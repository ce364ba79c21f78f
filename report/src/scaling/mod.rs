//! Scaling: how the figures of a workload move when one parameter is swept.
//! Finds the swept parameters of a results file and groups its cases into
//! lines (one per runtime, everything but the swept parameter fixed).
//!
//! A file with one value per parameter has no sweep, and no scaling section.

mod derived;
mod render;

use crate::cases;
use crate::results::{Case, ResultsFile, Workload};

pub use derived::{LeastSquares, least_squares};
pub use render::terminal;
pub(crate) use render::{document as derived_document, markdown};

/// A parameter a sweep can vary: a size flag of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// A parameter of the workload, by its name in results (`ops`, `in_flight`, …).
    Param(&'static str),
    /// `--threads`: OS threads running tasks.
    Threads,
}

impl Knob {
    /// `--in-flight`, which the derived figures (bytes per in-flight task) follow.
    pub const IN_FLIGHT: Knob = Knob::Param("in_flight");

    /// The knobs `cases` can vary, in the order the report shows them:
    /// in-flight, threads, operations, then the workload's other whole-number
    /// parameters in the order its description gives them.
    fn of(cases: &[&Case]) -> Vec<Knob> {
        let about = cases::about(cases);
        let mut names: Vec<&str> = (cases.iter())
            .flat_map(|c| c.params.own.iter())
            .filter(|(_, v)| v.is_u64())
            .map(|(k, _)| k.as_str())
            .collect();
        names.sort_by_key(|name| (about.rank(name), *name));
        names.dedup();
        let mut knobs = vec![Knob::IN_FLIGHT, Knob::Threads, Knob::Param("ops")];
        for name in names {
            let knob = Knob::Param(crate::workload::intern(name));
            if !knobs.contains(&knob) {
                knobs.push(knob);
            }
        }
        knobs
    }

    /// The parameter in words, with its unit, as the workload's description
    /// (`about`) names it: an axis title, e.g. `latency (ms)`.
    pub fn name(self, about: &crate::results::About) -> String {
        match self {
            Knob::Threads => "threads".into(),
            Knob::Param(name) => match about.words(name) {
                (label, unit) if unit.trim().is_empty() => label,
                (label, unit) => format!("{label} ({})", unit.trim()),
            },
        }
    }

    /// Short name used in file names, e.g. `in-flight` in
    /// `scaling-sleep-in-flight-time.svg`: the parameter's name without a
    /// `_ms` unit, with dashes.
    pub fn slug(self) -> String {
        match self {
            Knob::Threads => "threads".into(),
            Knob::Param(name) => name.strip_suffix("_ms").unwrap_or(name).replace('_', "-"),
        }
    }

    /// The knob's value in `case`, if the case has the parameter.
    pub fn value(self, case: &Case) -> Option<u64> {
        match self {
            Knob::Param(name) => case.params.number(name),
            Knob::Threads => Some(case.threads as u64),
        }
    }

    /// `case` with this knob set to a fixed value, so cases that differ only
    /// in it compare equal.
    fn without(self, case: &Case) -> Case {
        let mut c = case.clone();
        match self {
            Knob::Param(name) => c.params.set(name, 0.into()),
            Knob::Threads => {
                c.threads = 0;
                c.task_threads = None;
            }
        }
        c.runs.clear();
        c.summary = None;
        // The ideal time follows the parameters, the swept one among them.
        c.about.ideal_s = 0.0;
        // Why `--reps auto` stopped differs case by case, not the line.
        c.stopped = None;
        c.status = crate::results::CaseStatus::Ok;
        c.error = None;
        c
    }
}

/// One line of a scaling chart: the cases of one runtime that differ only in
/// the swept parameter, by its value, smallest first.
#[derive(Debug)]
pub struct Series<'a> {
    /// The runtime, followed by what tells this line from the runtime's
    /// other lines, if it has several (e.g. `tokio (2 threads)`).
    pub label: String,
    /// The registered runtime name, which picks the colour.
    pub runtime: String,
    /// (parameter value, case), by value.
    pub points: Vec<(u64, &'a Case)>,
}

/// One parameter of one workload that takes several values for one runtime.
#[derive(Debug)]
pub struct Sweep<'a> {
    /// The workload.
    pub workload: Workload,
    /// The parameter swept.
    pub knob: Knob,
    /// The parameter in words, with its unit: the axis title.
    pub name: String,
    /// Its values, smallest first.
    pub values: Vec<u64>,
    /// One line per runtime (and fixed setting of the other parameters).
    pub lines: Vec<Series<'a>>,
}

impl Sweep<'_> {
    /// Whether the values span 10× or more, so the axis is logarithmic.
    pub fn log_axis(&self) -> bool {
        match (self.values.first(), self.values.last()) {
            (Some(&lo), Some(&hi)) => lo > 0 && hi >= lo * 10,
            _ => false,
        }
    }
}

/// Every sweep in `results`: per workload, each knob in which some runtime
/// has cases that differ in that knob only. Commands have no parameters
/// rtbench sets, so their table has no sweep.
pub fn sweeps(results: &ResultsFile) -> Vec<Sweep<'_>> {
    let mut out = Vec::new();
    for workload in cases::workloads(results) {
        let all = cases::of_workload(results, workload);
        if !cases::about(&all).per_op() {
            continue;
        }
        for knob in Knob::of(&all) {
            let mut values: Vec<u64> = all.iter().filter_map(|c| knob.value(c)).collect();
            values.sort_unstable();
            values.dedup();
            let lines = lines(&all, knob);
            // Cases that differ in nothing else differ in this knob: without
            // such a pair (say tokio on 2 threads and smol-local on 1) the
            // values differ between runtimes, and nothing was swept.
            if lines.iter().all(|l| l.points.len() < 2) {
                continue;
            }
            out.push(Sweep {
                workload,
                knob,
                name: knob.name(cases::about(&all)),
                values,
                lines,
            });
        }
    }
    out
}

/// Groups `cases` into lines along `knob`, in the order they first appear.
fn lines<'a>(cases: &[&'a Case], knob: Knob) -> Vec<Series<'a>> {
    let mut keys: Vec<Case> = Vec::new();
    let mut groups: Vec<Vec<(u64, &'a Case)>> = Vec::new();
    for case in cases {
        let Some(value) = knob.value(case) else {
            continue;
        };
        let key = knob.without(case);
        match keys.iter().position(|k| *k == key) {
            Some(i) => groups[i].push((value, case)),
            None => {
                keys.push(key);
                groups.push(vec![(value, case)]);
            }
        }
    }
    let refs: Vec<&Case> = keys.iter().collect();
    let labels = cases::labels(&refs);
    keys.iter()
        .zip(labels)
        .zip(groups)
        .map(|((key, label), mut points)| {
            points.sort_by_key(|(v, _)| *v);
            Series {
                label,
                runtime: key.runtime.clone(),
                points,
            }
        })
        .collect()
}

/// Whether `threads` is more than the `cores` of the host.
pub fn oversubscribed(threads: usize, cores: usize) -> bool {
    threads > cores
}
