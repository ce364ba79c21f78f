//! The open loop's clock: a thread of the client's own that wakes each
//! waiting request when it is due, on the operating system's clock.
//!
//! Not the runtime's timer: tokio's and monoio's fire on millisecond ticks,
//! a deadline rounded up to the next, so requests waiting on them left about
//! a millisecond late (docs/open-loop.md). A thread blocked on a condition
//! variable with a timeout wakes within tens of microseconds, and costs no
//! CPU while it waits, where yielding until due would spin a core.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;

use quanta::Instant;

/// The requests waiting, earliest due first, and whether to stop.
#[derive(Default)]
struct Waiting {
    wakers: BTreeMap<(Instant, u64), Waker>,
    stop: bool,
}

/// What the pacer's thread and the waiting requests share.
#[derive(Default)]
struct Shared {
    waiting: Mutex<Waiting>,
    /// Signalled when a request waits for an earlier time than any other, or
    /// when the pacer stops.
    changed: Condvar,
}

/// One thread waking the requests of one schedule when they are due; it
/// stops when dropped.
pub(crate) struct Pacer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pacer")
    }
}

impl Pacer {
    /// Starts the pacer's thread.
    pub(crate) fn start() -> Pacer {
        let shared = Arc::new(Shared::default());
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("rtbench-pacer".into())
                .spawn(move || wake_when_due(&shared))
                .expect("the pacer thread starts")
        };
        Pacer {
            shared,
            thread: Some(thread),
        }
    }

    /// Resolves once `due` has come, never before; `id` names the waiting
    /// request, so a wait polled again replaces its waker.
    pub(crate) fn until(&self, id: u64, due: Instant) -> Until<'_> {
        Until {
            shared: &self.shared,
            id,
            due,
        }
    }
}

impl Drop for Pacer {
    fn drop(&mut self) {
        lock(&self.shared).stop = true;
        self.shared.changed.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The pacer's thread: wakes the earliest waiting request once it is due,
/// and otherwise sleeps until it is, or until an earlier one waits.
fn wake_when_due(shared: &Shared) {
    let mut waiting = lock(shared);
    while !waiting.stop {
        let Some((&(due, _), _)) = waiting.wakers.first_key_value() else {
            waiting = shared
                .changed
                .wait(waiting)
                .unwrap_or_else(PoisonError::into_inner);
            continue;
        };
        let now = Instant::now();
        if due <= now {
            let (_, waker) = waiting.wakers.pop_first().expect("just seen");
            drop(waiting);
            waker.wake();
            waiting = lock(shared);
        } else {
            waiting = shared
                .changed
                .wait_timeout(waiting, due - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Waiting> {
    shared
        .waiting
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// A request waiting for its due time ([`Pacer::until`]).
pub(crate) struct Until<'a> {
    shared: &'a Shared,
    id: u64,
    due: Instant,
}

impl Future for Until<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.due {
            return Poll::Ready(());
        }
        let mut waiting = lock(self.shared);
        let key = (self.due, self.id);
        waiting.wakers.insert(key, cx.waker().clone());
        let earliest = waiting.wakers.first_key_value().map(|(&k, _)| k);
        drop(waiting);
        // The thread sleeps until the earliest wait: tell it of an earlier one.
        if earliest == Some(key) {
            self.shared.changed.notify_one();
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_wait_never_ends_before_its_due_time() {
        let pacer = Pacer::start();
        let start = Instant::now();
        for id in 0..5 {
            let due = start + Duration::from_millis(2 * id);
            futures::executor::block_on(pacer.until(id, due));
            assert!(Instant::now() >= due, "request {id} woke before it was due");
        }
    }

    #[test]
    fn waits_from_many_threads_each_end_at_their_own_time() {
        // The later ids are due first: each new wait is the earliest one.
        let pacer = Arc::new(Pacer::start());
        let start = Instant::now();
        let threads: Vec<_> = (0..8u64)
            .map(|id| {
                let pacer = pacer.clone();
                std::thread::spawn(move || {
                    let due = start + Duration::from_micros(500 * (8 - id));
                    futures::executor::block_on(pacer.until(id, due));
                    Instant::now() >= due
                })
            })
            .collect();
        for thread in threads {
            assert!(thread.join().unwrap(), "a wait ended before it was due");
        }
    }
}
