//! Counts that do not drift with the machine's speed: instructions and
//! simulated cache accesses under valgrind ([`valgrind`]), and the kernel's
//! system calls, context switches and page faults ([`kernel`]), and the
//! allocations made through rtbench's own allocator ([`allocations`]), each taken
//! over the workload's own work where the child can mark it ([`request`]
//! and `rtbench_workloads::marks`).
//!
//! These are the tools; how a repetition's counts are completed with them
//! (natively, then under callgrind) is [`crate::counts_case`].

pub mod allocations;
pub mod kernel;
pub mod request;
pub mod valgrind;

use std::process::Command;
use std::time::Duration;

use rtbench_report::counted::{Counted, Tools};
use rtbench_workloads::marks::Edge;

use crate::cpus::CpuList;
use crate::process::{self, Measured};

/// How a case's counts are confined to its workload's own work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// rtbench's own `__case` child (a runtime or a variant) marks its
    /// workload's span; only the span is counted.
    Marked,
    /// Python and Node.js cannot mark it: the same program is also run with
    /// one operation, and that fixed part (interpreter start, imports,
    /// teardown, one operation) is subtracted.
    FixedPart,
    /// A `--command`: rtbench knows no operations of it, so its counts are
    /// the whole program's, every process it starts included.
    Totals,
}

/// How much longer than natively a repetition may take under valgrind
/// before it is killed: valgrind runs a child 20–50 times slower.
pub const SLOWDOWN: u32 = 50;

/// valgrind's version when counts mode can run here, or the one-line
/// reason it cannot: valgrind is missing, or the machine is not x86-64 (the
/// only one whose client requests rtbench issues).
pub fn ready() -> Result<String, String> {
    if !cfg!(target_arch = "x86_64") {
        return Err(format!(
            "--measure counts runs on x86-64 only (this machine is {}); drop --measure counts",
            std::env::consts::ARCH
        ));
    }
    valgrind::version()
}

/// What a child does at each edge of its workload's span: the kernel's
/// counters are read outside callgrind's instrumented stretch, so neither
/// counts the other.
pub fn edge(edge: Edge) {
    match edge {
        Edge::Begin => {
            rtbench_workloads::allocations::begin();
            kernel::begin();
            request::start_instrumentation();
        }
        Edge::End => {
            request::stop_instrumentation();
            kernel::end();
            rtbench_workloads::allocations::end();
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

/// The kernel's counts of a child measured from outside (one that does
/// not print its own): its context switches and page faults from `wait4`,
/// and its system calls when [`run_outside`] counted them; whole-program
/// totals. It allocates through its own allocator: those counts are absent.
pub fn outside(measured: &Measured) -> Counted {
    let usage = measured.usage;
    let mut counted = Counted {
        voluntary_switches: Some(usage.voluntary_switches),
        involuntary_switches: Some(usage.involuntary_switches),
        minor_faults: Some(usage.minor_faults),
        ..Counted::default()
    };
    match &measured.syscalls {
        Ok(n) => counted.syscalls = Some(*n),
        Err(why) => {
            counted.absent.insert("syscalls".into(), why.clone());
        }
    }
    allocations::not_ours(&mut counted);
    counted
}

/// Runs `command` like [`process::run`] (on `cpus`, if given), with a system-call counter on it
/// from the moment it starts, inherited by every thread and process it
/// starts: for programs that cannot count their own (Python, Node.js,
/// `--command`). The counter can only be attached to a running process, so
/// the program is started behind a gate, `sh` waiting for one line on its
/// standard input, which is written once the counter is on; `sh` then
/// executes the program in its place. What `sh` does before (starting, the
/// read) is not counted.
pub fn run_outside(
    command: Command,
    limit: Duration,
    cpus: Option<&CpuList>,
) -> std::io::Result<Measured> {
    let mut gated = Command::new("sh");
    gated
        .args(["-c", r#"read -r _ && exec "$@""#, "rtbench-gate"])
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => gated.env(key, value),
            None => gated.env_remove(key),
        };
    }
    let mut running = process::start(gated, cpus)?;
    let counter = kernel::attach(running.id());
    if let Some(stdin) = running.stdin.as_mut() {
        // A program that ended already is measured as it ended.
        let _ = std::io::Write::write_all(stdin, b"\n");
    }
    let mut measured = running.finish(limit)?;
    measured.syscalls = counter.and_then(|mut counter| {
        counter
            .read()
            .map_err(|e| format!("the system-call counter could not be read: {e}"))
    });
    Ok(measured)
}
