//! External runtimes end to end: interpreters run the project's baselines as
//! commands, measured and recorded exactly like Rust cases.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rtbench_report::{Case, CaseStatus, ResultsFile};

const RECORD: &str = r#"{"wall_s":0.25,"counts":{"ok":9,"failed":1},"latency_ns":{"p50":1,"p90":2,"p99":3,"p999":4,"max":5}}"#;

/// A fake Python: answers `--version` as Python `version`, fails to import
/// uvloop, and runs any case as `behaviour`.
fn fake_python(dir: &Path, version: &str, behaviour: &str) -> PathBuf {
    let path = dir.join(format!("fake-python-{version}"));
    let script = format!(
        "#!/bin/sh\ncase \"$1\" in\n  --version) echo 'Python {version}' ;;\n  -c) exit 1 ;;\n  *) {behaviour} ;;\nesac\n"
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Runs rtbench with `args` into a fresh directory and returns its results.
fn run(args: &[&str], extra: &[PathBuf]) -> (std::process::Output, ResultsFile) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let mut command = Command::cargo_bin("rtbench").unwrap();
    command.args(args).arg("--out").arg(&out);
    for python in extra {
        command.arg("--python").arg(python);
    }
    let output = command.output().unwrap();
    let results = ResultsFile::read(&out.join("results.json")).unwrap_or_else(|e| {
        panic!("{e}\n{}", String::from_utf8_lossy(&output.stderr));
    });
    (output, results)
}

fn case<'a>(results: &'a ResultsFile, runtime: &str, workload: &str) -> &'a Case {
    results
        .cases
        .iter()
        .find(|c| c.runtime == runtime && c.workload.name() == workload)
        .unwrap_or_else(|| panic!("no {runtime} {workload} case in {results:?}"))
}

#[test]
fn external_commands_are_recorded_like_rust_cases() {
    let dir = tempfile::tempdir().unwrap();
    let pythons = [
        fake_python(dir.path(), "3.91.0", &format!("echo '{RECORD}'")),
        fake_python(dir.path(), "3.92.0", "echo 'this is not json'"),
        fake_python(dir.path(), "3.93.0", "echo 'it broke' >&2; exit 4"),
    ];
    let runtimes = "python3.91-asyncio,python3.92-asyncio,python3.93-asyncio";
    let (output, results) = run(
        &[
            "run",
            "--runtimes",
            runtimes,
            "--workloads",
            "sleep",
            "--ops",
            "10",
            "--reps",
            "1",
        ],
        &pythons,
    );
    assert!(
        !output.status.success(),
        "a run with failed cases exits non-zero"
    );

    let ok = case(&results, "python3.91-asyncio", "sleep");
    assert_eq!(ok.status, CaseStatus::Ok, "{ok:?}");
    assert_eq!(ok.runtime_version, "3.91.0");
    assert_eq!(ok.runs[0].counts["ok"], 9);
    assert!(ok.runs[0].peak_rss_bytes > 0, "measured from outside");
    let reason = |runtime: &str| {
        let failed = case(&results, runtime, "sleep");
        assert_eq!(failed.status, CaseStatus::Failed, "{failed:?}");
        failed.error.clone().unwrap()
    };
    let garbage = reason("python3.92-asyncio");
    assert!(
        garbage.contains("invalid record") && garbage.contains("this is not json"),
        "{garbage}"
    );
    let exited = reason("python3.93-asyncio");
    assert!(
        exited.contains("exit status: 4") && exited.contains("it broke"),
        "{exited}"
    );
}

#[test]
fn an_external_command_that_hangs_is_killed_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let hangs = fake_python(dir.path(), "3.94.0", "exec sleep 30");
    let (_, results) = run(
        &[
            "run",
            "--runtimes",
            "python3.94-asyncio",
            "--workloads",
            "sleep",
            "--ops",
            "10",
            "--reps",
            "1",
            "--timeout-s",
            "1",
        ],
        &[hangs],
    );
    let hung = case(&results, "python3.94-asyncio", "sleep");
    assert!(
        hung.error.as_deref().unwrap_or("").contains("timed out"),
        "{hung:?}"
    );
}

/// The machine's `python3`, or a printed reason to skip.
fn python3() -> Option<PathBuf> {
    let found = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if found.is_ok_and(|out| out.status.success()) {
        Some("python3".into())
    } else {
        eprintln!("SKIPPED: no working python3 on PATH; the asyncio baseline is not tested here");
        None
    }
}

/// The runtime name rtbench gives the machine's `python3`.
fn python3_runtime() -> String {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys; print(f'python3.{sys.version_info[1]}-asyncio')",
        ])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// One repetition of `workloads` on the real Python runtime `name`, 20,000
/// operations, 1,000 in flight; it must succeed.
fn run_real(name: &str, workloads: &str, python: PathBuf) -> ResultsFile {
    let (output, results) = run(
        &[
            "run",
            "--runtimes",
            name,
            "--workloads",
            workloads,
            "--ops",
            "20000",
            "--in-flight",
            "1000",
            "--reps",
            "1",
        ],
        &[python],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    results
}

#[test]
fn the_asyncio_baseline_counts_exactly() {
    let Some(python) = python3() else { return };
    let name = python3_runtime();
    let results = run_real(&name, "sleep,cancel", python);
    let sleep = &case(&results, &name, "sleep").runs[0].counts;
    assert_eq!((sleep["ok"], sleep["failed"]), (19_980, 20));
    let cancel = &case(&results, &name, "cancel").runs[0].counts;
    assert_eq!(cancel["completed"] + cancel["cancelled"], cancel["created"]);
    assert_eq!(cancel["created"], 20_000);
    assert_eq!(cancel["errors"], 0);
}

#[test]
fn the_wait_flavour_runs_sleep_only_with_its_style_and_needs_python_3_11() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("args");
    let behaviour = format!("echo \"$@\" >> '{}'; echo '{RECORD}'", log.display());
    let pythons = [
        fake_python(dir.path(), "3.91.0", &behaviour),
        fake_python(dir.path(), "3.10.0", &behaviour),
    ];
    let (output, results) = run(
        &[
            "run",
            "--runtimes",
            "python3.91-asyncio,python3.91-asyncio-wait,python3.10-asyncio-wait",
            "--workloads",
            "sleep,cancel",
            "--ops",
            "10",
            "--reps",
            "1",
        ],
        &pythons,
    );
    assert!(!output.status.success(), "3.10 cannot run the wait flavour");
    let names: Vec<(&str, &str)> = (results.cases.iter())
        .map(|c| (c.runtime.as_str(), c.workload.name()))
        .collect();
    assert_eq!(
        names,
        [
            ("python3.91-asyncio", "sleep"),
            ("python3.91-asyncio-wait", "sleep"),
            ("python3.10-asyncio-wait", "sleep"),
            ("python3.91-asyncio", "cancel"),
        ]
    );
    let args = std::fs::read_to_string(&log).unwrap();
    // Each repetition also runs with one operation: its fixed part, which the
    // kernel's counts leave out (guide: counts).
    let styles: Vec<bool> = (args.lines())
        .filter(|l| !l.contains(r#""ops":1,"#))
        .map(|l| l.contains("--style wait"))
        .collect();
    assert_eq!(styles, [false, true, false], "{args}");
    let old = case(&results, "python3.10-asyncio-wait", "sleep");
    assert!(
        old.error.as_deref().unwrap().contains("3.11"),
        "{:?}",
        old.error
    );
}

#[test]
fn the_wait_style_counts_exactly() {
    let Some(python) = python3() else { return };
    let name = format!("{}-wait", python3_runtime());
    let version = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.version_info >= (3, 11))"])
        .output()
        .unwrap();
    if String::from_utf8_lossy(&version.stdout).trim() != "True" {
        eprintln!("SKIPPED: python3 is older than 3.11, which the wait style needs");
        return;
    }
    let results = run_real(&name, "sleep", python);
    let run = &case(&results, &name, "sleep").runs[0];
    assert_eq!((run.counts["ok"], run.counts["failed"]), (19_980, 20));
    assert!(run.latency_ns.unwrap().p50 >= 1_000_000, "each waits 1 ms");
}

#[test]
fn a_case_that_runs_out_of_memory_fails_with_its_reason_and_the_sweep_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // At in-flight 1,000,000 the interpreter really asks for 16 TiB, which no
    // machine grants: Python raises MemoryError and exits 1.
    let behaviour = format!(
        "case \"$*\" in *'\"in_flight\":1000000'*) exec python3 -c 'bytearray(1 << 44)' ;; \
         *) echo '{RECORD}' ;; esac"
    );
    let python = fake_python(dir.path(), "3.95.0", &behaviour);
    let (output, results) = run(
        &[
            "run",
            "--runtimes",
            "python3.95-asyncio",
            "--workloads",
            "sleep",
            "--ops",
            "1000000",
            "--in-flight",
            "1000,1000000,10000",
            "--reps",
            "1",
        ],
        &[python],
    );
    assert_eq!(output.status.code(), Some(1), "a failed case exits 1");
    let outcome: Vec<(u64, CaseStatus)> = results
        .cases
        .iter()
        .map(|c| (c.params.number("in_flight").unwrap(), c.status))
        .collect();
    assert_eq!(
        outcome,
        [
            (1_000, CaseStatus::Ok),
            (1_000_000, CaseStatus::Failed),
            (10_000, CaseStatus::Ok)
        ]
    );
    let reason = results.cases[1].error.clone().unwrap();
    assert!(
        reason.starts_with("out of memory: exited with exit status: 1")
            && reason.contains("MemoryError"),
        "{reason}"
    );
}
