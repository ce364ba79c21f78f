//! What the per-runtime test suites share: run a check on every registered
//! runtime, run a workload as a child process would, and explain a failure.

use rtbench_runtimes::{Adapter, VisitRuntime, visit_all};
use rtbench_workloads::registry::untyped;
use rtbench_workloads::{Outcome, Runtime};

/// One property checked on one runtime.
pub trait Check {
    fn check<R: Runtime>() -> Result<(), String>;
}

/// Runs `C` on every registered runtime and fails naming each one it fails on.
pub fn on_every_runtime<C: Check>() {
    struct Visit<C> {
        checked: Vec<&'static str>,
        failures: Vec<String>,
        check: std::marker::PhantomData<C>,
    }
    impl<C: Check> VisitRuntime for Visit<C> {
        fn visit<R: Runtime>(&mut self) {
            self.checked.push(R::NAME);
            if let Err(e) = C::check::<R>() {
                self.failures.push(format!("{}: {e}", R::NAME));
            }
        }
    }
    let mut visit = Visit::<C> {
        checked: Vec::new(),
        failures: Vec::new(),
        check: std::marker::PhantomData,
    };
    visit_all(&mut visit);
    let registered: Vec<_> = rtbench_runtimes::adapters()
        .iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        visit.checked, registered,
        "every registered runtime is checked"
    );
    assert!(visit.failures.is_empty(), "{}", visit.failures.join("\n"));
}

/// The machine's cores: the thread count a child process gets by default.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs the workload called `workload` the way a child process would, with
/// the machine's cores, with its typed parameters (or the results' form).
pub fn run<R: Runtime>(workload: &str, params: &impl serde::Serialize) -> Result<Outcome, String> {
    (Adapter::of::<R>().run)(workload, &untyped(params), cores())
}

/// Fails with `what` and the counts unless `holds`.
pub fn expect(holds: bool, what: &str, outcome: &Outcome) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(format!("{what}; counts {:?}", outcome.counts))
    }
}
