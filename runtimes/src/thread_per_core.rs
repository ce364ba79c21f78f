//! What thread-per-core adapters share: one OS thread per shard, and the
//! `!Send` values of a runtime whose tasks never leave their thread.

use std::any::Any;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use rtbench_workloads::Shard;

/// Runs `shard_main` once per shard, each on its own OS thread named
/// `<name>-<index>`, and returns the outputs in shard order. `shard_main`
/// builds its thread's runtime and runs the shard on it; its error, a failed
/// thread start or a panic becomes the one-line reason the run failed.
pub fn run_shards<T, F>(threads: usize, name: &str, shard_main: F) -> Result<Vec<T>, String>
where
    T: Send,
    F: Fn(Shard) -> Result<T, String> + Sync,
{
    let shard_main = &shard_main;
    std::thread::scope(|scope| {
        let workers = (0..threads)
            .map(|index| {
                std::thread::Builder::new()
                    .name(format!("{name}-{index}"))
                    .spawn_scoped(scope, move || {
                        shard_main(Shard {
                            index,
                            count: threads,
                        })
                    })
                    .map_err(|e| format!("cannot start a {name} thread: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        workers
            .into_iter()
            .map(|worker| {
                worker.join().map_err(|panic| {
                    format!("a {name} thread panicked: {}", panic_message(&*panic))
                })?
            })
            .collect()
    })
}

/// The message of a panic payload, on one line.
fn panic_message(panic: &(dyn Any + Send)) -> String {
    let message = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(s), _) => s,
        (None, Some(s)) => s.as_str(),
        (None, None) => "no message",
    };
    message.replace('\n', " ")
}

pin_project_lite::pin_project! {
    /// A `!Send` value of a thread-per-core runtime (its timer, its TCP
    /// stream, the future that connects one), marked `Send` so the tasks that
    /// hold it satisfy the trait's `Send` bounds. A `send_wrapper` would check
    /// the thread on every poll, which measurably slows the runtime being
    /// measured; see [`ExecutorLocal::new`] for why none is needed.
    #[derive(Debug)]
    pub struct ExecutorLocal<T> {
        #[pin]
        inner: T,
    }
}

impl<T> ExecutorLocal<T> {
    /// Wraps `value`.
    ///
    /// # Safety
    ///
    /// `value` must be used and dropped only on the thread that calls this:
    /// true of a value made inside a task of a runtime whose tasks never leave
    /// the thread that spawned them (glommio, monoio, compio), as long as the
    /// task does not hand it to another thread.
    #[allow(
        unsafe_code,
        reason = "callers promise what the compiler cannot check; see Safety"
    )]
    pub unsafe fn new(value: T) -> Self {
        ExecutorLocal { inner: value }
    }

    /// The value, borrowed (on its own thread, as always).
    pub fn get(&self) -> &T {
        &self.inner
    }

    /// The value, unwrapped (on its own thread, as always).
    pub fn into_inner(self) -> T {
        self.inner
    }
}

/// A clone is made where the value is borrowed, on its own thread, so it
/// keeps the contract of [`ExecutorLocal::new`] (a file shared by a shard's tasks).
impl<T: Clone> Clone for ExecutorLocal<T> {
    fn clone(&self) -> Self {
        ExecutorLocal {
            inner: self.inner.clone(),
        }
    }
}

#[allow(
    unsafe_code,
    reason = "the value stays on its thread: the contract of ExecutorLocal::new"
)]
unsafe impl<T> Send for ExecutorLocal<T> {}

impl<F: Future> Future for ExecutorLocal<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.project().inner.poll(cx)
    }
}

impl<T: hyper::rt::Read> hyper::rt::Read for ExecutorLocal<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        self.project().inner.poll_read(cx, buf)
    }
}

impl<T: hyper::rt::Write> hyper::rt::Write for ExecutorLocal<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.project().inner.poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.project().inner.poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().inner.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().inner.poll_shutdown(cx)
    }
}
