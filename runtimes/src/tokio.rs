//! tokio's multi-thread scheduler: `--threads` workers that steal work from each other.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::FutureExt;
use hyper_util::rt::TokioIo;
use rtbench_report::Model;
use rtbench_workloads::{Block, CancelOutcome, FileAccess, Remote, Runtime, Shard, TaskFailed};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::blocking_file::{self, SharedFile};

/// tokio, multi-thread scheduler.
pub struct Tokio;

impl Runtime for Tokio {
    const NAME: &'static str = "tokio";
    const VERSION: &'static str = env!("RTBENCH_VERSION_TOKIO");
    const CRATE: &'static str = "tokio";
    const FLAVOR: &'static str = "multi-thread scheduler, one worker per thread";
    const MODEL: Model = Model::WorkStealing;

    type Handle<T: Send + 'static> = JoinHandle<T>;
    type TcpStream = TokioIo<TcpStream>;
    type TcpListener = TcpListener;
    type File = SharedFile;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start tokio: {e}"))?;
        Ok(vec![runtime.block_on(shard_main(Shard::ONLY))])
    }

    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tokio::spawn(future)
    }

    fn join<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>> {
        Join(handle)
    }

    /// `abort()` is eager; awaiting the handle then says whether it won the race.
    fn cancel<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        handle.abort();
        Abort(handle)
    }

    /// Dropping a `JoinHandle` detaches its task.
    fn detach<T: Send + 'static>(handle: JoinHandle<T>) {
        drop(handle);
    }

    fn yield_now() -> impl Future<Output = ()> + Send + 'static {
        tokio::task::yield_now()
    }

    /// `Handle::spawn`, from any thread, onto this runtime.
    fn remote() -> Result<Remote, String> {
        let runtime = tokio::runtime::Handle::current();
        Ok(Remote::new(move |task| drop(runtime.spawn(task))))
    }

    /// `spawn_blocking`: tokio's blocking pool.
    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        blocking(work).map(Ok)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep(duration)
    }

    async fn connect(addr: SocketAddr) -> io::Result<TokioIo<TcpStream>> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(TokioIo::new(stream))
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::from_std(listener)
    }

    async fn accept(listener: &TcpListener) -> io::Result<TokioIo<TcpStream>> {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        Ok(TokioIo::new(stream))
    }

    /// tokio's file API runs each call on its blocking pool (`tokio::fs`
    /// has no positional read; `spawn_blocking` with `pread` is what it does
    /// inside for the others).
    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<SharedFile>> {
        let path = path.to_owned();
        blocking(move || blocking_file::open(path, access))
    }

    fn read_at(
        file: &SharedFile,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        let file = file.clone();
        blocking(move || blocking_file::read_at(&file, block, offset))
    }

    fn write_at(
        file: &SharedFile,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        let file = file.clone();
        blocking(move || blocking_file::write_at(&file, block, offset))
    }

    fn sync_data(file: &SharedFile) -> impl Future<Output = io::Result<()>> {
        let file = file.clone();
        blocking(move || file.sync_data())
    }
}

/// Runs `call` on tokio's blocking pool; a panic there resumes here.
fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> T + Send + 'static,
) -> impl Future<Output = T> + Send {
    tokio::task::spawn_blocking(call).map(|joined| match joined {
        Ok(value) => value,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    })
}

/// [`Tokio::join`]'s future: the handle's output, a panic as [`TaskFailed`].
#[derive(Debug)]
struct Join<T>(JoinHandle<T>);

impl<T> Future for Join<T> {
    type Output = Result<T, TaskFailed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map_err(|e| TaskFailed(e.to_string()))
    }
}

/// [`Tokio::cancel`]'s future, on an aborted handle: how the task ended.
#[derive(Debug)]
struct Abort<T>(JoinHandle<T>);

impl<T> Future for Abort<T> {
    type Output = Result<CancelOutcome<T>, TaskFailed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|ended| match ended {
            Ok(value) => Ok(CancelOutcome::Completed(value)),
            Err(e) if e.is_cancelled() => Ok(CancelOutcome::Cancelled),
            Err(e) => Err(TaskFailed(e.to_string())),
        })
    }
}
