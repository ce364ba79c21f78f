//! The results file: one plain serde tree, written by the runner, read by the report.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use crate::counted::{Counted, Measure, Tools};
pub use crate::profile::ProfileRecord;
use crate::summary::Summary;
pub use crate::upgrade::describe as describe_older;
pub use crate::workload::{About, IoDriver, ParamAbout, Params, Pinned, Workload};

/// The format version this build writes. Version 2 added per-figure
/// statistics (interval, mean, sd, outliers), `order` and `stopped`;
/// version 3 the counts (`measure`, `tools`, each run's `counted`) and
/// each case's `profile`; version 4 each case's `about` (what its workload
/// is, what its parameters mean, the ideal time used), so that the report
/// reads workloads as data.
pub const VERSION: u32 = 4;

/// The oldest format version this build still reads.
pub const OLDEST_READABLE: u32 = 1;

/// A whole `results.json`: the host it ran on and every case measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsFile {
    /// Format version; readers refuse any other.
    pub version: u32,
    /// When the run started, RFC 3339.
    pub created: String,
    /// The machine and toolchain that produced these numbers.
    pub host: Host,
    /// How repetitions were ordered; absent in version 1 files and in
    /// several files merged, whose rounds cannot be paired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// What the run measured; absent in files before version 3 (wall).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// The tools that took the counts; absent where none were taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Tools>,
    /// One entry per (runtime, workload) case, in the order they ran.
    pub cases: Vec<Case>,
}

/// How a run ordered its repetitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Round 1 of every case, then round 2, and so on: the i-th run of every
    /// case was measured side by side with the i-th of the others.
    Interleaved,
    /// Every repetition of a case, then the next case.
    Grouped,
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Order::Interleaved => "interleaved",
            Order::Grouped => "grouped",
        })
    }
}

/// The machine and toolchain a run happened on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Host {
    /// CPU model name as the kernel reports it.
    pub cpu_model: String,
    /// Logical cores available to the process.
    pub cores: usize,
    /// Kernel release.
    pub kernel: String,
    /// The rustc that compiled the benchmark binary.
    pub rustc: String,
    /// CPU architecture, e.g. `x86_64` or `aarch64`; absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
}

/// One runtime on one workload, over all its repetitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Registered runtime name, e.g. `tokio-current-thread`.
    pub runtime: String,
    /// Version of the runtime crate, as locked in `Cargo.lock`.
    pub runtime_version: String,
    /// What runs, in words, e.g. "multi-thread scheduler".
    pub flavor: String,
    /// How the runtime schedules work across threads.
    #[serde(default)]
    pub model: Option<Model>,
    /// OS threads doing the work.
    pub threads: usize,
    /// Threads that run the workload's tasks; absent in files written before
    /// it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_threads: Option<usize>,
    /// Whether the workload's own loop (which spawns and awaits the tasks)
    /// runs on one of the task threads (smol's `block_on(ex.run(main))`,
    /// single-thread and thread-per-core flavours), rather than on a thread
    /// of its own that only feeds them (`#[tokio::main]`); absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loop_on_task_thread: Option<bool>,
    /// Which workload ran.
    pub workload: Workload,
    /// The workload's parameters.
    pub params: Params,
    /// What the workload is and what its parameters mean, as the run that
    /// measured it said; filled in when a file before version 4 is read.
    #[serde(default)]
    pub about: About,
    /// `ok` when every repetition succeeded.
    pub status: CaseStatus,
    /// Why the case failed, if it did.
    pub error: Option<String>,
    /// Every repetition that completed, in order.
    pub runs: Vec<Run>,
    /// The shell command a `--command` case ran (through `sh -c`); absent
    /// for a runtime's case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Where the runtime's crate came from: the registry, or a directory
    /// (a `NAME@DIR` variant); absent for external runtimes and in files
    /// that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Why its repetitions stopped where they did, e.g. `--reps 5`, or for
    /// `--reps auto` the interval reached or the `--max-reps` cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Statistics of every figure over `runs`; absent when no run completed.
    /// Written for other tools; readers compute it again from `runs`.
    pub summary: Option<Summary>,
    /// With `--profile`: where the case's profile is and its top functions,
    /// or why it has none; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileRecord>,
}

/// Where a runtime's crate came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// A published version from crates.io (`NAME` or `NAME@VERSION`).
    Registry,
    /// A local checkout (`NAME@DIR`).
    Directory {
        /// The checkout, as an absolute path.
        path: String,
        /// Its git commit, when it is a git checkout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        commit: Option<String>,
        /// Whether it had uncommitted changes, when it is a git checkout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dirty: Option<bool>,
    },
}

/// Whether a case produced figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// Every repetition completed.
    Ok,
    /// A repetition crashed, hung, or reported an error; see `error`.
    Failed,
}

/// How a runtime schedules tasks across its threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// Several threads share one scheduler and take work from each other.
    WorkStealing,
    /// One thread runs every task.
    SingleThread,
    /// Independent executors, one per thread, each with its share of the work.
    ThreadPerCore,
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Model::WorkStealing => "work-stealing",
            Model::SingleThread => "single-thread",
            Model::ThreadPerCore => "thread-per-core",
        })
    }
}

/// Named outcome counts of one run, e.g. `ok` and `failed` for sleep.
pub type Counts = BTreeMap<String, u64>;

/// Latency percentiles of one run, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// 99.9th percentile.
    pub p999: u64,
    /// Slowest operation.
    pub max: u64,
}

/// What a case's child process reports on stdout: the figures only it can see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Wall time of the workload itself (not process start), seconds.
    pub wall_s: f64,
    /// Outcome counts.
    pub counts: Counts,
    /// Latency percentiles.
    pub latency_ns: Latency,
    /// The rtbench workload the program did, when a `--command` says so:
    /// its case then stands in that workload's table. rtbench's own cases
    /// leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    /// The parameters it did that workload with; without them, the run's own
    /// parameters for that workload are taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Params>,
    /// The I/O driver the runtime chose, where it can choose (monoio, compio):
    /// `io_uring` or `epoll`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_driver: Option<String>,
    /// Open loop: requests sent per second (see the README), absent for a closed loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_rate: Option<f64>,
    /// Open loop: how long after its due time each request was handed to its
    /// connection (percentiles, nanoseconds); absent for a closed loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_delay_ns: Option<Latency>,
    /// CPU time the case spent getting ready before it was timed (the file
    /// workload creating and filling its file), seconds; the runner takes it
    /// off the CPU time it measures, so CPU per operation covers the operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_cpu_s: Option<f64>,
    /// The CPUs the process's threads were allowed to run on, as the kernel
    /// lists them (`0-1`), read from every thread near the end of its work
    /// (a server's as it is told to stop); absent when not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<String>,
}

/// One repetition: the child's record plus what the parent measured from outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// Wall time of the workload itself, seconds: from its record; for a
    /// command that printed none, its process's, measured by the parent.
    pub wall_s: f64,
    /// User + system CPU time of the child process, seconds.
    pub cpu_s: f64,
    /// Peak resident set size of the child process, bytes.
    pub peak_rss_bytes: u64,
    /// Outcome counts; empty for a command that printed no run record.
    pub counts: Counts,
    /// Latency percentiles; absent for a command that printed no run record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ns: Option<Latency>,
    /// The I/O driver the runtime chose, where it can choose (see [`RunRecord`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_driver: Option<String>,
    /// Open loop: requests sent per second, absent for a closed loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_rate: Option<f64>,
    /// Open loop: how long after its due time each request was handed to its
    /// connection (see [`RunRecord`]); absent for a closed loop and in files
    /// that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_delay_ns: Option<Latency>,
    /// Serve: user + system CPU time of the load generator's process, seconds
    /// (`cpu_s` and `peak_rss_bytes` are the server's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cpu_s: Option<f64>,
    /// The CPUs the measured process's threads were allowed to run on, as it
    /// read them (see [`RunRecord`]; serve: the server's); absent in files
    /// that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<String>,
    /// Serve: the CPUs the load generator's threads were allowed to run on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cpus: Option<String>,
    /// The counts of this repetition (serve: the server's); absent in files
    /// before version 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<Counted>,
}

impl ResultsFile {
    /// Reads a results file of any version from [`OLDEST_READABLE`] to
    /// [`VERSION`], refusing a corrupt file or another version with a
    /// one-line error that names the file. Every case's summary is computed
    /// again from its runs, so an edited, merged or summary-less file is
    /// consistent and complete.
    pub fn read(path: &Path) -> Result<ResultsFile, String> {
        let name = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read results file {name}: {e}"))?;
        let mut value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{name} is not a results file (corrupt JSON: {e})"))?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if (u64::from(OLDEST_READABLE)..=u64::from(VERSION)).contains(&v) => {}
            Some(v) => {
                return Err(format!(
                    "{name} is results format version {v}; this rtbench reads versions \
                     {OLDEST_READABLE} to {VERSION}: use the rtbench that wrote it"
                ));
            }
            None => return Err(format!("{name} is not a results file (no version field)")),
        }
        // Summaries are derived; an old file's have another shape.
        if let Some(cases) = value.get_mut("cases").and_then(|c| c.as_array_mut()) {
            for case in cases.iter_mut().filter_map(|c| c.as_object_mut()) {
                case.insert("summary".into(), serde_json::Value::Null);
            }
        }
        let mut file: ResultsFile = serde_json::from_value(value)
            .map_err(|e| format!("{name} is not a valid results file: {e}"))?;
        for case in &mut file.cases {
            if case.about == About::default() {
                crate::upgrade::describe(case);
            }
            case.summary = Summary::of(case);
            // A profile's file is relative to the results file.
            if let Some(profile) = &mut case.profile {
                profile.dir = Some(path.parent().unwrap_or(Path::new("")).to_owned());
            }
        }
        Ok(file)
    }

    /// Writes the file atomically (a temporary file renamed into place), so a
    /// reader never sees half a file.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).expect("results always serialise");
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n")
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}
