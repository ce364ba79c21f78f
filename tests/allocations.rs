//! Allocations per operation from the real child: counted when
//! RTBENCH_ALLOCATIONS=on (counts mode sets it), each extra task of the
//! example workload adding its known allocations, and absent with the
//! reason in wall mode.

mod common;

use common::{rtbench, succeeds};
use rtbench_report::ResultsFile;
use rtbench_report::count::Count;
use rtbench_report::figure::Figure;

/// Runs the example workload on tokio-current-thread at 300 and 600 tasks,
/// with the allocation counter `on` or not.
fn example(on: bool) -> ResultsFile {
    let dir = tempfile::tempdir().unwrap();
    let mut command = rtbench();
    command
        .args(["run", "--workloads", "example", "--runtimes"])
        .args([
            "tokio-current-thread",
            "--ops",
            "300,600",
            "--in-flight",
            "7",
        ])
        .args(["--reps", "2", "--out"])
        .arg(dir.path())
        .env_remove("RTBENCH_ALLOCATIONS");
    if on {
        command.env("RTBENCH_ALLOCATIONS", "on");
    }
    succeeds(&mut command);
    ResultsFile::read(&dir.path().join("results.json")).unwrap()
}

/// Every task of the example is one spawned task (tokio's task cell) and
/// one future in its `FuturesUnordered` (its node): 300 more tasks are 600
/// more allocations, on a single thread the same in every run.
#[test]
fn each_extra_task_adds_its_two_allocations() {
    let results = example(true);
    let allocations = |ops: u64| -> Vec<u64> {
        let case = (results.cases.iter())
            .find(|c| c.params.ops == ops)
            .unwrap();
        (case.runs.iter())
            .map(|r| r.counted.as_ref().unwrap().allocations.unwrap())
            .collect()
    };
    let (small, large) = (allocations(300), allocations(600));
    assert_eq!(small[0], small[1], "the same work, the same allocations");
    assert_eq!(large[0] - small[0], 2 * 300, "{small:?} then {large:?}");
}

#[test]
fn wall_mode_says_why_they_are_absent() {
    let results = example(false);
    let why = Figure::PerOp(Count::Allocations)
        .absent(&results.cases[0])
        .unwrap();
    assert!(why.contains("--measure counts only"), "{why}");
    assert!(why.contains("RTBENCH_ALLOCATIONS=on"), "{why}");
}
