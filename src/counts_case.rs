//! The counts of one repetition, completed after its native run: in counts
//! mode every repetition runs twice, natively for wall time and the kernel's
//! counts (valgrind makes system calls of its own for each of the child's,
//! so they are not counted under it), then under callgrind for
//! instructions and cache accesses; for Python and Node.js, the fixed part
//! measured with one operation is taken out.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rtbench_report::counted::Counted;
use rtbench_report::{Params, Run};

use crate::counts::{self, SLOWDOWN, Scope};
use crate::job::CaseJob;
use crate::process;
use crate::repetition;
use crate::serve_case;

/// Completes the counts of one repetition whose native run is `run`: for
/// Python and Node.js, less the fixed part; with `valgrind`, instructions
/// and cache accesses from a run under callgrind (with its load generator,
/// for serve). Fails with valgrind's own reason when the child fails under it.
pub fn complete(
    mut run: Run,
    job: &CaseJob,
    limit: Duration,
    valgrind: bool,
) -> Result<Run, String> {
    let scope = job.scope;
    let native = job.native();
    let mut counted = run.counted.take().unwrap_or_default();
    if valgrind {
        let simulated = under_valgrind(&native, job, scope, limit)?;
        counted.instructions = simulated.instructions;
        counted.l1_hits = simulated.l1_hits;
        counted.ll_hits = simulated.ll_hits;
        counted.ram_accesses = simulated.ram_accesses;
    }
    if scope == Scope::FixedPart {
        let ops = job.case.params.ops;
        let once = with_one_op(&native)?;
        let measured = counts::run_outside(once, limit, job.cpus.as_ref())
            .map_err(|e| format!("cannot start: {e}"))?;
        repetition::ended(&measured, limit).map_err(|why| format!("with one operation: {why}"))?;
        let mut fixed = counts::outside(&measured);
        if valgrind {
            let simulated = under_valgrind(&with_one_op(&native)?, job, scope, limit)?;
            (fixed.instructions, fixed.l1_hits) = (simulated.instructions, simulated.l1_hits);
            (fixed.ll_hits, fixed.ram_accesses) = (simulated.ll_hits, simulated.ram_accesses);
        }
        counted = less_fixed(&counted, &fixed, ops);
    }
    run.counted = Some(counted);
    Ok(run)
}

/// One run of `native` under callgrind, its counts read back.
fn under_valgrind(
    native: &Command,
    job: &CaseJob,
    scope: Scope,
    limit: Duration,
) -> Result<Counted, String> {
    let failed = |why: String| format!("under valgrind: {why}");
    let dir = tempfile::tempdir()
        .map_err(|e| failed(format!("cannot make a temporary directory: {e}")))?;
    run_under_valgrind(native, job, scope, limit, &[], dir.path()).map_err(failed)?;
    counts::valgrind::counted(dir.path()).map_err(failed)
}

/// Runs `native` (a repetition of `job`, with its load generator for
/// serve) once under callgrind with `extra` options, its files written into
/// `dir`, allowing [`SLOWDOWN`] times `limit`; fails with valgrind's own
/// reason when the child fails under it.
pub fn run_under_valgrind(
    native: &Command,
    job: &CaseJob,
    scope: Scope,
    limit: Duration,
    extra: &[String],
    dir: &Path,
) -> Result<(), String> {
    let command = counts::valgrind::command(native, dir, scope == Scope::Marked, extra);
    let cpus = job.cpus.as_ref();
    let limit = limit * SLOWDOWN;
    match &job.generator {
        Some(generator) => serve_case::measure(command, cpus, generator, limit, SLOWDOWN).map(drop),
        None => {
            let measured =
                process::run(command, limit, cpus).map_err(|e| format!("cannot start: {e}"))?;
            match repetition::ended(&measured, limit) {
                Ok(_) => Ok(()),
                Err(why) => Err(counts::valgrind::reason(&measured.stderr).unwrap_or(why)),
            }
        }
    }
}

/// `native` with its `--params` set to one operation (Python's and
/// Node.js's scripts take the parameters as the argument after `--params`).
fn with_one_op(native: &Command) -> Result<Command, String> {
    let args: Vec<String> = native
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let at = args
        .iter()
        .position(|a| a == "--params")
        .map(|i| i + 1)
        .filter(|&i| i < args.len())
        .ok_or("no --params to set one operation in")?;
    let mut params: Params =
        serde_json::from_str(&args[at]).map_err(|e| format!("unreadable --params: {e}"))?;
    params.ops = 1;
    let mut once = Command::new(native.get_program());
    for (i, arg) in args.iter().enumerate() {
        match i == at {
            true => once.arg(serde_json::to_string(&params).expect("params serialise")),
            false => once.arg(arg),
        };
    }
    for (key, value) in native.get_envs() {
        match value {
            Some(value) => once.env(key, value),
            None => once.env_remove(key),
        };
    }
    Ok(once)
}

/// `total` less the `fixed` part measured with one operation, scaled back
/// to `ops` operations: with a fixed part F and c per operation, a run of N
/// is F + N·c and a run of one F + c, so N·c = (total − fixed) · N / (N − 1).
/// Figures missing on either side stay absent, with the reason.
fn less_fixed(total: &Counted, fixed: &Counted, ops: u64) -> Counted {
    let mut out = Counted {
        absent: total.absent.clone(),
        ..Counted::default()
    };
    let scale = |t: Option<u64>, f: Option<u64>| -> Option<u64> {
        let (t, f) = (t?, f?);
        (ops >= 2)
            .then(|| (t.saturating_sub(f) as f64 * ops as f64 / (ops - 1) as f64).round() as u64)
    };
    out.instructions = scale(total.instructions, fixed.instructions);
    out.l1_hits = scale(total.l1_hits, fixed.l1_hits);
    out.ll_hits = scale(total.ll_hits, fixed.ll_hits);
    out.ram_accesses = scale(total.ram_accesses, fixed.ram_accesses);
    out.syscalls = scale(total.syscalls, fixed.syscalls);
    out.voluntary_switches = scale(total.voluntary_switches, fixed.voluntary_switches);
    out.involuntary_switches = scale(total.involuntary_switches, fixed.involuntary_switches);
    out.minor_faults = scale(total.minor_faults, fixed.minor_faults);
    if ops < 2 {
        let taken = [
            ("instructions", total.instructions),
            ("l1_hits", total.l1_hits),
            ("ll_hits", total.ll_hits),
            ("ram_accesses", total.ram_accesses),
            ("syscalls", total.syscalls),
            ("voluntary_switches", total.voluntary_switches),
            ("involuntary_switches", total.involuntary_switches),
            ("minor_faults", total.minor_faults),
        ];
        for (name, _) in taken.iter().filter(|(_, figure)| figure.is_some()) {
            out.absent.insert(
                (*name).into(),
                "Python and Node.js need at least 2 operations: the fixed part is measured with one"
                    .into(),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixed_part_is_subtracted_and_scaled_to_every_operation() {
        // F = 1000, c = 10: a run of 100 is 2000, a run of one 1010.
        let total = Counted {
            instructions: Some(2000),
            minor_faults: Some(500),
            ..Counted::default()
        };
        let fixed = Counted {
            instructions: Some(1010),
            minor_faults: Some(600),
            ..Counted::default()
        };
        let out = less_fixed(&total, &fixed, 100);
        assert_eq!(out.instructions, Some(1000));
        assert_eq!(
            out.minor_faults,
            Some(0),
            "noise below the fixed part is none"
        );
        assert_eq!(out.syscalls, None);
        assert!(
            less_fixed(&total, &fixed, 1)
                .absent
                .contains_key("instructions")
        );
    }

    #[test]
    fn one_operation_replaces_the_params() {
        let mut native = Command::new("python3");
        native.args([
            "x.py",
            "--params",
            r#"{"ops":50,"in_flight":5,"latency_ms":1}"#,
            "--loop",
            "uvloop",
        ]);
        let once = with_one_op(&native).unwrap();
        let args: Vec<_> = once
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args[0], "x.py");
        assert!(args[2].contains(r#""ops":1,"#), "{}", args[2]);
        assert_eq!(&args[3..], ["--loop", "uvloop"]);
    }
}
