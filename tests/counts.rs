//! `--measure counts`, end to end: the real binary under the real valgrind,
//! at a few operations so that it stays quick.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

use rtbench_report::counted::{Counted, Measure};
use rtbench_report::{Case, CaseStatus, ResultsFile};

mod common;
use common::{rtbench, succeeds};

/// Runs `rtbench run --measure counts` with `args` into `out` and reads its results.
fn counts_run(out: &Path, args: &[&str]) -> (std::process::Output, ResultsFile) {
    let output = rtbench()
        .args(["run", "--measure", "counts", "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    let results = ResultsFile::read(&out.join("results.json")).unwrap();
    (output, results)
}

fn case<'a>(results: &'a ResultsFile, runtime: &str, ops: u64) -> &'a Case {
    results
        .cases
        .iter()
        .find(|c| c.runtime == runtime && c.params.ops == ops)
        .unwrap_or_else(|| panic!("no {runtime} case at {ops} ops"))
}

fn counted(case: &Case) -> Vec<&Counted> {
    case.runs
        .iter()
        .map(|r| r.counted.as_ref().unwrap())
        .collect()
}

#[test]
fn every_count_is_recorded_for_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let (output, results) = counts_run(
        dir.path(),
        &[
            "--runtimes",
            "tokio-current-thread,compio",
            "--workloads",
            "sleep",
            "--reps",
            "2",
            "--ops",
            "200",
            "--in-flight",
            "20",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(results.measure, Some(Measure::Counts));
    let tools = results.tools.as_ref().unwrap();
    assert!(tools.valgrind.as_ref().unwrap().starts_with("valgrind-3"));
    assert_eq!(
        tools.cache.as_deref(),
        Some("--I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64")
    );
    assert!(
        tools
            .syscalls
            .as_ref()
            .unwrap()
            .contains("raw_syscalls:sys_enter")
    );
    for runtime in ["tokio-current-thread", "compio"] {
        let case = case(&results, runtime, 200);
        assert_eq!(case.status, CaseStatus::Ok, "{case:?}");
        assert_eq!(case.runs.len(), 2);
        for c in counted(case) {
            assert!(c.absent.is_empty(), "{runtime}: {:?}", c.absent);
            assert!(c.instructions.unwrap() > 0, "{runtime}: {c:?}");
            assert!(c.estimated_cycles().unwrap() > c.instructions.unwrap());
            // Two hundred timers cannot be waited for without a system call.
            assert!(c.syscalls.unwrap() > 0, "{runtime}: {c:?}");
            for figure in [c.voluntary_switches, c.involuntary_switches, c.minor_faults] {
                assert!(figure.is_some(), "{runtime}: {c:?}");
            }
            // Every sleep is a spawned task, which lives on the heap.
            let allocations = c.allocations.unwrap();
            assert!(allocations >= 200, "{runtime}: {c:?}");
            assert!(
                c.allocated_bytes.unwrap() >= allocations,
                "{runtime}: {c:?}"
            );
            assert!(c.peak_live_bytes.unwrap() > 0, "{runtime}: {c:?}");
        }
    }
    // One thread, the same work: the same allocations in both runs.
    let steady = counted(case(&results, "tokio-current-thread", 200));
    assert_eq!(steady[0].allocations, steady[1].allocations);
    assert_eq!(steady[0].allocated_bytes, steady[1].allocated_bytes);
}

#[test]
fn per_operation_counts_leave_out_the_fixed_part() {
    let dir = tempfile::tempdir().unwrap();
    let (output, results) = counts_run(
        dir.path(),
        &[
            "--runtimes",
            "tokio-current-thread",
            "--workloads",
            "sleep",
            "--reps",
            "1",
            "--ops",
            "5,500,1000",
            "--in-flight",
            "10",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let per_op = |ops: u64| {
        let case = case(&results, "tokio-current-thread", ops);
        counted(case)[0].instructions.unwrap() as f64 / ops as f64
    };
    let (n, twice, handful) = (per_op(500), per_op(1000), per_op(5));
    assert!(
        (n / twice - 1.0).abs() < 0.01,
        "per op at 500: {n:.0}, at 1000: {twice:.0}"
    );
    // Process start and the runtime's construction would make five
    // operations thousands of times dearer each.
    assert!(
        handful < 2.0 * twice,
        "per op at 5: {handful:.0}, at 1000: {twice:.0}"
    );
}

#[test]
fn a_program_valgrind_cannot_run_fails_with_valgrinds_reason_and_the_others_run() {
    let dir = tempfile::tempdir().unwrap();
    // Runs natively; under valgrind (which preloads its core) it dies of SIGILL.
    let dies = r#"dies=case "$LD_PRELOAD" in *vgpreload*) kill -ILL $$;; esac"#;
    let (output, results) = counts_run(
        dir.path(),
        &[
            "--runtimes",
            "none",
            "--command",
            dies,
            "--command",
            "fine=true",
            "--reps",
            "1",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let failed = results.cases.iter().find(|c| c.runtime == "dies").unwrap();
    let error = failed.error.as_deref().unwrap();
    assert!(
        error.contains("valgrind: Process terminating with default action of signal 4"),
        "{error}"
    );
    let fine = results.cases.iter().find(|c| c.runtime == "fine").unwrap();
    assert_eq!(fine.status, CaseStatus::Ok, "{fine:?}");
    assert!(counted(fine)[0].instructions.unwrap() > 0);
}

#[test]
fn counts_without_valgrind_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = rtbench()
        .env("PATH", dir.path())
        .args(["run", "--measure", "counts", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("apt-get install valgrind"), "{stderr}");
    assert!(!out.exists(), "nothing may be written before the check");
}

/// Ctrl-C at a terminal signals the whole foreground process group; every
/// process of it, valgrind included, must be gone soon after.
#[test]
fn ctrl_c_leaves_no_valgrind_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rtbench"))
        .args([
            "run",
            "--measure",
            "counts",
            "--runtimes",
            "tokio-current-thread",
        ])
        .args([
            "--workloads",
            "sleep",
            "--ops",
            "100000",
            "--reps",
            "1",
            "--out",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let group = child.id().to_string();
    let members = || -> Vec<String> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("stat")).ok())
            .filter(|stat| {
                // pid (comm) state ppid pgrp ...: the group is the 3rd field after comm.
                stat.rsplit_once(") ")
                    .and_then(|(_, rest)| rest.split(' ').nth(2))
                    .is_some_and(|pgrp| pgrp == group)
            })
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !members().iter().any(|stat| stat.contains("grind")) {
        assert!(Instant::now() < deadline, "valgrind never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    let pgid = nix::unistd::Pid::from_raw(-(child.id() as i32));
    nix::sys::signal::kill(pgid, nix::sys::signal::Signal::SIGINT).unwrap();
    let _ = child.wait();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !members().is_empty() {
        assert!(Instant::now() < deadline, "left behind: {:?}", members());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A program that cannot count its own system calls is counted from
/// outside, every process it starts included (wall mode: no valgrind needed).
#[test]
fn a_commands_system_calls_are_counted_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    succeeds(
        rtbench()
            .args(["run", "--runtimes", "none", "--reps", "2", "--out"])
            .arg(dir.path())
            .args([
                "--command",
                "forks=for i in 1 2 3 4 5 6 7 8 9 10; do cat /dev/null; done",
            ]),
    );
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    for c in counted(&results.cases[0]) {
        // Each `cat` is a process of its own: an exec, its loading, an open,
        // a read, an exit — dozens of calls, none made by the shell itself.
        assert!(c.syscalls.unwrap() > 10 * 20, "{c:?}");
        assert!(c.minor_faults.unwrap() > 0, "{c:?}");
    }
}
