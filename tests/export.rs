//! `rtbench export`, end to end: each format written to a file that parses back.

mod common;

use common::{rtbench, succeeds};

use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("report/tests/fixtures/full.json")
}

/// Runs `rtbench export` of the fixture in `format` into a file; its text.
fn exported(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    succeeds(
        rtbench()
            .arg("export")
            .arg(fixture())
            .args(["--format", format, "--out"])
            .arg(&out),
    );
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn each_format_writes_a_file_that_parses_back() {
    let csv = exported("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert!(reader.headers().unwrap().iter().any(|h| h == "wall_s"));
    assert_eq!(
        reader.records().map(Result::unwrap).count(),
        44,
        "42 runs, 2 failed cases"
    );

    let bmf: serde_json::Value = serde_json::from_str(&exported("bmf")).unwrap();
    assert!(bmf["sleep/tokio"]["latency"]["value"].as_f64().unwrap() > 0.0);

    let entries: Vec<serde_json::Value> =
        serde_json::from_str(&exported("github-action-benchmark")).unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["name"] == "sleep/tokio time" && e["unit"] == "s")
    );
}

#[test]
fn without_out_it_prints_and_bad_input_is_one_line() {
    let printed = succeeds(
        rtbench()
            .arg("export")
            .arg(fixture())
            .args(["--format", "bmf"]),
    );
    serde_json::from_slice::<serde_json::Value>(&printed.stdout).unwrap();

    for (args, expected) in [
        (vec!["--format", "xml"], "--format"),
        (
            vec!["--format", "csv", "--out", "/no/such/dir/f.csv"],
            "/no/such/dir/f.csv",
        ),
    ] {
        let out = rtbench()
            .arg("export")
            .arg(fixture())
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.lines().next().unwrap().contains(expected),
            "{stderr}"
        );
    }
    let missing = rtbench()
        .args(["export", "no/such.json", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .starts_with("error: cannot read results file no/such.json")
    );
}
