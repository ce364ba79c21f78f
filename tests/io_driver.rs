//! `--io-driver`: the driver as a dimension of the run, end to end with the
//! real binary: cases per driver, the driver each run really used, the
//! paired driver comparison, bad input, and a kernel that refuses io_uring.

use rtbench_report::{CaseStatus, IoDriver, ResultsFile};

mod common;
use common::{rtbench, succeeds};

#[test]
fn each_runtime_runs_on_each_driver_named_and_the_two_are_compared_paired() {
    let dir = tempfile::tempdir().unwrap();
    let out = succeeds(
        rtbench()
            .args([
                "run",
                "--runtimes",
                "monoio,compio",
                "--io-driver",
                "uring,epoll",
            ])
            .args([
                "--workloads",
                "sleep",
                "--ops",
                "2000",
                "--reps",
                "6",
                "--out",
            ])
            .arg(dir.path()),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    let cases: Vec<(&str, Option<IoDriver>)> = (results.cases.iter())
        .map(|c| (c.runtime.as_str(), c.params.io_driver))
        .collect();
    assert_eq!(
        cases,
        [
            ("monoio", Some(IoDriver::IoUring)),
            ("monoio", Some(IoDriver::Epoll)),
            ("compio", Some(IoDriver::IoUring)),
            ("compio", Some(IoDriver::Epoll)),
        ]
    );
    for case in &results.cases {
        assert_eq!(case.status, CaseStatus::Ok, "{:?}", case.error);
        assert_eq!(case.runs.len(), 6);
        // The driver each run reports having started on is the one asked for.
        let asked = case.params.io_driver.map(|d| d.name().to_owned());
        assert!(case.runs.iter().all(|r| r.io_driver == asked), "{case:?}");
    }
    for runtime in ["monoio", "compio"] {
        let verdict = format!("sleep: {runtime} (io_uring) → {runtime} (epoll): time ");
        let line = stdout.lines().find(|l| l.starts_with(&verdict));
        assert!(line.is_some_and(|l| l.ends_with("(paired)")), "{stdout}");
    }
    let compare = std::fs::read_to_string(dir.path().join("compare.md")).unwrap();
    assert!(
        compare.contains("| monoio: io\\_uring → epoll | time (s)"),
        "{compare}"
    );
    assert!(
        compare.contains("| compio: io\\_uring → epoll | time (s)"),
        "{compare}"
    );
    let table = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    for label in [
        "monoio (io\\_uring)",
        "monoio (epoll)",
        "compio (io\\_uring)",
        "compio (epoll)",
    ] {
        assert!(table.contains(&format!("| {label}")), "{label}: {table}");
    }
}

#[test]
fn an_unknown_driver_is_a_one_line_error() {
    let out = rtbench()
        .args(["run", "--io-driver", "uring,bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error:") && first.contains("--io-driver") && first.contains("'bogus'"),
        "{stderr}"
    );
}

/// A runtime with one driver runs on it when it is named, and is left out,
/// with a note, when it is not; with nothing left, the run is refused.
#[test]
fn a_runtime_without_the_driver_named_is_left_out_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let out = succeeds(
        rtbench()
            .args(["run", "--runtimes", "tokio,monoio", "--io-driver", "uring"])
            .args([
                "--workloads",
                "sleep",
                "--ops",
                "200",
                "--reps",
                "1",
                "--out",
            ])
            .arg(dir.path()),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: tokio runs on epoll only, so --io-driver uring gives it no case"),
        "{stderr}"
    );
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    let cases: Vec<(&str, Option<IoDriver>)> = (results.cases.iter())
        .map(|c| (c.runtime.as_str(), c.params.io_driver))
        .collect();
    assert_eq!(cases, [("monoio", Some(IoDriver::IoUring))]);

    let out = rtbench()
        .args(["run", "--runtimes", "tokio", "--io-driver", "uring"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: nothing to run: tokio runs on epoll only"),
        "{stderr}"
    );
}

/// Set in the copy of this test binary that runs rtbench under a filter
/// refusing `io_uring_setup`, to the directory for its results.
const REFUSED: &str = "RTBENCH_TEST_IO_URING_REFUSED";

/// Where the kernel refuses io_uring (here a seccomp filter answers
/// `io_uring_setup` with EPERM, as a container's profile or
/// `kernel.io_uring_disabled` would), the io_uring cases fail with the
/// kernel's reason and the epoll cases run.
#[cfg(target_os = "linux")]
#[test]
fn refused_io_uring_fails_its_cases_with_the_reason_and_epoll_runs() {
    if let Some(dir) = std::env::var_os(REFUSED) {
        return refuse_io_uring_and_run(dir.into());
    }
    let dir = tempfile::tempdir().unwrap();
    let test = std::env::current_exe().unwrap();
    let out = std::process::Command::new(test)
        .args([
            "--exact",
            "refused_io_uring_fails_its_cases_with_the_reason_and_epoll_runs",
        ])
        .args(["--nocapture", "--test-threads", "1"])
        .env(REFUSED, dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A failed case makes the run exit 1, after everything was measured.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    assert_eq!(results.cases.len(), 4);
    for case in &results.cases {
        match case.params.io_driver {
            Some(IoDriver::IoUring) => {
                assert_eq!(case.status, CaseStatus::Failed);
                let error = case.error.as_deref().unwrap_or_default();
                let reason = format!(
                    "{} could not start on io_uring: Operation not permitted",
                    case.runtime
                );
                assert!(error.contains(&reason), "{error}");
            }
            _ => {
                assert_eq!(case.status, CaseStatus::Ok, "{:?}", case.error);
                assert!(
                    case.runs
                        .iter()
                        .all(|r| r.io_driver.as_deref() == Some("epoll"))
                );
            }
        }
    }
}

/// In the copy: installs the filter on this thread, which `exec` keeps, and
/// becomes `rtbench run`, whose children inherit it.
#[cfg(target_os = "linux")]
fn refuse_io_uring_and_run(dir: std::path::PathBuf) {
    use seccompiler::{BpfProgram, SeccompAction, SeccompFilter};
    use std::os::unix::process::CommandExt;

    let rules = [(libc::SYS_io_uring_setup, Vec::new())]
        .into_iter()
        .collect();
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        std::env::consts::ARCH.try_into().unwrap(),
    )
    .unwrap();
    let program: BpfProgram = filter.try_into().unwrap();
    seccompiler::apply_filter(&program).unwrap();
    let error = std::process::Command::new(env!("CARGO_BIN_EXE_rtbench"))
        .args([
            "run",
            "--runtimes",
            "monoio,compio",
            "--io-driver",
            "uring,epoll",
        ])
        .args([
            "--workloads",
            "sleep",
            "--ops",
            "200",
            "--reps",
            "1",
            "--out",
        ])
        .arg(dir)
        .exec();
    panic!("cannot run rtbench: {error}");
}
