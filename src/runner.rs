//! Runs the matrix: every repetition of every case in its own child process,
//! one at a time, round by round (interleaved) or case by case (grouped),
//! writing `results.json` after each repetition.

use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rtbench_report::counted::Measure;
use rtbench_report::figure::Figure;
use rtbench_report::profile::ProfileRecord;
use rtbench_report::summary::Summary;
use rtbench_report::{Case, CaseStatus, Order, ResultsFile};

use crate::counts_case;
use crate::job::CaseJob;
use crate::native;
use crate::profiling;
pub use crate::reps::Reps;
use crate::reps::stop_reason;

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
    job: CaseJob,
    /// Still to get repetitions.
    active: bool,
    /// Has a repetition or a failure to show, so it belongs in the file.
    started: bool,
    /// With `--profile`: where its profile goes, relative to the results.
    profile: Option<String>,
}

/// Runs every case and returns the results, which are also written to `path`
/// after each repetition, so a crash of anything keeps what was measured. A
/// case that fails stops only its own repetitions. Workloads run one after
/// another, in the order given (commands last), the rounds of one workload's
/// cases interleaved (or grouped) among themselves; `done` gets the results
/// of each workload as soon as its last round ends.
pub fn run(
    jobs: Vec<CaseJob>,
    settings: Settings,
    mut results: ResultsFile,
    path: &Path,
    mut done: impl FnMut(&ResultsFile),
) -> Result<ResultsFile, String> {
    results.order = Some(settings.order);
    let progress = progress_bar(jobs.len() as u64 * u64::from(settings.reps.least()));
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut states: Vec<State> = (jobs.into_iter().enumerate())
        .map(|(i, job)| State {
            profile: settings.profile.then(|| profiling::file_name(i, &job)),
            job,
            active: true,
            started: false,
        })
        .collect();
    let rounds = settings.reps.most();
    let mut start = 0;
    while start < states.len() {
        let workload = states[start].job.case.workload;
        let end = start
            + states[start..]
                .iter()
                .take_while(|s| s.job.case.workload == workload)
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
            .map(|s| s.job.case.clone())
            .collect();
        progress.suspend(|| done(&finished));
        start = end;
    }
    progress.finish_and_clear();
    Ok(results)
}

/// Puts every started case, in the order given, into `results` and writes it.
fn write(results: &mut ResultsFile, states: &[State], path: &Path) -> Result<(), String> {
    results.cases = states
        .iter()
        .filter(|s| s.started)
        .map(|s| s.job.case.clone())
        .collect();
    results.write(path)
}

/// Runs repetition `round` of a case, then decides whether it goes on.
fn step(state: &mut State, round: u32, settings: Settings, progress: &ProgressBar) {
    state.started = true;
    let job = &mut state.job;
    progress.set_message(format!(
        "{}: {} rep {round}/{}{}",
        job.case.workload,
        job.case.runtime,
        settings.reps.least(),
        match settings.measure {
            Measure::Wall => "",
            Measure::Counts => " (natively, then under valgrind)",
        }
    ));
    let outcome = match &job.unavailable {
        Some(why) => Err(format!("unavailable: {why}")),
        None => {
            let valgrind = settings.measure == Measure::Counts;
            native::measure(job, settings.limit, settings.measure)
                .and_then(|run| counts_case::complete(run, job, settings.limit, valgrind))
        }
    };
    let case = &mut job.case;
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
    case.summary = Summary::of(case);
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
    let (Some(file), None) = (&state.profile, &state.job.case.error) else {
        return;
    };
    let case = &state.job.case;
    progress.set_message(format!(
        "{}: {} profile under callgrind",
        case.workload, case.runtime
    ));
    match profiling::profile(&state.job, settings.limit, dir, file) {
        Ok(record) => state.job.case.profile = Some(record),
        Err(why) => {
            let case = &mut state.job.case;
            case.profile = Some(ProfileRecord::absent(case.params.ops, why.clone()));
            case.status = CaseStatus::Failed;
            case.error = Some(why);
            state.active = false;
            progress.inc(u64::from(settings.reps.least().saturating_sub(1)));
            say(progress, &outcome_line(case));
        }
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
