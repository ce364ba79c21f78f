//! Runs one child process with a time limit and measures it from outside.

use std::io::{self, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
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
    /// Everything it wrote to stdout.
    pub stdout: String,
    /// Everything it wrote to stderr.
    pub stderr: String,
}

/// Runs `command` to its end, killing it after `limit`. CPU time and peak RSS
/// come from the kernel's accounting of this one child (`wait4`), the same way
/// for every child whatever it runs.
pub fn run(mut command: Command, limit: Duration) -> io::Result<Measured> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let pid = child.id();
    let (done, waited) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(wait4(pid));
    });
    let (status, usage) = match waited.recv_timeout(limit) {
        Ok(result) => {
            let (status, usage) = result?;
            (Some(status), usage)
        }
        Err(_) => {
            child.kill()?;
            let (_, usage) = waited.recv().expect("the waiter always answers")?;
            (None, usage)
        }
    };
    let wall_s = started.elapsed().as_secs_f64();
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Measured {
        status,
        wall_s,
        cpu_s: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        peak_rss_bytes: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
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
