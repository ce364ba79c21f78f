//! The launcher: the small process each measured child is started from, so
//! that the child's peak memory is its own.
//!
//! On Linux a child starts with its parent's memory: `fork` copies the
//! parent's written pages, and `posix_spawn` shares the parent's memory until
//! `exec`, whose high-water mark the kernel then keeps as the child's
//! `ru_maxrss`, what `wait4` reports as its peak. Started by rtbench, whose
//! resident size grows through a run (more with a variant), a program that
//! allocates nothing would report rtbench's size. So rtbench starts
//! `rtbench __launch PROGRAM ARGS…` instead, a fresh process that has done
//! nothing but start, which forks the program (a real fork, copying only the
//! launcher's few written pages), waits for it with `wait4`, and reports on
//! its file descriptor 3, a pipe to rtbench: the program's process id once it
//! started, then how it ended and what it used. GNU time measures the same
//! way. Killing the launcher kills the program ([`libc::PR_SET_PDEATHSIG`]).

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use nix::fcntl::OFlag;
use serde::{Deserialize, Serialize};

use crate::reaped::{self, Ended};

/// The hidden first argument that makes rtbench a launcher.
pub const ARG: &str = "__launch";
/// The launcher's file descriptor for its reports.
const REPORT_FD: i32 = 3;

/// One line the launcher writes on its report pipe, as JSON.
#[derive(Debug, Serialize, Deserialize)]
enum Report {
    /// The program started with this process id.
    Started(u32),
    /// The program could not start, for this reason.
    CannotStart {
        /// The OS error, when there was one.
        os_error: Option<i32>,
        /// The error as `Command::spawn` gave it.
        message: String,
    },
    /// The program ended.
    Ended(Ended),
}

/// `command` started through the launcher `rtbench`: the launcher's command
/// (with `command`'s environment and directory, which its program
/// inherits), and the read end of its report pipe, for [`started`].
pub fn command(rtbench: &Path, command: &Command) -> io::Result<(Command, File)> {
    let mut launching = Command::new(rtbench);
    launching
        .arg(ARG)
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => launching.env(key, value),
            None => launching.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        launching.current_dir(dir);
    }
    let (read, write) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    give_as_report_fd(&mut launching, write);
    Ok((launching, File::from(read)))
}

/// Makes `write` the launcher's file descriptor [`REPORT_FD`]; `write` is
/// closed here when `launching` is dropped.
#[allow(
    unsafe_code,
    reason = "the standard library passes no file descriptor but 0 to 2 to a child"
)]
fn give_as_report_fd(launching: &mut Command, write: OwnedFd) {
    // SAFETY: dup2 and fcntl are async-signal-safe, and `write` outlives
    // the fork, being owned by the closure, which `launching` owns.
    unsafe {
        launching.pre_exec(move || {
            let done = match write.as_raw_fd() {
                // Already there: dup2 would leave it close-on-exec.
                REPORT_FD => libc::fcntl(REPORT_FD, libc::F_SETFD, 0),
                fd => libc::dup2(fd, REPORT_FD),
            };
            match done {
                -1 => Err(io::Error::last_os_error()),
                _ => Ok(()),
            }
        });
    }
}

/// Reads the launcher's first report from `report`: the program's process
/// id, or the error that kept it from starting, as `Command::spawn` would
/// have given it. The reader goes on to [`ended`].
pub fn started(report: File) -> io::Result<(u32, BufReader<File>)> {
    let mut report = BufReader::new(report);
    match next(&mut report) {
        Some(Report::Started(pid)) => Ok((pid, report)),
        Some(Report::CannotStart { os_error, message }) => Err(match os_error {
            Some(code) => io::Error::from_raw_os_error(code),
            None => io::Error::other(message),
        }),
        _ => Err(io::Error::other("the launcher ended without starting it")),
    }
}

/// Reads the launcher's last report from `report`: how its program ended,
/// or `None` when the launcher ended without saying (it was killed).
pub fn ended(mut report: BufReader<File>) -> Option<Ended> {
    match next(&mut report) {
        Some(Report::Ended(ended)) => Some(ended),
        _ => None,
    }
}

/// The next report line, or `None` at the end of the pipe.
fn next(report: &mut BufReader<File>) -> Option<Report> {
    let mut line = String::new();
    report.read_line(&mut line).ok()?;
    serde_json::from_str(&line).ok()
}

/// The launcher's main: starts `args` (a program and its arguments), waits
/// for it and reports on [`REPORT_FD`]. Writes nothing else: the program
/// has the standard streams.
pub fn main(args: &[OsString]) -> ExitCode {
    let Some(mut report) = report_pipe() else {
        eprintln!("error: {ARG} is rtbench's own, run with a pipe on descriptor {REPORT_FD}");
        return ExitCode::from(2);
    };
    let Some((program, args)) = args.split_first() else {
        eprintln!("error: {ARG} needs a program to start");
        return ExitCode::from(2);
    };
    let mut command = Command::new(program);
    command.args(args);
    die_with_launcher(&mut command);
    let started = Instant::now();
    let line = match command.spawn() {
        Err(e) => Report::CannotStart {
            os_error: e.raw_os_error(),
            message: e.to_string(),
        },
        Ok(child) => {
            let pid = child.id();
            if write(&mut report, &Report::Started(pid)).is_err() {
                return ExitCode::FAILURE;
            }
            match reaped::wait4(pid) {
                Ok((status, usage)) => Report::Ended(Ended::of(status, &usage, started.elapsed())),
                Err(e) => Report::CannotStart {
                    os_error: e.raw_os_error(),
                    message: format!("cannot wait for it: {e}"),
                },
            }
        }
    };
    match write(&mut report, &line) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

/// Writes `line` as one JSON line.
fn write(report: &mut File, line: &Report) -> io::Result<()> {
    let text = serde_json::to_string(line).expect("reports always serialise");
    writeln!(report, "{text}")
}

/// The report pipe, made close-on-exec so the program does not hold it
/// (rtbench reads it to its end); `None` when the descriptor is not open.
#[allow(
    unsafe_code,
    reason = "descriptor 3 is inherited: only fcntl can check and take it"
)]
fn report_pipe() -> Option<File> {
    // SAFETY: fcntl on a descriptor number has no memory effects; descriptor
    // 3 is taken once, and only when it is open.
    unsafe {
        if libc::fcntl(REPORT_FD, libc::F_SETFD, libc::FD_CLOEXEC) == -1 {
            return None;
        }
        Some(File::from_raw_fd(REPORT_FD))
    }
}

/// Makes `command`'s process die when the launcher does, so that killing the
/// launcher (as rtbench does past a time limit) kills it too. Its use of
/// `pre_exec` also makes the standard library start it with a real `fork`,
/// which copies only the launcher's written pages, where `posix_spawn`
/// would share all of them until `exec`.
#[allow(
    unsafe_code,
    reason = "prctl between fork and exec is the only way to tie a child's life to its parent's"
)]
fn die_with_launcher(command: &mut Command) {
    let launcher = libc::pid_t::try_from(std::process::id()).unwrap_or(0);
    // SAFETY: prctl and getppid are async-signal-safe and touch no memory
    // of the parent.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(io::Error::last_os_error());
            }
            // The launcher died before the line above: it will not be told.
            if libc::getppid() != launcher {
                return Err(io::Error::other("the launcher is gone"));
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report pipe that held `lines` and was closed.
    fn reported(lines: &[Report]) -> File {
        let mut file = tempfile::tempfile().unwrap();
        for line in lines {
            write(&mut file, line).unwrap();
        }
        io::Seek::rewind(&mut file).unwrap();
        file
    }

    #[test]
    fn a_program_that_cannot_start_is_the_error_spawn_would_give() {
        let missing = io::Error::from_raw_os_error(libc::ENOENT);
        let report = reported(&[Report::CannotStart {
            os_error: missing.raw_os_error(),
            message: missing.to_string(),
        }]);
        let error = started(report).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound, "{error}");
    }

    #[test]
    fn a_launcher_killed_mid_run_reports_no_end() {
        let (pid, rest) = started(reported(&[Report::Started(42)])).unwrap();
        assert_eq!(pid, 42);
        assert!(ended(rest).is_none());
        assert!(started(reported(&[])).is_err());
    }
}
