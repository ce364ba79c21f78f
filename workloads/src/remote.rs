//! [`Remote`]: how a plain thread outside a runtime spawns tasks onto it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A task as a remote spawn carries it: boxed, as the spawn is type-erased.
pub type RemoteTask = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Spawns detached tasks onto a running runtime from any thread, through the
/// runtime's own way to be reached from outside (tokio's `Handle::spawn`,
/// smol's shared `Executor`, async-std's global one); made by
/// [`Runtime::remote`](crate::Runtime::remote) on one of the runtime's tasks.
#[derive(Clone)]
pub struct Remote(Arc<dyn Fn(RemoteTask) + Send + Sync>);

impl Remote {
    /// A remote that spawns each task with `spawn`, which must detach it.
    pub fn new(spawn: impl Fn(RemoteTask) + Send + Sync + 'static) -> Remote {
        Remote(Arc::new(spawn))
    }

    /// Spawns `task` onto the runtime, detached; from any thread.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        (self.0)(Box::pin(task));
    }
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Remote")
    }
}
