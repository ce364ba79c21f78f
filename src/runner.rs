//! Runs the matrix: every repetition of every case in its own child process,
//! one at a time, writing `results.json` after each case.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rtbench_report::summary::Summary;
use rtbench_report::{Case, CaseStatus, ResultsFile, Run, RunRecord};

use crate::process::{self, Measured};

/// One case to measure: the record to fill in, and how to start a repetition.
#[derive(Debug)]
pub struct Plan {
    /// The case as results will record it; `runs`, `status` and `summary` are filled in here.
    pub case: Case,
    /// The program that runs one repetition and prints its record.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Environment it needs (e.g. a runtime's thread count).
    pub env: Vec<(&'static str, String)>,
    /// Why the runtime cannot run here, if it cannot: the case is recorded
    /// as failed with this reason, without starting anything.
    pub unavailable: Option<String>,
}

/// Settings shared by every case of a run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Repetitions per case.
    pub reps: u32,
    /// A repetition running longer than this is killed and the case fails.
    pub limit: Duration,
}

/// Runs every plan in order and returns the results, which are also written to
/// `path` after each case, so a crash of anything keeps what was measured.
pub fn run(
    plans: Vec<Plan>,
    settings: Settings,
    mut results: ResultsFile,
    path: &Path,
) -> Result<ResultsFile, String> {
    let progress = progress_bar(plans.len() as u64 * u64::from(settings.reps));
    for plan in plans {
        let case = run_case(plan, settings, &progress);
        say(&progress, &outcome_line(&case));
        results.cases.push(case);
        results.write(path)?;
    }
    progress.finish_and_clear();
    Ok(results)
}

/// Runs a case's repetitions, stopping at the first that fails.
fn run_case(plan: Plan, settings: Settings, progress: &ProgressBar) -> Case {
    let mut case = plan.case;
    if let Some(why) = plan.unavailable {
        case.status = CaseStatus::Failed;
        case.error = Some(format!("unavailable: {why}"));
        progress.inc(u64::from(settings.reps));
        return case;
    }
    for rep in 1..=settings.reps {
        progress.set_message(format!(
            "{} {} rep {rep}/{}",
            case.runtime, case.workload, settings.reps
        ));
        let mut command = Command::new(&plan.program);
        command.args(&plan.args).envs(plan.env.iter().cloned());
        match process::run(command, settings.limit)
            .map_err(|e| format!("cannot start {}: {e}", plan.program.display()))
            .and_then(|measured| run_of(measured, settings.limit))
        {
            Ok(run) => case.runs.push(run),
            Err(reason) => {
                case.status = CaseStatus::Failed;
                case.error = Some(crate::limits::name_limit(reason));
                progress.inc(u64::from(settings.reps - rep + 1));
                break;
            }
        }
        progress.inc(1);
    }
    case.summary = Summary::of(case.workload, &case.params, &case.runs);
    case
}

/// The run a child reported, or why it failed, in one line.
fn run_of(measured: Measured, limit: Duration) -> Result<Run, String> {
    let last_line = |text: &str| {
        text.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(str::to_owned)
    };
    let why = crate::limits::limit_line(&measured.stderr)
        .map(str::to_owned)
        .or_else(|| last_line(&measured.stderr))
        .map_or_else(String::new, |line| format!(": {line}"));
    let status = match measured.status {
        None => {
            return Err(format!(
                "timed out after {} s and was killed; raise --timeout-s or lower --ops",
                limit.as_secs()
            ));
        }
        Some(status) if !status.success() => {
            let how = if status.signal().is_some() {
                "killed by"
            } else {
                "exited with"
            };
            return Err(format!("{how} {status}{why}"));
        }
        Some(status) => status,
    };
    let line = last_line(&measured.stdout).unwrap_or_default();
    let record: RunRecord = serde_json::from_str(&line)
        .map_err(|e| format!("invalid record ({e}) after {status}: {line:?}"))?;
    Ok(Run {
        wall_s: record.wall_s,
        cpu_s: measured.cpu_s,
        peak_rss_bytes: measured.peak_rss_bytes,
        counts: record.counts,
        latency_ns: record.latency_ns,
    })
}

/// One line saying how a case went, printed as each case ends.
fn outcome_line(case: &Case) -> String {
    let name = format!("{} {}", case.runtime, case.workload);
    match (&case.summary, &case.error) {
        (_, Some(error)) => format!("{name}: failed: {error}"),
        (Some(s), None) => format!(
            "{name}: {:.3} s median of {} ({:.3}–{:.3})",
            s.wall_s.median,
            case.runs.len(),
            s.wall_s.min,
            s.wall_s.max
        ),
        (None, None) => format!("{name}: no runs"),
    }
}

/// A progress bar over every repetition of the matrix, on stderr.
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Prints a line above the progress bar, or plainly when there is no bar (not a terminal).
fn say(progress: &ProgressBar, line: &str) {
    if progress.is_hidden() {
        eprintln!("{line}");
    } else {
        progress.println(line);
    }
}

#[cfg(test)]
mod tests {
    use rtbench_report::{Host, Params, Workload};

    use super::*;

    const RECORD: &str = r#"{"wall_s":0.5,"counts":{"ok":9,"failed":1},"latency_ns":{"p50":1,"p90":2,"p99":3,"p999":4,"max":5}}"#;

    /// A case whose repetitions run `script` under `sh`.
    fn plan(runtime: &str, script: &str) -> Plan {
        Plan {
            case: Case {
                runtime: runtime.to_owned(),
                runtime_version: "0".into(),
                flavor: "test".into(),
                model: None,
                threads: 1,
                task_threads: None,
                loop_on_task_thread: None,
                workload: Workload::Sleep,
                params: Params {
                    ops: 10,
                    in_flight: 1,
                    latency_ms: 1,
                    fail_every: Some(10),
                    ..Params::default()
                },
                status: CaseStatus::Ok,
                error: None,
                runs: Vec::new(),
                summary: None,
            },
            program: "sh".into(),
            args: vec!["-c".into(), script.into()],
            env: Vec::new(),
            unavailable: None,
        }
    }

    #[test]
    fn failed_children_are_recorded_with_their_reason_and_the_rest_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.json");
        let plans = vec![
            plan("good-before", &format!("echo '{RECORD}'")),
            plan("crashes", "echo 'about to crash' >&2; kill -SEGV $$"),
            plan("exits", "echo 'bad things' >&2; exit 3"),
            plan("hangs", "exec sleep 30"),
            plan("garbage", "echo 'not json'"),
            plan("good-after", &format!("echo '{RECORD}'")),
        ];
        let empty = ResultsFile {
            version: rtbench_report::results::VERSION,
            created: "now".into(),
            host: Host {
                cpu_model: "cpu".into(),
                cores: 1,
                kernel: "k".into(),
                rustc: "r".into(),
            },
            cases: Vec::new(),
        };
        let settings = Settings {
            reps: 2,
            limit: Duration::from_millis(500),
        };
        run(plans, settings, empty, &path).unwrap();

        let written = ResultsFile::read(&path).unwrap();
        let case = |name: &str| written.cases.iter().find(|c| c.runtime == name).unwrap();
        assert_eq!(written.cases.len(), 6);
        for good in ["good-before", "good-after"] {
            let case = case(good);
            assert_eq!(case.status, CaseStatus::Ok);
            assert_eq!(case.runs.len(), 2);
            assert_eq!(case.runs[0].counts["ok"], 9);
            assert!(case.runs[0].peak_rss_bytes > 0);
            assert_eq!(case.summary.unwrap().wall_s.median, 0.5);
        }
        let reason = |name: &str| {
            let case = case(name);
            assert_eq!(case.status, CaseStatus::Failed, "{name}");
            assert!(case.runs.is_empty(), "{name} stops at its first failure");
            case.error.clone().unwrap()
        };
        let crashed = reason("crashes");
        assert!(
            crashed.contains("SIGSEGV") && crashed.contains("about to crash"),
            "{crashed}"
        );
        let exited = reason("exits");
        assert!(
            exited.contains("exit status: 3") && exited.contains("bad things"),
            "{exited}"
        );
        assert!(
            reason("hangs").contains("timed out after"),
            "{}",
            reason("hangs")
        );
        assert!(
            reason("garbage").contains("invalid record"),
            "{}",
            reason("garbage")
        );
    }
}
