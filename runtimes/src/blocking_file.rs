//! Positional file I/O through the standard library, for the runtimes whose
//! file API runs blocking system calls on a thread pool (tokio's
//! `spawn_blocking`, async-std's and smol's `blocking` pool, which is what
//! `tokio::fs` and `async-fs` do inside): each function is one pool job.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::Arc;

use rtbench_workloads::{Block, FileAccess};

/// The file every pool job of a case shares.
pub type SharedFile = Arc<File>;

/// Opens `path` as `access` says.
pub fn open(path: PathBuf, access: FileAccess) -> io::Result<SharedFile> {
    access.open_std(&path).map(Arc::new)
}

/// One `pread` into `block`'s window.
pub fn read_at(file: &File, mut block: Block, offset: u64) -> (io::Result<usize>, Block) {
    let read = file.read_at(block.as_mut_slice(), offset);
    (read, block)
}

/// One `pwrite` of `block`'s window.
pub fn write_at(file: &File, block: Block, offset: u64) -> (io::Result<usize>, Block) {
    let written = file.write_at(block.as_slice(), offset);
    (written, block)
}
