//! A workload is one file and one registry line: the example workload
//! (workloads/src/example.rs, registered behind the `example-workload`
//! feature, which the tests' build turns on) is listed, runs, fills its
//! table and describes itself in the results, with no other edit anywhere.

mod common;

use common::{rtbench, succeeds};
use rtbench_report::{ResultsFile, Workload};

#[test]
fn list_shows_it_with_its_description_defaults_and_preset_sizes() {
    let list = String::from_utf8(succeeds(rtbench().arg("list")).stdout).unwrap();
    let line = (list.lines())
        .find(|l| l.contains("│ example "))
        .unwrap_or_else(|| panic!("no example row in:\n{list}"));
    assert!(line.contains("Spawned tasks that each hand back"), "{line}");
    assert!(list.contains("--ops 10000 --in-flight 100"), "{list}");
    assert!(list.contains("--ops 1000000"), "its full preset:\n{list}");
}

#[test]
fn a_group_name_selects_it_and_an_unknown_name_lists_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    succeeds(
        rtbench()
            .args(["run", "--workloads", "examples", "--runtimes", "smol-local"])
            .args(["--ops", "50", "--reps", "1", "--out"])
            .arg(dir.path()),
    );
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    assert_eq!(results.cases[0].workload, Workload::named("example"));
    let bad = rtbench()
        .args(["run", "--workloads", "nap"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr.contains("'nap'") && stderr.contains("examples"),
        "{stderr}"
    );
}

#[test]
fn its_flags_are_flags_of_run() {
    let help = String::from_utf8(succeeds(rtbench().args(["run", "--help"])).stdout).unwrap();
    assert!(help.contains("example: tasks in total"), "{help}");
}

#[test]
fn it_runs_and_its_case_describes_itself() {
    let dir = tempfile::tempdir().unwrap();
    let out = succeeds(
        rtbench()
            .args([
                "run",
                "--workloads",
                "example",
                "--runtimes",
                "tokio-current-thread,smol",
            ])
            .args([
                "--ops",
                "300,600",
                "--in-flight",
                "7",
                "--reps",
                "2",
                "--out",
            ])
            .arg(dir.path()),
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("example: "), "its table:\n{table}");
    assert!(
        table.contains("ops 300"),
        "its swept parameter in words:\n{table}"
    );
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    assert_eq!(results.cases.len(), 4, "two runtimes × two --ops");
    for case in &results.cases {
        assert_eq!(case.workload, Workload::named("example"));
        assert_eq!(case.params.number("in_flight"), Some(7));
        assert!(case.about.description.contains("hand back their id"));
        assert_eq!(case.about.operation, "task");
        let in_flight = case
            .about
            .params
            .iter()
            .find(|p| p.name == "in_flight")
            .unwrap();
        assert_eq!(in_flight.description, "tasks running at once");
        for run in &case.runs {
            assert_eq!(
                run.counts.get("ok"),
                Some(&case.params.ops),
                "{:?}",
                run.counts
            );
        }
        assert!(case.summary.as_ref().unwrap().throughput.is_some());
    }
    let markdown = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    assert!(
        markdown.contains("in flight 7"),
        "its parameters in words:\n{markdown}"
    );
}
