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
