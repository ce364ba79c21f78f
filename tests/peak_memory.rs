//! Peak memory is the child's own: a program that allocates nothing reports
//! what GNU time reports for it, not rtbench's resident size, and a child
//! killed past its time limit takes its program with it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

use common::{rtbench, succeeds};
use rtbench_report::{CaseStatus, ResultsFile};

/// GNU time, which .ci/run installs (Debian's `time` package).
const GNU_TIME: &str = "/usr/bin/time";
/// How far rtbench's peak may be from GNU time's: its launcher's own pages.
const WITHIN_BYTES: i64 = 1_000_000;

/// A C program that returns at once, compiled into `dir` with the C
/// compiler Rust links with.
fn empty_program(dir: &Path) -> String {
    let source = dir.join("empty.c");
    std::fs::write(&source, "int main(void) { return 0; }\n").unwrap();
    let program = dir.join("empty");
    let built = Command::new("cc")
        .arg("-O2")
        .arg("-o")
        .arg(&program)
        .arg(&source)
        .status()
        .unwrap();
    assert!(built.success(), "cc failed on {}", source.display());
    program.display().to_string()
}

/// GNU time's peak (`%M`, KiB) of `sh -c line`, in bytes.
fn gnu_time_peak(line: &str) -> i64 {
    assert!(
        Path::new(GNU_TIME).exists(),
        "{GNU_TIME} is missing: install GNU time (`apt-get install time`), as .ci/run does"
    );
    let out = Command::new(GNU_TIME)
        .args(["-f", "%M", "sh", "-c", line])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kib: i64 = stderr.trim().lines().last().unwrap().parse().unwrap();
    kib * 1024
}

/// `rtbench run --runtimes none --command NAME=LINE`, into `dir`.
fn run_command(dir: &Path, timeout_s: &str, named_line: &str) -> assert_cmd::Command {
    let mut command = rtbench();
    command
        .args(["run", "--runtimes", "none", "--reps", "3", "--timeout-s"])
        .arg(timeout_s)
        .arg("--out")
        .arg(dir.join("run"))
        .arg("--command")
        .arg(named_line);
    command
}

/// The results of [`run_command`] in `dir`.
fn results(dir: &Path) -> ResultsFile {
    ResultsFile::read(&dir.join("run").join("results.json")).unwrap()
}

#[test]
fn a_program_that_allocates_nothing_reports_what_gnu_time_does() {
    let dir = tempfile::tempdir().unwrap();
    let empty = empty_program(dir.path());
    let expected = gnu_time_peak(&empty);
    succeeds(&mut run_command(
        dir.path(),
        "20",
        &format!("empty={empty}"),
    ));
    let results = results(dir.path());
    let case = &results.cases[0];
    assert_eq!(case.status, CaseStatus::Ok, "{:?}", case.error);
    for run in &case.runs {
        let peak = i64::try_from(run.peak_rss_bytes).unwrap();
        assert!(
            (peak - expected).abs() <= WITHIN_BYTES,
            "rtbench measured {peak} bytes, GNU time {expected}"
        );
    }
}

#[test]
fn a_child_killed_past_its_limit_takes_its_program_with_it() {
    let dir = tempfile::tempdir().unwrap();
    // A duration no other process on the machine sleeps, to find this one by.
    let marker = "31.4159";
    let out = run_command(dir.path(), "1", &format!("hangs=exec sleep {marker}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a case failed");
    let results = results(dir.path());
    let case = &results.cases[0];
    assert!(
        case.error.as_deref().unwrap_or("").contains("timed out"),
        "{case:?}"
    );
    // The kill is delivered as the launcher dies; allow it a moment to land.
    let deadline = Instant::now() + Duration::from_secs(10);
    while sleeping(marker) {
        assert!(Instant::now() < deadline, "sleep {marker} outlived rtbench");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a process runs `sleep marker`.
fn sleeping(marker: &str) -> bool {
    let wanted = format!("sleep\0{marker}\0");
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        std::fs::read(entry.path().join("cmdline"))
            .is_ok_and(|cmdline| cmdline == wanted.as_bytes())
    })
}
