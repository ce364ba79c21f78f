//! What every renderer needs to know about the cases of one workload: which
//! they are, what to call them, their parameters in words, their latencies.

use crate::results::{About, Case, CaseStatus, Params, ResultsFile, Workload};
use crate::summary::{Stat, Summary};

/// The cases of `workload` in `results`, in the order they ran.
pub fn of_workload(results: &ResultsFile, workload: Workload) -> Vec<&Case> {
    results
        .cases
        .iter()
        .filter(|c| c.workload == workload)
        .collect()
}

/// The workloads that have at least one case in `results`, in the order
/// they first ran, the `--command` programs' last.
pub fn workloads(results: &ResultsFile) -> Vec<Workload> {
    in_order(results.cases.iter().map(|c| c.workload))
}

/// The workloads of `all`, each once, in the order first seen, the
/// `--command` programs' last.
pub fn in_order(all: impl Iterator<Item = Workload>) -> Vec<Workload> {
    let mut seen: Vec<Workload> = Vec::new();
    for workload in all {
        if !seen.contains(&workload) {
            seen.push(workload);
        }
    }
    seen.sort_by_key(|w| *w == Workload::COMMAND);
    seen
}

/// What the cases of one workload say it is: the first's description (one
/// rtbench describes a workload alike in every case), or an empty one.
pub fn about<'a>(cases: &[&'a Case]) -> &'a About {
    static NONE: std::sync::LazyLock<About> = std::sync::LazyLock::new(About::default);
    cases.first().map_or(&NONE, |c| &c.about)
}

/// The figures of a case that produced them; `None` for a failed case, even
/// one with some completed repetitions (its figures would be partial).
pub fn figures(case: &Case) -> Option<&Summary> {
    match case.status {
        CaseStatus::Ok => case.summary.as_ref(),
        CaseStatus::Failed => None,
    }
}

/// Why a case has no figures.
pub fn failure(case: &Case) -> &str {
    case.error.as_deref().unwrap_or("no repetition completed")
}

/// The values of `all`, each once, in the order first seen.
pub(crate) fn distinct(all: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in all {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

/// The runtimes of `results`' cases, each once, in the order first seen.
pub fn runtimes(results: &ResultsFile) -> Vec<String> {
    distinct(results.cases.iter().map(|c| c.runtime.clone()))
}

/// A name per case: the runtime, followed where two cases of the list share
/// it by what tells them apart (version, I/O driver, threads, flavour, the
/// parameters that differ),
/// and by `#n` where nothing does (the same case from two merged files).
pub fn labels(cases: &[&Case]) -> Vec<String> {
    let base: Vec<String> = cases
        .iter()
        .map(|case| {
            let twins: Vec<&Case> = cases
                .iter()
                .filter(|c| c.runtime == case.runtime)
                .copied()
                .collect();
            if twins.len() == 1 {
                return case.runtime.clone();
            }
            let mut parts = Vec::new();
            if twins
                .iter()
                .any(|t| t.runtime_version != case.runtime_version)
            {
                parts.push(case.runtime_version.clone());
            }
            if twins
                .iter()
                .any(|t| t.params.io_driver != case.params.io_driver)
            {
                parts.push(driver_name(case).to_owned());
            }
            if twins.iter().any(|t| t.threads != case.threads) {
                parts.push(format!("{} threads", case.threads));
            }
            if twins.iter().any(|t| t.flavor != case.flavor) {
                parts.push(case.flavor.clone());
            }
            let shared = |part: &String| twins.iter().all(|t| param_parts(t).contains(part));
            parts.extend(param_parts(case).into_iter().filter(|p| !shared(p)));
            if parts.is_empty() {
                case.runtime.clone()
            } else {
                format!("{} ({})", case.runtime, parts.join(", "))
            }
        })
        .collect();
    base.iter()
        .enumerate()
        .map(|(i, label)| {
            if base.iter().filter(|l| *l == label).count() == 1 {
                return label.clone();
            }
            let nth = base[..i].iter().filter(|l| *l == label).count() + 1;
            format!("{label} #{nth}")
        })
        .collect()
}

/// The I/O driver a case asked for (`io_uring`, `epoll`), or `default
/// driver` when it asked for none.
pub fn driver_name(case: &Case) -> &'static str {
    case.params.io_driver.map_or("default driver", |d| d.name())
}

/// Whether two cases' parameters are the same point of their workload:
/// equal but for the I/O driver, which is the runtime's side of a case.
pub fn same_point(a: &Params, b: &Params) -> bool {
    let sans = |p: &Params| Params {
        io_driver: None,
        ..p.clone()
    };
    sans(a) == sans(b)
}

/// Parameters of `case` in words, e.g. `ops 1,000,000 · in flight 10,000 ·
/// latency 1 ms`; a `command` case's (none set) as `whole programs`.
pub fn describe_params(case: &Case) -> String {
    if !case.about.per_op() {
        return "whole programs, no parameters set by rtbench".into();
    }
    param_parts(case).join(" · ")
}

/// Each parameter of the case's workload in words, e.g. `latency 1 ms`, as
/// its [`About`] names them and in its order, then any other by name, then
/// the CPUs its processes were pinned to (`--pin`), if they were. The
/// I/O driver is not one: it belongs to the runtime's side of a case, named
/// in its label (see [`labels`]), so cases on two drivers share their
/// workload's parameters and rank together.
pub(crate) fn param_parts(case: &Case) -> Vec<String> {
    let about = &case.about;
    let ops = serde_json::Value::from(case.params.ops);
    let mut fields: Vec<(&str, &serde_json::Value)> = std::iter::once(("ops", &ops))
        .chain(case.params.own.iter().map(|(k, v)| (k.as_str(), v)))
        .filter(|(_, v)| !v.is_null())
        .collect();
    fields.sort_by_key(|(key, _)| (about.rank(key), *key));
    let pinned = case.params.cpus.iter().map(ToString::to_string);
    fields
        .into_iter()
        .map(|(key, v)| {
            let text = match v {
                serde_json::Value::Number(n) => match n.as_u64() {
                    Some(n) => crate::figure::grouped(n as f64),
                    None => n.to_string(),
                },
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let (name, unit) = about.words(key);
            format!("{name} {text}{unit}")
        })
        .chain(pinned)
        .collect()
}

/// Each runtime that chose an I/O driver in `results`, with the drivers its
/// runs used (`monoio: io_uring`), in the order the runtimes first appear.
pub fn io_drivers(results: &ResultsFile) -> Vec<String> {
    let mut seen: Vec<(&str, Vec<&str>)> = Vec::new();
    for case in &results.cases {
        for driver in case.runs.iter().filter_map(|r| r.io_driver.as_deref()) {
            match seen
                .iter_mut()
                .find(|(runtime, _)| *runtime == case.runtime)
            {
                Some((_, drivers)) if drivers.contains(&driver) => {}
                Some((_, drivers)) => drivers.push(driver),
                None => seen.push((&case.runtime, vec![driver])),
            }
        }
    }
    seen.into_iter()
        .map(|(runtime, drivers)| format!("{runtime}: {}", drivers.join(" and ")))
        .collect()
}

/// The latency percentiles a chart shows, with their names.
pub const PERCENTILES: [&str; 5] = ["p50", "p90", "p99", "p99.9", "max"];

/// A completed case's latency percentiles in milliseconds, each the median
/// over its repetitions, in [`PERCENTILES`] order; `None` also when a run has
/// no latencies (a command that printed no run record).
pub fn latency_ms(case: &Case) -> Option<[Stat; 5]> {
    figures(case)?;
    let stat = |pick: &dyn Fn(&crate::results::Latency) -> u64| {
        let values: Option<Vec<f64>> = (case.runs.iter())
            .map(|r| Some(pick(r.latency_ns.as_ref()?) as f64 / 1e6))
            .collect();
        Stat::of(&values?)
    };
    Some([
        stat(&|l| l.p50)?,
        stat(&|l| l.p90)?,
        stat(&|l| l.p99)?,
        stat(&|l| l.p999)?,
        stat(&|l| l.max)?,
    ])
}

/// "median of 5 repetitions" (or "of 2 to 5") over the completed cases.
pub fn repetitions(cases: &[&Case]) -> String {
    let mut reps: Vec<usize> = cases
        .iter()
        .filter(|c| figures(c).is_some())
        .map(|c| c.runs.len())
        .collect();
    reps.sort_unstable();
    reps.dedup();
    match reps.as_slice() {
        [] => "no completed case".to_string(),
        [n] => format!("median of {n} repetitions"),
        [lo, .., hi] => format!("median of {lo} to {hi} repetitions"),
    }
}
