//! Every SVG written for a fixture is well-formed XML with one bar per
//! completed case, every runtime's name and every percent label as text.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::fixture;
use rtbench_report::compare::Rules;
use rtbench_report::figure::Figure;
use rtbench_report::style::{colour, hex};
use rtbench_report::{Workload, compare, write_comparison, write_report};

/// An SVG parsed back: its texts and how many shapes of each fill it has.
struct Svg {
    texts: Vec<String>,
    rects: BTreeMap<String, usize>,
    circles: BTreeMap<String, usize>,
}

fn parse(path: &Path) -> Svg {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let mut svg = Svg {
        texts: Vec::new(),
        rects: BTreeMap::new(),
        circles: BTreeMap::new(),
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let fill = node.attribute("fill").unwrap_or("").to_string();
        match node.tag_name().name() {
            // plotters puts each text on a line of its own; SVG collapses that.
            "text" => svg.texts.push(node.text().unwrap_or("").trim().to_string()),
            "rect" => *svg.rects.entry(fill).or_default() += 1,
            "circle" => *svg.circles.entry(fill).or_default() += 1,
            _ => {}
        }
    }
    svg
}

impl Svg {
    fn has_text(&self, wanted: &str) -> bool {
        self.texts.iter().any(|t| t == wanted)
    }

    fn rects_of(&self, runtime: &str) -> usize {
        self.rects.get(&hex(colour(runtime))).copied().unwrap_or(0)
    }
}

#[test]
fn the_report_writes_table_charts_and_page() {
    let dir = tempfile::tempdir().unwrap();
    let written = write_report(&fixture("full.json"), dir.path()).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut expected = vec!["table.md".to_string()];
    for workload in ["sleep", "cancel"] {
        for chart in ["time", "throughput", "overhead", "memory", "latency"] {
            expected.push(format!("{workload}-{chart}.svg"));
        }
    }
    expected.push("index.html".into());
    assert_eq!(names, expected);
    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    for svg in names.iter().filter(|n| n.ends_with(".svg")) {
        assert!(
            page.contains(&format!("src=\"{svg}\"")),
            "index.html misses {svg}"
        );
    }
    assert!(page.contains("<table>") && page.contains("fastest: monoio"));
}

#[test]
fn bar_charts_have_one_bar_per_completed_case_and_every_name() {
    let results = fixture("full.json");
    let dir = tempfile::tempdir().unwrap();
    write_report(&results, dir.path()).unwrap();
    let mut workloads: Vec<Workload> = results.cases.iter().map(|c| c.workload).collect();
    workloads.dedup();
    for workload in workloads {
        let cases: Vec<_> = results
            .cases
            .iter()
            .filter(|c| c.workload == workload)
            .collect();
        if cases.is_empty() {
            continue;
        }
        for figure in Figure::charted(&cases[0].about) {
            let path = dir.path().join(format!("{workload}-{}.svg", figure.slug()));
            let svg = parse(&path);
            let bars: usize = cases.iter().map(|c| svg.rects_of(&c.runtime)).sum();
            let done = cases
                .iter()
                .filter(|c| c.summary.is_some() && c.error.is_none());
            assert_eq!(bars, done.count(), "{}", path.display());
            for case in &cases {
                assert!(
                    svg.has_text(&case.runtime),
                    "{}: {}",
                    path.display(),
                    case.runtime
                );
                let expected = if case.error.is_some() { 0 } else { 1 };
                assert_eq!(svg.rects_of(&case.runtime), expected, "{}", case.runtime);
            }
        }
    }
    // A failed case says so where its bar would be.
    let sleep = parse(&dir.path().join("sleep-time.svg"));
    assert!(
        sleep
            .texts
            .iter()
            .any(|t| t.starts_with("failed: exited with exit status: 1"))
    );
    // Values are written on the bars: monoio's median sleep time is 0.312 s.
    assert!(sleep.has_text("0.312 s"));
}

#[test]
fn latency_charts_have_five_points_per_completed_case() {
    let results = fixture("full.json");
    let dir = tempfile::tempdir().unwrap();
    write_report(&results, dir.path()).unwrap();
    let svg = parse(&dir.path().join("cancel-latency.svg"));
    for case in results
        .cases
        .iter()
        .filter(|c| c.workload == Workload::named("cancel"))
    {
        let circles = svg
            .circles
            .get(&hex(colour(&case.runtime)))
            .copied()
            .unwrap_or(0);
        // Five percentiles plus the legend's marker; none for a failed case.
        let expected = if case.error.is_some() { 0 } else { 6 };
        assert_eq!(circles, expected, "{}", case.runtime);
        assert!(svg.has_text(&case.runtime), "{}", case.runtime);
    }
    for name in ["p50", "p90", "p99", "p99.9", "max"] {
        assert!(svg.has_text(name), "{name}");
    }
    assert!(svg.has_text("p99 7.54 ms"), "{:?}", svg.texts);
}

#[test]
fn comparison_charts_pair_bars_and_write_every_percent() {
    let comparison = compare(
        &fixture("baseline.json"),
        &fixture("candidate.json"),
        Rules::default(),
    );
    let dir = tempfile::tempdir().unwrap();
    let written = write_comparison(&comparison, dir.path()).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "compare.md",
            "compare-sleep.svg",
            "compare-cancel.svg",
            "compare.html"
        ]
    );
    for workload in ["sleep", "cancel"] {
        let svg = parse(&dir.path().join(format!("compare-{workload}.svg")));
        for pair in comparison
            .pairs
            .iter()
            .filter(|p| p.baseline.workload.name() == workload)
        {
            let runtime = &pair.baseline.runtime;
            assert!(svg.has_text(runtime), "{workload}: {runtime}");
            match pair.failure() {
                // Baseline and candidate, in each of the four panels.
                None => assert_eq!(
                    svg.rects_of(runtime),
                    2 * Figure::charted(&pair.baseline.about).len()
                ),
                Some(why) => {
                    assert_eq!(svg.rects_of(runtime), 0);
                    assert!(svg.has_text(&why), "{why}");
                }
            }
            for figure in Figure::charted(&pair.baseline.about) {
                let Some(change) = pair.change(figure) else {
                    continue;
                };
                let label = change.percent_text();
                assert!(
                    svg.texts.iter().any(|t| t.starts_with(&label)),
                    "{workload} {runtime} {figure:?}: no {label} in {:?}",
                    svg.texts
                );
            }
        }
    }
    // The headline change of the fixtures: tokio's sleep time, 0.82 s → 0.62 s.
    let sleep = parse(&dir.path().join("compare-sleep.svg"));
    // Three runs a side: no verdict, so every change is marked noise.
    assert!(sleep.has_text("-24.4 % (noise)"));
    assert!(sleep.has_text("+1.8 % (noise)"));
}

#[test]
fn an_unwritable_directory_is_a_one_line_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "").unwrap();
    let error = write_report(&fixture("full.json"), &file.join("out")).unwrap_err();
    assert!(
        error.contains("not-a-dir") && !error.contains('\n'),
        "{error}"
    );
}

#[test]
fn a_workload_where_every_case_failed_still_gets_its_charts() {
    let mut results = fixture("full.json");
    for case in &mut results.cases {
        case.status = rtbench_report::CaseStatus::Failed;
        case.error = Some("killed by signal: 9 (SIGKILL)".into());
    }
    let dir = tempfile::tempdir().unwrap();
    let written = write_report(&results, dir.path()).unwrap();
    for path in written.iter().filter(|p| p.extension().unwrap() == "svg") {
        let svg = parse(path);
        assert!(svg.has_text("tokio"), "{}", path.display());
        let bars: usize = results.cases.iter().map(|c| svg.rects_of(&c.runtime)).sum();
        assert_eq!(bars, 0, "{}", path.display());
    }
    let table = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    assert!(
        table.contains("**no runtime completed this workload**"),
        "{table}"
    );
}

#[test]
fn an_empty_results_file_writes_a_table_and_a_page_only() {
    let mut results = fixture("full.json");
    results.cases.clear();
    let dir = tempfile::tempdir().unwrap();
    let written = write_report(&results, dir.path()).unwrap();
    assert_eq!(written.len(), 2, "{written:?}");
}
