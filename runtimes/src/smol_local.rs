//! smol-local: one `LocalExecutor` on the thread that runs the workload.

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use rtbench_report::Model;
use rtbench_workloads::{Block, CancelOutcome, FileAccess, Remote, Runtime, Shard, TaskFailed};
use smol::{LocalExecutor, Task};

use crate::smol::Smol;

thread_local! {
    /// The executor [`SmolLocal::spawn`] uses, set by [`SmolLocal::run`].
    static EXECUTOR: RefCell<Option<Rc<LocalExecutor<'static>>>> = const { RefCell::new(None) };
}

/// smol, single thread. Tasks, timers and sockets are smol's, as in [`Smol`];
/// only the executor differs.
pub struct SmolLocal;

impl Runtime for SmolLocal {
    const NAME: &'static str = "smol-local";
    const VERSION: &'static str = Smol::VERSION;
    const CRATE: &'static str = Smol::CRATE;
    const FLAVOR: &'static str = "single-thread LocalExecutor";
    const MODEL: Model = Model::SingleThread;

    type Handle<T: Send + 'static> = Task<T>;
    type TcpStream = <Smol as Runtime>::TcpStream;
    type TcpListener = <Smol as Runtime>::TcpListener;
    type File = <Smol as Runtime>::File;

    fn run<F, Fut>(_threads: usize, shard_main: F) -> Result<Vec<Fut::Output>, String>
    where
        F: Fn(Shard) -> Fut + Send + Sync + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let executor = Rc::new(LocalExecutor::new());
        EXECUTOR.set(Some(executor.clone()));
        let output = smol::block_on(executor.run(shard_main(Shard::ONLY)));
        EXECUTOR.set(None);
        Ok(vec![output])
    }

    fn spawn<F>(future: F) -> Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        EXECUTOR.with_borrow(|executor| {
            let executor = executor
                .as_ref()
                .expect("SmolLocal::spawn outside SmolLocal::run");
            executor.spawn(future)
        })
    }

    fn join<T: Send + 'static>(task: Task<T>) -> impl Future<Output = Result<T, TaskFailed>> {
        Smol::join(task)
    }

    fn cancel<T: Send + 'static>(
        task: Task<T>,
    ) -> impl Future<Output = Result<CancelOutcome<T>, TaskFailed>> {
        Smol::cancel(task)
    }

    fn detach<T: Send + 'static>(task: Task<T>) {
        task.detach();
    }

    fn remote() -> Result<Remote, String> {
        Err("smol-local: a LocalExecutor is not Send; only its own thread spawns onto it".into())
    }

    fn offload<T: Send + 'static>(
        work: impl FnOnce() -> T + Send + 'static,
    ) -> impl Future<Output = Result<T, String>> + Send {
        Smol::offload(work)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        Smol::sleep(duration)
    }

    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> {
        Smol::connect(addr)
    }

    fn listen(listener: std::net::TcpListener) -> io::Result<Self::TcpListener> {
        Smol::listen(listener)
    }

    fn accept(listener: &Self::TcpListener) -> impl Future<Output = io::Result<Self::TcpStream>> {
        Smol::accept(listener)
    }

    fn open_file(path: &Path, access: FileAccess) -> impl Future<Output = io::Result<Self::File>> {
        Smol::open_file(path, access)
    }

    fn read_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        Smol::read_at(file, block, offset)
    }

    fn write_at(
        file: &Self::File,
        block: Block,
        offset: u64,
    ) -> impl Future<Output = (io::Result<usize>, Block)> {
        Smol::write_at(file, block, offset)
    }

    fn sync_data(file: &Self::File) -> impl Future<Output = io::Result<()>> {
        Smol::sync_data(file)
    }
}
