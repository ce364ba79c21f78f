//! What the scheduling workloads share: CPU work of a set length, a watchdog
//! that fails a case that stalls, and plain threads outside the runtime.

use std::future::Future;
use std::time::Duration;

use crate::runtime::Runtime;

/// How long a case may go without progress before it fails as stalled.
pub(crate) const STALL: Duration = Duration::from_secs(10);

/// How often a long-running task tells its progress to the watchdog: every
/// this many operations, so the telling costs nothing measurable.
pub(crate) const PROGRESS_EVERY: u64 = 256;

/// The group every scheduling workload belongs to.
pub(crate) const GROUPS: &[&str] = &["scheduling"];

/// The figures of a workload with no per-operation latency: all but p99.
pub(crate) const NO_LATENCY: &[&str] = &["time", "throughput", "overhead", "cpu", "memory"];

/// Spins on the CPU for `micros` µs of wall time: a task's CPU-bound work.
pub(crate) fn burn(micros: u64) {
    if micros == 0 {
        return;
    }
    let (start, length) = (quanta::Instant::now(), Duration::from_micros(micros));
    while start.elapsed() < length {
        std::hint::spin_loop();
    }
}

/// Runs `work` to its end, unless `progress` (what it has done, out of
/// `target`) stops moving for [`STALL`]: then fails saying how far `what` got.
pub(crate) async fn watched<R: Runtime, T>(
    what: &str,
    progress: impl Fn() -> u64,
    target: u64,
    work: impl Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let watchdog = async {
        let mut last = u64::MAX;
        loop {
            R::sleep(STALL).await;
            let now = progress();
            if now == last {
                return Err(format!(
                    "{what} stalled: {now} of {target} done, none in the last {} s",
                    STALL.as_secs()
                ));
            }
            last = now;
        }
    };
    futures_lite::future::or(work, watchdog).await
}

/// Runs `work` on a new plain OS thread outside the runtime; its result
/// comes back through the channel returned (a wake from that thread).
pub(crate) fn on_thread<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<async_channel::Receiver<T>, String> {
    let (done, result) = async_channel::bounded(1);
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let _ = done.send_blocking(work());
        })
        .map_err(|e| format!("cannot start a plain thread: {e}"))?;
    Ok(result)
}

/// What a plain thread started by [`on_thread`] gave back, or why not.
pub(crate) async fn thread_result<T>(result: async_channel::Receiver<T>) -> Result<T, String> {
    (result.recv().await).map_err(|_| "a plain thread outside the runtime panicked".to_owned())
}

/// A one-line refusal unless `value` is at least 1.
pub(crate) fn at_least_one(flag: &str, value: u64) -> Result<(), String> {
    match value {
        0 => Err(format!("--{flag} 0: give at least 1")),
        _ => Ok(()),
    }
}
