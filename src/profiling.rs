//! `--profile`: one more repetition of a case under callgrind, whose output
//! is kept beside the results as the case's profile (see
//! `rtbench_report::profile`). It counts what the counts count: only the
//! workload's own work where the child marks it, the whole program otherwise.

use std::path::Path;
use std::time::Duration;

use rtbench_report::profile::ProfileRecord;

use crate::counts::Scope;
use crate::counts_case;
use crate::job::CaseJob;

/// Callgrind keeps a function's costs apart per chain of its nearest callers,
/// this deep, so the stacks rebuilt from the call graph split a cost by
/// proportion only above that depth. On tokio-current-thread's sleep the
/// stacks built without it differed from those at depth 30 by 5 % of the
/// instructions, at depth 8 by 1 %; it made callgrind 10 % slower.
const CALLERS: u32 = 8;

/// Where the profile of the case at `index` goes, relative to the run's directory.
pub fn file_name(index: usize, job: &CaseJob) -> String {
    let slug: String = (job.case.runtime.chars())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!(
        "profiles/{index:03}-{}-{slug}.callgrind.gz",
        job.case.workload
    )
}

/// Runs `job` once under callgrind and saves its profile as `dir/file`.
/// Fails with valgrind's own reason when the program fails under it.
pub fn profile(
    job: &CaseJob,
    limit: Duration,
    dir: &Path,
    file: &str,
) -> Result<ProfileRecord, String> {
    let failed = |why: String| format!("profile under valgrind: {why}");
    let out = tempfile::tempdir()
        .map_err(|e| failed(format!("cannot make a temporary directory: {e}")))?;
    let scope = job.scope;
    let callers = [format!("--separate-callers={CALLERS}")];
    counts_case::run_under_valgrind(&job.native(), job, scope, limit, &callers, out.path())
        .map_err(failed)?;
    let ops = job.case.params.ops.max(1);
    let mut record = ProfileRecord::save(out.path(), dir, file, ops).map_err(failed)?;
    match scope {
        Scope::Marked => {}
        Scope::FixedPart => record.notes.push(
            "the whole program, the interpreter's start included: its fixed part cannot be \
             taken out function by function"
                .into(),
        ),
        Scope::Totals => record.notes.push(
            "the whole program and every process it started, per run of it \
             (rtbench knows no operations of a command)"
                .into(),
        ),
    }
    Ok(record)
}
