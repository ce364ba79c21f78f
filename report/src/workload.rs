//! What a case ran, as its record describes it: the workload's name, its
//! parameters as written, and what the run that measured it said about them
//! ([`About`]). The report reads these as data; it knows no workload.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A workload's name as results record it, e.g. `sleep`. Names read from
/// files are interned, so a name is a plain copyable value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Workload(&'static str);

impl Workload {
    /// The `--command` programs' table: whole programs measured from
    /// outside, whose operations rtbench does not know.
    pub const COMMAND: Workload = Workload("command");

    /// The workload called `name`.
    pub fn named(name: &str) -> Workload {
        Workload(intern(name))
    }

    /// The name used on the command line and in results.
    pub fn name(self) -> &'static str {
        self.0
    }
}

/// `name` as a string that lives as long as the program, kept once however
/// often it is asked for: the names of workloads and parameters read from
/// files, few and short.
pub(crate) fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let names = names.get_or_insert_with(HashSet::new);
    match names.get(name) {
        Some(known) => known,
        None => {
            let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
            names.insert(name);
            name
        }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Workload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Workload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Workload::named(&name))
    }
}

/// The kernel interface a runtime does its I/O and waits through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IoDriver {
    /// Operations submitted to and completed through io_uring rings.
    #[serde(rename = "io_uring")]
    IoUring,
    /// Readiness waited for with epoll, the operations as plain system calls.
    #[serde(rename = "epoll")]
    Epoll,
}

impl IoDriver {
    /// Every driver, in the order `--io-driver` documents them.
    pub const ALL: [IoDriver; 2] = [IoDriver::IoUring, IoDriver::Epoll];

    /// The name results and tables use: `io_uring` or `epoll`.
    pub fn name(self) -> &'static str {
        match self {
            IoDriver::IoUring => "io_uring",
            IoDriver::Epoll => "epoll",
        }
    }

    /// The name `--io-driver` takes: `uring` or `epoll`.
    pub fn flag(self) -> &'static str {
        match self {
            IoDriver::IoUring => "uring",
            IoDriver::Epoll => "epoll",
        }
    }
}

impl fmt::Display for IoDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for IoDriver {
    type Err = String;

    /// `uring` (or `io_uring`, `io-uring`) and `epoll`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "uring" | "io_uring" | "io-uring" => Ok(IoDriver::IoUring),
            "epoll" => Ok(IoDriver::Epoll),
            _ => Err(format!("unknown I/O driver '{s}'; valid: uring, epoll")),
        }
    }
}

/// The CPUs a case's server and client processes were kept on (`--pin`),
/// each a CPU list as the kernel writes one (`0-1,3`). The server is the
/// runtime's for serve and the shipped one for fetch; the client is serve's
/// load generator and fetch's runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pinned {
    /// The server process's CPUs.
    pub server: String,
    /// The client process's CPUs.
    pub client: String,
}

impl fmt::Display for Pinned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "server on CPUs {} / client on CPUs {}",
            self.server, self.client
        )
    }
}

/// A case's parameters as results record them: the operations every
/// workload counts its figures by, the I/O driver its runtime was asked to
/// run on, and the workload's own parameters by name, as its typed
/// parameters serialise (e.g. `in_flight`, `latency_ms`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// Operations in total (tasks, requests, reads): what per-operation
    /// figures divide by; 0 for a command, whose operations rtbench does not know.
    pub ops: u64,
    /// The I/O driver the case asked its runtime to run on (`--io-driver`);
    /// absent when none was asked for, and the runtime ran on its default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_driver: Option<IoDriver>,
    /// The CPUs the case's two processes were kept on (`--pin`); absent
    /// when they were not pinned, and in files that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<Pinned>,
    /// The workload's own parameters, by name.
    #[serde(flatten)]
    pub own: Map<String, Value>,
}

impl Params {
    /// The parameter `name` (`ops` included) as a whole number, if the case
    /// has it and it is one.
    pub fn number(&self, name: &str) -> Option<u64> {
        match name {
            "ops" => Some(self.ops),
            _ => self.own.get(name)?.as_u64(),
        }
    }

    /// Sets the parameter `name` (`ops` included) to `value`.
    pub fn set(&mut self, name: &str, value: Value) {
        match (name, value.as_u64()) {
            ("ops", Some(ops)) => self.ops = ops,
            _ => {
                self.own.insert(name.to_owned(), value);
            }
        }
    }

    /// The same parameters without the I/O driver, the runtime's side of a case.
    pub fn without_driver(&self) -> Params {
        Params {
            io_driver: None,
            ..self.clone()
        }
    }
}

/// What a case's workload is and what its parameters mean, written by the
/// run that measured it, so that the report needs no knowledge of any
/// workload; results before version 4 have it filled in when read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct About {
    /// The workload in one line.
    pub description: String,
    /// What one operation is, e.g. `request`; empty for a command, whose
    /// operations rtbench does not know (its figures are per run).
    pub operation: String,
    /// Its parameters, in the order a reader thinks of them.
    pub params: Vec<ParamAbout>,
    /// The wall time a perfect runtime would need at these parameters,
    /// seconds: what `overhead/op` subtracts.
    pub ideal_s: f64,
    /// The figures that apply to it, by [`crate::figure::Figure::slug`].
    pub figures: Vec<String>,
    /// Where the runtime is a server: what sends it the load, in words,
    /// e.g. `rtbench's fetch client on tokio`; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<String>,
}

impl About {
    /// The `--command` programs' description: whole programs measured from
    /// outside, whose figures are per run.
    pub fn command() -> About {
        About {
            description: "Whole programs given with --command, measured from outside.".into(),
            figures: ["time", "cpu-time", "memory", "p99"]
                .map(str::to_owned)
                .to_vec(),
            ..About::default()
        }
    }

    /// Whether its figures are per operation (every workload's but a command's).
    pub fn per_op(&self) -> bool {
        !self.operation.is_empty()
    }

    /// What `name` is called in tables, with its unit, e.g. (`latency`, ` ms`);
    /// a parameter not described is its name with spaces.
    pub fn words(&self, name: &str) -> (String, String) {
        match self.params.iter().find(|p| p.name == name) {
            Some(p) => (p.label.clone(), p.unit.clone()),
            None => (name.replace('_', " "), String::new()),
        }
    }

    /// Where `name` stands among the parameters a reader thinks of first.
    pub fn rank(&self, name: &str) -> usize {
        (self.params.iter().position(|p| p.name == name)).unwrap_or(self.params.len())
    }
}

/// One parameter of a workload, as [`About`] describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamAbout {
    /// Its name in results and, with `-` for `_`, its `run` flag.
    pub name: String,
    /// What tables call it, e.g. `in flight`.
    pub label: String,
    /// The unit tables print after its value, e.g. ` ms`; empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// What it means for this workload.
    pub description: String,
}
