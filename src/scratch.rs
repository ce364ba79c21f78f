//! The file workload's scratch directory, checked before anything runs: a
//! case that cannot create its file should not wait for its turn to say so.

use std::path::{Path, PathBuf};

use rtbench_report::Params;

/// Checks every file case's sizes, and that the scratch directory exists, is
/// writable and has room for the largest file; one line naming the problem
/// and its fix if not.
pub fn check(dir: Option<&Path>, points: &[Params]) -> Result<(), String> {
    let mut largest = 0;
    for params in points {
        let (_, bytes) = rtbench_workloads::file::sizes(params)?;
        largest = largest.max(bytes);
    }
    let dir: PathBuf = dir.map_or_else(std::env::temp_dir, Path::to_owned);
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
    if free < largest {
        return Err(format!(
            "the scratch directory {shown} has {} MiB free, the file workload needs {} MiB: \
             lower --file-mb or give --scratch-dir a directory with room",
            free >> 20,
            largest >> 20
        ));
    }
    Ok(())
}
