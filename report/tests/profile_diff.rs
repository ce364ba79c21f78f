//! The difference of two small hand-written profiles, with shares computed
//! by hand, and the files a report and a comparison write for profiles.

mod common;

use std::path::Path;

use common::fixture;
use rtbench_report::compare::Rules;
use rtbench_report::profile::callgrind::Callgraph;
use rtbench_report::profile::diff::Difference;
use rtbench_report::profile::{Profile, ProfileRecord, crates};
use rtbench_report::{ResultsFile, compare_within, write_comparison, write_report};

/// 10 operations: main (100 own) calls work (300) and alloc::alloc (100):
/// 500 instructions, 50 per operation.
const BASELINE: &str = "events: Ir\nob=(1) /bin/p\nfn=(1) main\n0 100\n\
    cfn=(2) app::work\ncalls=10 0\n0 300\ncfn=(3) alloc::alloc::alloc\ncalls=10 0\n0 100\n\
    fn=(2)\n0 300\nfn=(3)\n0 100\ntotals: 500\n";

/// 10 operations: work grew to 500 and calls nothing; app::helper (50) is
/// new, alloc is gone: 650 instructions, 65 per operation.
const CANDIDATE: &str = "events: Ir\nob=(1) /bin/p\nfn=(1) main\n0 100\n\
    cfn=(2) app::work\ncalls=10 0\n0 500\ncfn=(3) app::helper\ncalls=10 0\n0 50\n\
    fn=(2)\n0 500\nfn=(3)\n0 50\ntotals: 650\n";

fn profile(text: &str) -> Profile {
    let mut graph = Callgraph::default();
    graph.read(text.as_bytes()).unwrap();
    Profile::of(&graph, 10)
}

#[test]
fn changes_come_with_their_share_of_the_total_change() {
    let diff = Difference::of(&profile(BASELINE), &profile(CANDIDATE));
    assert_eq!(
        (diff.baseline, diff.candidate, diff.change()),
        (50.0, 65.0, 15.0)
    );
    // main did not change, so it is not listed.
    let names: Vec<&str> = diff.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["app::work", "alloc::alloc::alloc", "app::helper"]);
    let work = &diff.increases(10)[0];
    assert_eq!(
        (work.baseline, work.candidate, work.change()),
        (Some(30.0), Some(50.0), 20.0)
    );
    // +20 of +15 in all: 133.3 %; alloc −10: −66.7 %; helper +5: 33.3 %.
    assert!((diff.share(work).unwrap() - 20.0 / 15.0).abs() < 1e-12);
    let alloc = &diff.decreases(10)[0];
    assert_eq!((alloc.presence(), alloc.change()), ("baseline only", -10.0));
    assert!((diff.share(alloc).unwrap() + 10.0 / 15.0).abs() < 1e-12);
    let helper = &diff.increases(10)[1];
    assert_eq!(
        (helper.presence(), helper.baseline),
        ("candidate only", None)
    );
    let shares: f64 = diff.functions.iter().map(|f| diff.share(f).unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-12, "shares add up to {shares}");
}

#[test]
fn crates_share_the_instructions() {
    let base = profile(BASELINE);
    assert_eq!(
        crates::by_crate(&base),
        // main has no path: it goes by its file, /bin/p.
        [
            ("app".into(), 30.0),
            ("p".into(), 10.0),
            ("std".into(), 10.0)
        ]
    );
    let both = crates::side_by_side(&base, &profile(CANDIDATE));
    assert_eq!(both[0], ("app".into(), 30.0, 55.0));
    assert!(both.contains(&("std".into(), 10.0, 0.0)));
}

#[test]
fn inclusive_of_the_root_is_the_total() {
    let base = profile(BASELINE);
    let main = base.functions.iter().find(|f| f.name == "main").unwrap();
    assert_eq!((main.own, main.inclusive), (10.0, 50.0));
    let own: f64 = base.functions.iter().map(|f| f.own).sum();
    assert_eq!(own, base.per_op());
}

/// Two cases of the `full` fixture given the two profiles, saved as a run
/// would save them into `dir`.
fn with_profiles(dir: &Path) -> ResultsFile {
    let mut results = fixture("full.json");
    results
        .cases
        .retain(|c| c.workload == rtbench_report::Workload::named("sleep"));
    results.cases.truncate(2);
    for (i, (case, text)) in results
        .cases
        .iter_mut()
        .zip([BASELINE, CANDIDATE])
        .enumerate()
    {
        let from = tempfile::tempdir().unwrap();
        std::fs::write(from.path().join("callgrind.out.1"), text).unwrap();
        let file = format!("profiles/{i}.callgrind.gz");
        case.profile = Some(ProfileRecord::save(from.path(), dir, &file, 10).unwrap());
    }
    results
}

fn parses(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    // inferno's SVG starts with a DOCTYPE.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_report_shows_each_profile_and_its_flamegraph() {
    let dir = tempfile::tempdir().unwrap();
    let results = with_profiles(dir.path());
    results.write(&dir.path().join("results.json")).unwrap();
    // Read back as `rtbench report` would: profiles found beside the file.
    let read = ResultsFile::read(&dir.path().join("results.json")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let written = write_report(&read, out.path()).unwrap();
    let flames: Vec<&Path> = (written.iter())
        .filter(|p| p.to_string_lossy().contains("/profile-"))
        .map(|p| p.as_path())
        .collect();
    assert_eq!(flames.len(), 2, "{written:?}");
    let titles = parses(flames[0]);
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("app::work (30 instructions/op")),
        "{titles:?}"
    );
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let name = flames[0].file_name().unwrap().to_string_lossy();
    assert!(
        page.contains(&format!("data=\"{name}\"")),
        "the page shows {name}"
    );
    let markdown = std::fs::read_to_string(out.path().join("table.md")).unwrap();
    assert!(
        markdown.contains("| app::work | app | 30.0 | 60.0 % | 30.0 |"),
        "{markdown}"
    );
}

#[test]
fn a_comparison_shows_the_difference_and_its_flamegraph() {
    let dir = tempfile::tempdir().unwrap();
    let results = with_profiles(dir.path());
    let (a, b) = (&results.cases[0].runtime, &results.cases[1].runtime);
    let comparison = compare_within(&results, a, b, Rules::default()).unwrap();
    let out = tempfile::tempdir().unwrap();
    write_comparison(&comparison, out.path()).unwrap();
    let markdown = std::fs::read_to_string(out.path().join("compare.md")).unwrap();
    assert!(
        markdown.contains("| app::work | app | 30.0 | 50.0 | +20.0 | 133.3 % | both |"),
        "{markdown}"
    );
    assert!(markdown.contains("| app::helper | app | – | 5.0 | +5.0 | 33.3 % | candidate only |"));
    assert!(
        markdown
            .contains("| alloc::alloc::alloc | std | 10.0 | – | -10.0 | -66.7 % | baseline only |")
    );
    let titles = parses(&out.path().join("profile-diff-0-sleep.svg"));
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("app::work (50 instructions/op")),
        "{titles:?}"
    );
    let terminal = rtbench_report::profile::comparison_terminal(&comparison);
    assert!(terminal.contains("candidate only"), "{terminal}");
}
