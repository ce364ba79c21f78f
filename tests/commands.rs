//! `--command NAME=CMD`: small `sh -c` programs as cases, end to end.

use assert_cmd::Command;
use rtbench_report::{CaseStatus, ResultsFile, Workload};

fn rtbench() -> Command {
    Command::cargo_bin("rtbench").unwrap()
}

const LATENCY: &str =
    r#""latency_ns":{"p50":1000,"p90":2000,"p99":3000000,"p999":4000000,"max":5000000}"#;

/// `rtbench run --runtimes none --reps N` with `commands`, in a fresh
/// directory; the exit code, what it printed, and the results.
fn run_commands(reps: &str, commands: &[String]) -> (i32, String, String, ResultsFile) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = rtbench();
    cmd.args([
        "run",
        "--runtimes",
        "none",
        "--reps",
        reps,
        "--timeout-s",
        "20",
    ])
    .arg("--out")
    .arg(dir.path());
    for command in commands {
        cmd.arg("--command").arg(command);
    }
    let out = cmd.output().unwrap();
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        results,
    )
}

#[test]
fn commands_alone_are_measured_from_outside_in_alternating_repetitions() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let log = log.display();
    let (code, stdout, stderr, results) = run_commands(
        "6",
        &[
            format!("a=echo a >> '{log}'; sleep 0.2"),
            format!("b=echo b >> '{log}'"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let ran = std::fs::read_to_string(dir.path().join("log")).unwrap();
    assert_eq!(
        ran.split_whitespace().collect::<Vec<_>>(),
        ["a", "b"].repeat(6)
    );
    assert_eq!(results.cases.len(), 2);
    for case in &results.cases {
        assert_eq!(case.workload, Workload::COMMAND);
        assert_eq!(case.status, CaseStatus::Ok);
        assert_eq!(case.runs.len(), 6);
        assert!(case.command.as_deref().unwrap().contains("echo"));
        for run in &case.runs {
            assert!(run.counts.is_empty() && run.latency_ns.is_none());
            assert!(run.peak_rss_bytes > 0 && run.cpu_s >= 0.0);
        }
        let summary = case.summary.unwrap();
        assert!(summary.throughput.is_none() && summary.p99_ns.is_none());
    }
    // The parent's clock: a sleeps 0.2 s, so its process took at least that.
    assert!(results.cases[0].runs.iter().all(|r| r.wall_s >= 0.2));
    // The command table: per-op figures are not applicable, latency n/a.
    assert!(stdout.contains("command: whole programs"), "{stdout}");
    assert!(
        stdout.contains("CPU (s)") && stdout.contains("n/a"),
        "{stdout}"
    );
    assert!(!stdout.contains("throughput"), "{stdout}");

    // And the two compare as two runtimes of one interleaved file.
    let file = tempfile::NamedTempFile::new().unwrap();
    results.write(file.path()).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = rtbench()
        .arg("compare")
        .arg(file.path())
        .args(["--baseline", "a", "--candidate", "b", "--out"])
        .arg(out_dir.path())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("a → b") && shown.contains("time (s)"),
        "{shown}"
    );
    // b does not sleep: about 0.2 s less in every round, paired round by round.
    let time = shown.lines().find(|l| l.contains("time (s)")).unwrap();
    assert!(time.contains("better"), "{shown}");
    assert!(out_dir.path().join("compare-command.svg").is_file());
    let md = std::fs::read_to_string(out_dir.path().join("compare.md")).unwrap();
    assert!(md.contains("paired: both sides"), "{md}");
}

#[test]
fn a_failing_command_is_recorded_with_its_reason_and_the_others_go_on() {
    let (code, _, stderr, results) = run_commands(
        "2",
        &[
            "before=true".into(),
            "broken=echo 'no such file: x.py' >&2; exit 4".into(),
            "after=true".into(),
        ],
    );
    assert_eq!(code, 1, "a failed case makes the run exit 1: {stderr}");
    let case = |name: &str| results.cases.iter().find(|c| c.runtime == name).unwrap();
    for good in ["before", "after"] {
        assert_eq!(case(good).status, CaseStatus::Ok);
        assert_eq!(case(good).runs.len(), 2);
    }
    let broken = case("broken");
    assert_eq!(broken.status, CaseStatus::Failed);
    let why = broken.error.as_deref().unwrap();
    assert!(
        why.contains("exit status: 4") && why.contains("no such file: x.py"),
        "{why}"
    );
}

#[test]
fn a_run_record_gives_counts_latencies_its_wall_time_and_its_workload() {
    let plain = format!(r#"{{"wall_s":0.25,"counts":{{"ok":9,"failed":1}},{LATENCY}}}"#);
    let sleep = format!(
        r#"{{"wall_s":0.5,"counts":{{"ok":9,"failed":1}},{LATENCY},"workload":"sleep","params":{{"ops":10,"in_flight":2,"latency_ms":1,"fail_every":10}}}}"#
    );
    let wrong = sleep.replace(r#""ok":9"#, r#""ok":5"#);
    let (code, stdout, _, results) = run_commands(
        "2",
        &[
            format!("plain=echo starting; echo '{plain}'"),
            format!("sleepy=echo '{sleep}'"),
            format!("wrong=echo '{wrong}'"),
            r#"typo=echo '{"wall_s": 1, "counts": 3}'"#.into(),
        ],
    );
    assert_eq!(code, 1);
    let case = |name: &str| results.cases.iter().find(|c| c.runtime == name).unwrap();

    // No workload named: the command table, with the record's figures.
    let plain = case("plain");
    assert_eq!(plain.workload, Workload::COMMAND);
    for run in &plain.runs {
        assert_eq!(
            run.wall_s, 0.25,
            "the record's wall time, not the process's"
        );
        assert_eq!(run.counts["ok"] + run.counts["failed"], 10);
        assert_eq!(run.latency_ns.unwrap().p99, 3_000_000);
    }
    assert_eq!(plain.summary.unwrap().p99_ns.unwrap().median, 3e6);

    // Naming sleep with its parameters: the sleep table and its figures.
    let sleepy = case("sleepy");
    assert_eq!(
        (sleepy.workload, sleepy.status),
        (Workload::named("sleep"), CaseStatus::Ok)
    );
    assert_eq!(
        (sleepy.params.ops, sleepy.params.number("in_flight")),
        (10, Some(2))
    );
    let summary = sleepy.summary.unwrap();
    // 10 ops in 0.5 s: 20 ops/s; ideal 10 × 1 ms / 2 = 5 ms, so the
    // overhead is (0.5 − 0.005) / 10 s = 49,500,000 ns per op.
    assert_eq!(summary.throughput.unwrap().median, 20.0);
    assert!((summary.overhead_ns_per_op.unwrap().median - 49_500_000.0).abs() < 1e-3);
    assert!(stdout.contains("sleep: ops 10"), "{stdout}");

    // Counts that do not add up to the workload's ops are refused.
    let wrong = case("wrong");
    assert_eq!(wrong.status, CaseStatus::Failed);
    assert!(wrong.error.as_deref().unwrap().contains("do not add up"));
    // A last line meant as a record but malformed is not taken for output.
    let typo = case("typo");
    assert_eq!(typo.status, CaseStatus::Failed);
    assert!(
        typo.error
            .as_deref()
            .unwrap()
            .contains("looks like a run record")
    );
}

#[test]
fn bad_commands_are_refused_before_anything_runs() {
    let refuses = |args: &[&str], expected: &str| {
        let out = rtbench().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    };
    refuses(&["run", "--command", "no-equals-sign"], "NAME=CMD");
    refuses(&["run", "--command", "=true"], "NAME=CMD");
    refuses(&["run", "--runtimes", "none"], "nothing to run");
    refuses(
        &[
            "run",
            "--runtimes",
            "none",
            "--command",
            "a=true",
            "--command",
            "a=false",
        ],
        "already taken",
    );
    refuses(
        &["run", "--runtimes", "tokio", "--command", "tokio=true"],
        "already taken",
    );
    refuses(&["run", "--workloads", "command"], "--command NAME=CMD");
}

#[test]
fn a_command_runs_once_beside_a_sweep_and_takes_no_sweep_point_as_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let record =
        format!(r#"{{"wall_s":0.5,"counts":{{"ok":9,"failed":1}},{LATENCY},"workload":"sleep"}}"#);
    let out = rtbench()
        .args([
            "run",
            "--runtimes",
            "tokio-current-thread",
            "--workloads",
            "sleep",
        ])
        .args([
            "--ops",
            "10",
            "--in-flight",
            "2,5",
            "--latency-ms",
            "0",
            "--reps",
            "2",
        ])
        .args(["--command", "plain=true"])
        .arg("--command")
        .arg(format!("bare=echo '{record}'"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "bare fails: {stdout}");
    // Two sweep points of the runtime, and each command once.
    assert!(stdout.contains("4 cases × 2 repetitions"), "{stdout}");
    let results = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    let case = |name: &str| results.cases.iter().find(|c| c.runtime == name).unwrap();
    let plain = case("plain");
    assert_eq!((plain.workload, plain.runs.len()), (Workload::COMMAND, 2));
    // A record naming a swept workload without its params has no one set to take.
    let bare = case("bare");
    assert_eq!(bare.status, CaseStatus::Failed);
    let why = bare.error.as_deref().unwrap();
    assert!(why.contains("sweeps sleep over 2 sets"), "{why}");

    // The sweep has its scaling charts; the command table has none.
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.contains(&"scaling-sleep-in-flight-time.svg".to_owned()),
        "{files:?}"
    );
    assert!(
        files.contains(&"command-cpu-time.svg".to_owned()),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("scaling-command")),
        "{files:?}"
    );

    // Exports of the mixed file: the command's absent figures are empty, not 0.
    let csv = rtbench()
        .arg("export")
        .arg(dir.path().join("results.json"))
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(csv.status.success());
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let plain_rows: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[column("runtime")] == "plain")
        .collect();
    assert_eq!(plain_rows.len(), 2);
    for row in plain_rows {
        assert_eq!(&row[column("throughput_ops_per_s")], "");
        assert_eq!(&row[column("p99_ns")], "");
        assert_eq!(&row[column("command")], "true");
    }
    let tokio = rows
        .iter()
        .find(|r| &r[column("runtime")] == "tokio-current-thread")
        .unwrap();
    assert!(
        tokio[column("throughput_ops_per_s")]
            .parse::<f64>()
            .unwrap()
            > 0.0
    );
}

#[test]
fn a_command_naming_serve_says_why_it_has_no_load_generator_figure() {
    let serve = format!(
        r#"{{"wall_s":0.5,"counts":{{"ok":10}},{LATENCY},"workload":"serve","params":{{"ops":10,"in_flight":2,"latency_ms":0,"body_bytes":1024,"timeout_ms":1000}}}}"#
    );
    let (code, stdout, stderr, results) = run_commands("2", &[format!("served=echo '{serve}'")]);
    assert_eq!(code, 0, "{stderr}");
    let case = &results.cases[0];
    assert_eq!(case.workload, Workload::named("serve"));
    // Nothing measured the load it made apart from itself: no figure, a reason.
    assert!(case.runs.iter().all(|r| r.client_cpu_s.is_none()));
    assert!(
        stdout.contains(
            "note: served: a --command whose run record names serve is one program measured \
             as a whole: rtbench's load generator does not run against it, so there is no \
             load-generator CPU/op"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("fetch client on tokio"), "{stdout}");
}
