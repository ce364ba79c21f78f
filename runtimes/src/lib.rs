//! One adapter per async runtime, and the registry that names them.
//!
//! Adding a runtime: the user guide's recipe (`guide/src/adding-a-runtime.md`)
//! says which adapter file to copy, how to implement [`Runtime`] for a new
//! type, and the one line to add to [`visit_all`] (plus one Cargo feature).
//! Everything else, the CLI, the runner, the benches and the test suites,
//! finds it through the registry.

#[cfg(feature = "async-std")]
pub mod async_std;
// Under no feature: any adapter may use it, and a `NAME@VERSION` variant
// builds with its runtime's feature alone.
pub mod blocking_file;
#[cfg(all(feature = "compio", target_os = "linux"))]
pub mod compio;
#[cfg(all(feature = "glommio", target_os = "linux"))]
pub mod glommio;
#[cfg(all(feature = "monoio", target_os = "linux"))]
pub mod monoio;
#[cfg(feature = "smol")]
pub mod smol;
#[cfg(feature = "smol")]
pub mod smol_local;
pub mod thread_per_core;
#[cfg(feature = "tokio")]
pub mod tokio;
#[cfg(feature = "tokio")]
pub mod tokio_current_thread;
#[cfg(feature = "tokio-per-thread")]
pub mod tokio_per_thread;
#[cfg(all(feature = "tokio-uring", target_os = "linux"))]
pub mod tokio_uring;

use rtbench_report::{IoDriver, Model, Params};
use rtbench_workloads::serve::ServeControl;
use rtbench_workloads::{Outcome, Runtime};

/// Something done once per registered runtime, generically: how the registry
/// hands out adapter types, since the trait cannot be a trait object.
pub trait VisitRuntime {
    /// Called with each registered adapter type in turn.
    fn visit<R: Runtime>(&mut self);
}

/// The registry: calls `visitor` with every adapter compiled in, one line each.
#[allow(
    unused_variables,
    reason = "with no runtime feature enabled there is nothing to visit"
)]
pub fn visit_all(visitor: &mut impl VisitRuntime) {
    #[cfg(feature = "tokio")]
    visitor.visit::<tokio::Tokio>();
    #[cfg(feature = "tokio")]
    visitor.visit::<tokio_current_thread::TokioCurrentThread>();
    #[cfg(feature = "async-std")]
    visitor.visit::<async_std::AsyncStd>();
    #[cfg(feature = "smol")]
    visitor.visit::<smol::Smol>();
    #[cfg(feature = "smol")]
    visitor.visit::<smol_local::SmolLocal>();
    #[cfg(all(feature = "glommio", target_os = "linux"))]
    visitor.visit::<glommio::Glommio>();
    #[cfg(all(feature = "monoio", target_os = "linux"))]
    visitor.visit::<monoio::Monoio>();
    #[cfg(all(feature = "compio", target_os = "linux"))]
    visitor.visit::<compio::Compio>();
    #[cfg(feature = "tokio-per-thread")]
    visitor.visit::<tokio_per_thread::TokioPerThread>();
    #[cfg(all(feature = "tokio-uring", target_os = "linux"))]
    visitor.visit::<tokio_uring::TokioUring>();
}

/// A registered runtime, with its generic entry points made plain functions.
#[derive(Debug, Clone, Copy)]
pub struct Adapter {
    /// Registered name.
    pub name: &'static str,
    /// Version of the runtime crate.
    pub version: &'static str,
    /// The runtime's crate, which variants pin or patch.
    pub krate: &'static str,
    /// What runs, in a few words.
    pub flavor: &'static str,
    /// How work is spread over threads.
    pub model: Model,
    /// Something a user must know, if any.
    pub note: Option<&'static str>,
    /// Whether the workload's loop runs on a task thread: [`Runtime::LOOP_ON_TASK_THREAD`].
    pub loop_on_task_thread: bool,
    /// Runs one workload once, by name: see [`rtbench_workloads::registry::run`].
    pub run: fn(&str, &Params, usize) -> Result<Outcome, String>,
    /// Serves a server workload until stopped, by name: see
    /// [`rtbench_workloads::registry::serve`].
    pub serve: fn(&str, &Params, usize, ServeControl) -> Result<Outcome, String>,
    /// Whether the runtime can start on this machine.
    pub available: fn() -> Result<(), String>,
    /// Environment a child process running this runtime needs.
    pub process_env: fn(usize) -> Vec<(&'static str, String)>,
    /// The I/O driver it chose in this process, after a run: see [`Runtime::io_driver`].
    pub io_driver: fn() -> Option<&'static str>,
    /// The I/O drivers it can run on, its default first: see [`Runtime::IO_DRIVERS`].
    pub io_drivers: &'static [IoDriver],
    /// Makes it start on a driver: see [`Runtime::use_io_driver`].
    pub use_io_driver: fn(IoDriver) -> Result<(), String>,
}

impl Adapter {
    /// The registry entry for `R`.
    pub fn of<R: Runtime>() -> Adapter {
        Adapter {
            name: R::NAME,
            version: R::VERSION,
            krate: R::CRATE,
            flavor: R::FLAVOR,
            model: R::MODEL,
            note: R::NOTE,
            loop_on_task_thread: R::LOOP_ON_TASK_THREAD,
            run: rtbench_workloads::registry::run::<R>,
            serve: rtbench_workloads::registry::serve::<R>,
            available: R::available,
            process_env: R::process_env,
            io_driver: R::io_driver,
            io_drivers: R::IO_DRIVERS,
            use_io_driver: R::use_io_driver,
        }
    }

    /// OS threads doing the work when `requested` are asked for.
    pub fn threads(&self, requested: usize) -> usize {
        match self.model {
            Model::SingleThread => 1,
            Model::WorkStealing | Model::ThreadPerCore => requested,
        }
    }
}

/// Every registered runtime, in registry order.
pub fn adapters() -> Vec<Adapter> {
    struct Collect(Vec<Adapter>);
    impl VisitRuntime for Collect {
        fn visit<R: Runtime>(&mut self) {
            self.0.push(Adapter::of::<R>());
        }
    }
    let mut all = Collect(Vec::new());
    visit_all(&mut all);
    all.0
}

/// The registered runtime called `name`, or a one-line error listing the valid names.
pub fn find(name: &str) -> Result<Adapter, String> {
    let all = adapters();
    all.iter().find(|a| a.name == name).copied().ok_or_else(|| {
        let names: Vec<_> = all.iter().map(|a| a.name).collect();
        format!("unknown runtime '{name}'; valid: {}", names.join(", "))
    })
}
