//! The kernel's counts of one child: system calls (the
//! `raw_syscalls:sys_enter` tracepoint, counted by a perf counter the child
//! opens on itself before any thread exists, inherited by every thread it
//! starts), context switches and minor page faults (`getrusage`, which sums
//! every thread, live or ended). The child reads them at the edges of its
//! workload's span ([`rtbench_workloads::marks`]) and prints the difference
//! as one line; the parent parses that line back into [`Counted`].

use std::sync::{Mutex, PoisonError};

use nix::sys::resource::{UsageWho, getrusage};
use perf_event::events::Tracepoint;
use perf_event::{Builder, Counter};
use rtbench_report::counted::Counted;

/// What starts the line a child prints its counts on.
const TAG: &str = "counted: ";
/// Where the tracepoint's id is, with tracefs mounted in either usual place.
const TRACEPOINT_IDS: [&str; 2] = [
    "/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
    "/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
];

/// The counters of this process and what the spans so far added up to.
struct Tally {
    /// The system-call counter, or why there is none.
    counter: Result<Counter, String>,
    /// The readings at the start of the open span.
    begun: Option<Reading>,
    /// Every closed span, summed.
    counted: Reading,
}

/// One reading of every counter.
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    syscalls: u64,
    voluntary: u64,
    involuntary: u64,
    minor: u64,
}

static TALLY: Mutex<Option<Tally>> = Mutex::new(None);

/// Opens the system-call counter on this thread, inherited by every thread
/// started after it: call it first thing in the child, before any thread.
pub fn open() {
    *lock() = Some(Tally {
        counter: syscall_counter(),
        begun: None,
        counted: Reading::default(),
    });
}

/// The workload's span begins: reads every counter.
pub fn begin() {
    if let Some(tally) = lock().as_mut() {
        tally.begun = Some(read(&mut tally.counter));
    }
}

/// The workload's span ends: adds what every counter moved since [`begin`].
pub fn end() {
    if let Some(tally) = lock().as_mut() {
        let now = read(&mut tally.counter);
        if let Some(begun) = tally.begun.take() {
            let c = &mut tally.counted;
            c.syscalls += now.syscalls.saturating_sub(begun.syscalls);
            c.voluntary += now.voluntary.saturating_sub(begun.voluntary);
            c.involuntary += now.involuntary.saturating_sub(begun.involuntary);
            c.minor += now.minor.saturating_sub(begun.minor);
        }
    }
}

/// The counts of every span so far.
pub fn counted() -> Counted {
    let counted = lock().as_ref().map(|tally| {
        let c = tally.counted;
        let mut counted = Counted {
            voluntary_switches: Some(c.voluntary),
            involuntary_switches: Some(c.involuntary),
            minor_faults: Some(c.minor),
            ..Counted::default()
        };
        match &tally.counter {
            Ok(_) => counted.syscalls = Some(c.syscalls),
            Err(why) => {
                counted.absent.insert("syscalls".into(), why.clone());
            }
        }
        counted
    });
    counted.unwrap_or_default()
}

/// `counted` as the line the child prints.
pub fn line(counted: &Counted) -> String {
    let json = serde_json::to_string(counted).expect("counts serialise");
    format!("{TAG}{json}")
}

/// The counts a child printed with [`line`], if it printed them.
pub fn parse(stdout: &str) -> Option<Counted> {
    stdout
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(TAG))
        .and_then(|json| serde_json::from_str(json).ok())
}

/// Where system calls are counted, for the results' `tools`.
pub fn describe() -> String {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "Linux {} raw_syscalls:sys_enter (perf counter, every thread)",
        release.trim()
    )
}

fn lock() -> std::sync::MutexGuard<'static, Option<Tally>> {
    TALLY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reads the counters; a failed read of the system-call counter drops it,
/// with the reason, so the figure is absent rather than wrong.
fn read(counter: &mut Result<Counter, String>) -> Reading {
    let syscalls = match counter.as_mut().map(Counter::read) {
        Ok(Ok(n)) => n,
        Ok(Err(e)) => {
            *counter = Err(format!("the system-call counter could not be read: {e}"));
            0
        }
        Err(_) => 0,
    };
    let usage = getrusage(UsageWho::RUSAGE_SELF).ok();
    let of = |f: fn(&nix::sys::resource::Usage) -> libc::c_long| {
        usage
            .as_ref()
            .map_or(0, |u| u64::try_from(f(u)).unwrap_or(0))
    };
    Reading {
        syscalls,
        voluntary: of(nix::sys::resource::Usage::voluntary_context_switches),
        involuntary: of(nix::sys::resource::Usage::involuntary_context_switches),
        minor: of(nix::sys::resource::Usage::minor_page_faults),
    }
}

/// A counter of `raw_syscalls:sys_enter` on this thread and the threads it
/// starts, kernel side included (the tracepoint fires in the kernel), or a
/// one-line reason with the way to allow it.
fn syscall_counter() -> Result<Counter, String> {
    counter(None)
}

/// A counter of the system calls of process `pid` and of every thread and
/// process it starts from now on (not those it started before), or why not.
pub fn attach(pid: u32) -> Result<Counter, String> {
    let pid = libc::pid_t::try_from(pid).map_err(|e| format!("bad process id: {e}"))?;
    counter(Some(pid))
}

fn counter(pid: Option<libc::pid_t>) -> Result<Counter, String> {
    let id = TRACEPOINT_IDS
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .ok_or_else(|| {
            "system calls not counted: tracefs is not mounted or not readable; \
             mount it with `mount -t tracefs nodev /sys/kernel/tracing` (as root)"
                .to_owned()
        })?
        .trim()
        .parse::<u64>()
        .map_err(|e| format!("system calls not counted: unreadable tracepoint id: {e}"))?;
    let mut builder = Builder::new(Tracepoint::with_id(id));
    match pid {
        Some(pid) => builder.observe_pid(pid),
        None => builder.observe_self(),
    };
    let mut counter = builder
        .any_cpu()
        .inherit(true)
        .include_kernel()
        .build()
        .map_err(refused)?;
    counter.enable().map_err(refused)?;
    Ok(counter)
}

/// Why the kernel refused the counter, and how to allow it.
fn refused(error: std::io::Error) -> String {
    match error.raw_os_error() {
        Some(libc::EACCES | libc::EPERM) => {
            let paranoid = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
                .map_or_else(|_| "unknown".to_owned(), |p| p.trim().to_owned());
            format!(
                "system calls not counted: the kernel refused the perf counter \
                 (kernel.perf_event_paranoid is {paranoid}); allow it with \
                 `sysctl kernel.perf_event_paranoid=1` or give rtbench CAP_PERFMON"
            )
        }
        _ => format!("system calls not counted: perf_event_open failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_how_to_allow_the_counter() {
        let why = refused(std::io::Error::from_raw_os_error(libc::EACCES));
        assert!(why.contains("perf_event_paranoid"), "{why}");
        assert!(why.contains("CAP_PERFMON"), "{why}");
    }

    #[test]
    fn the_printed_line_parses_back() {
        let stdout = format!("{}\n{{\"wall_s\": 1}}\n", line(&counted()));
        assert!(parse(&stdout).is_some());
        assert_eq!(parse("{\"wall_s\": 1}\n"), None);
    }

    /// The counter is read while the thread that made the calls still runs:
    /// an inherited counter's read includes its live children.
    #[test]
    fn reads_include_live_inherited_threads() {
        let mut counter = syscall_counter().expect("the system-call counter opens here");
        let before = counter.read().unwrap();
        let (done, wait) = std::sync::mpsc::channel();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            for _ in 0..1000 {
                let _ = std::fs::metadata("/");
            }
            done.send(()).unwrap();
            let _ = stopped.recv();
        });
        wait.recv().unwrap();
        let during = counter.read().unwrap();
        stop.send(()).unwrap();
        thread.join().unwrap();
        assert!(during - before >= 1000, "{before} then {during}");
    }
}
