//! file: random positional reads (or writes) of blocks of a scratch file,
//! through each runtime's own file API.
//!
//! The case creates the file and fills it with a known pattern before
//! anything is timed ([`Scratch`]); then `in_flight` tasks per shard each
//! read one block at a time at a random block-aligned offset, until `ops`
//! reads are done. Every read's length and content are checked against the
//! pattern ([`fill`]); a short or wrong read fails its operation, never the run.
//! With `file_mode: write` the tasks write the pattern instead and one of
//! them calls `fdatasync` after every `sync_every` writes.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use rtbench_report::Counts;
use serde::{Deserialize, Serialize};

use crate::outcome::{Outcome, ShardOutcome};
use crate::runtime::{BLOCK_ALIGN, Block, FileAccess, Runtime, Shard};
use crate::workload::{Kind, Machine, Param, Preset, Size, Workload};

pub use crate::scratch::{Scratch, fill, word};

/// The file workload.
pub struct File;

/// Its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileParams {
    /// Reads or writes in total.
    pub ops: u64,
    /// Tasks, each with one read or write at a time.
    pub in_flight: u64,
    /// Bytes per read or write, each at a multiple of it.
    pub block_bytes: u64,
    /// Size of the scratch file, MiB.
    pub file_mb: u64,
    /// Reads or writes.
    pub file_mode: FileMode,
    /// Writes: one `fdatasync` after every this many; absent for reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_every: Option<u64>,
    /// Whether the file is opened with `O_DIRECT`, around the page cache.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub direct: bool,
    /// The directory holding the scratch file; absent for the system's
    /// temporary directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scratch_dir: Option<String>,
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

impl Workload for File {
    type Params = FileParams;
    const NAME: &'static str = "file";
    const DESCRIPTION: &'static str = "Random positional reads (or writes) of blocks of a scratch file, through each \
         runtime's own file API.";
    const OPERATION: &'static str = "read or write";
    const PARAMS: &'static [Param] = &[
        Param::ops("reads or writes in total"),
        Param::in_flight("tasks, each with one read or write at a time"),
        Param::new(
            "file_mb",
            "file mb",
            "",
            "size of the scratch file each case creates and fills before it is timed, MiB",
            Kind::Sizes,
        ),
        Param::new(
            "block_bytes",
            "block bytes",
            "",
            "bytes per read or write, at offsets that are multiples of it",
            Kind::Sizes,
        ),
        Param::new(
            "file_mode",
            "file mode",
            "",
            "`read` (every block checked against the file's pattern) or `write` (positional \
             writes, fdatasync every --sync-every)",
            Kind::Choice(&["read", "write"]),
        ),
        Param::new(
            "sync_every",
            "sync every",
            "",
            "write mode: one fdatasync after every N writes [default: 64]",
            Kind::Number,
        ),
        Param::new(
            "direct",
            "direct",
            "",
            "open with O_DIRECT, around the page cache (--block-bytes a multiple of 4096)",
            Kind::Switch,
        ),
        Param::new(
            "scratch_dir",
            "scratch dir",
            "",
            "where each case creates its scratch file, unlinked at once so nothing is left \
             behind [default: the system's temporary directory]",
            Kind::Text,
        ),
    ];

    fn sizes(size: Size) -> FileParams {
        let (ops, file_mb) = match size {
            Size::Preset(Preset::Quick) | Size::Counts => (5_000, 16),
            Size::Preset(Preset::Ci) => (20_000, 16),
            Size::Default => (100_000, DEFAULT_FILE_MB),
            Size::Preset(Preset::Full) => (1_000_000, DEFAULT_FILE_MB),
        };
        FileParams {
            ops,
            in_flight: DEFAULT_IN_FLIGHT,
            block_bytes: DEFAULT_BLOCK_BYTES,
            file_mb,
            file_mode: FileMode::Read,
            sync_every: None,
            direct: false,
            scratch_dir: None,
        }
    }

    /// A write's syncs default to every 64th; the sizes must make a file
    /// and the scratch directory must take it (checked before anything runs).
    fn resolve(mut p: FileParams, _machine: &Machine) -> Result<FileParams, String> {
        p.sync_every = match p.file_mode {
            FileMode::Write => Some(p.sync_every.unwrap_or(DEFAULT_SYNC_EVERY)),
            FileMode::Read => None,
        };
        let (_, bytes) = sizes(&p)?;
        crate::scratch::check_dir(p.scratch_dir.as_deref(), bytes)?;
        Ok(p)
    }

    fn counts_add_up(p: &FileParams, counts: &Counts) -> bool {
        let c = |name| counts.get(name).copied().unwrap_or(0);
        c("ok") + c("short") + c("corrupt") + c("io_error") == p.ops
    }

    fn run<R: Runtime>(params: FileParams, threads: usize) -> Result<Outcome, String> {
        // Created before the runtime starts and kept until it stops.
        let scratch = Scratch::create(&params)?;
        let (path, blocks) = (scratch.path(), scratch.blocks());
        let mut outcome = crate::run_shards::<R, _, _>(threads, move |s| {
            shard::<R>(params.clone(), path.clone(), blocks, s)
        });
        if let Ok(outcome) = &mut outcome {
            outcome.setup_cpu_s = scratch.setup_cpu_s();
        }
        drop(scratch);
        outcome
    }
}

/// Default bytes per read or write: a page, the unit of the page cache and
/// of most devices.
pub const DEFAULT_BLOCK_BYTES: u64 = 4096;
/// Default size of the scratch file, MiB: larger than any CPU cache, small
/// enough to create in well under a second.
pub const DEFAULT_FILE_MB: u64 = 256;
/// Default reads in flight: enough to keep an NVMe queue busy and to show
/// how a runtime scales its thread pool (tokio's grows up to 512 threads),
/// well under the 128-plus entries of the io_uring rings in use.
pub const DEFAULT_IN_FLIGHT: u64 = 64;
/// Default writes per `fdatasync`.
pub const DEFAULT_SYNC_EVERY: u64 = 64;

/// How one operation ended; each ends as exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The whole block, with the expected content (a read) or length (a write).
    Ok,
    /// Fewer bytes than the block.
    Short,
    /// A whole block read with other bytes than the pattern's.
    Corrupt,
    /// The call (or the `fdatasync` after a write) failed.
    IoError,
}

impl Ending {
    /// Every ending, in the order of their discriminants.
    pub const ALL: [Ending; 4] = [Ending::Ok, Ending::Short, Ending::Corrupt, Ending::IoError];

    /// The name it is counted under.
    pub fn name(self) -> &'static str {
        match self {
            Ending::Ok => "ok",
            Ending::Short => "short",
            Ending::Corrupt => "corrupt",
            Ending::IoError => "io_error",
        }
    }
}

/// How a read of a block at `offset` ended: `read` is the call's result and
/// `data` the block it filled; `expected` is scratch space of the block's size.
pub fn check_read(
    read: &std::io::Result<usize>,
    data: &[u8],
    offset: u64,
    expected: &mut [u8],
) -> Ending {
    match length_ending(read, data.len() as u64) {
        Ending::Ok => {
            fill(offset, expected);
            if data == expected {
                Ending::Ok
            } else {
                Ending::Corrupt
            }
        }
        other => other,
    }
}

/// The block and file sizes `params` ask for, in bytes, or a one-line error
/// when they cannot make a case (checked again before anything runs).
pub fn sizes(params: &FileParams) -> Result<(u64, u64), String> {
    let block = params.block_bytes;
    let bytes = params.file_mb << 20;
    if block == 0 || block > bytes {
        return Err(format!(
            "--block-bytes {block} must be from 1 to the file's {bytes} bytes (--file-mb)"
        ));
    }
    if params.direct && block % BLOCK_ALIGN as u64 != 0 {
        return Err(format!(
            "--direct needs --block-bytes a multiple of {BLOCK_ALIGN}, not {block}"
        ));
    }
    Ok((block, bytes))
}

/// What a shard's tasks share.
struct Shared {
    params: FileParams,
    /// Blocks in the file; offsets are `0..blocks` times the block size.
    blocks: u64,
    /// Operations started so far, and the shard's total.
    started: AtomicU64,
    total: u64,
    /// Writes completed so far (for `sync_every`).
    writes: AtomicU64,
    syncs: AtomicU64,
    endings: [AtomicU64; 4],
    outcome: Mutex<ShardOutcome>,
}

impl Shared {
    fn take(&self) -> bool {
        self.started.fetch_add(1, Relaxed) < self.total
    }

    fn record(&self, ending: Ending, took: Duration) {
        self.endings[ending as usize].fetch_add(1, Relaxed);
        let mut outcome = self.outcome.lock().expect("no panics hold this lock");
        outcome.latency(took);
    }
}

/// Runs this shard's share of the operations on the file at `path`.
async fn shard<R: Runtime>(
    params: FileParams,
    path: PathBuf,
    blocks: u64,
    shard: Shard,
) -> Result<ShardOutcome, String> {
    let mode = params.file_mode;
    let access = FileAccess {
        write: mode == FileMode::Write,
        direct: params.direct,
    };
    let file = R::open_file(&path, access).await.map_err(|e| {
        let direct = if access.direct {
            " with O_DIRECT (the filesystem may not support it, as tmpfs before Linux 6.6 \
             did not: give --scratch-dir a directory on a disk)"
        } else {
            ""
        };
        format!("{} cannot open the scratch file{direct}: {e}", R::NAME)
    })?;
    let ids = shard.ids(params.ops);
    let total = ids.end - ids.start;
    let tasks = shard.share(params.in_flight).max(1).min(total);
    let shared = Arc::new(Shared {
        params,
        blocks,
        started: AtomicU64::new(0),
        total,
        writes: AtomicU64::new(0),
        syncs: AtomicU64::new(0),
        endings: Default::default(),
        outcome: Mutex::new(ShardOutcome::start()),
    });
    let mut running: FuturesUnordered<_> = (0..tasks)
        .map(|task| {
            let seed = ids.start ^ (task << 32);
            R::join(R::spawn(worker::<R>(shared.clone(), file.clone(), seed)))
        })
        .collect();
    while let Some(done) = running.next().await {
        done.map_err(|e| format!("a file task panicked: {}", e.0))?;
    }
    let shared = Arc::into_inner(shared).expect("every file task has ended");
    let mut outcome = shared
        .outcome
        .into_inner()
        .expect("no panics hold this lock");
    for (ending, count) in Ending::ALL.into_iter().zip(shared.endings) {
        outcome.count(ending.name(), count.into_inner());
    }
    if mode == FileMode::Write {
        outcome.count("syncs", shared.syncs.into_inner());
    }
    Ok(outcome.finish())
}

/// One task: a block at a random offset at a time, until the shard's
/// operations are all started.
async fn worker<R: Runtime>(shared: Arc<Shared>, file: R::File, seed: u64) {
    let size = shared.params.block_bytes;
    let sync_every = shared.params.sync_every.unwrap_or(DEFAULT_SYNC_EVERY);
    let writes = shared.params.file_mode == FileMode::Write;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut block = Block::new(size as usize);
    let mut expected = vec![0; size as usize];
    while shared.take() {
        let offset = rng.u64(0..shared.blocks) * size;
        if writes {
            fill(offset, block.as_mut_slice());
        }
        let started = quanta::Instant::now();
        let (ending, took) = if writes {
            let (written, back) = R::write_at(&file, block, offset).await;
            block = back;
            let mut ending = length_ending(&written, size);
            if shared.writes.fetch_add(1, Relaxed) % sync_every == sync_every - 1 {
                shared.syncs.fetch_add(1, Relaxed);
                if R::sync_data(&file).await.is_err() {
                    ending = Ending::IoError;
                }
            }
            (ending, started.elapsed())
        } else {
            let (read, back) = R::read_at(&file, block, offset).await;
            block = back;
            // Timed to the read's end: the check is the workload's, not the runtime's.
            let took = started.elapsed();
            (
                check_read(&read, block.as_slice(), offset, &mut expected),
                took,
            )
        };
        shared.record(ending, took);
    }
}

/// How a call that should move `size` bytes ended, by its length alone.
fn length_ending(done: &std::io::Result<usize>, size: u64) -> Ending {
    match *done {
        Err(_) => Ending::IoError,
        Ok(n) if (n as u64) < size => Ending::Short,
        Ok(_) => Ending::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_is_ok_short_corrupt_or_an_error() {
        let mut data = vec![0; 4096];
        let mut expected = vec![0; 4096];
        fill(8192, &mut data);
        assert_eq!(
            check_read(&Ok(4096), &data, 8192, &mut expected),
            Ending::Ok
        );
        assert_eq!(
            check_read(&Ok(4096), &data, 4096, &mut expected),
            Ending::Corrupt,
            "a block from the wrong offset"
        );
        data[100] ^= 1;
        assert_eq!(
            check_read(&Ok(4096), &data, 8192, &mut expected),
            Ending::Corrupt,
            "one flipped bit"
        );
        assert_eq!(
            check_read(&Ok(4095), &data, 8192, &mut expected),
            Ending::Short
        );
        assert_eq!(
            check_read(&Ok(0), &data, 8192, &mut expected),
            Ending::Short
        );
        let failed = Err(std::io::Error::other("device gone"));
        assert_eq!(
            check_read(&failed, &data, 8192, &mut expected),
            Ending::IoError
        );
    }
}
