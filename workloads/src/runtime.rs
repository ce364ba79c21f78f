//! The adapter trait: the few things a workload needs from an async runtime.
//!
//! The trait has generic methods, so it is not object-safe on purpose: workloads
//! are generic over it and monomorphised once per runtime, and `rtbench_runtimes::Adapter`
//! turns each instantiation into plain function pointers for the registry.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use rtbench_report::{IoDriver, Model};

/// Which part of the work one executor thread runs.
///
/// Thread-per-core runtimes run one independent executor per thread, each with
/// its shard; shared-scheduler runtimes run the single shard [`Shard::ONLY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard's index, `0..count`.
    pub index: usize,
    /// How many shards split the work.
    pub count: usize,
}

impl Shard {
    /// The whole work on one executor.
    pub const ONLY: Shard = Shard { index: 0, count: 1 };

    /// This shard's even share of `total`; the first `total % count` shards take one more.
    pub fn share(self, total: u64) -> u64 {
        let (count, index) = (self.count as u64, self.index as u64);
        total / count + u64::from(index < total % count)
    }

    /// The contiguous ids this shard owns out of `0..total`; all shards together
    /// cover every id exactly once.
    pub fn ids(self, total: u64) -> Range<u64> {
        let start: u64 = (0..self.index)
            .map(|i| Shard { index: i, ..self }.share(total))
            .sum();
        start..start + self.share(total)
    }
}

/// How a task handed to [`Runtime::cancel`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome<T> {
    /// It finished with its value before the cancellation took effect.
    Completed(T),
    /// It was cancelled; its future has been (or is about to be) dropped.
    Cancelled,
}

impl<T> From<Option<T>> for CancelOutcome<T> {
    /// The async-task convention (async-std, smol, glommio): the output if the
    /// task finished before the cancellation took effect, `None` if not.
    fn from(output: Option<T>) -> Self {
        match output {
            Some(value) => CancelOutcome::Completed(value),
            None => CancelOutcome::Cancelled,
        }
    }
}

/// A task that ended abnormally (it panicked) instead of with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFailed(pub String);

/// A join handle whose runtime never reports a task failure (a panic resumes
/// in the awaiting task), as the `Result` [`Runtime::join`] returns.
///
/// A plain future type, not an `async` block, on purpose: the workloads hold
/// one per operation, and wrapping every handle in an `async` block slowed the
/// loop that feeds the runtime measurably (docs/results.md).
#[derive(Debug)]
pub struct NeverFails<H>(pub H);

impl<H: Future + Unpin> Future for NeverFails<H> {
    type Output = Result<H::Output, TaskFailed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(Ok)
    }
}

/// Alignment of every [`Block`]'s memory: what `O_DIRECT` asks of buffers,
/// offsets and lengths on the usual devices (a 4 KiB logical block at most).
pub const BLOCK_ALIGN: usize = 4096;

/// An owned buffer for one positional read or write, handed to the runtime
/// and given back with the result, as completion-based runtimes (io_uring)
/// must own the memory the kernel fills while a read is in flight.
///
/// A `Vec<u8>` underneath, the buffer type every runtime's owned-buffer API
/// takes, with a window of `len` bytes starting at a [`BLOCK_ALIGN`]ed
/// address, so `--direct` needs no allocator of its own.
#[derive(Debug)]
pub struct Block {
    bytes: Vec<u8>,
    window: Range<usize>,
}

impl Block {
    /// A zeroed block of `len` bytes at an aligned address.
    pub fn new(len: usize) -> Block {
        let bytes = vec![0; len + BLOCK_ALIGN];
        let start = bytes.as_ptr().align_offset(BLOCK_ALIGN);
        Block {
            bytes,
            window: start..start + len,
        }
    }

    /// The vector and the window inside it, for a runtime's owned-buffer
    /// call (`vec.slice_mut(window)` in monoio and compio).
    pub fn into_parts(self) -> (Vec<u8>, Range<usize>) {
        (self.bytes, self.window)
    }

    /// The block again, from what [`into_parts`](Self::into_parts) gave. A
    /// read through a slice sets the vector's length to the end of what it
    /// read; the length is restored within the capacity, never reallocated.
    pub fn from_parts(mut bytes: Vec<u8>, window: Range<usize>) -> Block {
        assert!(
            window.end <= bytes.capacity(),
            "a block's window stays inside its vector"
        );
        if bytes.len() < window.end {
            bytes.resize(window.end, 0);
        }
        Block { bytes, window }
    }

    /// The window's bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[self.window.clone()]
    }

    /// The window's bytes, to fill.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.bytes[self.window.clone()]
    }
}

/// How the file workload opens its (existing) file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileAccess {
    /// For writing as well as reading.
    pub write: bool,
    /// With `O_DIRECT`: around the page cache, to the device; offsets,
    /// lengths and buffers must be aligned ([`Block`] is).
    pub direct: bool,
}

impl FileAccess {
    /// The flags a runtime's `OpenOptions::custom_flags` takes for `direct`.
    pub fn custom_flags(self) -> io::Result<i32> {
        match self.direct {
            false => Ok(0),
            #[cfg(target_os = "linux")]
            true => Ok(libc::O_DIRECT),
            #[cfg(not(target_os = "linux"))]
            true => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "O_DIRECT is Linux-only",
            )),
        }
    }

    /// Opens `path` with the standard library, for runtimes whose file API
    /// is the standard library's on a thread pool (tokio, async-std, smol).
    pub fn open_std(self, path: &Path) -> io::Result<std::fs::File> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .write(self.write)
            .custom_flags(self.custom_flags()?)
            .open(path)
    }
}

/// An async runtime as the workloads see it.
///
/// Implement it in one file under `runtimes/src/` and add one line to the
/// registry there; the conformance tests then cover the new adapter.
///
/// It fits every model measured so far: shared schedulers, single threads and
/// thread-per-core runtimes (one executor per thread, each with its [`Shard`];
/// see [`run`](Self::run)), readiness- or completion-based I/O (behind
/// hyper's I/O traits in [`TcpStream`](Self::TcpStream); files through
/// owned [`Block`]s, which completion-based runtimes need). The one addition
/// for runtimes without a cancellation API (monoio) is
/// [`spawn_cancellable`](Self::spawn_cancellable), which says why.
pub trait Runtime: 'static {
    /// Registered name, used on the command line and in results.
    const NAME: &'static str;
    /// Version of the runtime crate (see `runtimes/build.rs`).
    const VERSION: &'static str;
    /// The runtime's crate on crates.io, which `NAME@VERSION` and `NAME@DIR`
    /// variants pin or patch (a flavour names its parent's).
    const CRATE: &'static str;
    /// What runs, in a few words.
    const FLAVOR: &'static str;
    /// How work is spread over threads.
    const MODEL: Model;
    /// Something a user must know about this runtime, shown by `list` and the report.
    const NOTE: Option<&'static str> = None;
    /// Whether the workload's own loop runs on one of the threads that run
    /// tasks. A work-stealing flavour started as its documentation shows
    /// (`#[tokio::main]`) blocks the main thread on the loop while its
    /// workers run the tasks; single-thread and thread-per-core flavours run
    /// loop and tasks on the same threads. An adapter whose idiom differs
    /// (smol's `block_on(ex.run(main))`) says so here.
    const LOOP_ON_TASK_THREAD: bool = !matches!(Self::MODEL, Model::WorkStealing);
    /// The I/O drivers the runtime can run on, the one it starts on when
    /// none is asked for first. Readiness-based runtimes wait in epoll (mio
    /// and polling on Linux), so that is the default; a runtime on io_uring,
    /// or on either, says so.
    const IO_DRIVERS: &'static [IoDriver] = &[IoDriver::Epoll];

    /// Handle of a spawned task. Dropping it may detach (tokio, async-std) or
    /// cancel (smol, glommio) the task, so workloads always [`join`](Self::join)
    /// or [`cancel`](Self::cancel) it explicitly. `Send`, so a task can hold
    /// another's handle (fetch's connection tasks hold their driver's);
    /// thread-per-core runtimes wrap theirs, as their tasks never move.
    type Handle<T: Send + 'static>: Send;

    /// A connected TCP stream, in the form hyper's client and server read and write.
    /// `Send`, so a connection can live in a spawned task; thread-per-core
    /// runtimes whose streams are `!Send` wrap them (their tasks never move).
    type TcpStream: hyper::rt::Read + hyper::rt::Write + Send + Unpin + 'static;

    /// A listening TCP socket on the runtime's own networking, made by
    /// [`listen`](Self::listen). Used only by the task that accepts on it, so
    /// it need not be `Send`.
    type TcpListener: 'static;

    /// Builds the runtime with `threads` worker threads (single-thread flavours
    /// ignore it), runs `shard_main` to completion on it and returns its output.
    ///
    /// Thread-per-core runtimes call `shard_main` once on each executor thread
    /// with that thread's [`Shard`], so the future it makes may be `!Send`;
    /// others call it once with [`Shard::ONLY`]. Returns one output per shard,
    /// or a one-line reason the runtime could not start.
    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static;

    /// Spawns `future` as a task on the current runtime. Every adapter takes
    /// `Send` futures, so one workload serves work-stealing and local executors.
    fn spawn<F>(future: F) -> Self::Handle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// Spawns `future` as a task the workload may later [`cancel`](Self::cancel);
    /// the cancel workload spawns every task through this, the others never.
    ///
    /// Separate from [`spawn`](Self::spawn) for runtimes with no cancellation
    /// of their own (monoio): they wrap the task in an abortable wrapper here,
    /// so tasks that are only ever joined do not pay for it. On monoio the
    /// wrapper on every task made the sleep workload about 60 % slower and
    /// 20 MB larger at the defaults, a cost of the harness, not of monoio.
    /// Every other runtime spawns as usual.
    fn spawn_cancellable<F>(future: F) -> Self::Handle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Self::spawn(future)
    }

    /// Waits for the task to finish. Workloads hold one of these per
    /// operation: return a plain future type (e.g. [`NeverFails`]), not an
    /// `async` block.
    fn join<T: Send + 'static>(
        handle: Self::Handle<T>,
    ) -> impl Future<Output = Result<T, TaskFailed>>;

    /// Cancels the task through the runtime's own API and waits until the
    /// runtime says how it ended. The task comes from
    /// [`spawn_cancellable`](Self::spawn_cancellable).
    fn cancel<T: Send + 'static>(
        handle: Self::Handle<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> + Send;

    /// Waits `duration` on the runtime's own timer.
    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static;

    /// Connects a TCP stream through the runtime's own networking.
    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send;

    /// Takes over `listener` (bound and listening, in blocking mode) with the
    /// runtime's own networking; called on the thread of the shard that
    /// accepts on it. Thread-per-core runtimes get one per shard, all bound to
    /// one port with `SO_REUSEPORT`, so the kernel spreads connections over them.
    fn listen(listener: std::net::TcpListener) -> io::Result<Self::TcpListener>;

    /// Accepts the next connection through the runtime's own networking, as
    /// a stream hyper's server reads and writes.
    fn accept(listener: &Self::TcpListener) -> impl Future<Output = io::Result<Self::TcpStream>>;

    /// An open file, on the runtime's own file API: io_uring for the
    /// completion-based runtimes, a blocking thread pool for the others.
    /// Every task that reads or writes holds a clone; `Send` as
    /// [`TcpStream`](Self::TcpStream) is, for the same reason.
    type File: Clone + Send + 'static;

    /// Opens the existing file at `path` through the runtime's own file API.
    fn open_file(
        path: &Path,
        access: FileAccess,
    ) -> impl Future<Output = io::Result<Self::File>> + Send;

    /// Reads into `block`'s window from `offset`: one read call, whose count
    /// may be short (never retried here, so the workload sees it). Gives the
    /// block back, filled up to the count.
    fn read_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> + Send;

    /// Writes `block`'s window at `offset`: one write call, whose count may
    /// be short. Gives the block back.
    fn write_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> + Send;

    /// Flushes the file's written data to the device (`fdatasync`).
    fn sync_data(file: &Self::File) -> impl Future<Output = io::Result<()>> + Send;

    /// Lets a task run to its end unjoined: dropping its handle would
    /// cancel it on some runtimes (smol, glommio, compio), detach it on others.
    fn detach<T: Send + 'static>(handle: Self::Handle<T>);

    /// Yields to the scheduler once: the runtime's own yield where it has
    /// one, futures-lite's (wake itself, return pending once) where not.
    fn yield_now() -> impl Future<Output = ()> + Send + 'static {
        futures_lite::future::yield_now()
    }

    /// Called on the runtime: a way for plain threads outside it to spawn
    /// tasks onto it (the scheduling workloads' remote spawns), or a
    /// one-line reason it has none.
    fn remote() -> Result<crate::Remote, String> {
        Err(format!(
            "{} has no way to spawn a task onto it from a thread outside it",
            Self::NAME
        ))
    }

    /// Whether a plain thread outside the runtime may wake its tasks (a
    /// channel's other end on that thread; the open loop's pacer, which wakes
    /// each request when due), or a one-line reason not. Every `Waker` is
    /// `Send` and `Sync`, so yes unless the runtime says otherwise; one that
    /// says no has its open-loop requests wait on its own timer instead.
    fn foreign_wakes() -> Result<(), String> {
        Ok(())
    }

    /// Runs CPU-bound `work` where it cannot delay the runtime's tasks, the
    /// runtime's documented remedy for such work (tokio's `spawn_blocking`,
    /// smol's `unblock`, ...), or fails with a one-line reason it has none.
    fn offload<T: Send + 'static>(
        _work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        std::future::ready(Err(format!(
            "{} has no documented way to run CPU-bound work off its task threads",
            Self::NAME
        )))
    }

    /// Whether the runtime can start on this machine, or a one-line reason why not.
    fn available() -> Result<(), String> {
        Ok(())
    }

    /// The I/O driver the runtime chose when it started in this process, for
    /// runtimes that choose one (`io_uring`, or `epoll` where io_uring is
    /// missing); `None` for the others and before a run.
    fn io_driver() -> Option<&'static str> {
        None
    }

    /// Makes every later [`run`](Self::run) in this process start on
    /// `driver`, for a case that asks for one (`--io-driver`), with no
    /// fallback: where the kernel refuses it, `run` fails with the kernel's
    /// reason. A runtime with one driver accepts only its own; one with
    /// several overrides this to keep the choice.
    fn use_io_driver(driver: IoDriver) -> Result<(), String> {
        match Self::IO_DRIVERS.contains(&driver) {
            true => Ok(()),
            false => Err(format!("{} cannot run on {driver}", Self::NAME)),
        }
    }

    /// Environment variables a child process needs set before it starts, for
    /// runtimes that read their configuration once at first use.
    fn process_env(_threads: usize) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}
