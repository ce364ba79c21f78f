//! How one repetition's child ended and what it reported: the pieces every
//! way of measuring (natively, under valgrind, serve's pair of processes, a
//! `--command`) reads a finished child with. Below all of them, above only
//! the process and the counters.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::time::Duration;

use rtbench_report::{Run, RunRecord};

use crate::counts;
use crate::process::Measured;

/// The last line of `text` that is not blank.
pub fn last_line(text: &str) -> Option<String> {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(str::to_owned)
}

/// How a child ended when it ended well, or why it failed, in one line: it
/// ran past `limit`, was killed, or exited with an error (with the line of
/// stderr naming a limit it hit, or else its last line).
pub fn ended(measured: &Measured, limit: Duration) -> Result<ExitStatus, String> {
    let why = crate::limits::limit_line(&measured.stderr)
        .map(str::to_owned)
        .or_else(|| last_line(&measured.stderr))
        .map_or_else(String::new, |line| format!(": {line}"));
    match measured.status {
        None => Err(format!(
            "timed out after {} s and was killed; raise --timeout-s or lower --ops",
            limit.as_secs()
        )),
        Some(status) if !status.success() => {
            let how = if status.signal().is_some() {
                "killed by"
            } else {
                "exited with"
            };
            Err(format!("{how} {status}{why}"))
        }
        Some(status) => Ok(status),
    }
}

/// The run a child reported, or why it failed, in one line.
pub fn run_of(measured: Measured, limit: Duration) -> Result<Run, String> {
    let status = ended(&measured, limit)?;
    let line = last_line(&measured.stdout).unwrap_or_default();
    let record: RunRecord = serde_json::from_str(&line)
        .map_err(|e| format!("invalid record ({e}) after {status}: {line:?}"))?;
    Ok(recorded(record, &measured))
}

/// A run from the child's record (wall time, counts, latencies) and what
/// the parent measured (CPU time, less the setup the child reports, and peak memory).
pub fn recorded(record: RunRecord, measured: &Measured) -> Run {
    Run {
        wall_s: record.wall_s,
        cpu_s: (measured.cpu_s - record.setup_cpu_s.unwrap_or(0.0)).max(0.0),
        peak_rss_bytes: measured.peak_rss_bytes,
        counts: record.counts,
        latency_ns: Some(record.latency_ns),
        io_driver: record.io_driver,
        achieved_rate: record.achieved_rate,
        send_delay_ns: record.send_delay_ns,
        client_cpu_s: None,
        cpus: record.cpus,
        client_cpus: None,
        counted: Some(
            counts::kernel::parse(&measured.stdout).unwrap_or_else(|| counts::outside(measured)),
        ),
    }
}
