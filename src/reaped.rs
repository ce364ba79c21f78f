//! How a child ended, as the kernel reports it to the process that reaps
//! it: its wait status and its own resource usage (`wait4`). Below both the
//! launcher, which reaps the program it forked, and the parent's measuring.

use std::io;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Context switches and minor page faults of a child, from `wait4`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Voluntary context switches.
    pub voluntary_switches: u64,
    /// Involuntary context switches.
    pub involuntary_switches: u64,
    /// Minor page faults.
    pub minor_faults: u64,
}

/// How a child ended and what it used, as `wait4` reports it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Ended {
    /// Its raw wait status.
    pub status: i32,
    /// Seconds from just before it was started to just after it was reaped.
    pub wall_s: f64,
    /// User + system CPU time, seconds.
    pub cpu_s: f64,
    /// Peak resident set size, bytes.
    pub peak_rss_bytes: u64,
    /// Context switches and minor page faults.
    pub usage: Usage,
}

impl Ended {
    /// What `wait4` gave on a child started `wall` before it was reaped.
    pub fn of(status: i32, usage: &libc::rusage, wall: Duration) -> Ended {
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        let count = |n: libc::c_long| u64::try_from(n).unwrap_or(0);
        Ended {
            status,
            wall_s: wall.as_secs_f64(),
            cpu_s: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            // Linux reports ru_maxrss in KiB.
            peak_rss_bytes: count(usage.ru_maxrss) * 1024,
            usage: Usage {
                voluntary_switches: count(usage.ru_nvcsw),
                involuntary_switches: count(usage.ru_nivcsw),
                minor_faults: count(usage.ru_minflt),
            },
        }
    }
}

/// Waits for child `pid` and returns its raw wait status and resource usage.
#[allow(
    unsafe_code,
    reason = "wait4 is the only call that gives one child's own rusage"
)]
pub fn wait4(pid: u32) -> io::Result<(i32, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    let mut status = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live, writable locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}
