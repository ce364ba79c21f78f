//! Sweeps end to end: comma-separated size flags make the cases, and the
//! report draws their scaling charts.

mod common;

use common::{rtbench, succeeds};

use rtbench_report::ResultsFile;

#[test]
fn a_sweep_runs_the_product_of_its_lists_and_draws_scaling_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let run = succeeds(
        rtbench()
            .args([
                "run",
                "--workloads",
                "sleep",
                "--runtimes",
                "tokio,smol-local",
            ])
            .args(["--ops", "400", "--in-flight", "10,100", "--threads", "1,2"])
            .args(["--reps", "1", "--out"])
            .arg(&out),
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    // 2 in-flight values × (tokio on 1 and 2 threads + smol-local once).
    assert!(stdout.starts_with("6 cases × 1 repetitions"), "{stdout}");
    let results = ResultsFile::read(&out.join("results.json")).unwrap();
    let cases: Vec<(String, u64, usize)> = results
        .cases
        .iter()
        .map(|c| {
            (
                c.runtime.clone(),
                c.params.number("in_flight").unwrap(),
                c.threads,
            )
        })
        .collect();
    let expected = [
        ("tokio", 10, 1),
        ("smol-local", 10, 1),
        ("tokio", 10, 2),
        ("tokio", 100, 1),
        ("smol-local", 100, 1),
        ("tokio", 100, 2),
    ];
    assert_eq!(
        cases,
        expected.map(|(r, f, t)| (r.to_string(), f, t)).to_vec()
    );
    for case in &results.cases {
        assert_eq!(case.task_threads, Some(case.threads), "{case:?}");
        let on_loop = case.runtime == "smol-local";
        assert_eq!(case.loop_on_task_thread, Some(on_loop), "{case:?}");
    }
    assert!(stdout.contains("bytes per in-flight task"), "{stdout}");
    for chart in [
        "scaling-sleep-in-flight-memory.svg",
        "scaling-sleep-threads-throughput.svg",
    ] {
        assert!(out.join(chart).exists(), "{chart} missing");
    }
    std::fs::remove_file(out.join("scaling-sleep-in-flight-memory.svg")).unwrap();
    succeeds(rtbench().arg("report").arg(out.join("results.json")));
    assert!(
        out.join("scaling-sleep-in-flight-memory.svg").exists(),
        "report redraws the scaling charts from the saved file"
    );
}
