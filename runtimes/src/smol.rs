//! smol: an `async_executor::Executor` run on `--threads` threads, the
//! workload's own thread among them, as smol's documentation shows a
//! multi-thread program: `block_on(ex.run(main))` on the main thread and
//! `block_on(ex.run(shutdown))` on the others.

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use rtbench_report::Model;
use rtbench_workloads::{
    Block, CancelOutcome, FileAccess, NeverFails, Remote, Runtime, Shard, TaskFailed,
};
use smol::net::{TcpListener, TcpStream};
use smol::{Executor, Task, Timer};
use smol_hyper::rt::FuturesIo;

use crate::blocking_file::{self, SharedFile};

thread_local! {
    /// The executor [`Smol::spawn`] uses on this thread, set by [`Smol::run`].
    static EXECUTOR: RefCell<Option<Arc<Executor<'static>>>> = const { RefCell::new(None) };
}

/// smol, multi-thread: one shared executor. smol's global executor runs one
/// thread unless told otherwise, so the adapter runs its own on `--threads`.
///
/// Unlike `#[tokio::main]`, where the main thread only drives the loop, the
/// thread running the workload's loop runs tasks too: smol's idiom. Before,
/// with `--threads` workers and the loop on a thread of its own, the sleep
/// defaults ran slower (docs/scaling.md has the measurement).
pub struct Smol;

impl Runtime for Smol {
    const NAME: &'static str = "smol";
    const VERSION: &'static str = env!("RTBENCH_VERSION_SMOL");
    const CRATE: &'static str = "smol";
    const FLAVOR: &'static str =
        "async-executor on --threads threads, the loop's among them (block_on(ex.run(main)))";
    const MODEL: Model = Model::WorkStealing;
    const LOOP_ON_TASK_THREAD: bool = true;

    type Handle<T: Send + 'static> = Task<T>;
    type TcpStream = FuturesIo<TcpStream>;
    type TcpListener = TcpListener;
    type File = SharedFile;

    fn run<F, Fut>(threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let executor = Arc::new(Executor::new());
        // Workers run until every sender is dropped, i.e. until the workload
        // ends; this thread is the last of `threads` that run tasks.
        let (stop, stopped) = smol::channel::bounded::<()>(1);
        let workers = (1..threads)
            .map(|i| {
                let (executor, stopped) = (executor.clone(), stopped.clone());
                std::thread::Builder::new()
                    .name(format!("smol-{i}"))
                    .spawn(move || {
                        EXECUTOR.set(Some(executor.clone()));
                        smol::block_on(executor.run(stopped.recv()))
                    })
                    .map_err(|e| format!("cannot start a smol worker thread: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        EXECUTOR.set(Some(executor.clone()));
        let output = smol::block_on(executor.run(shard_main(Shard::ONLY)));
        EXECUTOR.set(None);
        drop(stop);
        for worker in workers {
            let _ = worker.join();
        }
        Ok(vec![output])
    }

    fn spawn<F>(future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        EXECUTOR.with_borrow(|executor| {
            let executor = executor.as_ref().expect("Smol::spawn outside Smol::run");
            executor.spawn(future)
        })
    }

    fn join<T: Send + 'static>(task: Task<T>) -> impl Future<Output = Result<T, TaskFailed>> {
        NeverFails(task)
    }

    /// Lazy: nothing happens until the returned future is polled.
    fn cancel<T: Send + 'static>(
        task: Task<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        task.cancel().map(|output| Ok(output.into()))
    }

    fn detach<T: Send + 'static>(task: Task<T>) {
        task.detach();
    }

    /// The `Executor` is `Send` and `Sync`: any thread may spawn onto it.
    fn remote() -> Result<Remote, String> {
        let executor = EXECUTOR
            .with_borrow(Clone::clone)
            .ok_or("smol: no executor here")?;
        Ok(Remote::new(move |task| executor.spawn(task).detach()))
    }

    /// `unblock`: the `blocking` crate's pool.
    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        smol::unblock(work).map(Ok)
    }

    async fn sleep(duration: Duration) {
        Timer::after(duration).await;
    }

    async fn connect(addr: SocketAddr) -> io::Result<FuturesIo<TcpStream>> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(FuturesIo::new(stream))
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        TcpListener::try_from(listener)
    }

    async fn accept(listener: &TcpListener) -> io::Result<FuturesIo<TcpStream>> {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        Ok(FuturesIo::new(stream))
    }

    /// smol's file API (`async-fs`) runs each call on the `blocking` crate's
    /// pool through `unblock`; `unblock` with `pread` is that, positioned.
    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<SharedFile>> {
        let path = path.to_owned();
        smol::unblock(move || blocking_file::open(path, access))
    }

    fn read_at(
        file: &SharedFile,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        let file = file.clone();
        smol::unblock(move || blocking_file::read_at(&file, block, offset))
    }

    fn write_at(
        file: &SharedFile,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        let file = file.clone();
        smol::unblock(move || blocking_file::write_at(&file, block, offset))
    }

    fn sync_data(file: &SharedFile) -> impl Future<Output = io::Result<()>> {
        let file = file.clone();
        smol::unblock(move || file.sync_data())
    }
}
