//! `NAME@VERSION` and `NAME@DIR` end to end: bad variants stop the run in
//! one line, and a variant of the version rtbench was built with is built,
//! run alternately with the plain runtime, recorded and compared.

use assert_cmd::Command;
use rtbench_report::{ResultsFile, Source};

fn rtbench() -> Command {
    Command::cargo_bin("rtbench").unwrap()
}

/// The run's first stderr line, which must be a one-line error.
fn refused(runtimes: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = rtbench()
        .args([
            "run",
            "--workloads",
            "sleep",
            "--ops",
            "100",
            "--runtimes",
            runtimes,
        ])
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{runtimes}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let first = stderr.lines().next().unwrap_or_default().to_owned();
    assert!(first.starts_with("error: --runtimes "), "{stderr}");
    first
}

#[test]
fn bad_variants_stop_before_anything_runs() {
    let missing = refused("tokio,tokio@/nonexistent");
    assert!(
        missing.contains("/nonexistent is not a directory"),
        "{missing}"
    );
    let not_tokio = refused(&format!("tokio,tokio@{}", env!("CARGO_MANIFEST_DIR")));
    assert!(
        not_tokio.contains("holds no Cargo.toml of the tokio crate"),
        "{not_tokio}"
    );
    let unknown = refused("nosuch@1.0");
    assert!(unknown.contains("unknown runtime 'nosuch'"), "{unknown}");
    let empty = refused("tokio@");
    assert!(empty.contains("nothing after '@'"), "{empty}");
}

#[test]
fn a_version_that_does_not_exist_is_one_line() {
    let line = refused("tokio,tokio@0.0.1");
    assert!(
        line.contains("tokio@0.0.1") && line.contains("0.0.1"),
        "{line}"
    );
    assert!(line.contains("cargo info tokio"), "{line}");
}

/// Builds the workspace once more with tokio pinned to the version already
/// locked (minutes on a 2-core machine the first time, seconds after).
#[test]
fn a_variant_is_built_alternated_recorded_and_compared() {
    let locked = rtbench_runtimes::adapters()
        .into_iter()
        .find(|a| a.name == "tokio-current-thread")
        .unwrap()
        .version;
    let variant = format!("tokio-current-thread@{locked}");
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &std::path::Path| {
        rtbench()
            .args([
                "run",
                "--workloads",
                "sleep",
                "--ops",
                "1000",
                "--in-flight",
                "50",
            ])
            .args(["--reps", "6", "--runtimes"])
            .arg(format!("tokio-current-thread,{variant}"))
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let first = run(&dir.path().join("first"));
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    let results = ResultsFile::read(&dir.path().join("first/results.json")).unwrap();
    let names: Vec<&str> = results.cases.iter().map(|c| c.runtime.as_str()).collect();
    assert_eq!(names, ["tokio-current-thread", variant.as_str()]);
    for case in &results.cases {
        assert_eq!(case.runtime_version, locked);
        assert_eq!(case.source, Some(Source::Registry));
        assert_eq!(case.runs.len(), 6);
        assert!(case.runs.iter().all(|r| r.counts["ok"] == 999));
    }
    let compare = std::fs::read_to_string(dir.path().join("first/compare.md")).unwrap();
    assert!(
        compare.contains("paired: both sides are cases of one interleaved run"),
        "{compare}"
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains(&format!("sleep: tokio-current-thread → {variant}: time ")),
        "{stdout}"
    );
    // Nothing changed: the second run rebuilds nothing.
    let second = run(&dir.path().join("second"));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("{variant}: up to date in")),
        "{stderr}"
    );
}
