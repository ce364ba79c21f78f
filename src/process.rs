//! Runs one child process with a time limit and measures it from outside.

use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

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

/// Context switches and minor page faults of a child, from `wait4`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Voluntary context switches.
    pub voluntary_switches: u64,
    /// Involuntary context switches.
    pub involuntary_switches: u64,
    /// Minor page faults.
    pub minor_faults: u64,
}

/// Runs `command` to its end, killing it after `limit`. CPU time and peak RSS
/// come from the kernel's accounting of this one child (`wait4`), the same way
/// for every child whatever it runs.
pub fn run(command: Command, limit: Duration) -> io::Result<Measured> {
    start(command)?.finish(limit)
}

/// Starts `command` with its standard streams piped, to be measured by
/// [`Running::finish`].
pub fn start(mut command: Command) -> io::Result<Running> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
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
    let pid = child.id();
    let (done, waited) = mpsc::channel();
    thread::spawn(move || {
        // When it was reaped, not when `finish` got round to asking.
        let _ = done.send(wait4(pid).map(|(status, usage)| (status, usage, Instant::now())));
    });
    Ok(Running {
        child,
        stdin,
        lines,
        stdout,
        stderr,
        waited,
        started,
        ended: None,
    })
}

/// A child started by [`start`].
#[derive(Debug)]
pub struct Running {
    child: Child,
    /// Its standard input; dropping it closes the pipe.
    pub stdin: Option<ChildStdin>,
    /// Each line it writes to stdout, as it writes it.
    lines: Receiver<String>,
    stdout: Option<thread::JoinHandle<String>>,
    stderr: thread::JoinHandle<String>,
    waited: Receiver<Waited>,
    /// Just before it was started.
    started: Instant,
    /// What the waiter reported, once it has.
    ended: Option<Waited>,
}

/// What `wait4` reports on a child, and when it reaped it.
type Waited = io::Result<(ExitStatus, libc::rusage, Instant)>;

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
        let (status, usage, reaped) = match self
            .ended
            .take()
            .ok_or(())
            .or_else(|()| self.waited.recv_timeout(limit).map_err(drop))
        {
            Ok(result) => {
                let (status, usage, reaped) = result?;
                (Some(status), usage, reaped)
            }
            Err(()) => {
                // It may have ended just now; the waiter answers either way.
                let _ = self.child.kill();
                let (_, usage, reaped) = self.waited.recv().expect("the waiter always answers")?;
                (None, usage, reaped)
            }
        };
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        Ok(Measured {
            status,
            wall_s: reaped.duration_since(self.started).as_secs_f64(),
            cpu_s: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            // Linux reports ru_maxrss in KiB.
            peak_rss_bytes: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
            usage: Usage {
                voluntary_switches: u64::try_from(usage.ru_nvcsw).unwrap_or(0),
                involuntary_switches: u64::try_from(usage.ru_nivcsw).unwrap_or(0),
                minor_faults: u64::try_from(usage.ru_minflt).unwrap_or(0),
            },
            syscalls: Err("no system-call counter was attached to it".into()),
            stdout: self.stdout.and_then(|t| t.join().ok()).unwrap_or_default(),
            stderr: self.stderr.join().unwrap_or_default(),
        })
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Kills it at once and measures it.
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

/// Waits for child `pid` and returns its status and resource usage.
#[allow(
    unsafe_code,
    reason = "wait4 is the only call that gives one child's own rusage"
)]
fn wait4(pid: u32) -> io::Result<(ExitStatus, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    let mut status = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live, writable locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((ExitStatus::from_raw(status), usage));
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
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
        let measured = run(sh("exec sleep 30"), Duration::from_millis(200)).unwrap();
        assert!(measured.status.is_none(), "{measured:?}");
    }

    #[test]
    fn reports_the_signal_that_killed_a_child() {
        let measured = run(sh("kill -SEGV $$"), Duration::from_secs(10)).unwrap();
        assert_eq!(
            measured.status.and_then(|s| s.signal()),
            Some(libc::SIGSEGV)
        );
    }
}
