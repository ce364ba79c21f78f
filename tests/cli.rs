//! The command line, end to end: the real binary, real child processes.

mod common;

use common::{rtbench, succeeds};

use rtbench_report::{CaseStatus, ResultsFile};

/// Runs rtbench with `args`, expects a non-zero exit and a one-line error
/// containing `expected`.
fn refuses(args: &[&str], expected: &str) {
    let out = rtbench().args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error:") && first.contains(expected),
        "{args:?}: {stderr}"
    );
}

#[test]
fn bad_input_is_refused_with_a_one_line_error() {
    refuses(&["run", "--runtimes", "nosuch"], "'nosuch'");
    refuses(&["run", "--workloads", "nosuch"], "'nosuch'");
    refuses(&["run", "--ops", "0"], "--ops");
    refuses(&["run", "--ops", "-5"], "--ops");
    refuses(&["run", "--in-flight", "0"], "--in-flight");
    refuses(&["run", "--reps", "0"], "--reps");
    refuses(&["run", "--reps", "some"], "--reps");
    refuses(&["run", "--reps", "auto", "--max-reps", "3"], "--max-reps");
    refuses(&["run", "--precision", "0"], "--precision");
    refuses(&["run", "--order", "shuffled"], "--order");
    refuses(&["run", "--threads", "0"], "--threads");
    refuses(&["run", "--in-flight", "1000,0"], "--in-flight");
    refuses(&["run", "--in-flight", "10,,100"], "--in-flight");
    refuses(&["run", "--threads", "1,two"], "--threads");
    refuses(&["run", "--latency-ms", "1,-1"], "--latency-ms");
    refuses(&["run", "--cancel-mode", "sideways"], "--cancel-mode");
    refuses(&["report", "no/such/results.json"], "no/such/results.json");
    refuses(
        &[
            "run",
            "--workloads",
            "fetch",
            "--url",
            "http://127.0.0.1:9",
            "--ops",
            "10",
        ],
        "http://127.0.0.1:9",
    );
    refuses(
        &["run", "--workloads", "fetch", "--in-flight", "100000000"],
        "--in-flight",
    );
}

#[test]
fn serve_binds_loopback_prints_a_url_that_answers_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};

    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_rtbench"))
        .args(["serve", "--threads", "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let addr = url.trim().strip_prefix("http://").expect("an http URL");
    assert!(
        addr.starts_with("127.0.0.1:"),
        "binds loopback only by default: {url}"
    );

    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /delay?ms=1&id=7 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(
        answer.to_lowercase().contains("content-length: 1024"),
        "{answer}"
    );
    assert!(answer.ends_with(&"x".repeat(1024)), "a 1 KiB body");

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(server.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(server.wait().unwrap().success(), "exits cleanly on SIGTERM");
}

#[test]
fn an_unwritable_out_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = file.join("results");
    refuses(
        &["run", "--ops", "10", "--out", out.to_str().unwrap()],
        "--out",
    );
}

#[test]
fn compare_refuses_unreadable_files_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.json");
    std::fs::write(&corrupt, "{ not json").unwrap();
    let future = dir.path().join("future.json");
    std::fs::write(&future, r#"{"version": 99}"#).unwrap();
    let missing = dir.path().join("missing.json");
    for bad in [&corrupt, &future, &missing] {
        let bad = bad.to_str().unwrap();
        refuses(&["compare", bad, bad], bad);
        refuses(&["report", bad], bad);
    }
}

#[test]
fn list_names_every_registered_runtime_and_workload() {
    let out = succeeds(rtbench().arg("list"));
    let text = String::from_utf8(out.stdout).unwrap();
    for adapter in rtbench_runtimes::adapters() {
        assert!(
            text.contains(adapter.name),
            "{} missing from:\n{text}",
            adapter.name
        );
        assert!(
            text.contains(adapter.version),
            "{} version missing",
            adapter.name
        );
    }
    assert!(text.contains("sleep") && text.contains("cancel"));
    assert!(
        text.contains("--command NAME=CMD"),
        "the command workload says how"
    );
    assert!(text.contains("discontinued"), "async-std's status is shown");
}

#[test]
fn list_fits_an_80_column_terminal_and_cuts_no_name() {
    let out = succeeds(rtbench().arg("list").env("COLUMNS", "80"));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?} in:\n{text}");
    }
    // The runtime column is never broken: each name is whole on a line.
    for adapter in rtbench_runtimes::adapters() {
        let whole = format!("│ {} ", adapter.name);
        assert!(text.contains(&whole), "{} broken in:\n{text}", adapter.name);
    }
}

#[test]
fn a_run_writes_results_that_add_up_and_report_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = succeeds(
        rtbench()
            .args(["run", "--runtimes", "tokio,smol-local,async-std,glommio"])
            .args([
                "--ops",
                "2000",
                "--in-flight",
                "100",
                "--reps",
                "2",
                "--out",
            ])
            .arg(&out),
    );
    let path = out.join("results.json");
    let results = ResultsFile::read(&path).unwrap();
    assert_eq!(
        results.cases.len(),
        16,
        "sleep, cancel, fetch and serve by default"
    );
    for case in &results.cases {
        assert_eq!(case.status, CaseStatus::Ok, "{case:?}");
        assert_eq!(case.runs.len(), 2);
        for run in &case.runs {
            let c = |name: &str| run.counts.get(name).copied().unwrap_or(0);
            match case.workload.name() {
                "sleep" => assert_eq!((c("ok"), c("failed")), (1998, 2)),
                "fetch" => assert_eq!(c("ok"), 2000, "{run:?}"),
                "serve" => {
                    assert_eq!((c("ok"), c("server_requests")), (2000, 2000), "{run:?}");
                    assert!(run.client_cpu_s.is_some_and(|s| s > 0.0), "{run:?}");
                }
                _ => assert_eq!(c("completed") + c("cancelled"), 2000, "{run:?}"),
            }
            assert!(run.wall_s > 0.0 && run.cpu_s > 0.0 && run.peak_rss_bytes > 0);
            assert!(run.latency_ns.unwrap().p99 > 0);
        }
    }
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(
        stdout.contains(&path.display().to_string()),
        "prints where the results are"
    );

    let written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for file in ["table.md", "index.html"] {
        assert!(
            written.contains(&file.to_owned()),
            "{file} missing from {written:?}"
        );
    }
    for workload in ["sleep", "cancel", "fetch", "serve"] {
        let svgs = written
            .iter()
            .filter(|f| f.starts_with(workload) && f.ends_with(".svg"));
        assert!(
            svgs.count() >= 5,
            "at least 5 charts for {workload} in {written:?}"
        );
    }

    let report = succeeds(rtbench().arg("report").arg(&path));
    let table = String::from_utf8(report.stdout).unwrap();
    for heading in [
        "runtime",
        "time (s)",
        "throughput (ops/s)",
        "p99 (ms)",
        "tokio",
        "smol-local",
    ] {
        assert!(table.contains(heading), "{heading} missing from:\n{table}");
    }
}

/// `file` with every case's runs replaced by `n` copies of its first, wall
/// times spread ±3 % round by round and multiplied by `factor`.
fn with_runs(file: &ResultsFile, n: usize, factor: f64) -> ResultsFile {
    let mut file = file.clone();
    for case in file.cases.iter_mut().filter(|c| !c.runs.is_empty()) {
        let first = case.runs[0].clone();
        case.runs = (0..n)
            .map(|i| {
                let mut run = first.clone();
                run.wall_s *= factor * (1.0 + 0.03 * ((i % 3) as f64 - 1.0));
                run
            })
            .collect();
    }
    file
}

#[test]
fn compare_fails_on_a_regression_only_when_asked_and_only_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/report/tests/fixtures/full.json"
    );
    let full = ResultsFile::read(fixture.as_ref()).unwrap();
    let base = dir.path().join("base.json");
    let slower = dir.path().join("slower.json");
    // Ten runs a side: the gate corrects over every case's time (Holm), and
    // six a side could not reach the first step's 0.05 / m for this many cases.
    with_runs(&full, 10, 1.0).write(&base).unwrap();
    with_runs(&full, 10, 1.10).write(&slower).unwrap();
    let gate = |candidate: &std::path::Path, extra: &[&str]| {
        rtbench()
            .args(["compare", "--fail-on-regression", "--out"])
            .arg(dir.path().join("cmp"))
            .arg(&base)
            .arg(candidate)
            .args(extra)
            .output()
            .unwrap()
    };
    let same = gate(&base, &[]);
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    let worse = gate(&slower, &[]);
    assert_eq!(worse.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&worse.stderr);
    let line = stderr.lines().last().unwrap();
    assert!(
        line.starts_with("regression (Holm–Bonferroni over ")
            && line.contains("worse in tokio sleep time (s) +10"),
        "{stderr}"
    );
    assert!(line.contains("monoio cancel"), "{line}");
    // Without the flag the same comparison exits 0; its table says worse.
    let plain = succeeds(
        rtbench()
            .args(["compare", "--out"])
            .arg(dir.path().join("cmp"))
            .arg(&base)
            .arg(&slower),
    );
    assert!(String::from_utf8_lossy(&plain.stdout).contains("worse"));
    // A 10 % threshold calls the same +10 % within noise.
    assert_eq!(gate(&slower, &["--threshold", "15"]).status.code(), Some(0));
}

#[test]
fn reps_auto_stops_by_itself_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("auto");
    succeeds(
        rtbench()
            .args([
                "run",
                "--runtimes",
                "tokio-current-thread,smol-local",
                "--workloads",
                "sleep",
            ])
            .args([
                "--ops",
                "500",
                "--in-flight",
                "50",
                "--reps",
                "auto",
                "--max-reps",
                "12",
            ])
            .arg("--out")
            .arg(&out),
    );
    let results = ResultsFile::read(&out.join("results.json")).unwrap();
    assert_eq!(results.order, Some(rtbench_report::Order::Interleaved));
    for case in &results.cases {
        let why = case.stopped.as_deref().unwrap_or_default();
        let n = case.runs.len();
        assert!((6..=12).contains(&n), "{n} runs: {why}");
        if n < 12 {
            assert!(why.contains("within --precision 2 %"), "{why}");
        } else {
            assert!(
                why.contains("within --precision") || why.starts_with("--max-reps 12 reached"),
                "{why}"
            );
        }
    }
    let table = std::fs::read_to_string(out.join("table.md")).unwrap();
    assert!(
        table.contains("repetitions stopped: tokio-current-thread after"),
        "{table}"
    );
}
