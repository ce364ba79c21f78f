//! Runs one child process with a time limit and measures it from outside.

use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use crate::cpus::CpuList;
use crate::launcher;
pub use crate::reaped::{Ended, Usage, wait4};

/// The program every child is started from ([`crate::launcher`]), set once
/// by `main` to rtbench itself. Unset (in unit tests, whose program is the
/// test harness), children start directly from this process, and their
/// peak memory is at least its resident size.
static LAUNCHER: OnceLock<PathBuf> = OnceLock::new();

/// Starts every child from now on through `rtbench` ([`crate::launcher`]).
pub fn launch_from(rtbench: PathBuf) {
    let _ = LAUNCHER.set(rtbench);
}

/// How a measured child ended, and what it cost.
#[derive(Debug)]
pub struct Measured {
    /// Its exit status, or `None` when it was killed for running past the limit.
    pub status: Option<ExitStatus>,
    /// Seconds from just before it was started to just after it was reaped.
    pub wall_s: f64,
    /// User + system CPU time of the child, seconds.
    pub cpu_s: f64,
    /// Peak resident set size of the child, bytes.
    pub peak_rss_bytes: u64,
    /// The kernel's counts of the child and the children it waited for:
    /// context switches and minor page faults.
    pub usage: Usage,
    /// Its system calls, when a counter was attached to it
    /// ([`crate::counts::run_outside`]), or why they were not counted.
    pub syscalls: Result<u64, String>,
    /// Everything it wrote to stdout.
    pub stdout: String,
    /// Everything it wrote to stderr.
    pub stderr: String,
}

/// Runs `command` to its end (on `cpus`, if given), killing it after `limit`. CPU time and peak RSS
/// come from the kernel's accounting of this one child (`wait4`), the same way
/// for every child whatever it runs.
pub fn run(command: Command, limit: Duration, cpus: Option<&CpuList>) -> io::Result<Measured> {
    start(command, cpus)?.finish(limit)
}

/// Starts `command` with its standard streams piped, to be measured by
/// [`Running::finish`]: through the launcher once `main` has set it
/// ([`launch_from`]), so that its peak memory is its own; on `cpus` only,
/// if given (the launcher's too, which its program inherits).
pub fn start(command: Command, cpus: Option<&CpuList>) -> io::Result<Running> {
    let started = Instant::now();
    let (mut spawned, launched) = match LAUNCHER.get() {
        Some(rtbench) => {
            let (launching, report) = launcher::command(rtbench, &command)?;
            (launching, Some(report))
        }
        None => (command, None),
    };
    if let Some(cpus) = cpus {
        cpus.give_to(&mut spawned);
    }
    let mut child = spawned
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Closes this process's end of the launcher's report pipe.
    drop(spawned);
    let (pid, report) = match launched {
        Some(report) => match launcher::started(report) {
            Ok((pid, report)) => (pid, Some(report)),
            Err(error) => {
                let _ = wait4(child.id());
                return Err(error);
            }
        },
        None => (child.id(), None),
    };
    let stdin = child.stdin.take();
    let (line, lines) = mpsc::channel();
    let stdout = child.stdout.take().map(|pipe| {
        thread::spawn(move || {
            let mut text = String::new();
            for read in BufReader::new(pipe).lines() {
                let Ok(read) = read else { break };
                let _ = line.send(read.clone());
                text += &read;
                text.push('\n');
            }
            text
        })
    });
    let stderr = drain(child.stderr.take());
    let started_pid = child.id();
    let (done, waited) = mpsc::channel();
    thread::spawn(move || {
        let ended = wait4(started_pid).map(|(status, usage)| {
            // When it was reaped, not when `finish` got round to asking.
            Ended::of(status, &usage, started.elapsed())
        });
        // The launcher's own end stands in only when it did not report its
        // program's (it was killed).
        let _ = done.send(match report {
            Some(report) => ended.map(|launcher| launcher::ended(report).unwrap_or(launcher)),
            None => ended,
        });
    });
    Ok(Running {
        child,
        pid,
        stdin,
        lines,
        stdout,
        stderr,
        waited,
        ended: None,
    })
}

/// A child started by [`start`].
#[derive(Debug)]
pub struct Running {
    /// The process this one started: the launcher, or the child itself.
    child: Child,
    /// The child's process id.
    pid: u32,
    /// Its standard input; dropping it closes the pipe.
    pub stdin: Option<ChildStdin>,
    /// Each line it writes to stdout, as it writes it.
    lines: Receiver<String>,
    stdout: Option<thread::JoinHandle<String>>,
    stderr: thread::JoinHandle<String>,
    waited: Receiver<io::Result<Ended>>,
    /// What the waiter reported, once it has.
    ended: Option<io::Result<Ended>>,
}

impl Running {
    /// Whether it has ended, waiting at most `wait` to see.
    pub fn ended_within(&mut self, wait: Duration) -> bool {
        if self.ended.is_none() {
            self.ended = self.waited.recv_timeout(wait).ok();
        }
        self.ended.is_some()
    }

    /// Waits for it to end, killing it after `limit`, and measures it.
    pub fn finish(mut self, limit: Duration) -> io::Result<Measured> {
        drop(self.stdin.take());
        let (status, ended) = match self
            .ended
            .take()
            .ok_or(())
            .or_else(|()| self.waited.recv_timeout(limit).map_err(drop))
        {
            Ok(result) => {
                let ended = result?;
                (Some(ExitStatus::from_raw(ended.status)), ended)
            }
            Err(()) => {
                // It may have ended just now; the waiter answers either way.
                // Killing the launcher kills its child too.
                let _ = self.child.kill();
                (
                    None,
                    self.waited.recv().expect("the waiter always answers")?,
                )
            }
        };
        Ok(Measured {
            status,
            wall_s: ended.wall_s,
            cpu_s: ended.cpu_s,
            peak_rss_bytes: ended.peak_rss_bytes,
            usage: ended.usage,
            syscalls: Err("no system-call counter was attached to it".into()),
            stdout: self.stdout.and_then(|t| t.join().ok()).unwrap_or_default(),
            stderr: self.stderr.join().unwrap_or_default(),
        })
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Kills it (and the launcher it was started from) at once and measures it.
    pub fn kill(mut self) -> io::Result<Measured> {
        let _ = self.child.kill();
        self.finish(Duration::ZERO)
    }

    /// The next line it writes to stdout, waiting at most `limit`; `None`
    /// when it closed stdout or the time passed.
    pub fn next_line(&self, limit: Duration) -> Option<String> {
        self.lines.recv_timeout(limit).ok()
    }
}

/// Reads a pipe to its end on a thread, so a chatty child never blocks on it.
fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn reports_exit_code_output_and_usage() {
        let measured = run(
            sh("echo out; echo err >&2; exit 3"),
            Duration::from_secs(10),
            None,
        )
        .unwrap();
        assert_eq!(measured.status.and_then(|s| s.code()), Some(3));
        assert_eq!(measured.stdout, "out\n");
        assert_eq!(measured.stderr, "err\n");
        assert!(
            measured.peak_rss_bytes > 0,
            "a process always has some resident memory"
        );
    }

    #[test]
    fn kills_a_child_past_its_limit() {
        let measured = run(sh("exec sleep 30"), Duration::from_millis(200), None).unwrap();
        assert!(measured.status.is_none(), "{measured:?}");
    }

    #[test]
    fn reports_the_signal_that_killed_a_child() {
        let measured = run(sh("kill -SEGV $$"), Duration::from_secs(10), None).unwrap();
        assert_eq!(
            measured.status.and_then(|s| s.signal()),
            Some(libc::SIGSEGV)
        );
    }
}
