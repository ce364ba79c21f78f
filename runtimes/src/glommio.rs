//! glommio: thread-per-core executors on io_uring, each running its shard of the work.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use glommio::io::{BufferedFile, DmaFile, OpenOptions};
use glommio::net::{TcpListener, TcpStream};
use glommio::timer::Timer;
use glommio::{LocalExecutorBuilder, Placement, Task};
use rtbench_report::{IoDriver, Model};
use rtbench_workloads::{
    Block, CancelOutcome, FileAccess, NeverFails, Remote, Runtime, Shard, TaskFailed,
};
use smol_hyper::rt::FuturesIo;

use crate::thread_per_core::ExecutorLocal;

/// io_uring buffer memory per executor. glommio registers it as locked memory
/// for storage I/O, which no workload does; its 10 MiB default exceeds the
/// common 8 MiB `ulimit -l`.
const IO_MEMORY: usize = 1 << 20;

/// glommio, one executor per thread.
pub struct Glommio;

impl Runtime for Glommio {
    const NAME: &'static str = "glommio";
    const VERSION: &'static str = env!("RTBENCH_VERSION_GLOMMIO");
    const CRATE: &'static str = "glommio";
    const FLAVOR: &'static str = "thread-per-core executors on io_uring";
    const MODEL: Model = Model::ThreadPerCore;
    const IO_DRIVERS: &'static [IoDriver] = &[IoDriver::IoUring];

    type Handle<T: Send + 'static> = ExecutorLocal<Task<T>>;
    type TcpStream = ExecutorLocal<FuturesIo<TcpStream>>;
    type TcpListener = TcpListener;
    type File = ExecutorLocal<Rc<GlommioFile>>;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let shard_main = Arc::new(shard_main);
        let executors = (0..threads)
            .map(|index| {
                let shard_main = shard_main.clone();
                LocalExecutorBuilder::new(Placement::Unbound)
                    .name("rtbench-glommio")
                    .io_memory(IO_MEMORY)
                    .spawn(move || {
                        shard_main(Shard {
                            index,
                            count: threads,
                        })
                    })
                    .map_err(cannot_start)
            })
            .collect::<Result<Vec<_>, _>>()?;
        executors
            .into_iter()
            .map(|executor| executor.join().map_err(cannot_start))
            .collect()
    }

    fn spawn<F>(future: F) -> Self::Handle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        local(glommio::spawn_local(future))
    }

    fn join<T: Send + 'static>(
        task: Self::Handle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>> {
        NeverFails(task)
    }

    /// Lazy: nothing happens until the returned future is polled.
    fn cancel<T: Send + 'static>(
        task: Self::Handle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> + Send {
        local(task.into_inner().cancel()).map(|output| Ok(output.into()))
    }

    fn detach<T: Send + 'static>(task: Self::Handle<T>) {
        drop(task.into_inner().detach());
    }

    fn remote() -> Result<Remote, String> {
        Err(
            "glommio takes tasks only from an executor's own thread; other threads reach it \
             through channels"
                .into(),
        )
    }

    /// `spawn_blocking`: the executor's blocking thread pool.
    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        local(glommio::executor().spawn_blocking(work)).map(Ok)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        local(Timer::new(duration)).map(drop)
    }

    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send {
        local(async move {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            Ok(local(FuturesIo::new(stream)))
        })
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        Ok(adopt(listener))
    }

    async fn accept(listener: &TcpListener) -> io::Result<Self::TcpStream> {
        let stream = listener.accept().await?;
        stream.set_nodelay(true)?;
        Ok(local(FuturesIo::new(stream)))
    }

    /// `BufferedFile` (through the page cache), or `DmaFile` with
    /// `--direct`: both on io_uring. `O_DIRECT` is asked for at the open
    /// itself: `DmaFile` alone would quietly read through the page cache on
    /// tmpfs, where the other runtimes measure direct reads.
    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<Self::File>> {
        local(async move {
            let mut options = OpenOptions::new();
            options
                .read(true)
                .write(access.write)
                .custom_flags(access.custom_flags()?);
            let file = if access.direct {
                GlommioFile::Dma(options.dma_open(path).await?)
            } else {
                GlommioFile::Buffered(options.buffered_open(path).await?)
            };
            Ok(local(Rc::new(file)))
        })
    }

    /// glommio hands back a buffer of its own (`ReadResult`), copied into
    /// the block: 4 KiB, a small fraction of a read's cost.
    fn read_at(
        file: &Self::File,
        mut block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        local(async move {
            let len = block.as_slice().len();
            let read = match &**file.get() {
                GlommioFile::Buffered(f) => f.read_at(offset, len).await,
                GlommioFile::Dma(f) => f.read_at_aligned(offset, len).await,
            };
            let read = read.map_err(io::Error::from).map(|data| {
                block.as_mut_slice()[..data.len()].copy_from_slice(&data);
                data.len()
            });
            (read, block)
        })
    }

    /// glommio's writes consume their buffer (a `Vec` for `BufferedFile`, a
    /// `DmaBuffer` from the file for `DmaFile`), so the block is copied into
    /// one, as a glommio program fills a fresh buffer for each write.
    fn write_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        local(async move {
            let written = match &**file.get() {
                GlommioFile::Buffered(f) => f.write_at(block.as_slice().to_vec(), offset).await,
                GlommioFile::Dma(f) => {
                    let mut buffer = f.alloc_dma_buffer(block.as_slice().len());
                    buffer.as_bytes_mut().copy_from_slice(block.as_slice());
                    f.write_at(buffer, offset).await
                }
            };
            (written.map_err(io::Error::from), block)
        })
    }

    fn sync_data(file: &Self::File) -> impl Future<Output = io::Result<()>> {
        local(async move {
            match &**file.get() {
                GlommioFile::Buffered(f) => f.fdatasync().await,
                GlommioFile::Dma(f) => f.fdatasync().await,
            }
            .map_err(io::Error::from)
        })
    }

    fn available() -> Result<(), String> {
        Self::run(1, |_| async {}).map(drop)
    }
}

/// A file on glommio's own file API: through the page cache, or around it.
pub enum GlommioFile {
    /// `BufferedFile`: reads and writes through the page cache.
    Buffered(BufferedFile),
    /// `DmaFile`: `O_DIRECT`, aligned reads and writes to the device.
    Dma(DmaFile),
}

/// A one-line reason glommio could not start, with the usual fix.
fn cannot_start(error: glommio::GlommioError<()>) -> String {
    let error = error.to_string().replace('\n', " ");
    format!(
        "glommio could not start an io_uring executor ({error}); it needs Linux 5.8+ with \
         io_uring enabled and at least 512 KiB of locked memory (raise `ulimit -l`)"
    )
}

/// `listener` as glommio's, on the current executor's reactor. glommio takes
/// a listening socket only as a raw descriptor.
#[allow(
    unsafe_code,
    reason = "from_raw_fd is glommio's only way to adopt a listening socket"
)]
fn adopt(listener: std::net::TcpListener) -> TcpListener {
    use std::os::fd::{FromRawFd, IntoRawFd};
    // SAFETY: the descriptor comes from a live, bound and listening socket
    // whose ownership `into_raw_fd` gives up, so glommio is its only owner.
    unsafe { TcpListener::from_raw_fd(listener.into_raw_fd()) }
}

/// Marks a glommio value `Send`; only for values made inside a glommio task.
#[allow(
    unsafe_code,
    reason = "glommio tasks never leave their executor thread"
)]
fn local<T>(value: T) -> ExecutorLocal<T> {
    // SAFETY: a glommio task never leaves the executor thread that spawned it,
    // so a value made inside one is used and dropped on that thread only.
    unsafe { ExecutorLocal::new(value) }
}
