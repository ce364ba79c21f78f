//! Sweeps: the scaling charts, the per-value tables and the derived figures
//! of a file with several in-flight and thread values, checked against
//! numbers computed by hand; and no scaling section for a single point.

mod common;

use common::fixture;
use rtbench_report::figure::Figure;
use rtbench_report::scaling::{self, Knob};
use rtbench_report::style::{colour, hex};
use rtbench_report::summary::Summary;
use rtbench_report::{Case, CaseStatus, ResultsFile, write_report};

/// Sleep defaults (1,000,000 ops of 1 ms) at `in_flight` on `threads`, two
/// repetitions that both take `wall_s` with peak memory `rss`.
fn case(
    template: &Case,
    runtime: &str,
    in_flight: u64,
    threads: usize,
    wall_s: f64,
    rss: u64,
) -> Case {
    let mut case = template.clone();
    case.runtime = runtime.into();
    case.threads = threads;
    case.params.set("in_flight", in_flight.into());
    // The ideal time the record states follows the parameters, as a run writes it.
    rtbench_report::results::describe_older(&mut case);
    let mut run = case.runs[0].clone();
    run.wall_s = wall_s;
    run.peak_rss_bytes = rss;
    case.runs = vec![run.clone(), run];
    case.status = CaseStatus::Ok;
    case.error = None;
    case.summary = Summary::of(&case);
    case
}

/// tokio and smol at in-flight 1,000 / 10,000 / 100,000 on 2 threads, tokio
/// also on 1 and 4 threads at 100,000 (the host has 2 cores), and smol
/// failing at 1,000,000. Ideal times are 1 s, 0.1 s, 0.01 s.
fn swept() -> ResultsFile {
    let mut results = fixture("full.json");
    let template = results.cases[0].clone();
    assert_eq!(results.host.cores, 2);
    // tokio: 400 B per task over 5 MB; overhead 100 ns/op at 1,000 and
    // 112 ns/op at 100,000 (+12 %). smol: 250 B per task.
    let mut cases = vec![
        case(&template, "tokio", 1_000, 2, 1.1, 5_400_000),
        case(&template, "tokio", 10_000, 2, 0.205, 9_000_000),
        case(&template, "tokio", 100_000, 2, 0.122, 45_000_000),
        case(&template, "smol", 1_000, 2, 1.2, 3_250_000),
        case(&template, "smol", 10_000, 2, 0.3, 5_500_000),
        case(&template, "smol", 100_000, 2, 0.2, 28_000_000),
        // 1 thread: 0.183 s, so 2 threads run 1.5× its throughput: 0.75 each.
        case(&template, "tokio", 100_000, 1, 0.183, 45_000_000),
        case(&template, "tokio", 100_000, 4, 0.122, 45_000_000),
    ];
    let mut failed = case(&template, "smol", 1_000_000, 2, 1.0, 1);
    failed.status = CaseStatus::Failed;
    failed.error = Some("killed by signal: 9 (SIGKILL): out of memory".into());
    cases.push(failed);
    results.cases = cases;
    results
}

#[test]
fn sweeps_are_found_per_parameter_with_one_line_per_runtime() {
    let results = swept();
    let sweeps = scaling::sweeps(&results);
    let knobs: Vec<Knob> = sweeps.iter().map(|s| s.knob).collect();
    assert_eq!(knobs, [Knob::IN_FLIGHT, Knob::Threads]);
    let in_flight = &sweeps[0];
    assert_eq!(in_flight.values, [1_000, 10_000, 100_000, 1_000_000]);
    assert!(in_flight.log_axis());
    let lines: Vec<(&str, usize)> = in_flight
        .lines
        .iter()
        .map(|l| (l.label.as_str(), l.points.len()))
        .collect();
    assert_eq!(
        lines,
        [
            ("tokio (2 threads)", 3),
            ("smol", 4),
            ("tokio (1 threads)", 1),
            ("tokio (4 threads)", 1)
        ]
    );
    let threads = &sweeps[1];
    assert_eq!(threads.values, [1, 2, 4]);
    assert!(!threads.log_axis(), "1 to 4 spans less than 10×");
}

#[test]
fn derived_figures_match_hand_computed_ones() {
    let text = scaling::terminal(&swept());
    let row = |runtime: &str| {
        text.lines()
            .find(|l| l.contains(&format!("│ {runtime} ")))
            .unwrap_or_else(|| panic!("no {runtime} row in:\n{text}"))
            .to_string()
    };
    let tokio = row("tokio (2 threads)");
    assert!(
        tokio.contains("400 B") && tokio.contains("1.000"),
        "{tokio}"
    );
    assert!(tokio.contains("+12.0 % (1,000 → 100,000)"), "{tokio}");
    assert!(tokio.contains("0.750 at 2 "), "{tokio}");
    let smol = row("smol");
    assert!(
        smol.contains("-5.0 % (1,000 → 100,000)"),
        "{smol}: the failed point is left out"
    );
    let over = row("tokio (4 threads)");
    assert!(over.contains("0.375 at 4, oversubscribed"), "{over}");
    for method in [
        "least-squares slope",
        "largest in-flight",
        "÷ (N × throughput at 1 thread)",
    ] {
        assert!(text.contains(method), "the method is stated: {method}");
    }
}

#[test]
fn the_report_draws_a_line_per_runtime_and_a_scaling_section() {
    let dir = tempfile::tempdir().unwrap();
    let results = swept();
    let written = write_report(&results, dir.path()).unwrap();
    let name = |p: &std::path::PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    let scaling: Vec<String> = written
        .iter()
        .map(name)
        .filter(|n| n.starts_with("scaling-"))
        .collect();
    assert_eq!(scaling.len(), 2 * Figure::ALL.len(), "{scaling:?}");

    let svg =
        std::fs::read_to_string(dir.path().join("scaling-sleep-in-flight-memory.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for wanted in [
        "tokio (2 threads)",
        "smol",
        "1,000",
        "100,000",
        "in flight (log scale)",
    ] {
        assert!(texts.contains(&wanted), "{wanted} missing from {texts:?}");
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("smol at in flight 1,000,000") && t.contains("out of memory")),
        "the failed point is named with its reason: {texts:?}"
    );
    // A filled marker per completed point, plus one in the legend.
    let filled = |runtime: &str| {
        doc.descendants()
            .filter(|n| {
                n.has_tag_name("circle") && n.attribute("fill") == Some(&hex(colour(runtime)))
            })
            .count()
    };
    assert_eq!(filled("smol"), 3 + 1);
    let threads =
        std::fs::read_to_string(dir.path().join("scaling-sleep-threads-throughput.svg")).unwrap();
    assert!(threads.contains("4 (over)") && threads.contains("hollow: oversubscribed"));

    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(page.contains("<h2>Scaling</h2>"));
    for chart in &scaling {
        assert!(
            page.contains(&format!("src=\"{chart}\"")),
            "index.html misses {chart}"
        );
    }
    assert!(
        page.contains("in flight 100,000"),
        "a table per in-flight value"
    );
    assert!(page.contains("work-stealing, 4 threads, oversubscribed"));
    let table = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    assert!(table.contains("bytes per in-flight task"));
}

#[test]
fn a_single_point_has_no_scaling_section() {
    let dir = tempfile::tempdir().unwrap();
    let results = fixture("full.json");
    assert!(scaling::sweeps(&results).is_empty());
    assert_eq!(scaling::terminal(&results), "");
    let written = write_report(&results, dir.path()).unwrap();
    assert!(
        written
            .iter()
            .all(|p| !p.to_string_lossy().contains("scaling-"))
    );
    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(!page.contains("Scaling"));
}
