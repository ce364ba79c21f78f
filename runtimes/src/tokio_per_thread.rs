//! tokio-per-thread: `--threads` current-thread tokio runtimes, one per OS
//! thread, each running its shard of the work: tokio without work stealing.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use rtbench_report::Model;
use rtbench_workloads::{Block, CancelOutcome, FileAccess, Remote, Runtime, Shard, TaskFailed};

use crate::thread_per_core::run_shards;
use crate::tokio::Tokio;

/// tokio, one current-thread runtime per thread. Tasks, timers and sockets are
/// tokio's, as in [`Tokio`]; only the scheduling differs: a task stays on the
/// thread that spawned it.
pub struct TokioPerThread;

impl Runtime for TokioPerThread {
    const NAME: &'static str = "tokio-per-thread";
    const VERSION: &'static str = Tokio::VERSION;
    const CRATE: &'static str = Tokio::CRATE;
    const FLAVOR: &'static str = "one current-thread runtime per thread, no work stealing";
    const MODEL: Model = Model::ThreadPerCore;

    type Handle<T: Send + 'static> = <Tokio as Runtime>::Handle<T>;
    type TcpStream = <Tokio as Runtime>::TcpStream;
    type TcpListener = <Tokio as Runtime>::TcpListener;
    type File = <Tokio as Runtime>::File;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        run_shards(threads, "tokio-per-thread", |shard| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start tokio: {e}"))?;
            Ok(runtime.block_on(shard_main(shard)))
        })
    }

    fn spawn<F>(future: F) -> Self::Handle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Tokio::spawn(future)
    }

    fn join<T: Send + 'static>(
        handle: Self::Handle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>> {
        Tokio::join(handle)
    }

    fn cancel<T: Send + 'static>(
        handle: Self::Handle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        Tokio::cancel(handle)
    }

    fn detach<T: Send + 'static>(handle: Self::Handle<T>) {
        Tokio::detach(handle);
    }

    fn yield_now() -> impl Future<Output = ()> + Send + 'static {
        Tokio::yield_now()
    }

    /// `Handle::spawn`: the task runs on that thread's runtime.
    fn remote() -> Result<Remote, String> {
        Tokio::remote()
    }

    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        Tokio::offload(work)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        Tokio::sleep(duration)
    }

    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> {
        Tokio::connect(addr)
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<Self::TcpListener> {
        Tokio::listen(listener)
    }

    fn accept(listener: &Self::TcpListener) -> impl Future<Output = io::Result<Self::TcpStream>> {
        Tokio::accept(listener)
    }

    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<Self::File>> {
        Tokio::open_file(path, access)
    }

    fn read_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        Tokio::read_at(file, block, offset)
    }

    fn write_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        Tokio::write_at(file, block, offset)
    }

    fn sync_data(file: &Self::File) -> impl Future<Output = io::Result<()>> {
        Tokio::sync_data(file)
    }
}
