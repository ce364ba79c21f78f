//! `--preset`: named sizes that flags given alongside override, shown by `list`.

mod common;

use common::{rtbench, succeeds};

use rtbench_report::ResultsFile;

#[test]
fn a_preset_sets_the_sizes_and_a_flag_given_too_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    succeeds(
        rtbench()
            .args(["run", "--preset", "quick", "--ops", "300"])
            .args([
                "--runtimes",
                "tokio-current-thread",
                "--workloads",
                "sleep,cancel",
            ])
            .args(["--reps", "1", "--out"])
            .arg(dir.path()),
    );
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    assert_eq!(results.cases.len(), 2);
    for case in &results.cases {
        // --ops from the flag, --in-flight from `quick`, the rest from the workload's defaults.
        assert_eq!(
            (case.params.ops, case.params.number("in_flight")),
            (300, Some(1_000)),
            "{case:?}"
        );
        let count = |name: &str| case.runs[0].counts.get(name).copied().unwrap_or(0);
        match case.workload.name() {
            "sleep" => assert_eq!(count("ok") + count("failed"), 300),
            _ => assert_eq!(count("created"), 300),
        }
    }
    assert_eq!(results.cases[0].params.number("fail_every"), Some(1000));
}

#[test]
fn list_shows_the_presets_and_an_unknown_one_is_refused() {
    let list = succeeds(rtbench().arg("list"));
    let text = String::from_utf8(list.stdout).unwrap();
    for preset in ["quick", "ci", "full", "--ops 1000000 --in-flight 5000"] {
        assert!(text.contains(preset), "{preset} missing from:\n{text}");
    }
    let bad = rtbench()
        .args(["run", "--preset", "huge"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("'huge'") && stderr.contains("--preset"),
        "{stderr}"
    );
}
