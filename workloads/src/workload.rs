//! What a workload is: the [`Workload`] trait each workload's one file
//! implements, and the pieces it describes itself with (its parameters'
//! flags, the sizes it runs at, the role its runtime plays).

use rtbench_report::Counts;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::outcome::Outcome;
use crate::runtime::Runtime;
use crate::serve::ServeControl;

/// A workload, written once and generic over the runtime: everything that
/// is only its own, in its one file. The registry ([`crate::registry`])
/// lists every workload; the command line, the plan, sweeps, presets,
/// `list` and the results read it from there.
pub trait Workload: 'static {
    /// Its typed parameters, as results record them (field names are the
    /// results' keys and, with `-` for `_`, the `run` flags of [`Self::PARAMS`]).
    type Params: Serialize + DeserializeOwned + Clone + Send + Sync + 'static;

    /// Its name on the command line and in results.
    const NAME: &'static str;
    /// What it does, in one line.
    const DESCRIPTION: &'static str;
    /// What one operation is, e.g. `request`: what per-operation figures divide by.
    const OPERATION: &'static str;
    /// Its parameters, in the order tables name them; each is a `run` flag.
    const PARAMS: &'static [Param];
    /// Whether `rtbench run` runs it without `--workloads`.
    const IN_DEFAULT_RUN: bool = false;
    /// The named groups it belongs to: `--workloads <group>` selects every
    /// workload of the group (e.g. `scheduling`).
    const GROUPS: &'static [&'static str] = &[];
    /// What the runtime under test is in it.
    const ROLE: Role = Role::Runs;
    /// The figures that apply to it (see the report's `Figure::slug`).
    const FIGURES: &'static [&'static str] = &FIGURES_PER_OP;

    /// Its parameters at `size`: its defaults, a preset's, or counts mode's.
    fn sizes(size: Size) -> Self::Params;

    /// `params` checked, with what depends on the machine or on other
    /// parameters filled in; a one-line error naming the flag and the fix
    /// for bad input.
    fn resolve(params: Self::Params, _machine: &Machine) -> Result<Self::Params, String> {
        Ok(params)
    }

    /// The wall time a perfect runtime would need, seconds: what `overhead/op`
    /// subtracts (0 where nothing is waited for).
    fn ideal_s(_params: &Self::Params) -> f64 {
        0.0
    }

    /// The connections one process holds at once (the open files it needs
    /// beyond its own), checked against the open-file limit before a run.
    fn connections(_params: &Self::Params) -> u64 {
        0
    }

    /// Whether an outcome's `counts` add up to the operations started;
    /// counts that do not are a bug, not a figure.
    fn counts_add_up(params: &Self::Params, counts: &Counts) -> bool;

    /// Runs it once on runtime `R` with `threads` threads, to its end.
    fn run<R: Runtime>(_params: Self::Params, _threads: usize) -> Result<Outcome, String> {
        Err(format!(
            "{} runs as a server, driven by a load generator",
            Self::NAME
        ))
    }

    /// Serves on runtime `R` until `control` says stop (a [`Role::Server`]).
    fn serve<R: Runtime>(
        _params: Self::Params,
        _threads: usize,
        _control: ServeControl,
    ) -> Result<Outcome, String> {
        Err(format!("{} is not a server", Self::NAME))
    }

    /// A server's load: the workload that drives it and the parameters it
    /// sends with ([`Role::Server`] only).
    fn load(_params: &Self::Params) -> Option<Load> {
        None
    }
}

/// The figures of a workload counted per operation: all of them.
pub const FIGURES_PER_OP: [&str; 6] = ["time", "throughput", "overhead", "cpu", "memory", "p99"];

/// What the runtime under test is in a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It runs the workload to its end in one child process.
    Runs,
    /// It is the client of the HTTP server rtbench ships, which the run
    /// starts once per value of the workload's `server_threads`, unless its
    /// `url` names another.
    ClientOfShippedServer,
    /// It is the server, in one child process, and a load generator (see
    /// [`Workload::load`]) drives it from another.
    Server,
}

/// What drives a server: a workload run by rtbench's load generator
/// process, on tokio.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// The workload it runs, e.g. `fetch`.
    pub workload: &'static str,
    /// Its parameters, without the server's address, which the runner adds
    /// as `url`.
    pub params: rtbench_report::Params,
    /// Its threads.
    pub threads: usize,
    /// What it is, in words, for the tables.
    pub words: &'static str,
}

/// The sizes a workload runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// Its defaults: what `rtbench run` runs without a preset.
    Default,
    /// A preset's.
    Preset(Preset),
    /// Counts mode's without a preset: under valgrind, 20–50 times slower,
    /// small enough for that yet large enough for steady per-operation counts.
    Counts,
}

/// A named set of sizes; any size flag given alongside overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Seconds: a look at every runtime, e.g. after a change.
    Quick,
    /// A CI job: every case in well under a second, the matrix in minutes.
    Ci,
    /// The article's scale: a million operations, tasks and requests.
    Full,
}

impl Preset {
    /// Every preset, smallest first, as `list` shows them.
    pub const ALL: [Preset; 3] = [Preset::Quick, Preset::Ci, Preset::Full];

    /// The name given to `--preset`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Quick => "quick",
            Preset::Ci => "ci",
            Preset::Full => "full",
        }
    }

    /// What the preset is for, in a few words.
    pub fn purpose(self) -> &'static str {
        match self {
            Preset::Quick => "a look in seconds",
            Preset::Ci => "a CI job: the whole matrix in minutes",
            Preset::Full => "the article's million everywhere",
        }
    }
}

impl std::str::FromStr for Preset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        (Preset::ALL.into_iter())
            .find(|p| p.name() == s)
            .ok_or_else(|| format!("unknown preset '{s}'; valid: quick, ci, full"))
    }
}

/// What a workload's parameters may depend on beyond the flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Machine {
    /// The machine's cores: the default of thread counts.
    pub cores: usize,
}

/// One parameter of a workload: its name, its words in tables, and the
/// `run` flag that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its name in results; its flag is `--` and the name with `-` for `_`.
    pub name: &'static str,
    /// What tables call it, e.g. `in flight`.
    pub label: &'static str,
    /// The unit tables print after its value, e.g. ` ms`.
    pub unit: &'static str,
    /// What it means for this workload (the flag's help, the results' description).
    pub help: &'static str,
    /// What values its flag takes.
    pub kind: Kind,
}

/// What values a parameter's flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers from 1; a comma-separated list sweeps.
    Sizes,
    /// Whole numbers from 0; a comma-separated list sweeps.
    Wholes,
    /// One whole number from 1.
    Number,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// No value: the flag given means `true`.
    Switch,
    /// Text, e.g. a URL or a directory.
    Text,
}

impl Param {
    /// `--ops`: what the workload's operations are, in total.
    pub const fn ops(help: &'static str) -> Param {
        Param::new("ops", "ops", "", help, Kind::Sizes)
    }

    /// `--in-flight`: what is in flight at once.
    pub const fn in_flight(help: &'static str) -> Param {
        Param::new("in_flight", "in flight", "", help, Kind::Sizes)
    }

    /// `--latency-ms`: a time each operation waits, milliseconds.
    pub const fn latency_ms(help: &'static str) -> Param {
        Param::new("latency_ms", "latency", " ms", help, Kind::Wholes)
    }

    /// A parameter called `name`, shown as `label` with `unit`.
    pub const fn new(
        name: &'static str,
        label: &'static str,
        unit: &'static str,
        help: &'static str,
        kind: Kind,
    ) -> Param {
        Param {
            name,
            label,
            unit,
            help,
            kind,
        }
    }

    /// Its `run` flag, without the dashes, e.g. `in-flight`.
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }

    /// Whether its flag takes a comma-separated list, whose values sweep.
    pub fn sweeps(&self) -> bool {
        matches!(self.kind, Kind::Sizes | Kind::Wholes)
    }
}
