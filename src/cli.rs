//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rtbench_report::counted::Measure;
use rtbench_report::{IoDriver, Order};
use rtbench_workloads::Preset;

use crate::flags::{self, WorkloadFlags};

/// Runs the same async workloads on several Rust runtimes and shows, side by
/// side, which is faster, by how much, at what memory and CPU cost.
#[derive(Debug, Parser)]
#[command(name = "rtbench", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without one, `run` with all defaults.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Flags for the default `run`.
    #[command(flatten)]
    pub run: RunArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run workloads on runtimes, each repetition in its own process, and
    /// write results.json (the default command).
    Run(Box<RunArgs>),
    /// List the runtimes (Rust and external) and the workloads with their defaults.
    List(ListArgs),
    /// Run the HTTP server fetch cases use, until SIGTERM or SIGINT; prints
    /// its URL on the first line once it accepts connections.
    Serve(ServeArgs),
    /// Print the tables of saved results files and write their table.md,
    /// SVG charts and index.html (several files are merged into one table).
    Report {
        /// results.json files written by `rtbench run`.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where to write [default: the file's directory, or
        /// target/rtbench/report-<timestamp> for several files].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Compare two results files, baseline vs candidate (or two runtimes of
    /// one file): every figure's change with its 95 % interval and verdict,
    /// compare.md, compare-<workload>.svg and compare.html.
    Compare(CompareArgs),
    /// Write a results file in a format benchmark trackers read: `csv` (one
    /// row per run), `bmf` (Bencher) or `github-action-benchmark`.
    Export(ExportArgs),
    /// Run one repetition of one case and print its record (used by `run`).
    #[command(name = "__case", hide = true)]
    Case(CaseArgs),
}

/// Flags of `rtbench run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Workloads to run, comma-separated (`rtbench list` shows them all)
    /// [default: those `rtbench list` marks as run by default].
    #[arg(long, value_delimiter = ',')]
    pub workloads: Vec<String>,
    /// Runtimes to run, comma-separated (see `rtbench list`): `all` for every
    /// Rust runtime, `external` for every Python and Node.js one found,
    /// `none` for only the --command cases.
    #[arg(long, value_delimiter = ',', default_value = "all")]
    pub runtimes: Vec<String>,
    /// A program as a case of its own, NAME=CMD (repeatable): CMD runs
    /// through `sh -c`, measured from outside like every case; it stands in
    /// the `command` table unless its last stdout line is a run record
    /// naming a workload. One case per command, whatever the size lists,
    /// `--threads` and `--preset` say: rtbench sets no sizes of a program.
    #[arg(long, value_name = "NAME=CMD", value_parser = crate::command::parse)]
    pub command: Vec<crate::command::CommandArg>,
    /// A Python interpreter to add as `python3.X-asyncio` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub python: Vec<PathBuf>,
    /// A Node.js binary to add as `node-<version>` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub node: Vec<PathBuf>,
    /// Named sizes: `quick` (seconds), `ci` (a CI job, minutes), `full` (the
    /// article's million everywhere); size flags given too override it (see `list`).
    #[arg(long, value_name = "NAME", value_parser = ["quick", "ci", "full"])]
    pub preset: Option<String>,
    /// The workloads' own parameters (`--ops`, `--in-flight`, …), one flag
    /// each, from the workloads' registry.
    #[command(flatten)]
    pub workload: WorkloadFlags,
    /// Repetitions per case, each in its own process; the table shows the
    /// median. `auto`: at least 5, then more until the median time's 95 %
    /// interval is within --precision, or --max-reps.
    #[arg(long, value_name = "N|auto", default_value = "5", allow_negative_numbers = true, value_parser = parse_reps)]
    pub reps: RepsArg,
    /// With --reps auto: the wanted half-width of the median time's 95 % interval, in percent of it.
    #[arg(long, value_name = "PCT", default_value_t = 2.0, allow_negative_numbers = true, value_parser = parse_percent)]
    pub precision: f64,
    /// With --reps auto: the most repetitions a case gets (at least 5).
    #[arg(long, value_name = "N", default_value_t = 50, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(5..))]
    pub max_reps: u32,
    /// `interleaved`: round 1 of every case, then round 2, … so that drift of
    /// the machine touches every case alike; `grouped`: case by case.
    #[arg(long, value_name = "ORDER", default_value = "interleaved", value_parser = ["interleaved", "grouped"])]
    pub order: String,
    /// OS threads running tasks in multi-thread runtimes; a list sweeps; above
    /// the machine's cores is run and marked oversubscribed [default: the machine's cores].
    #[arg(long, value_name = "N,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = flags::positive)]
    pub threads: Vec<u64>,
    /// Keep serve's and fetch's two processes on CPUs of their own:
    /// `server=LIST,client=LIST` (CPU lists such as `0-1,3`; the server is
    /// the runtime for serve and the shipped server for fetch, the client
    /// serve's load generator and fetch's runtime), or `none`. Repeat to
    /// run each as a case of its own. Pinned, `--threads` defaults to the
    /// measured side's CPUs, and the other side's threads to its own
    /// [default: none].
    #[arg(long, value_name = "SPEC")]
    pub pin: Vec<String>,
    /// The I/O driver each runtime runs on, `uring` or `epoll`; a list
    /// sweeps, and the first named is the baseline of the paired driver
    /// comparison. A runtime runs on each listed driver it has (monoio and
    /// compio both; glommio and tokio-uring io_uring only; the others epoll
    /// only) and is left out, with a note, when it has none of them
    /// [default: each runtime's own choice].
    #[arg(long, value_name = "DRIVER,…", value_delimiter = ',', value_parser = clap::value_parser!(IoDriver))]
    pub io_driver: Vec<IoDriver>,
    /// `wall`: each repetition runs natively (wall time, CPU, memory, and the
    /// kernel's system calls, context switches and page faults); `counts`:
    /// each also runs under valgrind for instructions and estimated cycles
    /// per operation, which do not drift with the machine's speed (needs valgrind).
    #[arg(long, value_name = "WHAT", default_value = "wall", value_parser = ["wall", "counts"])]
    pub measure: String,
    /// Also profile each case: one more run under callgrind (needs valgrind)
    /// gives its instructions per operation by function, a flamegraph, and
    /// wherever two cases are compared, where their instructions differ.
    #[arg(long)]
    pub profile: bool,
    /// Kill a repetition that runs longer than this and record the case as failed.
    #[arg(long, value_name = "S", default_value_t = 120, allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_s: u64,
    /// Directory for results.json [default: target/rtbench/<timestamp>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `--reps`: a count, or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepsArg {
    /// Exactly this many repetitions.
    Count(u32),
    /// Until the interval is precise enough.
    Auto,
}

/// Parses `--reps`: a whole number from 1, or `auto`.
fn parse_reps(value: &str) -> Result<RepsArg, String> {
    match value {
        "auto" => Ok(RepsArg::Auto),
        _ => match value.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(RepsArg::Count(n)),
            _ => Err("give a whole number from 1, or auto".into()),
        },
    }
}

/// Parses a percentage above 0 (`2`, `0.5`).
fn parse_percent(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(p) if p > 0.0 && p.is_finite() => Ok(p),
        _ => Err("give a percentage above 0, e.g. 2 or 0.5".into()),
    }
}

/// Flags of `rtbench compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The results to compare against (with --baseline/--candidate: the one
    /// file holding both).
    pub baseline_file: PathBuf,
    /// The results to judge; omitted with --baseline/--candidate.
    pub candidate_file: Option<PathBuf>,
    /// Compare two runtimes of one file: this one is the baseline.
    #[arg(long, value_name = "RUNTIME", requires = "candidate")]
    pub baseline: Option<String>,
    /// Compare two runtimes of one file: this one is judged.
    #[arg(long, value_name = "RUNTIME", requires = "baseline")]
    pub candidate: Option<String>,
    /// A change of a timed figure is better or worse only beyond this, in
    /// percent of the baseline's median (each count has its own threshold).
    #[arg(long, value_name = "PCT", default_value_t = 2.0, allow_negative_numbers = true, value_parser = parse_percent)]
    pub threshold: f64,
    /// Exit 1 when a gated figure is worse (a gate for CI): wall time, or in
    /// counts mode instructions/op and estimated cycles/op; Holm–Bonferroni
    /// over every comparison judged.
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Where to write [default: target/rtbench/compare-<timestamp>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl RunArgs {
    /// The `--order` flag.
    pub fn order(&self) -> Order {
        match self.order.as_str() {
            "grouped" => Order::Grouped,
            _ => Order::Interleaved,
        }
    }

    /// The `--preset` flag, if given.
    pub fn preset(&self) -> Option<Preset> {
        (self.preset.as_deref()).map(|p| p.parse().expect("clap checked the value"))
    }

    /// The `--measure` flag.
    pub fn measure(&self) -> Measure {
        match self.measure.as_str() {
            "counts" => Measure::Counts,
            _ => Measure::Wall,
        }
    }
}

/// Flags of `rtbench list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// A Python interpreter to list too (repeatable).
    #[arg(long, value_name = "PATH")]
    pub python: Vec<PathBuf>,
    /// A Node.js binary to list too (repeatable).
    #[arg(long, value_name = "PATH")]
    pub node: Vec<PathBuf>,
}

/// Flags of `rtbench export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A results.json written by `rtbench run`.
    pub file: PathBuf,
    /// `csv`, `bmf` (Bencher Metric Format) or `github-action-benchmark`
    /// (its `customSmallerIsBetter` JSON).
    #[arg(long, value_name = "FORMAT", value_parser = ["csv", "bmf", "github-action-benchmark"])]
    pub format: String,
    /// The file to write [default: standard output].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Flags of `rtbench serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: std::net::SocketAddr,
    /// Worker threads [default: the machine's cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// Flags of the hidden `__case` subcommand.
#[derive(Debug, Args)]
pub struct CaseArgs {
    /// Registered runtime name.
    #[arg(long)]
    pub runtime: String,
    /// Workload name.
    #[arg(long)]
    pub workload: String,
    /// Worker threads.
    #[arg(long)]
    pub threads: usize,
    /// The workload's parameters, as JSON.
    #[arg(long)]
    pub params: String,
}
