//! tokio-uring: the tokio project's io_uring runtime, one per thread, each
//! running its shard. Its TCP reads, writes, connects and accepts are
//! io_uring operations; it waits in tokio's epoll, for the ring's
//! completions and for tokio's timers.

use std::future::Future;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use rtbench_report::{IoDriver, Model};
use rtbench_workloads::{Block, CancelOutcome, FileAccess, Remote, Runtime, Shard, TaskFailed};
use tokio::task::JoinHandle;
use tokio_uring::BufResult;
use tokio_uring::buf::BoundedBuf;
use tokio_uring::fs::{File, OpenOptions};
use tokio_uring::net::{TcpListener, TcpStream};

use crate::thread_per_core::{ExecutorLocal, run_shards};
use crate::tokio::Tokio;

/// tokio-uring, one runtime per thread: a tokio current-thread scheduler
/// and `LocalSet` with an io_uring ring beside them. Tasks, join handles and
/// timers are tokio's; sockets and files are tokio-uring's, the sockets read
/// and written by hyper through [`UringIo`].
pub struct TokioUring;

impl Runtime for TokioUring {
    const NAME: &'static str = "tokio-uring";
    const VERSION: &'static str = env!("RTBENCH_VERSION_TOKIO_URING");
    const CRATE: &'static str = "tokio-uring";
    const FLAVOR: &'static str =
        "current-thread tokio per thread, TCP and files as io_uring operations";
    const MODEL: Model = Model::ThreadPerCore;
    const IO_DRIVERS: &'static [IoDriver] = &[IoDriver::IoUring];
    const NOTE: Option<&'static str> = Some(
        "sockets are io_uring operations, but the runtime waits in epoll (tokio's) for the \
         ring's completions and its timers; hyper reads and writes through a bridge in the \
         adapter (one copy each way), as tokio-uring's streams take owned buffers only",
    );

    type Handle<T: Send + 'static> = JoinHandle<T>;
    type TcpStream = ExecutorLocal<UringIo>;
    type TcpListener = TcpListener;
    type File = ExecutorLocal<Rc<File>>;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        run_shards(threads, "tokio-uring", |shard| {
            // `tokio_uring::start` panics where the kernel refuses io_uring;
            // the runtime it builds says why instead.
            let runtime = tokio_uring::Runtime::new(&tokio_uring::builder())
                .map_err(|e| format!("tokio-uring could not start on io_uring: {e}"))?;
            Ok(runtime.block_on(shard_main(shard)))
        })
    }

    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tokio_uring::spawn(future)
    }

    fn join<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>> {
        Tokio::join(handle)
    }

    fn cancel<T: Send + 'static>(
        handle: JoinHandle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> + Send {
        Tokio::cancel(handle)
    }

    fn detach<T: Send + 'static>(handle: Self::Handle<T>) {
        Tokio::detach(handle);
    }

    fn yield_now() -> impl Future<Output = ()> + Send + 'static {
        Tokio::yield_now()
    }

    /// `Handle::spawn` onto the tokio runtime tokio-uring runs on.
    fn remote() -> Result<Remote, String> {
        Tokio::remote()
    }

    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        Tokio::offload(work)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        tokio::time::sleep(duration)
    }

    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send {
        local(async move {
            let stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            Ok(local(UringIo::new(stream)))
        })
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener::from_std(listener))
    }

    async fn accept(listener: &TcpListener) -> io::Result<Self::TcpStream> {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        Ok(local(UringIo::new(stream)))
    }

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
            let (written, slice) = file
                .get()
                .write_at(bytes.slice(window.clone()), offset)
                .submit()
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
}

/// An io_uring operation in flight, owning its buffer until it completes
/// (dropped early, tokio-uring keeps the buffer until the kernel is done).
type InFlight = Pin<Box<dyn Future<Output = BufResult<usize, Vec<u8>>>>>;

/// A tokio-uring stream as hyper reads and writes it. hyper lends a buffer
/// for each call and tokio-uring needs one it owns for the whole operation,
/// so each read lands in an owned buffer and is copied out (what does not
/// fit hyper's buffer is kept for the next read), and each write copies
/// hyper's bytes into one. A write is reported done only when the kernel
/// completes it; hyper offers the same bytes again until then.
pub struct UringIo {
    stream: Rc<TcpStream>,
    reading: Option<InFlight>,
    /// Bytes read and not yet handed to hyper, from `unread_at` on.
    unread: Vec<u8>,
    unread_at: usize,
    writing: Option<InFlight>,
    /// The last write's buffer, reused by the next.
    spare: Vec<u8>,
}

/// The most one read asks the kernel for.
const READ_BYTES: usize = 64 * 1024;

impl UringIo {
    fn new(stream: TcpStream) -> Self {
        UringIo {
            stream: Rc::new(stream),
            reading: None,
            unread: Vec::new(),
            unread_at: 0,
            writing: None,
            spare: Vec::new(),
        }
    }
}

impl hyper::rt::Read for UringIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.unread_at == this.unread.len() {
            let reading = this.reading.get_or_insert_with(|| {
                let mut owned = std::mem::take(&mut this.unread);
                this.unread_at = 0;
                owned.clear();
                owned.reserve(READ_BYTES);
                let stream = this.stream.clone();
                Box::pin(async move { stream.read(owned).await })
            });
            let (read, owned) = ready!(reading.as_mut().poll(cx));
            this.reading = None;
            (this.unread, this.unread_at) = (owned, 0);
            read?;
        }
        let n = buf.remaining().min(this.unread.len() - this.unread_at);
        buf.put_slice(&this.unread[this.unread_at..this.unread_at + n]);
        this.unread_at += n;
        Poll::Ready(Ok(()))
    }
}

impl hyper::rt::Write for UringIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let writing = this.writing.get_or_insert_with(|| {
            let mut owned = std::mem::take(&mut this.spare);
            owned.clear();
            owned.extend_from_slice(buf);
            let stream = this.stream.clone();
            Box::pin(async move { stream.write(owned).submit().await })
        });
        let (written, owned) = ready!(writing.as_mut().poll(cx));
        this.writing = None;
        this.spare = owned;
        Poll::Ready(written)
    }

    /// Nothing to flush: a write is reported only once the kernel completed it.
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.stream.shutdown(Shutdown::Write))
    }
}

/// Marks a tokio-uring value `Send`; only for values made inside its tasks.
#[allow(
    unsafe_code,
    reason = "tokio-uring tasks never leave their runtime's thread"
)]
fn local<T>(value: T) -> ExecutorLocal<T> {
    // SAFETY: tokio-uring spawns onto a `LocalSet`, whose tasks never leave
    // the thread of the runtime that spawned them, so a value made inside one
    // is used and dropped there only.
    unsafe { ExecutorLocal::new(value) }
}
