//! The results file reads back what was written, and refuses what it cannot trust.

use std::collections::BTreeMap;

use rtbench_report::summary::Summary;
use rtbench_report::{
    About, Case, CaseStatus, Host, Latency, Model, Order, Params, ResultsFile, Run, Workload,
};

fn sample() -> ResultsFile {
    let params: Params = serde_json::from_value(serde_json::json!({
        "ops": 20_000, "in_flight": 1_000, "latency_ms": 10,
        "cancel_mode": "parked", "cancel_wait_ms": 100,
        "cpus": { "server": "0", "client": "1" }
    }))
    .unwrap();
    let run = |wall_s| Run {
        wall_s,
        cpu_s: 0.25,
        peak_rss_bytes: 12_345_678,
        counts: BTreeMap::from([("completed".into(), 0), ("cancelled".into(), 20_000)]),
        latency_ns: Some(Latency {
            p50: 1_000,
            p90: 2_000,
            p99: 3_000,
            p999: 4_000,
            max: 5_000,
        }),
        io_driver: Some("io_uring".into()),
        achieved_rate: Some(4_998.5),
        send_delay_ns: Some(Latency {
            p50: 10_000,
            p90: 20_000,
            p99: 30_000,
            p999: 40_000,
            max: 50_000,
        }),
        client_cpu_s: Some(0.125),
        cpus: Some("0".into()),
        client_cpus: Some("1".into()),
        counted: None,
    };
    let runs = vec![run(0.5), run(0.7)];
    let mut case = Case {
        runtime: "tokio".into(),
        runtime_version: "1.0.0".into(),
        flavor: "multi-thread scheduler".into(),
        model: Some(Model::WorkStealing),
        threads: 2,
        task_threads: Some(2),
        loop_on_task_thread: Some(false),
        workload: Workload::named("cancel"),
        summary: None,
        profile: None,
        params,
        about: About::default(),
        status: CaseStatus::Ok,
        error: None,
        runs,
        command: None,
        stopped: None,
        source: None,
    };
    rtbench_report::results::describe_older(&mut case);
    case.summary = Summary::of(&case);
    ResultsFile {
        version: rtbench_report::results::VERSION,
        created: "2026-11-26T12:00:00+00:00".into(),
        host: Host {
            cpu_model: "Some CPU".into(),
            cores: 2,
            kernel: "6.1".into(),
            rustc: "rustc 1.95.0".into(),
            arch: Some("aarch64".into()),
        },
        order: Some(Order::Interleaved),
        measure: None,
        tools: None,
        cases: vec![case],
    }
}

#[test]
fn a_written_file_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let results = sample();
    results.write(&path).unwrap();
    assert_eq!(ResultsFile::read(&path).unwrap(), results);
    let summary = results.cases[0].summary.unwrap();
    assert_eq!(summary.wall_s.median, 0.6);
    assert_eq!(summary.throughput.unwrap().max, 20_000.0 / 0.5);
    assert_eq!((summary.wall_s.n, summary.wall_s.mean), (2, 0.6));
}

#[test]
fn statistics_are_computed_again_from_the_runs_on_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let mut value = serde_json::to_value(sample()).unwrap();
    // A run removed by hand, its summary left stale.
    value["cases"][0]["runs"].as_array_mut().unwrap().remove(1);
    std::fs::write(&path, value.to_string()).unwrap();
    let read = ResultsFile::read(&path).unwrap();
    let wall = read.cases[0].summary.unwrap().wall_s;
    assert_eq!((wall.n, wall.median, wall.max), (1, 0.5, 0.5));
    // No summaries at all: still complete.
    for case in value["cases"].as_array_mut().unwrap() {
        case.as_object_mut().unwrap().remove("summary");
    }
    std::fs::write(&path, value.to_string()).unwrap();
    let read = ResultsFile::read(&path).unwrap();
    assert_eq!(read.cases[0].summary.unwrap().wall_s.median, 0.5);
}

#[test]
fn a_version_1_file_is_read_with_every_statistic() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"version\": 1"),
        "the fixture is a version 1 file"
    );
    let read = ResultsFile::read(&path).unwrap();
    assert_eq!((read.version, read.order), (1, None));
    let case = read.cases.iter().find(|c| c.summary.is_some()).unwrap();
    let wall = case.summary.unwrap().wall_s;
    assert_eq!(wall.n, case.runs.len());
    assert!(wall.ci_low <= wall.median && wall.median <= wall.ci_high);
}

#[test]
fn a_corrupt_file_is_refused_in_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"version\": 1, \"cases\": [").unwrap();
    let error = ResultsFile::read(&path).unwrap_err();
    assert!(
        error.contains("broken.json") && error.contains("corrupt"),
        "{error}"
    );
    assert!(!error.contains('\n'), "{error}");
}

#[test]
fn another_version_is_refused_in_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.json");
    let mut value = serde_json::to_value(sample()).unwrap();
    value["version"] = 99.into();
    std::fs::write(&path, value.to_string()).unwrap();
    let error = ResultsFile::read(&path).unwrap_err();
    assert!(
        error.contains("future.json") && error.contains("version 99"),
        "{error}"
    );
    assert!(!error.contains('\n'), "{error}");
}

#[test]
fn a_missing_file_is_refused_naming_it() {
    let error = ResultsFile::read("no/such/results.json".as_ref()).unwrap_err();
    assert!(error.contains("no/such/results.json"), "{error}");
}

#[test]
fn every_earlier_version_reads_with_its_workloads_described_as_it_was() {
    for (name, version) in [("full.json", 1), ("commands.json", 2), ("counts.json", 3)] {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(raw["version"], version, "{name}");
        let file = ResultsFile::read(&path).unwrap();
        for case in &file.cases {
            let about = &case.about;
            assert!(!about.description.is_empty(), "{name}: {case:?}");
            assert_eq!(about.per_op(), case.workload != Workload::COMMAND, "{name}");
            if case.workload == Workload::named("sleep") {
                // Hand-computed as those versions did: ops × latency / in-flight.
                let p = &case.params;
                let ideal = p.ops as f64 * p.number("latency_ms").unwrap() as f64
                    / 1e3
                    / p.number("in_flight").unwrap() as f64;
                assert_eq!(about.ideal_s, ideal, "{name}");
                assert_eq!(
                    about.words("fail_every"),
                    ("failing every".into(), "th".into())
                );
            }
            if case.workload == Workload::named("cancel") {
                assert_eq!(
                    about.ideal_s, 0.0,
                    "cancelled tasks never wait out their timer"
                );
            }
        }
    }
}

#[test]
fn the_cpus_a_case_was_pinned_to_are_kept_apart_from_its_own_parameters() {
    let case = &sample().cases[0];
    let pinned = case.params.cpus.as_ref().expect("read from the file");
    assert_eq!((pinned.server.as_str(), pinned.client.as_str()), ("0", "1"));
    assert!(!case.params.own.contains_key("cpus"));
    assert_eq!(pinned.to_string(), "server on CPUs 0 / client on CPUs 1");
    // A file written before `--pin` has neither field, and reads.
    let mut value = serde_json::to_value(sample()).unwrap();
    value["cases"][0]["params"]
        .as_object_mut()
        .unwrap()
        .remove("cpus");
    for run in value["cases"][0]["runs"].as_array_mut().unwrap() {
        run.as_object_mut().unwrap().remove("cpus");
    }
    let old: ResultsFile = serde_json::from_value(value).unwrap();
    assert_eq!(old.cases[0].params.cpus, None);
    assert_eq!(old.cases[0].runs[0].cpus, None);
}
