//! compio: completion-based I/O (io_uring, or epoll through `polling` where
//! io_uring is missing), one runtime per thread, each running its shard.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use compio::buf::{IntoInner, IoBuf};
use compio::driver::{DriverType, ProactorBuilder};
use compio::fs::{File, OpenOptions};
use compio::io::{AsyncReadAt, AsyncWriteAt};
use compio::net::{TcpListener, TcpStream};
use compio::runtime::{JoinHandle, RuntimeBuilder};
use cyper_core::HyperStream;
use futures::{FutureExt, TryFutureExt};
use rtbench_report::{IoDriver, Model};
use rtbench_workloads::{Block, CancelOutcome, FileAccess, Remote, Runtime, Shard, TaskFailed};

use crate::thread_per_core::{ExecutorLocal, run_shards};

/// compio, one runtime per thread, on the driver a case asks for (its
/// fusion driver, built with both `io-uring` and `polling`, takes the choice
/// at run time), or by default on io_uring, epoll where it is missing.
///
/// Two of its ways show in the workloads: [`JoinHandle::cancel`] sends the
/// cancellation only when first polled and reports "cancelled" a tick before
/// the task's future is dropped (the cancel workload waits for drops within a
/// bound), and `sleep(Duration::ZERO)` completes at once without yielding.
pub struct Compio;

impl Runtime for Compio {
    const NAME: &'static str = "compio";
    const VERSION: &'static str = env!("RTBENCH_VERSION_COMPIO");
    const CRATE: &'static str = "compio";
    const FLAVOR: &'static str = "completion-based runtime per thread on io_uring (epoll fallback)";
    const MODEL: Model = Model::ThreadPerCore;
    const IO_DRIVERS: &'static [IoDriver] = &[IoDriver::IoUring, IoDriver::Epoll];

    type Handle<T: Send + 'static> = JoinHandle<T>;
    type TcpStream = HyperStream<TcpStream>;
    type TcpListener = TcpListener;
    type File = ExecutorLocal<File>;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        run_shards(threads, "compio", |shard| {
            let mut proactor = ProactorBuilder::new();
            if let Some(driver) = ASKED.get() {
                // An explicit type, unlike the default, never falls back.
                proactor.driver_type(match driver {
                    IoDriver::IoUring => DriverType::IoUring,
                    IoDriver::Epoll => DriverType::Poll,
                });
            }
            let runtime = (RuntimeBuilder::new().with_proactor(proactor))
                .build()
                .map_err(|e| match ASKED.get() {
                    Some(driver) => format!("compio could not start on {driver}: {e}"),
                    None => format!("compio could not start a runtime: {e}"),
                })?;
            let _ = DRIVER.set(if runtime.driver_type().is_iouring() {
                "io_uring"
            } else {
                "epoll"
            });
            Ok(runtime.block_on(shard_main(shard)))
        })
    }

    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        compio::runtime::spawn(future)
    }

    fn join<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>> {
        handle.map_err(|e| TaskFailed(e.to_string()))
    }

    /// Lazy: nothing happens until the returned future is polled. compio's
    /// `cancel` reports a task that panicked as cancelled.
    fn cancel<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        handle.cancel().map(|output| Ok(output.into()))
    }

    fn detach<T: Send + 'static>(handle: JoinHandle<T>) {
        handle.detach();
    }

    fn remote() -> Result<Remote, String> {
        Err("compio spawns only onto the thread its runtime runs on".into())
    }

    /// `spawn_blocking`: a thread of compio's pool.
    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        compio::runtime::spawn_blocking(work).map_err(|e| e.to_string())
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        local(compio::time::sleep(duration))
    }

    /// The stream is cyper-core's `HyperStream`, the hyper bridge compio's
    /// own HTTP client uses, measured as it is: it keeps compio's `!Send`
    /// stream behind a `send_wrapper`, whose thread check on every read and
    /// write cost 0.2 % of the fetch CPU here, and it zero-fills hyper's read
    /// buffer before every read, which cost 6 %.
    fn connect(
        addr: SocketAddr,
    ) -> impl Future<Output = io::Result<HyperStream<TcpStream>>> + Send {
        local(async move {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            Ok(HyperStream::new_plain(stream))
        })
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        TcpListener::from_std(listener)
    }

    async fn accept(listener: &TcpListener) -> io::Result<HyperStream<TcpStream>> {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        Ok(HyperStream::new_plain(stream))
    }

    /// `compio::fs`, with owned buffers, on the runtime's driver.
    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<Self::File>> {
        local(async move {
            let file = OpenOptions::new()
                .read(true)
                .write(access.write)
                .custom_flags(access.custom_flags()?)
                .open(path)
                .await?;
            Ok(local(file))
        })
    }

    fn read_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        local(async move {
            let (bytes, window) = block.into_parts();
            let compio::BufResult(read, slice) = file
                .get()
                .read_at(bytes.slice(window.clone()), offset)
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
            let compio::BufResult(written, slice) = (&mut file.get())
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
            _ => Err("compio was already asked for another I/O driver".into()),
        })
    }
}

/// The driver the runtimes of this process started on; they all see the
/// same kernel, so the first one to start tells.
static DRIVER: OnceLock<&'static str> = OnceLock::new();

/// The driver a case asked for, if any: see [`Runtime::use_io_driver`].
static ASKED: OnceLock<IoDriver> = OnceLock::new();

/// Marks a compio value `Send`; only for values made inside a compio task.
#[allow(
    unsafe_code,
    reason = "compio tasks never leave their runtime's thread"
)]
fn local<T>(value: T) -> ExecutorLocal<T> {
    // SAFETY: a compio task never leaves the thread of the runtime that
    // spawned it, so a value made inside one is used and dropped there only.
    unsafe { ExecutorLocal::new(value) }
}
