//! The file workload from the command line: its flags and scratch directory
//! checked before anything runs, and no file left behind, even by a child
//! killed mid-run.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use rtbench_report::{CaseStatus, ResultsFile, Workload};

mod common;
use common::{rtbench, succeeds};

/// Runs `runtimes` on 300 blocks of a 1 MiB file in `mode` (writes synced
/// every 50) with the file under `scratch`, one repetition; must succeed.
fn run_file(runtimes: &str, mode: &str, scratch: &Path, out: &Path) -> ResultsFile {
    succeeds(
        rtbench()
            .args(["run", "--workloads", "file", "--runtimes", runtimes])
            .args(["--ops", "300", "--file-mb", "1", "--reps", "1"])
            .args(["--file-mode", mode, "--sync-every", "50"])
            .arg("--scratch-dir")
            .arg(scratch)
            .arg("--out")
            .arg(out),
    );
    ResultsFile::read(&out.join("results.json")).unwrap()
}

/// Runs a file case with `args`, expects exit 2 and one line containing `expected`.
fn refused(args: &[&str], expected: &str) {
    let out = rtbench()
        .args(["run", "--workloads", "file", "--runtimes", "tokio"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.starts_with("error:") && stderr.contains(expected),
        "{args:?}: {stderr}"
    );
}

#[test]
fn a_bad_scratch_directory_or_size_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let missing = missing.to_str().unwrap();
    refused(&["--scratch-dir", missing], "is not a directory");
    // procfs takes no new files, even from root.
    refused(&["--scratch-dir", "/proc"], "is not writable");
    refused(&["--file-mb", "1000000000"], "MiB free");
    refused(&["--direct", "--block-bytes", "1000"], "--block-bytes");
    refused(
        &["--file-mb", "1", "--block-bytes", "2000000"],
        "--block-bytes",
    );
}

/// Fails unless `dir` holds nothing.
fn assert_empty(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn reads_and_writes_are_counted_and_leave_nothing_behind() {
    let scratch = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for mode in ["read", "write"] {
        let results = run_file("tokio,compio", mode, scratch.path(), out.path());
        assert_eq!(results.cases.len(), 2);
        for case in &results.cases {
            assert_eq!(
                (case.workload, &case.status),
                (Workload::named("file"), &CaseStatus::Ok)
            );
            assert_eq!(case.params.own["file_mode"], mode);
            assert_eq!(case.params.number("sync_every").is_some(), mode == "write");
            let counts = &case.runs[0].counts;
            assert_eq!(counts.get("ok"), Some(&300), "{}: {counts:?}", case.runtime);
        }
        assert_empty(scratch.path());
    }
}

/// The scratch file is unlinked from the moment it exists: a child killed
/// while it reads leaves nothing, though it held the file open.
#[test]
fn a_child_killed_mid_run_leaves_no_file() {
    let scratch = tempfile::tempdir().unwrap();
    let params = format!(
        r#"{{"ops":100000000,"in_flight":8,"block_bytes":4096,"file_mb":4,"file_mode":"read","scratch_dir":"{}"}}"#,
        scratch.path().display()
    );
    let mut child = std::process::Command::cargo_bin("rtbench")
        .unwrap()
        .args(["__case", "--runtime", "tokio", "--workload", "file"])
        .args(["--threads", "1", "--params", &params])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let fds = format!("/proc/{}/fd", child.id());
    let holds_file = || {
        std::fs::read_dir(&fds).into_iter().flatten().any(|fd| {
            let target = std::fs::read_link(fd.unwrap().path()).unwrap_or_default();
            target.starts_with(scratch.path())
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !holds_file() {
        assert!(Instant::now() < deadline, "the child never opened its file");
        assert!(child.try_wait().unwrap().is_none(), "the child ended early");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_empty(scratch.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert_empty(scratch.path());
}

/// The runtime names of the machine's `python3` and `node`, those that run.
fn baselines_here() -> Vec<String> {
    let mut names = Vec::new();
    let python = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys; print(f'python3.{sys.version_info[1]}-asyncio')",
        ])
        .output();
    match python {
        Ok(out) if out.status.success() => {
            names.push(String::from_utf8(out.stdout).unwrap().trim().to_owned());
        }
        _ => eprintln!("SKIPPED: no working python3 on PATH"),
    }
    let node = std::process::Command::new("node").arg("--version").output();
    match node {
        Ok(out) if out.status.success() => names.push("node".into()),
        _ => eprintln!("SKIPPED: no working node on PATH"),
    }
    names
}

/// The Python and Node.js baselines read and write the same pattern, count
/// the same outcomes and leave nothing behind.
#[test]
fn the_baselines_check_every_block_and_leave_nothing_behind() {
    let names = baselines_here();
    if names.is_empty() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for mode in ["read", "write"] {
        let results = run_file(&names.join(","), mode, scratch.path(), out.path());
        for case in &results.cases {
            assert_eq!(
                case.status,
                CaseStatus::Ok,
                "{}: {:?}",
                case.runtime,
                case.error
            );
            let counts = &case.runs[0].counts;
            assert_eq!(counts.get("ok"), Some(&300), "{}: {counts:?}", case.runtime);
            if mode == "write" {
                assert_eq!(
                    counts.get("syncs"),
                    Some(&6),
                    "{}: {counts:?}",
                    case.runtime
                );
            }
        }
        assert_empty(scratch.path());
    }
}
