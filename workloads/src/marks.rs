//! Marks where a workload's own work begins and ends, so that what is counted
//! around it (instructions under valgrind, the kernel's counts) leaves out
//! process start, argument parsing, and building and tearing down the runtime.
//!
//! Every shard marks its start and its end; the span that is counted runs
//! from the first shard's start to the last shard's end. A process that sets
//! no hook pays one uncontended lock per shard edge.

use std::sync::{Mutex, OnceLock, PoisonError};

/// An edge of the span in which some shard does the workload's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The first shard started its work.
    Begin,
    /// The last working shard ended its work.
    End,
}

/// Called at each edge, set once per process by [`on_edges`].
static HOOK: OnceLock<fn(Edge)> = OnceLock::new();
/// Shards working now; the lock also keeps the hook's calls in order.
static WORKING: Mutex<usize> = Mutex::new(0);

/// Calls `hook` at every edge of the span from now on; only the first hook
/// set in a process counts.
pub fn on_edges(hook: fn(Edge)) {
    let _ = HOOK.set(hook);
}

/// A shard starts its work.
pub(crate) fn begin() {
    let mut working = WORKING.lock().unwrap_or_else(PoisonError::into_inner);
    if *working == 0 {
        call(Edge::Begin);
    }
    *working += 1;
}

/// A shard ended its work.
pub(crate) fn end() {
    let mut working = WORKING.lock().unwrap_or_else(PoisonError::into_inner);
    *working = working.saturating_sub(1);
    if *working == 0 {
        call(Edge::End);
    }
}

fn call(edge: Edge) {
    if let Some(hook) = HOOK.get() {
        hook(edge);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    static BEGINS: AtomicUsize = AtomicUsize::new(0);
    static ENDS: AtomicUsize = AtomicUsize::new(0);

    fn count(edge: Edge) {
        match edge {
            Edge::Begin => BEGINS.fetch_add(1, Relaxed),
            Edge::End => ENDS.fetch_add(1, Relaxed),
        };
    }

    #[test]
    fn overlapping_shards_make_one_span() {
        on_edges(count);
        begin();
        begin();
        end();
        assert_eq!((BEGINS.load(Relaxed), ENDS.load(Relaxed)), (1, 0));
        end();
        assert_eq!((BEGINS.load(Relaxed), ENDS.load(Relaxed)), (1, 1));
        begin();
        end();
        assert_eq!((BEGINS.load(Relaxed), ENDS.load(Relaxed)), (2, 2));
    }
}
