//! The open-file limit, which bounds how many connections a fetch case can hold.

/// Descriptors a process needs beside its connections: runtime internals
/// (epoll, io_uring, eventfds, pipes), the standard streams, libraries.
const SPARE_FDS: u64 = 256;

/// Raises the soft open-file limit to the hard limit (children inherit it), and
/// refuses, before anything runs, an in-flight window that still cannot fit.
pub fn ensure_connections(in_flight: u64) -> Result<(), String> {
    let needed = in_flight + SPARE_FDS;
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .map_err(|e| format!("cannot read the open-file limit: {e}"))?;
    if limit < needed {
        return Err(format!(
            "--in-flight {in_flight} needs about {needed} open files in the client and in the \
             server, but the limit is {limit}: raise it (`ulimit -n {needed}`) or lower --in-flight"
        ));
    }
    Ok(())
}

/// Words with which a process says it ran out of memory.
const MEMORY: [&str; 4] = [
    "memory allocation of",
    "Cannot allocate memory",
    "MemoryError",
    "out of memory",
];
/// Words with which a process says it ran out of file descriptors.
const FILES: [&str; 3] = ["Too many open files", "os error 24", "EMFILE"];

/// The line of a failed child's stderr that names the limit it hit, if one
/// does (a Rust abort on a failed allocation prints more lines after it).
pub fn limit_line(stderr: &str) -> Option<&str> {
    stderr.lines().find(|line| {
        MEMORY
            .iter()
            .chain(&FILES)
            .any(|words| line.contains(words))
    })
}

/// A failed repetition's reason, led by the limit it hit where its words
/// name one: out of memory (an allocation that failed, or a SIGKILL, which
/// is what the kernel's out-of-memory killer sends) or out of file
/// descriptors. A limit reached at a large in-flight is a finding, so the
/// case says which; any other reason is kept as it is.
pub fn name_limit(reason: String) -> String {
    if FILES.iter().any(|words| reason.contains(words)) {
        format!("out of file descriptors: {reason}; raise `ulimit -n` or lower --in-flight")
    } else if MEMORY.iter().any(|words| reason.contains(words)) {
        format!("out of memory: {reason}")
    } else if reason.contains("SIGKILL") {
        format!("{reason} (the kernel's out-of-memory killer sends SIGKILL)")
    } else {
        reason
    }
}

#[cfg(test)]
mod tests {
    use super::name_limit;

    #[test]
    fn limits_are_named_and_other_reasons_kept() {
        let oom = name_limit(
            "killed by signal: 6 (SIGABRT): memory allocation of 8388608 bytes failed".into(),
        );
        assert!(
            oom.starts_with("out of memory: killed by signal: 6"),
            "{oom}"
        );
        let fds =
            name_limit("exited with exit status: 2: Too many open files (os error 24)".into());
        assert!(fds.starts_with("out of file descriptors: exited"), "{fds}");
        assert!(fds.ends_with("lower --in-flight"), "{fds}");
        let killed = name_limit("killed by signal: 9 (SIGKILL)".into());
        assert!(killed.contains("out-of-memory killer"), "{killed}");
        assert_eq!(
            name_limit("exited with exit status: 3".into()),
            "exited with exit status: 3"
        );
    }
}
