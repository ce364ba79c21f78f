//! The tables, as a reader sees them, pinned by snapshots of fixture files.

mod common;

use common::fixture;
use rtbench_report::compare::Rules;
use rtbench_report::summary::{Stat, Summary};
use rtbench_report::{compare, table};

/// Equal up to rounding: serde_json's default float parser may be one unit in
/// the last place off the value written.
fn close(stored: &serde_json::Value, computed: Stat) -> bool {
    let near = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(y.abs());
    let field = |name: &str| stored[name].as_f64().unwrap();
    near(field("median"), computed.median)
        && near(field("min"), computed.min)
        && near(field("max"), computed.max)
}

/// The version 1 fixtures' stored medians, mins and maxes are what this
/// build computes from their runs (which is what readers now always use).
#[test]
fn version_1_summaries_match_what_is_computed_from_their_runs() {
    for name in ["full.json", "baseline.json", "candidate.json"] {
        let raw: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(common::fixture_path(name)).unwrap())
                .unwrap();
        for (case, raw_case) in fixture(name)
            .cases
            .iter()
            .zip(raw["cases"].as_array().unwrap())
        {
            let what = format!("{name}: {} {}", case.runtime, case.workload);
            let stored = &raw_case["summary"];
            match Summary::of(case) {
                None => assert!(case.runs.is_empty() && stored.is_null(), "{what}"),
                Some(r) => {
                    for (key, computed) in [
                        ("wall_s", r.wall_s),
                        ("throughput", r.throughput.unwrap()),
                        ("overhead_ns_per_op", r.overhead_ns_per_op.unwrap()),
                        ("cpu_ns_per_op", r.cpu_ns_per_op.unwrap()),
                        ("peak_rss_bytes", r.peak_rss_bytes),
                        ("p99_ns", r.p99_ns.unwrap()),
                    ] {
                        assert!(close(&stored[key], computed), "{what} {key}");
                    }
                }
            }
        }
    }
}

#[test]
fn terminal_table() {
    insta::assert_snapshot!(table::terminal(&fixture("full.json")));
}

#[test]
fn markdown_table() {
    insta::assert_snapshot!(table::markdown(&fixture("full.json")));
}

#[test]
fn comparison_terminal_table() {
    let comparison = compare(
        &fixture("baseline.json"),
        &fixture("candidate.json"),
        Rules::default(),
    );
    insta::assert_snapshot!(table::comparison_terminal(&comparison));
}

#[test]
fn comparison_markdown_table() {
    let comparison = compare(
        &fixture("baseline.json"),
        &fixture("candidate.json"),
        Rules::default(),
    );
    insta::assert_snapshot!(table::comparison_markdown(&comparison));
}

#[test]
fn a_failed_case_is_a_row_saying_why() {
    let text = table::markdown(&fixture("full.json"));
    let row = text
        .lines()
        .find(|l| l.starts_with("| glommio |"))
        .expect("glommio's failed sleep case has a row");
    assert!(
        row.contains("failed: exited with exit status: 1") && row.contains("io\\_uring"),
        "{row}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("| smol-local |") && l.contains("failed"))
        .expect("smol-local's failed cancel case has a row");
    assert!(row.contains("timed out after 600 s"), "{row}");
}

#[test]
fn the_headline_names_the_fastest_and_the_slowest() {
    let text = table::markdown(&fixture("full.json"));
    // sleep: monoio 0.312 s is fastest, tokio 0.671 s slowest; 0.671 / 0.312 = 2.15.
    assert!(
        text.contains(
            "**fastest: monoio, 2.15× the slowest (tokio); overhead/op 212 ns vs 571 ns**"
        ),
        "{text}"
    );
    // It is the last line of the workload's section.
    let sleep = text.split("## cancel").next().unwrap();
    assert!(sleep.trim_end().ends_with("571 ns**"), "{sleep}");
}

#[test]
fn a_sweep_is_ranked_at_each_of_its_points_not_across_them() {
    let mut file = fixture("full.json");
    file.cases.retain(|c| {
        c.workload == rtbench_report::Workload::named("sleep")
            && ["monoio", "tokio"].contains(&c.runtime.as_str())
    });
    // A second point, ten times the in-flight, where tokio takes a tenth of
    // its time: the fastest there, though slower than monoio at the first.
    let mut second = file.cases.clone();
    for case in &mut second {
        let in_flight = case.params.number("in_flight").unwrap();
        case.params.set("in_flight", (in_flight * 10).into());
        if case.runtime == "tokio" {
            for run in &mut case.runs {
                run.wall_s *= 0.1;
            }
        }
        case.summary = Summary::of(case);
    }
    file.cases.extend(second);
    let text = table::markdown(&file);
    assert!(
        text.contains("**fastest at each of the sweep's 2 points:**"),
        "{text}"
    );
    // Only the parameter that differs names the point; 0.671 / 0.312 = 2.15
    // at the first, 0.312 / 0.0671 = 4.65 at the second.
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| in flight"))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[0].starts_with("| in flight 10,000 | monoio | - | 2.15 | tokio |"),
        "{text}"
    );
    assert!(
        rows[1].starts_with("| in flight 100,000 | tokio | - | 4.65 | monoio |"),
        "{text}"
    );
    // One 1.00 in vs best per point.
    assert_eq!(text.matches("| 1.00 |").count(), 2, "{text}");
}

#[test]
fn async_std_is_noted_as_discontinued_only_when_present() {
    assert!(table::markdown(&fixture("full.json")).contains("async-std is discontinued upstream"));
    let mut without = fixture("full.json");
    without.cases.retain(|c| c.runtime != "async-std");
    assert!(!table::markdown(&without).contains("discontinued"));
}

#[test]
fn the_terminal_table_fits_the_width_it_is_given_and_keeps_every_cell() {
    let results = fixture("full.json");
    let wide = table::terminal_in(&results, None);
    let narrow = table::terminal_in(&results, Some(100));
    // Every line: the tables, and the prose around them wrapped at spaces.
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest(&wide) > 150, "the table is wide by itself");
    assert!(widest(&narrow) <= 100, "{narrow}");
    let eighty = table::terminal_in(&results, Some(80));
    assert!(widest(&eighty) <= 80, "{eighty}");
    // Every value is still there, whole or wrapped at its space.
    for value in [
        "0.671",
        "1.49M",
        "1,230",
        "±4.1 %",
        "2.15",
        "monoio †",
        "throughput",
    ] {
        assert!(narrow.contains(value), "{value} lost:\n{narrow}");
    }
}

/// The note lines of a terminal rendering.
fn note_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("note:")).collect()
}

#[test]
fn nine_noisy_runtimes_make_one_note_line_not_nine() {
    let mut file = fixture("full.json");
    file.cases
        .retain(|c| c.workload == rtbench_report::Workload::named("sleep"));
    let runs = file.cases[0].runs.clone();
    assert_eq!(file.cases.len(), 9);
    // Case k's three runs are m·(1 − a), m, m·(1 + a) with a = 6 % + k %: with
    // fewer than 6 runs the interval is the min–max, so ± is a: 6.0 … 14 %.
    for (k, case) in file.cases.iter_mut().enumerate() {
        case.runs = runs.clone();
        case.status = rtbench_report::results::CaseStatus::Ok;
        case.error = None;
        let a = 0.06 + 0.01 * k as f64;
        let m = case.runs[0].wall_s;
        for (run, factor) in case.runs.iter_mut().zip([1.0 - a, 1.0, 1.0 + a]) {
            run.wall_s = m * factor;
        }
        case.summary = Summary::of(case);
    }
    let text = table::terminal_in(&file, None);
    let notes = note_lines(&text);
    let noisy: Vec<&&str> = notes.iter().filter(|l| l.contains("vary")).collect();
    assert_eq!(noisy.len(), 1, "{text}");
    assert!(
        noisy[0].contains("9 of 9 runtimes vary more than 5 % in time (±6.0 … ±14 %)"),
        "{text}"
    );
    assert_eq!(text.matches("--measure counts").count(), 1, "{text}");
    // No note is another with only the runtime's name changed.
    let names: Vec<String> = file.cases.iter().map(|c| c.runtime.clone()).collect();
    let mut shapes: Vec<String> = notes
        .iter()
        .map(|line| {
            // Longest names first, so `tokio` does not eat `tokio-per-thread`.
            let mut names = names.clone();
            names.sort_by_key(|n| std::cmp::Reverse(n.len()));
            names
                .iter()
                .fold(line.to_string(), |l, n| l.replace(n, "NAME"))
        })
        .collect();
    let all = shapes.len();
    shapes.sort();
    shapes.dedup();
    assert_eq!(shapes.len(), all, "{text}");
}

#[test]
fn a_table_with_nothing_to_note_has_no_notes() {
    let mut file = fixture("full.json");
    file.cases
        .retain(|c| ["tokio", "compio"].contains(&c.runtime.as_str()));
    file.cases
        .retain(|c| c.workload == rtbench_report::Workload::named("sleep"));
    let text = table::terminal_in(&file, None);
    assert!(note_lines(&text).is_empty(), "{text}");
    let markdown = table::markdown(&file);
    assert!(
        !markdown.contains("†") && !markdown.contains("what to do"),
        "{markdown}"
    );
}

#[test]
fn a_comparison_split_to_fit_keeps_the_runtime_and_the_figure_in_each_part() {
    let comparison = compare(
        &fixture("baseline.json"),
        &fixture("candidate.json"),
        Rules::default(),
    );
    let doc = table::comparison_terminal_in(&comparison, Some(80));
    let headers: Vec<&str> = doc.lines().filter(|l| l.starts_with("│ runtime")).collect();
    assert!(headers.len() > 2, "split at 80 columns:\n{doc}");
    for header in &headers {
        assert!(header.contains("┆ figure "), "{header}");
    }
    assert!(doc.lines().all(|l| l.chars().count() <= 80), "{doc}");
}
