//! Every export format parses back, with the shape and the numbers of the
//! results it came from.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::fixture;
use rtbench_report::{CaseStatus, Format, ResultsFile, export};
use serde_json::Value;

/// `full.json` has 16 cases: 14 with 3 runs each, 2 failed without a run.
fn results() -> ResultsFile {
    let results = fixture("full.json");
    assert_eq!(results.cases.len(), 16);
    results
}

fn completed(results: &ResultsFile) -> usize {
    results
        .cases
        .iter()
        .filter(|c| c.status == CaseStatus::Ok)
        .count()
}

/// The rows of a CSV export, each as column name → cell.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn csv_has_one_row_per_run_and_one_per_case_without_runs() {
    let results = results();
    let rows = csv_rows(&export(&results, Format::Csv).unwrap());
    assert_eq!(rows.len(), 14 * 3 + 2);
    for column in [
        "cpu_model",
        "cores",
        "kernel",
        "rustc",
        "runtime",
        "runtime_version",
        "workload",
        "threads",
        "ops",
        "in_flight",
        "latency_ms",
        "fail_every",
        "cancel_mode",
        "rep",
        "wall_s",
        "cpu_s",
        "peak_rss_bytes",
        "throughput_ops_per_s",
        "overhead_ns_per_op",
        "cpu_ns_per_op",
        "p99_ns",
        "count_ok",
        "count_cancelled",
    ] {
        assert!(
            rows.iter().all(|row| row.contains_key(column)),
            "{column} missing from {:?}",
            rows[0].keys()
        );
    }

    let row = |runtime: &str, workload: &str, rep: &str| {
        rows.iter()
            .find(|r| r["runtime"] == runtime && r["workload"] == workload && r["rep"] == rep)
            .unwrap_or_else(|| panic!("no row for {runtime} {workload} {rep}"))
    };
    let case = results
        .cases
        .iter()
        .find(|c| c.runtime == "tokio" && c.workload.name() == "sleep")
        .unwrap();
    let run = &case.runs[1];
    let tokio = row("tokio", "sleep", "2");
    let number = |key: &str| tokio[key].parse::<f64>().unwrap();
    assert_eq!(number("wall_s"), run.wall_s);
    assert_eq!(number("cpu_s"), run.cpu_s);
    assert_eq!(tokio["cpu_model"], results.host.cpu_model);
    assert_eq!(tokio["runtime_version"], case.runtime_version);
    assert_eq!(tokio["ops"], case.params.ops.to_string());
    assert_eq!(tokio["fail_every"], "1000");
    assert_eq!(tokio["cancel_mode"], "", "sleep has no cancel mode");
    assert_eq!(tokio["count_ok"], run.counts["ok"].to_string());
    // Hand-computed: ops / wall, and (wall − ops × 1 ms / in-flight) / ops.
    let ops = case.params.ops as f64;
    let ideal = ops * 0.001 / case.params.number("in_flight").unwrap() as f64;
    assert!((number("throughput_ops_per_s") - ops / run.wall_s).abs() < 1e-6);
    assert!((number("overhead_ns_per_op") - (run.wall_s - ideal) / ops * 1e9).abs() < 1e-6);

    let failed = rows
        .iter()
        .find(|r| r["runtime"] == "glommio" && r["workload"] == "sleep")
        .unwrap();
    assert_eq!(failed["status"], "failed");
    assert!(!failed["error"].is_empty());
    assert_eq!(
        (failed["rep"].as_str(), failed["wall_s"].as_str()),
        ("", "")
    );
}

#[test]
fn bmf_has_every_measure_of_every_completed_case_with_its_bounds() {
    let results = results();
    let bmf: Value = serde_json::from_str(&export(&results, Format::Bmf).unwrap()).unwrap();
    let benchmarks = bmf.as_object().unwrap();
    assert_eq!(benchmarks.len(), completed(&results));
    assert!(
        !benchmarks.contains_key("sleep/glommio"),
        "failed: no figures"
    );
    for (name, measures) in benchmarks {
        let measures = measures.as_object().unwrap();
        let slugs: BTreeSet<&str> = measures.keys().map(String::as_str).collect();
        assert_eq!(
            slugs,
            BTreeSet::from([
                "latency",
                "throughput",
                "overhead-per-op-ns",
                "cpu-per-op-ns",
                "peak-memory-bytes",
                "p99-latency-ns",
            ]),
            "{name}"
        );
        for (slug, metric) in measures {
            let get = |key: &str| {
                metric[key]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{name} {slug} {key}"))
            };
            let (lower, value, upper) = (get("lower_value"), get("value"), get("upper_value"));
            assert!(lower <= value && value <= upper, "{name} {slug}");
        }
    }
    let tokio = &results.cases[0];
    let summary = tokio.summary.unwrap();
    let latency = &bmf["sleep/tokio"]["latency"];
    assert!((latency["value"].as_f64().unwrap() - summary.wall_s.median * 1e9).abs() < 1e-3);
    assert_eq!(
        bmf["sleep/tokio"]["throughput"]["value"].as_f64(),
        Some(summary.throughput.unwrap().median)
    );
}

#[test]
fn github_action_benchmark_has_one_entry_per_case_and_smaller_is_better_figure() {
    let results = results();
    let text = export(&results, Format::GithubActionBenchmark).unwrap();
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    // time, overhead, CPU, memory and p99 per completed case; no throughput.
    assert_eq!(entries.len(), completed(&results) * 5);
    let names: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), entries.len(), "names are unique");
    assert!(names.iter().all(|n| !n.contains("throughput")));
    for entry in &entries {
        assert!(
            entry["unit"].is_string() && entry["value"].is_number(),
            "{entry}"
        );
        assert!(
            entry["range"].as_str().unwrap().starts_with("± "),
            "{entry}"
        );
        assert!(
            entry["extra"].as_str().unwrap().contains("AMD EPYC"),
            "{entry}"
        );
    }
    let time = entries
        .iter()
        .find(|e| e["name"] == "sleep/tokio time")
        .unwrap();
    assert_eq!(time["unit"], "s");
    assert_eq!(
        time["value"].as_f64(),
        Some(results.cases[0].summary.unwrap().wall_s.median)
    );
}

#[test]
fn formats_parse_from_their_names_and_refuse_others() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>(), Ok(format));
    }
    let error = "xml".parse::<Format>().unwrap_err();
    assert!(
        error.contains("'xml'") && error.contains("github-action-benchmark"),
        "{error}"
    );
}

#[test]
fn a_command_case_exports_only_the_figures_it_has() {
    // `plain` printed no run record; `recorded` printed one with latencies.
    let results = fixture("commands.json");
    let rows = csv_rows(&export(&results, Format::Csv).unwrap());
    assert_eq!(rows.len(), 6, "three runs of each");
    for row in &rows {
        assert_eq!(row["workload"], "command");
        assert!(row["command"].starts_with("sleep 0.01"), "{row:?}");
        assert!(row["wall_s"].parse::<f64>().unwrap() > 0.0);
        assert!(row["cpu_s"].parse::<f64>().is_ok() && !row["peak_rss_bytes"].is_empty());
        for per_op in [
            "throughput_ops_per_s",
            "overhead_ns_per_op",
            "cpu_ns_per_op",
        ] {
            assert_eq!(row[per_op], "", "{per_op} is not a figure of a program");
        }
        let p99 = if row["runtime"] == "plain" {
            ""
        } else {
            "3000"
        };
        assert_eq!(row["p99_ns"], p99, "{row:?}");
    }

    let bmf: Value = serde_json::from_str(&export(&results, Format::Bmf).unwrap()).unwrap();
    let slugs = |name: &str| -> BTreeSet<String> {
        bmf[name].as_object().unwrap().keys().cloned().collect()
    };
    let whole = ["latency", "cpu-time-s", "peak-memory-bytes"];
    assert_eq!(slugs("command/plain"), whole.map(str::to_owned).into());
    let mut with_p99 = whole.map(str::to_owned).to_vec();
    with_p99.push("p99-latency-ns".into());
    assert_eq!(slugs("command/recorded"), with_p99.into_iter().collect());
    let cpu = results.cases[0].summary.unwrap().cpu_s.median;
    assert_eq!(
        bmf["command/plain"]["cpu-time-s"]["value"].as_f64(),
        Some(cpu)
    );

    let text = export(&results, Format::GithubActionBenchmark).unwrap();
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    let names: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "command/plain time",
            "command/plain cpu-time",
            "command/plain memory",
            "command/recorded time",
            "command/recorded cpu-time",
            "command/recorded memory",
            "command/recorded p99",
        ])
    );
    assert!(entries.iter().all(|e| e["value"].as_f64().unwrap() > 0.0));
    assert!(
        entries
            .iter()
            .all(|e| e["extra"].as_str().unwrap().contains("sh -c \"sleep 0.01")),
        "{entries:?}"
    );
}
