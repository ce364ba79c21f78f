//! Counts that do not drift with the machine's speed: instructions and
//! simulated cache accesses under valgrind ([`valgrind`]), and the kernel's
//! system calls, context switches and page faults ([`kernel`]), each taken
//! over the workload's own work where the child can mark it ([`request`]
//! and `rtbench_workloads::marks`).
//!
//! In counts mode every repetition runs twice: natively, for wall time and
//! the kernel's counts (valgrind makes system calls of its own for each of
//! the child's, so they are not counted under it), then under callgrind for
//! instructions and cache accesses.

pub mod kernel;
pub mod request;
pub mod valgrind;

use std::time::Duration;

use rtbench_report::Run;
use rtbench_report::counted::{Counted, Tools};
use rtbench_workloads::marks::Edge;

use crate::process;
use crate::runner::{self, Plan};
use crate::serve_case;

/// How much longer than natively a repetition may take under valgrind
/// before it is killed: valgrind runs a child 20–50 times slower.
pub const SLOWDOWN: u32 = 50;

/// What a child does at each edge of its workload's span: the kernel's
/// counters are read outside callgrind's instrumented stretch, so neither
/// counts the other.
pub fn edge(edge: Edge) {
    match edge {
        Edge::Begin => {
            kernel::begin();
            request::start_instrumentation();
        }
        Edge::End => {
            request::stop_instrumentation();
            kernel::end();
        }
    }
}

/// The tools a run's counts come from: the kernel's counter always, and
/// valgrind with its simulated caches when `valgrind` is its version.
pub fn tools(valgrind: Option<String>) -> Tools {
    Tools {
        cache: valgrind.as_ref().map(|_| valgrind::cache()),
        valgrind,
        syscalls: Some(kernel::describe()),
    }
}

/// Whether a plan's child marks its workload's span itself: rtbench's own
/// `__case` children (runtimes and their variants) do; Python, Node.js and
/// `--command` programs do not.
pub fn marked(plan: &Plan) -> bool {
    plan.command.is_none() && plan.case.source.is_some()
}

/// Runs one repetition of `plan` under callgrind (with its load generator,
/// for serve) and adds its instructions and cache accesses to `run`'s
/// counts; fails with valgrind's own reason when the child fails under it.
pub fn add_valgrind(mut run: Run, plan: &Plan, limit: Duration) -> Result<Run, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    let command = valgrind::command(&runner::command_of(plan), dir.path(), marked(plan));
    let limit = limit * SLOWDOWN;
    let failed = |why: String| format!("under valgrind: {why}");
    match &plan.generator {
        Some(generator) => {
            serve_case::measure(command, generator, limit).map_err(failed)?;
        }
        None => {
            let measured =
                process::run(command, limit).map_err(|e| failed(format!("cannot start: {e}")))?;
            if let Err(why) = runner::ended(&measured, limit) {
                return Err(failed(valgrind::reason(&measured.stderr).unwrap_or(why)));
            }
        }
    }
    let simulated = valgrind::counted(dir.path()).map_err(failed)?;
    let counted = run.counted.get_or_insert_with(Counted::default);
    counted.instructions = simulated.instructions;
    counted.l1_hits = simulated.l1_hits;
    counted.ll_hits = simulated.ll_hits;
    counted.ram_accesses = simulated.ram_accesses;
    Ok(run)
}
