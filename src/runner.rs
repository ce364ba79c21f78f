//! Runs the matrix: every repetition of every case in its own child process,
//! one at a time, round by round (interleaved) or case by case (grouped),
//! writing `results.json` after each repetition.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rtbench_report::figure::Figure;
use rtbench_report::profile::ProfileRecord;
use rtbench_report::summary::Summary;
use rtbench_report::{Case, CaseStatus, Order, ResultsFile, Run, RunRecord};

use rtbench_report::counted::Measure;

use crate::command::{self, Homes};
use crate::counts;
use crate::process::{self, Measured};
use crate::profiling;
pub use crate::reps::Reps;
use crate::reps::stop_reason;
use crate::serve_case::{self, Generator};

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
    /// Serve: the load generator; the program above is then the server.
    pub generator: Option<Generator>,
    /// For a `--command` case, what its repetitions are read with; `None`
    /// for a runtime's case, whose child must print a run record.
    pub command: Option<Homes>,
    /// How its counts are confined to the workload's own work.
    pub scope: counts::Scope,
}

/// Settings shared by every case of a run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Repetitions per case.
    pub reps: Reps,
    /// Round by round, or case by case.
    pub order: Order,
    /// A repetition running longer than this is killed and the case fails
    /// (under valgrind, [`crate::counts::SLOWDOWN`] times this).
    pub limit: Duration,
    /// Wall time and the kernel's counts, or also instructions and cache
    /// accesses under valgrind.
    pub measure: Measure,
    /// `--profile`: after its first repetition, each case runs once more
    /// under callgrind for its profile ([`crate::profiling`]).
    pub profile: bool,
}

/// A case being measured.
struct State {
    plan: Plan,
    /// Still to get repetitions.
    active: bool,
    /// Has a repetition or a failure to show, so it belongs in the file.
    started: bool,
    /// With `--profile`: where its profile goes, relative to the results.
    profile: Option<String>,
}

/// Runs every plan and returns the results, which are also written to `path`
/// after each repetition, so a crash of anything keeps what was measured. A
/// case that fails stops only its own repetitions. Workloads run one after
/// another, in plan order (commands last), the rounds of one workload's
/// cases interleaved (or grouped) among themselves; `done` gets the results
/// of each workload as soon as its last round ends.
pub fn run(
    plans: Vec<Plan>,
    settings: Settings,
    mut results: ResultsFile,
    path: &Path,
    mut done: impl FnMut(&ResultsFile),
) -> Result<ResultsFile, String> {
    results.order = Some(settings.order);
    let progress = progress_bar(plans.len() as u64 * u64::from(settings.reps.least()));
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut states: Vec<State> = (plans.into_iter().enumerate())
        .map(|(i, plan)| State {
            profile: settings.profile.then(|| profiling::file_name(i, &plan)),
            plan,
            active: true,
            started: false,
        })
        .collect();
    let rounds = settings.reps.most();
    let mut start = 0;
    while start < states.len() {
        let workload = states[start].plan.case.workload;
        let end = start
            + states[start..]
                .iter()
                .take_while(|s| s.plan.case.workload == workload)
                .count();
        // Which case of this workload runs which round, in the order asked for.
        let visits: Vec<(usize, u32)> = match settings.order {
            Order::Interleaved => (1..=rounds)
                .flat_map(|round| (start..end).map(move |i| (i, round)))
                .collect(),
            Order::Grouped => (start..end)
                .flat_map(|i| (1..=rounds).map(move |round| (i, round)))
                .collect(),
        };
        for (i, round) in visits {
            if !states[i].active {
                continue;
            }
            if round > settings.reps.least() {
                progress.inc_length(1);
            }
            step(&mut states[i], round, settings, &progress);
            if round == 1 {
                profile(&mut states[i], settings, dir, &progress);
            }
            write(&mut results, &states, path)?;
        }
        let mut finished = results.clone();
        finished.cases = states[start..end]
            .iter()
            .filter(|s| s.started)
            .map(|s| s.plan.case.clone())
            .collect();
        progress.suspend(|| done(&finished));
        start = end;
    }
    progress.finish_and_clear();
    Ok(results)
}

/// Puts every started case, in plan order, into `results` and writes it.
fn write(results: &mut ResultsFile, states: &[State], path: &Path) -> Result<(), String> {
    results.cases = states
        .iter()
        .filter(|s| s.started)
        .map(|s| s.plan.case.clone())
        .collect();
    results.write(path)
}

/// Runs repetition `round` of a case, then decides whether it goes on.
fn step(state: &mut State, round: u32, settings: Settings, progress: &ProgressBar) {
    state.started = true;
    let plan = &mut state.plan;
    progress.set_message(format!(
        "{}: {} rep {round}/{}{}",
        plan.case.workload,
        plan.case.runtime,
        settings.reps.least(),
        match settings.measure {
            Measure::Wall => "",
            Measure::Counts => " (natively, then under valgrind)",
        }
    ));
    let outcome = match &plan.unavailable {
        Some(why) => Err(format!("unavailable: {why}")),
        None => {
            let command = command_of(plan);
            let native = match &plan.command {
                Some(homes) => counts::run_outside(command, settings.limit)
                    .map_err(|e| format!("cannot start {}: {e}", plan.program.display()))
                    .and_then(|measured| {
                        command::run_of(measured, settings.limit, &mut plan.case, homes)
                    }),
                None => measure(command, plan, settings.limit),
            };
            let valgrind = settings.measure == Measure::Counts;
            native.and_then(|run| counts::complete(run, plan, settings.limit, valgrind))
        }
    };
    let case = &mut plan.case;
    progress.inc(1);
    match outcome {
        Ok(run) => case.runs.push(run),
        Err(reason) => {
            case.status = CaseStatus::Failed;
            case.error = Some(crate::limits::name_limit(reason));
            state.active = false;
            // The repetitions it will not run still count as done.
            progress.inc(u64::from(settings.reps.least().saturating_sub(round)));
        }
    }
    case.summary = Summary::of(case.workload, &case.params, &case.runs);
    if state.active {
        match stop_reason(case, round, settings.reps) {
            Some(why) => {
                case.stopped = why;
                state.active = false;
            }
            None => return,
        }
    }
    say(progress, &outcome_line(case));
}

/// With `--profile`, after a case's first repetition: its profile, or, when
/// the program cannot run under callgrind, the case failed with the reason
/// (the repetition it completed is kept).
fn profile(state: &mut State, settings: Settings, dir: &Path, progress: &ProgressBar) {
    let (Some(file), None) = (&state.profile, &state.plan.case.error) else {
        return;
    };
    let case = &state.plan.case;
    progress.set_message(format!(
        "{}: {} profile under callgrind",
        case.workload, case.runtime
    ));
    match profiling::profile(&state.plan, settings.limit, dir, file) {
        Ok(record) => state.plan.case.profile = Some(record),
        Err(why) => {
            let case = &mut state.plan.case;
            case.profile = Some(ProfileRecord::absent(case.params.ops, why.clone()));
            case.status = CaseStatus::Failed;
            case.error = Some(why);
            state.active = false;
            progress.inc(u64::from(settings.reps.least().saturating_sub(1)));
            say(progress, &outcome_line(case));
        }
    }
}

/// The command that runs one repetition of `plan` natively.
pub fn command_of(plan: &Plan) -> Command {
    let mut command = Command::new(&plan.program);
    command.args(&plan.args).envs(plan.env.iter().cloned());
    command
}

/// One repetition of `command` (with `plan`'s load generator, for serve),
/// measured from outside.
fn measure(command: Command, plan: &Plan, limit: Duration) -> Result<Run, String> {
    if let Some(generator) = &plan.generator {
        return serve_case::measure(command, generator, limit, 1);
    }
    let program = command.get_program().to_string_lossy().into_owned();
    // rtbench's own children count their system calls themselves.
    let measured = match plan.scope {
        counts::Scope::Marked => process::run(command, limit),
        counts::Scope::FixedPart | counts::Scope::Totals => counts::run_outside(command, limit),
    };
    measured
        .map_err(|e| format!("cannot start {program}: {e}"))
        .and_then(|measured| run_of(measured, limit))
}

/// The last line of `text` that is not blank.
pub fn last_line(text: &str) -> Option<String> {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(str::to_owned)
}

/// How a child ended when it ended well, or why it failed, in one line: it
/// ran past `limit`, was killed, or exited with an error (with the line of
/// stderr naming a limit it hit, or else its last line).
pub fn ended(measured: &Measured, limit: Duration) -> Result<ExitStatus, String> {
    let why = crate::limits::limit_line(&measured.stderr)
        .map(str::to_owned)
        .or_else(|| last_line(&measured.stderr))
        .map_or_else(String::new, |line| format!(": {line}"));
    match measured.status {
        None => Err(format!(
            "timed out after {} s and was killed; raise --timeout-s or lower --ops",
            limit.as_secs()
        )),
        Some(status) if !status.success() => {
            let how = if status.signal().is_some() {
                "killed by"
            } else {
                "exited with"
            };
            Err(format!("{how} {status}{why}"))
        }
        Some(status) => Ok(status),
    }
}

/// The run a child reported, or why it failed, in one line.
pub(crate) fn run_of(measured: Measured, limit: Duration) -> Result<Run, String> {
    let status = ended(&measured, limit)?;
    let line = last_line(&measured.stdout).unwrap_or_default();
    let record: RunRecord = serde_json::from_str(&line)
        .map_err(|e| format!("invalid record ({e}) after {status}: {line:?}"))?;
    Ok(recorded(record, &measured))
}

/// A run from the child's record (wall time, counts, latencies) and what
/// the parent measured (CPU time, less the setup the child reports, and peak memory).
pub fn recorded(record: RunRecord, measured: &Measured) -> Run {
    Run {
        wall_s: record.wall_s,
        cpu_s: (measured.cpu_s - record.setup_cpu_s.unwrap_or(0.0)).max(0.0),
        peak_rss_bytes: measured.peak_rss_bytes,
        counts: record.counts,
        latency_ns: Some(record.latency_ns),
        io_driver: record.io_driver,
        achieved_rate: record.achieved_rate,
        send_delay_ns: record.send_delay_ns,
        client_cpu_s: None,
        counted: Some(
            counts::kernel::parse(&measured.stdout).unwrap_or_else(|| counts::outside(measured)),
        ),
    }
}

/// One line saying how a case went, printed as each case ends.
fn outcome_line(case: &Case) -> String {
    let name = match case.params.io_driver {
        Some(driver) => format!("{} ({driver}) {}", case.runtime, case.workload),
        None => format!("{} {}", case.runtime, case.workload),
    };
    match (&case.summary, &case.error) {
        (_, Some(error)) => format!("{name}: failed: {error}"),
        (Some(s), None) => format!(
            "{name}: time {} s{}, median of {}{}",
            Figure::Time.format(s.wall_s.median),
            Figure::Time
                .cell(s.wall_s)
                .split_once(' ')
                .map_or_else(String::new, |(_, interval)| format!(" {interval}")),
            case.runs.len(),
            case.stopped
                .as_ref()
                .map_or_else(String::new, |why| format!("; {why}"))
        ),
        (None, None) => format!("{name}: no runs"),
    }
}

/// A progress bar over every repetition of the matrix, on stderr.
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} ~{eta} left  {msg}")
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
mod tests;
