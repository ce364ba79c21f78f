//! The file workload's scratch file: its pattern, from which any block's
//! bytes follow from its offset, and the file itself, created, filled and
//! gone however the case ends.

use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use crate::file::{FileParams, sizes};

/// Checks, before anything runs, that the scratch directory (`dir`, or the
/// system's temporary one) exists, is writable and has room for a file of
/// `bytes`: a case that cannot create its file should not wait for its
/// turn to say so. One line naming the problem and its fix if not.
pub fn check_dir(dir: Option<&str>, bytes: u64) -> Result<(), String> {
    let dir: PathBuf = dir.map_or_else(std::env::temp_dir, PathBuf::from);
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(format!(
            "the scratch directory {shown} is not a directory: create it, or give --scratch-dir another"
        ));
    }
    // Creating a file is the only sure test of writing (permissions, a
    // read-only mount); tempfile removes it at once.
    tempfile::tempfile_in(&dir).map_err(|e| {
        format!("the scratch directory {shown} is not writable ({e}): give --scratch-dir one you can write")
    })?;
    let stats = nix::sys::statvfs::statvfs(&dir)
        .map_err(|e| format!("cannot read the free space of the scratch directory {shown}: {e}"))?;
    let free = stats.blocks_available() as u64 * stats.fragment_size() as u64;
    if free < bytes {
        return Err(format!(
            "the scratch directory {shown} has {} MiB free, the file workload needs {} MiB: \
             lower --file-mb or give --scratch-dir a directory with room",
            free >> 20,
            bytes >> 20
        ));
    }
    Ok(())
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
    pub fn create(params: &FileParams) -> Result<Scratch, String> {
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
}
