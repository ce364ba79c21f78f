//! The one list of workloads, as `runtimes` keeps the one list of runtimes:
//! adding a workload is its file and one line in [`visit`].

use rtbench_report::{About, Counts, ParamAbout, Params};

use crate::outcome::Outcome;
use crate::runtime::Runtime;
use crate::serve::ServeControl;
use crate::workload::{Load, Machine, Param, Role, Size, Workload};

/// Something done once per registered workload type.
pub trait VisitWorkload {
    /// Called with each workload, in registry order.
    fn visit<W: Workload>(&mut self);
}

/// Calls `visitor` once per workload, in the order `list` and the tables
/// show them. This is the list: a new workload is one line here.
pub fn visit(visitor: &mut impl VisitWorkload) {
    visitor.visit::<crate::sleep::Sleep>();
    visitor.visit::<crate::cancel::Cancel>();
    visitor.visit::<crate::fetch::Fetch>();
    visitor.visit::<crate::serve::Serve>();
    visitor.visit::<crate::file::File>();
    visitor.visit::<crate::spawn::Spawn>();
    visitor.visit::<crate::yields::Yield>();
    visitor.visit::<crate::ping_pong::PingPong>();
    visitor.visit::<crate::fan_in::FanIn>();
    visitor.visit::<crate::mutex::Mutexes>();
    visitor.visit::<crate::fairness::Fairness>();
    #[cfg(feature = "example-workload")]
    visitor.visit::<crate::example::Example>();
}

/// A registered workload, with its generic entry points made plain
/// functions over the results' parameters.
#[derive(Debug, Clone, Copy)]
pub struct Registered {
    /// Its name.
    pub name: &'static str,
    /// What it does, in one line.
    pub description: &'static str,
    /// What one operation is.
    pub operation: &'static str,
    /// Its parameters and their flags.
    pub params: &'static [Param],
    /// Whether a run without `--workloads` runs it.
    pub in_default_run: bool,
    /// The groups `--workloads` can name it by.
    pub groups: &'static [&'static str],
    /// What the runtime under test is in it.
    pub role: Role,
    /// Its parameters at a size: see [`Workload::sizes`].
    pub sizes: fn(Size) -> Params,
    /// Checks and completes parameters: see [`Workload::resolve`].
    pub resolve: fn(&Params, &Machine) -> Result<Params, String>,
    /// What the results say about it at given parameters.
    pub about: fn(&Params) -> Result<About, String>,
    /// The connections a process of it holds: see [`Workload::connections`].
    pub connections: fn(&Params) -> Result<u64, String>,
    /// Whether counts add up: see [`Workload::counts_add_up`].
    pub counts_add_up: fn(&Params, &Counts) -> Result<bool, String>,
    /// A server's load: see [`Workload::load`].
    pub load: fn(&Params) -> Result<Option<Load>, String>,
}

impl Registered {
    /// The registry entry for `W`.
    pub fn of<W: Workload>() -> Registered {
        Registered {
            name: W::NAME,
            description: W::DESCRIPTION,
            operation: W::OPERATION,
            params: W::PARAMS,
            in_default_run: W::IN_DEFAULT_RUN,
            groups: W::GROUPS,
            role: W::ROLE,
            sizes: |size| untyped(&W::sizes(size)),
            resolve: |params, machine| Ok(untyped(&W::resolve(typed::<W>(params)?, machine)?)),
            about: |params| Ok(about::<W>(&typed::<W>(params)?)),
            connections: |params| Ok(W::connections(&typed::<W>(params)?)),
            counts_add_up: |params, counts| Ok(W::counts_add_up(&typed::<W>(params)?, counts)),
            load: |params| Ok(W::load(&typed::<W>(params)?)),
        }
    }

    /// Its parameter called `name`, if it has one.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Every registered workload, in registry order.
pub fn all() -> Vec<Registered> {
    struct Collect(Vec<Registered>);
    impl VisitWorkload for Collect {
        fn visit<W: Workload>(&mut self) {
            self.0.push(Registered::of::<W>());
        }
    }
    let mut all = Collect(Vec::new());
    visit(&mut all);
    all.0
}

/// The workload called `name`, or a one-line error listing those there are.
pub fn find(name: &str) -> Result<Registered, String> {
    let all = all();
    if let Some(found) = all.iter().find(|w| w.name == name) {
        return Ok(*found);
    }
    let mut names: Vec<&str> = all.iter().map(|w| w.name).collect();
    for group in all.iter().flat_map(|w| w.groups) {
        if !names.contains(group) {
            names.push(group);
        }
    }
    let hint = match name {
        "command" => " (programs are added with --command NAME=CMD)",
        _ => "",
    };
    Err(format!(
        "unknown workload '{name}'; valid: {}{hint}",
        names.join(", ")
    ))
}

/// The workloads `name` selects: the workload of that name, or every
/// workload of the group of that name, in registry order.
pub fn select(name: &str) -> Result<Vec<Registered>, String> {
    let group: Vec<Registered> = (all().into_iter())
        .filter(|w| w.groups.contains(&name))
        .collect();
    match group.is_empty() {
        true => find(name).map(|w| vec![w]),
        false => Ok(group),
    }
}

/// Runs the workload called `name` once on runtime `R`, to its end, and
/// checks that its counts add up: counts that do not are a bug, not a figure.
pub fn run<R: Runtime>(name: &str, params: &Params, threads: usize) -> Result<Outcome, String> {
    find(name)?;
    struct Run<'a, R> {
        name: &'a str,
        params: &'a Params,
        threads: usize,
        outcome: Option<Result<Outcome, String>>,
        runtime: std::marker::PhantomData<R>,
    }
    impl<R: Runtime> VisitWorkload for Run<'_, R> {
        fn visit<W: Workload>(&mut self) {
            if W::NAME == self.name {
                self.outcome = Some(typed::<W>(self.params).and_then(|params| {
                    let outcome = W::run::<R>(params.clone(), self.threads)?;
                    match W::counts_add_up(&params, &outcome.counts) {
                        true => Ok(outcome),
                        false => Err(format!(
                            "{} counts do not add up: {:?} for {} operations",
                            W::NAME,
                            outcome.counts,
                            self.params.ops
                        )),
                    }
                }));
            }
        }
    }
    let mut run = Run::<R> {
        name,
        params,
        threads,
        outcome: None,
        runtime: std::marker::PhantomData,
    };
    visit(&mut run);
    run.outcome.expect("a registered workload is visited")
}

/// Serves the workload called `name` on runtime `R` until `control` says stop.
pub fn serve<R: Runtime>(
    name: &str,
    params: &Params,
    threads: usize,
    control: ServeControl,
) -> Result<Outcome, String> {
    find(name)?;
    struct Serve<'a, R> {
        name: &'a str,
        params: &'a Params,
        threads: usize,
        control: Option<ServeControl>,
        outcome: Option<Result<Outcome, String>>,
        runtime: std::marker::PhantomData<R>,
    }
    impl<R: Runtime> VisitWorkload for Serve<'_, R> {
        fn visit<W: Workload>(&mut self) {
            if W::NAME != self.name {
                return;
            }
            if let Some(control) = self.control.take() {
                let params = typed::<W>(self.params);
                let served = params.and_then(|p| W::serve::<R>(p, self.threads, control));
                self.outcome = Some(served);
            }
        }
    }
    let mut serve = Serve::<R> {
        name,
        params,
        threads,
        control: Some(control),
        outcome: None,
        runtime: std::marker::PhantomData,
    };
    visit(&mut serve);
    serve.outcome.expect("a registered workload is visited")
}

/// `params` as `W`'s typed parameters (the I/O driver, the runtime's side
/// of a case, and the CPUs it was pinned to, the run's, left out), or a
/// one-line error naming what does not fit.
pub fn typed<W: Workload>(params: &Params) -> Result<W::Params, String> {
    let own = Params {
        cpus: None,
        ..params.without_driver()
    };
    let value = serde_json::to_value(own).expect("parameters serialise");
    serde_json::from_value(value).map_err(|e| format!("invalid parameters for {}: {e}", W::NAME))
}

/// `W`'s typed parameters as results record them.
pub fn untyped<P: serde::Serialize>(params: &P) -> Params {
    let value = serde_json::to_value(params).expect("parameters serialise");
    serde_json::from_value(value).expect("a workload's parameters are an object with ops")
}

/// What results say about `W` at `params`.
fn about<W: Workload>(params: &W::Params) -> About {
    About {
        description: W::DESCRIPTION.to_owned(),
        operation: W::OPERATION.to_owned(),
        params: (W::PARAMS.iter())
            .map(|p| ParamAbout {
                name: p.name.to_owned(),
                label: p.label.to_owned(),
                unit: p.unit.to_owned(),
                description: p.help.to_owned(),
            })
            .collect(),
        ideal_s: W::ideal_s(params),
        figures: W::FIGURES.iter().map(|f| (*f).to_owned()).collect(),
        load: W::load(params).map(|load| load.words.to_owned()),
    }
}
