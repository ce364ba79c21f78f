//! monoio: thread-per-core executors on io_uring (epoll where io_uring is
//! missing), each running its shard of the work.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::Duration;

use futures::FutureExt;
use futures::future::{AbortHandle, Aborted, Either, abortable, ready};
use monoio::buf::{IoBuf, IoBufMut};
use monoio::fs::{File, OpenOptions};
use monoio::net::tcp::stream_poll::TcpStreamPoll;
use monoio::net::{TcpListener, TcpStream};
use monoio::task::JoinHandle;
use monoio::time::TimeDriver;
use monoio::{FusionDriver, FusionRuntime, IoUringDriver, LegacyDriver, RuntimeBuilder};
use monoio_compat::hyper::MonoioIo;
use rtbench_report::{IoDriver, Model};
use rtbench_workloads::{Block, CancelOutcome, FileAccess, NeverFails, Runtime, Shard, TaskFailed};

use crate::thread_per_core::{ExecutorLocal, run_shards};

/// monoio, one executor per thread, on the driver a case asks for
/// (`IoUringDriver` or `LegacyDriver`, chosen at run time in one build), or
/// by default with `FusionDriver`: io_uring, or epoll where the kernel lacks
/// io_uring.
pub struct Monoio;

impl Runtime for Monoio {
    const NAME: &'static str = "monoio";
    const VERSION: &'static str = env!("RTBENCH_VERSION_MONOIO");
    const CRATE: &'static str = "monoio";
    const FLAVOR: &'static str =
        "thread-per-core executors on io_uring (epoll fallback), cancel by abortable wrapper";
    const MODEL: Model = Model::ThreadPerCore;
    const IO_DRIVERS: &'static [IoDriver] = &[IoDriver::IoUring, IoDriver::Epoll];
    // Built without monoio's `sync` feature, whose wakers panic on another thread.
    const WAKES_FROM_OTHER_THREADS: bool = false;
    const NOTE: Option<&'static str> = Some(
        "monoio has no cancellation API: cancel goes through futures' abortable wrapper \
         (dropping a monoio JoinHandle detaches the task)",
    );

    type Handle<T: Send + 'static> = MonoioTask<T>;
    type TcpStream = ExecutorLocal<MonoioIo<TcpStreamPoll>>;
    type TcpListener = TcpListener;
    type File = ExecutorLocal<Rc<File>>;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        run_shards(threads, "monoio", |shard| {
            let mut runtime = build()?;
            let _ = DRIVER.set(match runtime {
                FusionRuntime::Uring(_) => "io_uring",
                FusionRuntime::Legacy(_) => "epoll",
            });
            // The workload runs as a task, not as block_on's own future:
            // block_on re-polls its future at once whenever that future wakes
            // itself, before any task runs, so a workload that yields there
            // would starve the tasks it waits for.
            Ok(runtime.block_on(async { monoio::spawn(shard_main(shard)).await }))
        })
    }

    fn spawn<F>(future: F) -> MonoioTask<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        MonoioTask::Plain(monoio::spawn(future))
    }

    fn spawn_cancellable<F>(future: F) -> MonoioTask<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (future, abort) = abortable(future);
        MonoioTask::Abortable(monoio::spawn(future), abort)
    }

    fn join<T: Send + 'static>(task: MonoioTask<T>) -> impl Future<Output = Result<T, TaskFailed>> {
        match task {
            MonoioTask::Plain(join) => Either::Left(NeverFails(join)),
            MonoioTask::Abortable(join, _) => Either::Right(join.map(|ended| {
                ended.map_err(|Aborted| TaskFailed("the task was aborted".to_owned()))
            })),
        }
    }

    /// Aborts the wrapper, which wakes the task; on its next poll the task
    /// ends without polling its future, and drops it.
    fn cancel<T: Send + 'static>(
        task: MonoioTask<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        match task {
            MonoioTask::Abortable(join, abort) => {
                abort.abort();
                Either::Left(join.map(|ended| Ok(ended.ok().into())))
            }
            MonoioTask::Plain(_) => Either::Right(ready(Err(TaskFailed(
                "monoio cancels only tasks from spawn_cancellable".to_owned(),
            )))),
        }
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        local(monoio::time::sleep(duration))
    }

    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send {
        local(async move {
            let stream = TcpStream::connect_addr(addr).await?;
            stream.set_nodelay(true)?;
            // hyper reads and writes through poll-style I/O, which monoio
            // offers on io_uring too (its `poll-io` feature).
            let stream = stream.try_into_poll_io().map_err(|(e, _)| e)?;
            Ok(local(MonoioIo::new(stream)))
        })
    }

    /// Non-blocking, as monoio's own `bind` makes its sockets when its epoll
    /// fallback is compiled in.
    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::from_std(listener)
    }

    async fn accept(listener: &TcpListener) -> io::Result<Self::TcpStream> {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let stream = stream.try_into_poll_io().map_err(|(e, _)| e)?;
        Ok(local(MonoioIo::new(stream)))
    }

    /// `monoio::fs`, with owned buffers: submitted to io_uring, or on the
    /// epoll driver run as plain system calls on the executor's own thread.
    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<Self::File>> {
        local(async move {
            let file = OpenOptions::new()
                .read(true)
                .write(access.write)
                .custom_flags(access.custom_flags()?)
                .open(path)
                .await?;
            Ok(local(Rc::new(file)))
        })
    }

    fn read_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        local(async move {
            let (bytes, window) = block.into_parts();
            let (read, slice) = file
                .get()
                .read_at(bytes.slice_mut(window.clone()), offset)
                .await;
            (read, Block::from_parts(slice.into_inner(), window))
        })
    }

    fn write_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        local(async move {
            let (bytes, window) = block.into_parts();
            let (written, slice) = file
                .get()
                .write_at(bytes.slice(window.clone()), offset)
                .await;
            (written, Block::from_parts(slice.into_inner(), window))
        })
    }

    fn sync_data(file: &Self::File) -> impl Future<Output = io::Result<()>> {
        local(file.get().sync_data())
    }

    fn available() -> Result<(), String> {
        Self::run(1, |_| async {}).map(drop)
    }

    fn io_driver() -> Option<&'static str> {
        DRIVER.get().copied()
    }

    fn use_io_driver(driver: IoDriver) -> Result<(), String> {
        ASKED.set(driver).or_else(|_| match ASKED.get() {
            Some(asked) if *asked == driver => Ok(()),
            _ => Err("monoio was already asked for another I/O driver".into()),
        })
    }
}

/// The driver the executors of this process started on; they all see the
/// same kernel, so the first one to start tells.
static DRIVER: OnceLock<&'static str> = OnceLock::new();

/// The driver a case asked for, if any: see [`Runtime::use_io_driver`].
static ASKED: OnceLock<IoDriver> = OnceLock::new();

/// An executor with a timer on the driver asked for, with no fallback
/// (where the kernel refuses io_uring, its reason), or on `FusionDriver`'s
/// choice when none was asked for.
fn build() -> Result<FusionRuntime<TimeDriver<IoUringDriver>, TimeDriver<LegacyDriver>>, String> {
    match ASKED.get() {
        None => RuntimeBuilder::<FusionDriver>::new().enable_timer().build(),
        Some(IoDriver::IoUring) => (RuntimeBuilder::<IoUringDriver>::new().enable_timer())
            .build()
            .map(Into::into),
        Some(IoDriver::Epoll) => (RuntimeBuilder::<LegacyDriver>::new().enable_timer())
            .build()
            .map(Into::into),
    }
    .map_err(|e| match ASKED.get() {
        Some(driver) => format!("monoio could not start on {driver}: {e}"),
        None => format!("monoio could not start an executor: {e}"),
    })
}

/// A monoio task. monoio has no cancellation of its own and dropping its
/// `JoinHandle` detaches the task, so a task the workload may cancel runs
/// inside an abortable wrapper; the others run bare.
pub enum MonoioTask<T> {
    /// From [`Runtime::spawn`]: can be joined, not cancelled.
    Plain(JoinHandle<T>),
    /// From [`Runtime::spawn_cancellable`], with the switch that aborts it.
    Abortable(JoinHandle<Result<T, Aborted>>, AbortHandle),
}

/// Marks a monoio value `Send`; only for values made inside a monoio task.
#[allow(unsafe_code, reason = "monoio tasks never leave their executor thread")]
fn local<T>(value: T) -> ExecutorLocal<T> {
    // SAFETY: a monoio task never leaves the executor thread that spawned it,
    // so a value made inside one is used and dropped on that thread only.
    unsafe { ExecutorLocal::new(value) }
}
