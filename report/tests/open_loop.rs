//! Open-loop and serve cases in the report: offered and achieved rates under
//! the table, a missed rate said in words, the generator's CPU, and the
//! latency–throughput chart drawn only when a runtime ran several rates.

mod common;

use common::fixture;
use rtbench_report::chart::{rate_chart, rate_cpu_chart};
use rtbench_report::style::{colour, hex};
use rtbench_report::summary::Summary;
use rtbench_report::{Case, CaseStatus, Latency, ResultsFile, Run, Workload, table};

/// A serve case of tokio at `rate`, whose two runs achieved `achieved`
/// requests per second with `late` late requests, p50 1 ms and p99 `p99_ms`.
fn case(rate: u64, achieved: f64, late: u64, p99_ms: u64) -> Case {
    let mut params = serve_params();
    params.set("rate", rate.into());
    params.set("client_threads", 2.into());
    let run = Run {
        wall_s: params.ops as f64 / achieved,
        cpu_s: 0.5,
        peak_rss_bytes: 20_000_000,
        counts: [("ok".to_string(), params.ops), ("late".to_string(), late)].into(),
        latency_ns: Some(Latency {
            p50: 1_000_000,
            p90: 2_000_000,
            p99: p99_ms * 1_000_000,
            p999: p99_ms * 1_000_000,
            max: p99_ms * 1_000_000,
        }),
        achieved_rate: Some(achieved),
        send_delay_ns: Some(Latency {
            p50: 40_000,
            p90: 100_000,
            p99: 250_000,
            p999: 1_000_000,
            max: 2_000_000,
        }),
        client_cpu_s: Some(0.25),
        cpus: None,
        client_cpus: None,
        counted: None,
        io_driver: None,
    };
    let runs = vec![run.clone(), run];
    let mut case = Case {
        runtime: "tokio".into(),
        runtime_version: "1".into(),
        flavor: "multi-thread".into(),
        model: None,
        threads: 2,
        task_threads: None,
        loop_on_task_thread: None,
        workload: Workload::named("serve"),
        summary: None,
        profile: None,
        params,
        about: Default::default(),
        status: CaseStatus::Ok,
        error: None,
        runs,
        command: None,
        stopped: None,
        source: None,
    };
    rtbench_report::results::describe_older(&mut case);
    case.summary = Summary::of(&case);
    case
}

/// serve's defaults at a tenth of the requests, as the report sees them.
fn serve_params() -> rtbench_report::Params {
    serde_json::from_value(serde_json::json!({
        "ops": 10_000, "in_flight": 1_000, "latency_ms": 0, "body_bytes": 1024, "timeout_ms": 10_000
    }))
    .unwrap()
}

fn results(cases: Vec<Case>) -> ResultsFile {
    let mut results = fixture("full.json");
    results.cases = cases;
    results
}

#[test]
fn the_table_says_offered_achieved_late_and_whether_the_rate_was_reached() {
    // Results from before the send delay was recorded have none to show.
    let mut older = case(40_000, 12_000.0, 9_000, 800);
    for run in &mut older.runs {
        run.send_delay_ns = None;
    }
    let table = table::markdown(&results(vec![case(1_000, 999.0, 0, 2), older]));
    assert!(
        table.contains(
            "offered 1,000/s, achieved 999/s: the offered rate was reached; 0 of 10,000 late; \
             sent after due: p50 0.0400 ms, p99 0.250 ms"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "offered 40.0k/s, achieved 12.0k/s: the offered rate was NOT reached; 9,000 of 10,000 \
             late; runtime CPU 50.0 µs/request, 30.0 % of its 2 cores\n"
        ),
        "{table}"
    );
    // 0.25 s of generator CPU over 10,000 requests.
    assert!(
        table.contains("fetch client on tokio, 2 threads")
            && table.contains("tokio (rate 1,000) 25,000"),
        "{table}"
    );
}

#[test]
fn one_rate_draws_no_latency_throughput_chart() {
    let one = results(vec![case(1_000, 999.0, 0, 2)]);
    assert_eq!(rate_chart(&one, Workload::named("serve")).unwrap(), None);
}

#[test]
fn several_rates_draw_p50_and_p99_over_the_achieved_rate() {
    let sweep = results(vec![
        case(1_000, 999.0, 0, 2),
        case(4_000, 3_990.0, 0, 5),
        case(40_000, 12_000.0, 9_000, 800),
    ]);
    let chart = rate_chart(&sweep, Workload::named("serve"))
        .unwrap()
        .unwrap();
    assert_eq!(chart.file_name, "serve-rate.svg");
    let doc = roxmltree::Document::parse(&chart.svg).unwrap();
    let circles: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .collect();
    let tokio = hex(colour("tokio"));
    let filled = circles
        .iter()
        .filter(|c| c.attribute("fill") == Some(tokio.as_str()))
        .count();
    // p50 and p99 of each point; the missed rate's two are hollow.
    assert_eq!(circles.len(), 6);
    assert_eq!(filled, 4);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(texts.contains(&"tokio"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("1,000 connections") && t.contains("tokio, 2 threads")),
        "the generator's settings are stated: {texts:?}"
    );
}

#[test]
fn a_command_in_the_serve_table_says_why_it_has_no_generator_figure() {
    let mut command = case(1_000, 999.0, 0, 2);
    command.runtime = "mine".into();
    command.command = Some("./my-server-bench".into());
    command.params.own.remove("rate");
    for run in &mut command.runs {
        run.client_cpu_s = None;
        run.achieved_rate = None;
    }
    let mut runtime = case(1_000, 999.0, 0, 2);
    runtime.params.own.remove("rate");
    for run in &mut runtime.runs {
        run.achieved_rate = None;
    }
    let table = table::markdown(&results(vec![runtime, command]));
    // The runtime's generator CPU: 0.25 s over 10,000 requests; the
    // command is not listed there but named with why.
    assert!(table.contains("its CPU/op (ns): tokio 25,000\n"), "{table}");
    assert!(
        table.contains(
            "- mine: a --command whose run record names serve is one program measured as a \
             whole: rtbench's load generator does not run against it"
        ),
        "{table}"
    );
}

#[test]
fn several_rates_draw_cpu_per_request_over_the_offered_rate() {
    let one = results(vec![case(1_000, 999.0, 0, 2)]);
    assert_eq!(
        rate_cpu_chart(&one, Workload::named("serve")).unwrap(),
        None
    );
    let mut costlier = case(4_000, 3_990.0, 0, 5);
    for run in &mut costlier.runs {
        run.cpu_s = 1.5;
    }
    let sweep = results(vec![
        case(1_000, 999.0, 0, 2),
        costlier,
        case(40_000, 12_000.0, 9_000, 800),
    ]);
    let chart = rate_cpu_chart(&sweep, Workload::named("serve"))
        .unwrap()
        .unwrap();
    assert_eq!(chart.file_name, "serve-rate-cpu.svg");
    let doc = roxmltree::Document::parse(&chart.svg).unwrap();
    let circles: Vec<(f64, f64, bool)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .map(|c| {
            let at = |name| c.attribute(name).unwrap().parse::<f64>().unwrap();
            let filled = c.attribute("fill") == Some(hex(colour("tokio")).as_str());
            (at("cx"), at("cy"), filled)
        })
        .collect();
    // One point per rate, left to right; the missed rate's is hollow.
    assert_eq!(circles.len(), 3);
    assert!(circles[0].0 < circles[1].0 && circles[1].0 < circles[2].0);
    assert_eq!(
        circles.iter().map(|c| c.2).collect::<Vec<_>>(),
        [true, true, false]
    );
    // 150 µs a request at 4,000/s stands three times as high above the axis
    // as 50 µs at the others (SVG's y grows downwards).
    let axis = circles[0].1 + (circles[0].1 - circles[1].1) / 2.0;
    let height = |c: &(f64, f64, bool)| axis - c.1;
    assert!((height(&circles[1]) / height(&circles[0]) - 3.0).abs() < 0.05);
    assert!((circles[0].1 - circles[2].1).abs() < 0.5);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("CPU per request (µs)")),
        "{texts:?}"
    );
}
