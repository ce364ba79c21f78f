//! One repetition run natively (not under valgrind) and measured from
//! outside: wall time, CPU time, peak memory and the kernel's counts, with
//! serve's load generator for serve, and a `--command` read as a command.

use std::time::Duration;

use rtbench_report::Run;
use rtbench_report::counted::Measure;

use crate::command;
use crate::counts;
use crate::job::CaseJob;
use crate::process;
use crate::repetition;
use crate::serve_case;

/// One repetition of `job`, or why it failed, in one line. A `--command`'s
/// record may move its case to the workload it names (see [`command::run_of`]).
/// In counts mode rtbench's own child also counts its allocations (see
/// [`counts::allocations`]).
pub fn measure(job: &mut CaseJob, limit: Duration, mode: Measure) -> Result<Run, String> {
    let mut native = job.native();
    if mode == Measure::Counts {
        native.env(counts::allocations::ENV, "on");
    }
    let cpus = job.cpus.as_ref();
    let program = native.get_program().to_string_lossy().into_owned();
    let cannot_start = |e: std::io::Error| format!("cannot start {program}: {e}");
    if let Some(homes) = &job.command {
        return counts::run_outside(native, limit, None)
            .map_err(cannot_start)
            .and_then(|measured| command::run_of(measured, limit, &mut job.case, homes));
    }
    if let Some(generator) = &job.generator {
        return serve_case::measure(native, cpus, generator, limit, 1);
    }
    // rtbench's own children count their system calls themselves.
    let measured = match job.scope {
        counts::Scope::Marked => process::run(native, limit, cpus),
        counts::Scope::FixedPart | counts::Scope::Totals => {
            counts::run_outside(native, limit, cpus)
        }
    };
    measured
        .map_err(cannot_start)
        .and_then(|measured| repetition::run_of(measured, limit))
}
