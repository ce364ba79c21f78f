//! Exports of a results file for the tools people track benchmarks with:
//! CSV (one row per run), Bencher Metric Format, and github-action-benchmark's
//! `customSmallerIsBetter` JSON. One file per format, one enum, one `match`.

mod bmf;
mod csv;
mod github_action;

use std::fmt;
use std::str::FromStr;

use crate::cases;
use crate::results::{Case, ResultsFile, Workload};

/// The formats `rtbench export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per run: every figure, the case's parameters, runtime, version, host.
    Csv,
    /// Bencher Metric Format: `{benchmark: {measure: {value, lower_value, upper_value}}}`.
    Bmf,
    /// github-action-benchmark's `customSmallerIsBetter`: `[{name, unit, value, range, extra}]`.
    GithubActionBenchmark,
}

impl Format {
    /// Every format, as `--format` lists them.
    pub const ALL: [Format; 3] = [Format::Csv, Format::Bmf, Format::GithubActionBenchmark];

    /// The name given to `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Bmf => "bmf",
            Format::GithubActionBenchmark => "github-action-benchmark",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown export format '{s}'; valid: {}", names.join(", "))
            })
    }
}

/// `results` written in `format`, as the text of the file.
pub fn export(results: &ResultsFile, format: Format) -> Result<String, String> {
    match format {
        Format::Csv => csv::render(results),
        Format::Bmf => Ok(bmf::render(results)),
        Format::GithubActionBenchmark => Ok(github_action::render(results)),
    }
}

/// Every case of `results` with a name that is unique in the file and stable
/// from run to run, `<workload>/<label>` (e.g. `sleep/tokio`), workload by
/// workload: what the tracking formats key their series by.
fn named_cases(results: &ResultsFile) -> Vec<(String, Workload, &Case)> {
    let mut named = Vec::new();
    for workload in cases::workloads(results) {
        let of_workload = cases::of_workload(results, workload);
        for (case, label) in of_workload.iter().zip(cases::labels(&of_workload)) {
            named.push((format!("{workload}/{label}"), workload, *case));
        }
    }
    named
}

/// Host, parameters and repetitions of a case in one line, for the formats
/// that carry free text next to a value; for a `--command` case, the
/// command in place of version and threads.
fn context(results: &ResultsFile, case: &Case) -> String {
    let host = &results.host;
    let arch = host.arch.as_deref().unwrap_or("unknown arch");
    let what = match &case.command {
        Some(line) => format!("sh -c {line:?}"),
        None => format!("{} · {} threads", case.runtime_version, case.threads),
    };
    format!(
        "{} {what} · {} · {}, {} cores, {arch} · {}",
        case.runtime,
        cases::describe_params(case),
        host.cpu_model,
        host.cores,
        cases::repetitions(&[case]),
    )
}
