//! A shared counter a task can wait on, without spinning, until it reaches a target.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::task::{Context, Poll};

use futures::task::AtomicWaker;

/// Counts events from many tasks and wakes one waiter when a target is reached.
#[derive(Debug)]
pub(crate) struct Counter {
    count: AtomicU64,
    /// What the waiter waits for; `u64::MAX` when nobody waits, so adds stay cheap.
    target: AtomicU64,
    waker: AtomicWaker,
}

impl Counter {
    pub(crate) fn new() -> Counter {
        Counter {
            count: AtomicU64::new(0),
            target: AtomicU64::new(u64::MAX),
            waker: AtomicWaker::new(),
        }
    }

    /// Counts one event, waking the waiter if that reaches its target.
    pub(crate) fn add(&self) {
        let count = self.count.fetch_add(1, SeqCst) + 1;
        if count >= self.target.load(SeqCst) {
            self.waker.wake();
        }
    }

    /// The events counted so far.
    pub(crate) fn get(&self) -> u64 {
        self.count.load(SeqCst)
    }

    /// Resolves once at least `target` events are counted. One waiter at a time.
    pub(crate) fn reached(&self, target: u64) -> Reached<'_> {
        self.target.store(target, SeqCst);
        Reached {
            counter: self,
            target,
        }
    }
}

/// The future of [`Counter::reached`]; it stops the wake-ups when done or dropped.
pub(crate) struct Reached<'a> {
    counter: &'a Counter,
    target: u64,
}

impl Future for Reached<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.counter.waker.register(cx.waker());
        if self.counter.get() >= self.target {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Reached<'_> {
    fn drop(&mut self) {
        self.counter.target.store(u64::MAX, SeqCst);
    }
}
