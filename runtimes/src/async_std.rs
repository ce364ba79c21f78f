//! async-std's global executor. The crate is discontinued upstream; it is
//! measured because many programs still run on it.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use async_std::net::{TcpListener, TcpStream};
use async_std::task::JoinHandle;
use futures::FutureExt;
use rtbench_report::Model;
use rtbench_workloads::{
    Block, CancelOutcome, FileAccess, NeverFails, Remote, Runtime, Shard, TaskFailed,
};
use smol_hyper::rt::FuturesIo;

use crate::blocking_file::{self, SharedFile};

/// The variable async-std reads its thread count from, once, at first use.
const THREAD_COUNT_VAR: &str = "ASYNC_STD_THREAD_COUNT";

/// async-std, global executor.
pub struct AsyncStd;

impl Runtime for AsyncStd {
    const NAME: &'static str = "async-std";
    const VERSION: &'static str = env!("RTBENCH_VERSION_ASYNC_STD");
    const CRATE: &'static str = "async-std";
    const FLAVOR: &'static str = "global executor";
    const MODEL: Model = Model::WorkStealing;
    const NOTE: Option<&'static str> =
        Some("async-std is discontinued upstream (its authors point to smol)");

    type Handle<T: Send + 'static> = JoinHandle<T>;
    type TcpStream = FuturesIo<TcpStream>;
    type TcpListener = TcpListener;
    type File = SharedFile;

    /// The global executor's threads come from [`THREAD_COUNT_VAR`], which the
    /// runner sets in the child (see [`Runtime::process_env`]); a mismatch is
    /// refused rather than recorded with the wrong thread count.
    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let configured = match std::env::var(THREAD_COUNT_VAR) {
            Ok(value) => value.parse().ok(),
            Err(_) => std::thread::available_parallelism().ok().map(usize::from),
        };
        if configured != Some(threads) {
            return Err(format!(
                "async-std reads its thread count once, from {THREAD_COUNT_VAR}: \
                 set {THREAD_COUNT_VAR}={threads} before the process starts"
            ));
        }
        Ok(vec![async_std::task::block_on(shard_main(Shard::ONLY))])
    }

    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        async_std::task::spawn(future)
    }

    fn join<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>> {
        NeverFails(handle)
    }

    /// Lazy: nothing happens until the returned future is polled.
    fn cancel<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        handle.cancel().map(|output| Ok(output.into()))
    }

    /// Dropping a `JoinHandle` detaches its task.
    fn detach<T: Send + 'static>(handle: JoinHandle<T>) {
        drop(handle);
    }

    fn yield_now() -> impl Future<Output = ()> + Send + 'static {
        async_std::task::yield_now()
    }

    /// `task::spawn` works from any thread: the executor is global.
    fn remote() -> Result<Remote, String> {
        Ok(Remote::new(|task| drop(async_std::task::spawn(task))))
    }

    /// `task::spawn_blocking`: async-std's blocking pool.
    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        async_std::task::spawn_blocking(work).map(Ok)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        async_std::task::sleep(duration)
    }

    async fn connect(addr: SocketAddr) -> io::Result<FuturesIo<TcpStream>> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(FuturesIo::new(stream))
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener::from(listener))
    }

    async fn accept(listener: &TcpListener) -> io::Result<FuturesIo<TcpStream>> {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        Ok(FuturesIo::new(stream))
    }

    fn process_env(threads: usize) -> Vec<(&'static str, String)> {
        vec![(THREAD_COUNT_VAR, threads.to_string())]
    }

    /// async-std's file API (`async_std::fs`) runs each call on its blocking
    /// pool; `spawn_blocking` with `pread` is that, positioned.
    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<SharedFile>> {
        let path = path.to_owned();
        async_std::task::spawn_blocking(move || blocking_file::open(path, access))
    }

    fn read_at(
        file: &SharedFile,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        let file = file.clone();
        async_std::task::spawn_blocking(move || blocking_file::read_at(&file, block, offset))
    }

    fn write_at(
        file: &SharedFile,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        let file = file.clone();
        async_std::task::spawn_blocking(move || blocking_file::write_at(&file, block, offset))
    }

    fn sync_data(file: &SharedFile) -> impl Future<Output = io::Result<()>> {
        let file = file.clone();
        async_std::task::spawn_blocking(move || file.sync_data())
    }
}
