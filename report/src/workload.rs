//! What a case ran: the workloads and their parameters, as results record
//! them and the command line names them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The workloads rtbench knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// Timer-bound operations in a rolling window.
    Sleep,
    /// Tasks created and cancelled in batches.
    Cancel,
    /// HTTP/1.1 requests over loopback against a server the project ships.
    Fetch,
    /// The runtime as the HTTP/1.1 server, driven by a load generator in its
    /// own process.
    Serve,
    /// Random positional reads (or writes) of blocks of a scratch file,
    /// through each runtime's own file API.
    File,
    /// Whole programs given with `--command`, measured from outside; rtbench
    /// knows no operations of theirs, so it sets no parameters.
    Command,
}

impl Workload {
    /// Every workload a results file can hold, in the order tables list them.
    pub const ALL: [Workload; 6] = [
        Workload::Sleep,
        Workload::Cancel,
        Workload::Fetch,
        Workload::Serve,
        Workload::File,
        Workload::Command,
    ];

    /// rtbench's own workloads: what `--workloads` selects and every runtime
    /// can run (serve only the Rust ones).
    pub const BUILT_IN: [Workload; 5] = [
        Workload::Sleep,
        Workload::Cancel,
        Workload::Fetch,
        Workload::Serve,
        Workload::File,
    ];

    /// The name used on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            Workload::Sleep => "sleep",
            Workload::Cancel => "cancel",
            Workload::Fetch => "fetch",
            Workload::Serve => "serve",
            Workload::File => "file",
            Workload::Command => "command",
        }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Workload {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Workload::BUILT_IN
            .into_iter()
            .find(|w| w.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Workload::BUILT_IN.iter().map(|w| w.name()).collect();
                let hint = match s {
                    "command" => " (programs are added with --command NAME=CMD)",
                    _ => "",
                };
                format!("unknown workload '{s}'; valid: {}{hint}", names.join(", "))
            })
    }
}

/// When the cancel workload cancels a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CancelMode {
    /// Every task has started and waits on its timer before its batch is cancelled.
    Parked,
    /// The batch is cancelled right after it is created, before its tasks first run.
    Unstarted,
}

impl fmt::Display for CancelMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CancelMode::Parked => "parked",
            CancelMode::Unstarted => "unstarted",
        })
    }
}

impl FromStr for CancelMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "parked" => Ok(CancelMode::Parked),
            "unstarted" => Ok(CancelMode::Unstarted),
            _ => Err(format!(
                "unknown cancel mode '{s}'; valid: parked, unstarted"
            )),
        }
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

/// What the file workload does to its blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileMode {
    /// Positional reads, each checked against the file's known pattern.
    Read,
    /// Positional writes of the pattern, one `fdatasync` per `sync_every`.
    Write,
}

impl fmt::Display for FileMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileMode::Read => "read",
            FileMode::Write => "write",
        })
    }
}

impl FromStr for FileMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read" => Ok(FileMode::Read),
            "write" => Ok(FileMode::Write),
            _ => Err(format!("unknown file mode '{s}'; valid: read, write")),
        }
    }
}

/// A workload's parameters. Fields a workload does not use are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// Operations (sleep), tasks (cancel) or requests (fetch) in total.
    pub ops: u64,
    /// Operations in flight at once (sleep), tasks per cancelled batch
    /// (cancel), or connections, each with one request at a time (fetch).
    pub in_flight: u64,
    /// Timer duration of each operation or task (the server's delay for
    /// fetch), in milliseconds.
    pub latency_ms: u64,
    /// The I/O driver the case asked its runtime to run on (`--io-driver`);
    /// absent when none was asked for, and the runtime ran on its default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_driver: Option<IoDriver>,
    /// Sleep: operation ids divisible by this fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_every: Option<u64>,
    /// Cancel: when a batch is cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_mode: Option<CancelMode>,
    /// Cancel: how long to wait, at most, for a cancelled batch's futures to be dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_wait_ms: Option<u64>,
    /// Fetch: the size of each response body, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_bytes: Option<u64>,
    /// Fetch: a request taking longer than this is a `timeout`, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Fetch: worker threads of the shipped server (absent with `url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_threads: Option<usize>,
    /// Fetch: the server, when it is not the shipped one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Fetch and serve: the offered rate of an open loop, requests per
    /// second; absent for a closed loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<u64>,
    /// Serve: threads of the load generator (rtbench's fetch client on tokio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_threads: Option<usize>,
    /// File: bytes per read or write, each at a multiple of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_bytes: Option<u64>,
    /// File: size of the scratch file, in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_mb: Option<u64>,
    /// File: reads or writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_mode: Option<FileMode>,
    /// File, writes: one `fdatasync` after every this many writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_every: Option<u64>,
    /// File: `true` when opened with `O_DIRECT`, around the page cache; absent
    /// through the page cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// File: the directory holding the scratch file; absent for the
    /// system's temporary directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scratch_dir: Option<String>,
}
