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

use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use rtbench_report::{FileMode, Params};

use crate::outcome::ShardOutcome;
use crate::runtime::{BLOCK_ALIGN, Block, FileAccess, Runtime, Shard};

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

/// The pattern's 8-byte word number `index`: the index plus a constant whose
/// high half is never zero, so every word of a file under 32 GiB differs from
/// every other and none is zero (a hole reads as zeros). Simple on purpose:
/// the Python and Node.js baselines make the same file with array arithmetic.
pub fn word(index: u64) -> u64 {
    PATTERN_BASE.wrapping_add(index)
}

/// What [`word`] adds to the index.
const PATTERN_BASE: u64 = 0x5A5A_5A5A_0000_0000;

/// Fills `out` with the pattern's bytes from file offset `offset` on: byte
/// `o` of the file is byte `o % 8` of little-endian [`word`] `o / 8`.
pub fn fill(offset: u64, out: &mut [u8]) {
    for (o, byte) in (offset..).zip(out.iter_mut()) {
        if o % 8 == 0 {
            break;
        }
        *byte = word(o / 8).to_le_bytes()[(o % 8) as usize];
    }
    let head = (offset.next_multiple_of(8) - offset).min(out.len() as u64) as usize;
    let rest = &mut out[head..];
    let first = (offset + head as u64) / 8;
    let index = first + (rest.len() / 8) as u64;
    let mut words = rest.chunks_exact_mut(8);
    for (index, chunk) in (first..).zip(&mut words) {
        chunk.copy_from_slice(&word(index).to_le_bytes());
    }
    let tail = words.into_remainder();
    for (byte, value) in tail.iter_mut().zip(word(index).to_le_bytes()) {
        *byte = value;
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
pub fn sizes(params: &Params) -> Result<(u64, u64), String> {
    let block = params.block_bytes.unwrap_or(DEFAULT_BLOCK_BYTES);
    let bytes = params.file_mb.unwrap_or(DEFAULT_FILE_MB) << 20;
    if block == 0 || block > bytes {
        return Err(format!(
            "--block-bytes {block} must be from 1 to the file's {bytes} bytes (--file-mb)"
        ));
    }
    if params.direct == Some(true) && block % BLOCK_ALIGN as u64 != 0 {
        return Err(format!(
            "--direct needs --block-bytes a multiple of {BLOCK_ALIGN}, not {block}"
        ));
    }
    Ok((block, bytes))
}

/// The case's file: created under the scratch directory, unlinked from the
/// start (`O_TMPFILE`, or created and removed at once where the filesystem
/// lacks it), and filled with the pattern. Nothing is left behind however
/// the case ends, a kill included: the kernel frees the file when its last
/// descriptor closes. The runtimes open it again through [`path`](Self::path).
#[derive(Debug)]
pub struct Scratch {
    file: std::fs::File,
    blocks: u64,
    setup_cpu_s: Option<f64>,
}

impl Scratch {
    /// Creates and fills the file `params` ask for, or says in one line why not.
    pub fn create(params: &Params) -> Result<Scratch, String> {
        let dir = params
            .scratch_dir
            .as_ref()
            .map_or_else(std::env::temp_dir, PathBuf::from);
        let (block, bytes) = sizes(params)?;
        let before = process_cpu_s();
        let failed = |what: &str, e: std::io::Error| {
            format!(
                "cannot {what} the scratch file in {} ({e}): give --scratch-dir a writable \
                 directory with room for --file-mb",
                dir.display()
            )
        };
        let file = tempfile::tempfile_in(&dir).map_err(|e| failed("create", e))?;
        write_pattern(&file, bytes).map_err(|e| failed("fill", e))?;
        Ok(Scratch {
            file,
            blocks: bytes / block,
            setup_cpu_s: before.zip(process_cpu_s()).map(|(from, to)| to - from),
        })
    }

    /// CPU time this process spent creating and filling the file, seconds;
    /// `None` if the kernel would not say.
    pub fn setup_cpu_s(&self) -> Option<f64> {
        self.setup_cpu_s
    }

    /// Whole blocks in the file.
    pub fn blocks(&self) -> u64 {
        self.blocks
    }

    /// A path that opens the file again, while this value lives.
    pub fn path(&self) -> PathBuf {
        let fds = if cfg!(target_os = "linux") {
            "/proc/self/fd"
        } else {
            "/dev/fd"
        };
        Path::new(fds).join(self.file.as_raw_fd().to_string())
    }
}

/// CPU time of this process so far (user and system, all threads), seconds.
fn process_cpu_s() -> Option<f64> {
    use nix::sys::resource::{UsageWho, getrusage};
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    let usage = getrusage(UsageWho::RUSAGE_SELF).ok()?;
    Some(seconds(usage.user_time()) + seconds(usage.system_time()))
}

/// Writes the pattern over the first `bytes` of `file`, 1 MiB at a time,
/// and flushes it to the device so `--direct` reads find it there and no
/// writeback of it runs while the case is timed.
fn write_pattern(file: &std::fs::File, bytes: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    let mut chunk = vec![0; 1 << 20];
    for offset in (0..bytes).step_by(chunk.len()) {
        let len = chunk.len().min((bytes - offset) as usize);
        fill(offset, &mut chunk[..len]);
        file.write_all_at(&chunk[..len], offset)?;
    }
    file.sync_all()
}

/// What a shard's tasks share.
struct Shared {
    params: Params,
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
pub(crate) async fn shard<R: Runtime>(
    params: Params,
    path: PathBuf,
    blocks: u64,
    shard: Shard,
) -> Result<ShardOutcome, String> {
    let mode = params.file_mode.unwrap_or(FileMode::Read);
    let access = FileAccess {
        write: mode == FileMode::Write,
        direct: params.direct == Some(true),
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
    let size = shared.params.block_bytes.unwrap_or(DEFAULT_BLOCK_BYTES);
    let sync_every = shared.params.sync_every.unwrap_or(DEFAULT_SYNC_EVERY);
    let writes = shared.params.file_mode == Some(FileMode::Write);
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
    fn the_pattern_is_the_same_from_any_offset() {
        let mut whole = vec![0; 64];
        fill(0, &mut whole);
        assert_eq!(&whole[..8], &word(0).to_le_bytes());
        assert_eq!(&whole[8..16], &word(1).to_le_bytes());
        for start in 0..64 {
            for end in start..=64 {
                let mut part = vec![0; end - start];
                fill(start as u64, &mut part);
                assert_eq!(part, &whole[start..end], "bytes {start}..{end}");
            }
        }
        assert!(whole.windows(8).all(|w| w != [0; 8]), "no word is zero");
    }

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
