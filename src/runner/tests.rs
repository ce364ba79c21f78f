//! The runner against `sh` scripts standing in for cases.
use rtbench_report::{Host, Params, Workload};

use crate::counts;

use super::*;

const RECORD: &str = r#"{"wall_s":0.5,"counts":{"ok":9,"failed":1},"latency_ns":{"p50":1,"p90":2,"p99":3,"p999":4,"max":5}}"#;

/// A case whose repetitions run `script` under `sh`.
fn job(runtime: &str, script: &str) -> CaseJob {
    CaseJob {
        case: Case {
            runtime: runtime.to_owned(),
            runtime_version: "0".into(),
            flavor: "test".into(),
            model: None,
            threads: 1,
            task_threads: None,
            loop_on_task_thread: None,
            workload: Workload::named("sleep"),
            params: serde_json::from_value(serde_json::json!({
                "ops": 10, "in_flight": 1, "latency_ms": 1, "fail_every": 10
            }))
            .unwrap(),
            about: (rtbench_workloads::registry::find("sleep").unwrap().about)(&Params::default())
                .unwrap_or_default(),
            status: CaseStatus::Ok,
            error: None,
            runs: Vec::new(),
            command: None,
            stopped: None,
            source: None,
            summary: None,
            profile: None,
        },
        program: "sh".into(),
        args: vec!["-c".into(), script.into()],
        env: Vec::new(),
        unavailable: None,
        generator: None,
        cpus: None,
        command: None,
        scope: counts::Scope::Totals,
    }
}

fn empty() -> ResultsFile {
    ResultsFile {
        version: rtbench_report::results::VERSION,
        created: "now".into(),
        host: Host {
            cpu_model: "cpu".into(),
            cores: 1,
            kernel: "k".into(),
            rustc: "r".into(),
            arch: None,
        },
        order: None,
        measure: None,
        tools: None,
        cases: Vec::new(),
    }
}

/// A repetition that appends `name` to `log`, then reports a run.
fn logging(name: &str, log: &Path) -> CaseJob {
    job(
        name,
        &format!("echo {name} >> '{}'; echo '{RECORD}'", log.display()),
    )
}

#[test]
fn repetitions_interleave_by_default_and_group_on_request() {
    for (order, expected) in [
        (Order::Interleaved, "a b c a b c a b c"),
        (Order::Grouped, "a a a b b b c c c"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let jobs = ["a", "b", "c"].map(|n| logging(n, &log)).into();
        let settings = Settings {
            reps: Reps::Fixed(3),
            order,
            limit: Duration::from_secs(5),
            measure: Measure::Wall,
            profile: false,
        };
        let path = dir.path().join("results.json");
        let results = run(jobs, settings, empty(), &path, |_| {}).unwrap();
        let ran = std::fs::read_to_string(&log).unwrap();
        assert_eq!(
            ran.split_whitespace().collect::<Vec<_>>().join(" "),
            expected
        );
        assert_eq!(results.order, Some(order));
        assert_eq!(ResultsFile::read(&path).unwrap().order, Some(order));
    }
}

#[test]
fn workloads_run_one_after_another_each_reported_when_its_last_round_ends() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let mut jobs: Vec<CaseJob> = ["a", "b", "c"].map(|n| logging(n, &log)).into();
    jobs[2].case.workload = Workload::named("cancel");
    let settings = Settings {
        reps: Reps::Fixed(2),
        order: Order::Interleaved,
        limit: Duration::from_secs(5),
        measure: Measure::Wall,
        profile: false,
    };
    let path = dir.path().join("results.json");
    let mut reported: Vec<(Vec<String>, String)> = Vec::new();
    let results = run(jobs, settings, empty(), &path, |done| {
        let ran = std::fs::read_to_string(&log).unwrap();
        let names = done.cases.iter().map(|c| c.runtime.clone()).collect();
        reported.push((names, ran.split_whitespace().collect::<Vec<_>>().join(" ")));
    })
    .unwrap();
    // Sleep's a and b interleave and are reported before cancel's c starts.
    assert_eq!(
        reported,
        [
            (vec!["a".into(), "b".into()], "a b a b".into()),
            (vec!["c".into()], "a b a b c c".into())
        ]
    );
    assert_eq!(results.cases.len(), 3);
}

#[test]
fn the_file_is_written_after_every_repetition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    // In round 2, b copies the file as it stands before its own run:
    // a has two runs, b one.
    let copy = dir.path().join("seen.json");
    let b = job(
        "b",
        &format!(
            "grep -q '\"wall_s\"' '{p}' && [ $(grep -c '\"counts\"' '{p}') = 3 ] && cp '{p}' '{c}'; echo '{RECORD}'",
            p = path.display(),
            c = copy.display()
        ),
    );
    let jobs = vec![job("a", &format!("echo '{RECORD}'")), b];
    let settings = Settings {
        reps: Reps::Fixed(3),
        order: Order::Interleaved,
        limit: Duration::from_secs(5),
        measure: Measure::Wall,
        profile: false,
    };
    run(jobs, settings, empty(), &path, |_| {}).unwrap();
    let seen = ResultsFile::read(&copy).unwrap();
    let runs: Vec<usize> = seen.cases.iter().map(|c| c.runs.len()).collect();
    assert_eq!(runs, [2, 1]);
    let done = ResultsFile::read(&path).unwrap();
    assert!(done.cases.iter().all(|c| c.runs.len() == 3));
}

#[test]
fn auto_repetitions_stop_at_the_precision_or_the_cap_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let count = dir.path().join("count");
    // Steady: every run 0.5 s, so the interval is exact once it reaches
    // 95 %, at 6 runs. Jumpy: 0.5 s and 1.0 s in turn, never within 2 %.
    let jumpy = job(
        "jumpy",
        &format!(
            "n=$(cat '{c}' 2>/dev/null || echo 0); echo $((n+1)) > '{c}'; \
             if [ $((n % 2)) = 0 ]; then echo '{RECORD}'; else echo '{}'; fi",
            RECORD.replace("0.5", "1.0"),
            c = count.display()
        ),
    );
    let jobs = vec![job("steady", &format!("echo '{RECORD}'")), jumpy];
    let settings = Settings {
        reps: Reps::Auto {
            min: 5,
            precision: 0.02,
            max: 12,
        },
        order: Order::Interleaved,
        limit: Duration::from_secs(5),
        measure: Measure::Wall,
        profile: false,
    };
    run(jobs, settings, empty(), &path, |_| {}).unwrap();
    let file = ResultsFile::read(&path).unwrap();
    let steady = &file.cases[0];
    assert_eq!(steady.runs.len(), 6);
    assert_eq!(
        steady.stopped.as_deref(),
        Some("time interval ±0 % within --precision 2 %")
    );
    let jumpy = &file.cases[1];
    assert_eq!(jumpy.runs.len(), 12);
    let why = jumpy.stopped.as_deref().unwrap();
    assert!(why.starts_with("--max-reps 12 reached"), "{why}");
}

#[test]
fn failed_children_are_recorded_with_their_reason_and_the_rest_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let jobs = vec![
        job("good-before", &format!("echo '{RECORD}'")),
        job("crashes", "echo 'about to crash' >&2; kill -SEGV $$"),
        job("exits", "echo 'bad things' >&2; exit 3"),
        job("hangs", "exec sleep 30"),
        job("garbage", "echo 'not json'"),
        job("good-after", &format!("echo '{RECORD}'")),
    ];
    let settings = Settings {
        reps: Reps::Fixed(2),
        order: Order::Interleaved,
        limit: Duration::from_millis(500),
        measure: Measure::Wall,
        profile: false,
    };
    run(jobs, settings, empty(), &path, |_| {}).unwrap();

    let written = ResultsFile::read(&path).unwrap();
    let case = |name: &str| written.cases.iter().find(|c| c.runtime == name).unwrap();
    assert_eq!(written.cases.len(), 6);
    for good in ["good-before", "good-after"] {
        let case = case(good);
        assert_eq!(case.status, CaseStatus::Ok);
        assert_eq!(case.runs.len(), 2);
        assert_eq!(case.runs[0].counts["ok"], 9);
        assert!(case.runs[0].peak_rss_bytes > 0);
        assert_eq!(case.summary.unwrap().wall_s.median, 0.5);
    }
    let reason = |name: &str| {
        let case = case(name);
        assert_eq!(case.status, CaseStatus::Failed, "{name}");
        assert!(case.runs.is_empty(), "{name} stops at its first failure");
        case.error.clone().unwrap()
    };
    let crashed = reason("crashes");
    assert!(
        crashed.contains("SIGSEGV") && crashed.contains("about to crash"),
        "{crashed}"
    );
    let exited = reason("exits");
    assert!(
        exited.contains("exit status: 3") && exited.contains("bad things"),
        "{exited}"
    );
    assert!(
        reason("hangs").contains("timed out after"),
        "{}",
        reason("hangs")
    );
    assert!(
        reason("garbage").contains("invalid record"),
        "{}",
        reason("garbage")
    );
}
