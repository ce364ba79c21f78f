//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rtbench_report::{CancelMode, Workload};

use crate::sweep;

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
    /// Compare two results files, baseline vs candidate: a table of changes
    /// in percent, compare.md, compare-<workload>.svg and compare.html.
    Compare {
        /// The results to compare against.
        baseline: PathBuf,
        /// The results to judge.
        candidate: PathBuf,
        /// Where to write [default: target/rtbench/compare-<timestamp>].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Run one repetition of one case and print its record (used by `run`).
    #[command(name = "__case", hide = true)]
    Case(CaseArgs),
}

/// Flags of `rtbench run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Workloads to run, comma-separated: sleep, cancel, fetch.
    #[arg(long, value_delimiter = ',', default_value = "sleep,cancel,fetch")]
    pub workloads: Vec<String>,
    /// Runtimes to run, comma-separated (see `rtbench list`): `all` for every
    /// Rust runtime, `external` for every Python and Node.js one found.
    #[arg(long, value_delimiter = ',', default_value = "all")]
    pub runtimes: Vec<String>,
    /// A Python interpreter to add as `python3.X-asyncio` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub python: Vec<PathBuf>,
    /// A Node.js binary to add as `node-<version>` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub node: Vec<PathBuf>,
    /// Operations (sleep), tasks (cancel) or requests (fetch) per run, or a
    /// comma-separated list to sweep [default: each workload's, see `list`].
    #[arg(long, value_name = "N,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = sweep::positive)]
    pub ops: Vec<u64>,
    /// Operations in flight at once (sleep), tasks per cancelled batch (cancel),
    /// or connections, one request in flight on each (fetch); a list sweeps.
    #[arg(long, value_name = "N,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = sweep::positive)]
    pub in_flight: Vec<u64>,
    /// Timer duration of each operation or task (fetch: the server's delay),
    /// in milliseconds; a list sweeps.
    #[arg(long, value_name = "MS,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = sweep::whole)]
    pub latency_ms: Vec<u64>,
    /// Sleep: operation ids divisible by N fail on purpose [default: 1000].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub fail_every: Option<u64>,
    /// Cancel: cancel each batch once all its tasks wait on their timer
    /// (`parked`), or right after creating it (`unstarted`) [default: parked].
    #[arg(long, value_name = "MODE", value_parser = ["parked", "unstarted"])]
    pub cancel_mode: Option<String>,
    /// Cancel: wait at most this long for a cancelled batch's futures to be dropped [default: 100].
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub cancel_wait_ms: Option<u64>,
    /// Fetch: run against this server (it must answer `/delay?ms=&id=&bytes=`)
    /// instead of starting the shipped one.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Fetch: bytes in each response body; a list sweeps [default: 1024].
    #[arg(long, value_name = "N,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = sweep::whole)]
    pub body_bytes: Vec<u64>,
    /// Fetch: a request unanswered after this long is a timeout [default: 10000].
    #[arg(long, value_name = "MS", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_ms: Option<u64>,
    /// Fetch: worker threads of the shipped server; a list sweeps, one server
    /// each [default: the machine's cores].
    #[arg(long, value_name = "N,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = sweep::positive)]
    pub server_threads: Vec<u64>,
    /// Repetitions per case, each in its own process; the table shows the median.
    #[arg(long, value_name = "N", default_value_t = 5, allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub reps: u32,
    /// OS threads running tasks in multi-thread runtimes; a list sweeps; above
    /// the machine's cores is run and marked oversubscribed [default: the machine's cores].
    #[arg(long, value_name = "N,…", allow_negative_numbers = true, value_delimiter = ',', value_parser = sweep::positive)]
    pub threads: Vec<u64>,
    /// Kill a repetition that runs longer than this and record the case as failed.
    #[arg(long, value_name = "S", default_value_t = 120, allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_s: u64,
    /// Directory for results.json [default: target/rtbench/<timestamp>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl RunArgs {
    /// The selected workloads, or a one-line error naming an unknown one.
    pub fn workloads(&self) -> Result<Vec<Workload>, String> {
        self.workloads.iter().map(|w| w.trim().parse()).collect()
    }

    /// The `--cancel-mode` flag, if given.
    pub fn cancel_mode(&self) -> Option<CancelMode> {
        self.cancel_mode
            .as_deref()
            .map(|m| m.parse().expect("clap checked the value"))
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
    pub workload: Workload,
    /// Worker threads.
    #[arg(long)]
    pub threads: usize,
    /// The workload's parameters, as JSON.
    #[arg(long)]
    pub params: String,
}
