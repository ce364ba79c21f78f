//! The file workload on every adapter: writes with their syncs, `O_DIRECT`,
//! and a scratch directory left as it was found, whichever way a case ends.

mod common;

use std::path::Path;

use common::{Check, cores, expect, on_every_runtime, run};
use rtbench_report::Model;
use rtbench_runtimes::Adapter;
use rtbench_workloads::file::{File, FileMode, FileParams};
use rtbench_workloads::{Runtime, Shard, Size, Workload};

/// A tiny file case with its scratch file in `dir`.
fn tiny(dir: &Path) -> FileParams {
    FileParams {
        ops: 200,
        in_flight: 8,
        file_mb: 1,
        scratch_dir: Some(dir.display().to_string()),
        ..File::sizes(Size::Default)
    }
}

/// Fails unless `dir` is empty.
fn left_empty(dir: &Path) -> Result<(), String> {
    let left: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .map(|entry| entry.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    match left.is_empty() {
        true => Ok(()),
        false => Err(format!("left behind in the scratch directory: {left:?}")),
    }
}

/// `fdatasync`s a write case makes: one per `every` writes of each shard.
fn syncs_expected<R: Runtime>(ops: u64, every: u64) -> u64 {
    let threads = Adapter::of::<R>().threads(cores());
    let count = if R::MODEL == Model::ThreadPerCore {
        threads
    } else {
        1
    };
    (0..count)
        .map(|index| Shard { index, count }.share(ops) / every)
        .sum()
}

struct WritesAreWholeAndSynced;
impl Check for WritesAreWholeAndSynced {
    fn check<R: Runtime>() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let params = FileParams {
            file_mode: FileMode::Write,
            sync_every: Some(10),
            ..tiny(dir.path())
        };
        let out = run::<R>("file", &params)?;
        expect(out.get("ok") == 200, "every write must be whole", &out)?;
        expect(
            out.get("syncs") == syncs_expected::<R>(200, 10),
            "one fdatasync per 10 writes of a shard",
            &out,
        )?;
        left_empty(dir.path())
    }
}

#[test]
fn writes_are_whole_and_synced_on_every_runtime() {
    on_every_runtime::<WritesAreWholeAndSynced>();
}

/// `--direct` reads and writes every block whole (and right), or fails the case naming
/// `O_DIRECT`; nothing is left behind either way. (tmpfs accepts `O_DIRECT`
/// since Linux 6.6, so the refusal is not forced here.)
struct DirectWorksOrSaysWhy;
impl Check for DirectWorksOrSaysWhy {
    fn check<R: Runtime>() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        for mode in [FileMode::Read, FileMode::Write] {
            let params = FileParams {
                direct: true,
                file_mode: mode,
                sync_every: Some(50),
                ..tiny(dir.path())
            };
            match run::<R>("file", &params) {
                Ok(out) => expect(
                    out.get("ok") == 200,
                    "every direct operation must be ok",
                    &out,
                )?,
                Err(e) if e.contains("O_DIRECT") => {}
                Err(e) => return Err(format!("a failed --direct case must say O_DIRECT: {e}")),
            }
        }
        left_empty(dir.path())
    }
}

#[test]
fn direct_reads_work_or_fail_with_the_reason_on_every_runtime() {
    on_every_runtime::<DirectWorksOrSaysWhy>();
}

/// A case that fails (here: a block larger than the file) fails with its
/// reason and leaves the scratch directory as it was.
struct FailedCasesLeaveNothing;
impl Check for FailedCasesLeaveNothing {
    fn check<R: Runtime>() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let params = FileParams {
            block_bytes: 2 << 20,
            ..tiny(dir.path())
        };
        match run::<R>("file", &params) {
            Err(e) if e.contains("--block-bytes") => left_empty(dir.path()),
            other => Err(format!("expected a --block-bytes error, got {other:?}")),
        }
    }
}

#[test]
fn failed_file_cases_leave_nothing_on_every_runtime() {
    on_every_runtime::<FailedCasesLeaveNothing>();
}
