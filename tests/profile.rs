//! `--profile` end to end: a run under callgrind keeps a profile per case
//! beside its results, with a top-functions table and a flamegraph that
//! parses, and the page shows both; `report` and `compare` find the
//! profiles from the results file alone.

use std::path::Path;

use rtbench_report::ResultsFile;

mod common;
use common::{rtbench, succeeds};

fn svg_titles(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    (doc.descendants())
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect()
}

#[test]
fn a_profiled_run_keeps_a_profile_per_case_and_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = succeeds(
        rtbench()
            .args(["run", "--measure", "counts", "--profile"])
            .args([
                "--runtimes",
                "tokio-current-thread,smol-local",
                "--workloads",
                "sleep",
            ])
            .args([
                "--reps",
                "1",
                "--ops",
                "2000",
                "--in-flight",
                "100",
                "--out",
            ])
            .arg(&out),
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("top functions by instructions per operation"),
        "{stdout}"
    );
    let results = ResultsFile::read(&out.join("results.json")).unwrap();
    assert_eq!(results.cases.len(), 2);
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    for case in &results.cases {
        let profile = case.profile.as_ref().expect("every case has a profile");
        let file = profile.file.as_deref().expect("and its file");
        assert!(out.join(file).is_file(), "{file} is beside the results");
        assert_eq!(profile.ops, 2000);
        assert!(!profile.top.is_empty());
        // The workload's own code is among the functions, demangled.
        let loaded = profile.load().unwrap();
        assert!(
            (loaded.functions.iter()).any(|f| f.krate == "rtbench_workloads"),
            "{:?}",
            &loaded.functions[..5]
        );
        let svg = format!("profile-sleep-{}.svg", case.runtime);
        let titles = svg_titles(&out.join(&svg));
        assert!(
            titles.iter().any(|t| t.contains("instructions/op")),
            "{svg}"
        );
        assert!(
            page.contains(&format!("data=\"{svg}\"")),
            "the page shows {svg}"
        );
    }
    // The two runtimes compared from the file alone, elsewhere.
    let compared = dir.path().join("compared");
    let compare = rtbench()
        .args(["compare"])
        .arg(out.join("results.json"))
        .args([
            "--baseline",
            "tokio-current-thread",
            "--candidate",
            "smol-local",
            "--out",
        ])
        .arg(&compared)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&compare.stdout);
    assert!(
        printed.contains("instructions per operation by crate"),
        "{printed}"
    );
    svg_titles(&compared.join("profile-diff-0-sleep.svg"));
    let markdown = std::fs::read_to_string(compared.join("compare.md")).unwrap();
    assert!(markdown.contains("candidate only"), "{markdown}");
}

#[test]
fn a_run_without_profile_writes_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    succeeds(
        rtbench()
            .args(["run", "--runtimes", "smol-local", "--workloads", "sleep"])
            .args(["--reps", "1", "--ops", "200", "--in-flight", "10", "--out"])
            .arg(&out),
    );
    let results = ResultsFile::read(&out.join("results.json")).unwrap();
    assert!(results.cases.iter().all(|c| c.profile.is_none()));
    assert!(!out.join("profiles").exists());
}

#[test]
fn without_valgrind_profile_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = rtbench()
        .env("PATH", dir.path())
        .args([
            "run",
            "--profile",
            "--runtimes",
            "smol-local",
            "--workloads",
            "sleep",
        ])
        .arg("--out")
        .arg(dir.path().join("run"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--profile needs valgrind"), "{stderr}");
    assert!(!dir.path().join("run").exists(), "nothing ran");
}

#[test]
fn a_commands_profile_is_the_whole_program_and_says_where_names_are_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    succeeds(
        rtbench()
            .args([
                "run",
                "--profile",
                "--runtimes",
                "none",
                "--command",
                "nap=sleep 0.01",
            ])
            .args(["--reps", "1", "--out"])
            .arg(&out),
    );
    let results = ResultsFile::read(&out.join("results.json")).unwrap();
    let profile = results.cases[0].profile.as_ref().unwrap();
    assert!(out.join(profile.file.as_deref().unwrap()).is_file());
    assert!(
        profile
            .notes
            .iter()
            .any(|n| n.contains("the whole program"))
    );
    // Where the loaded program has code without symbols, the notes say so.
    let loaded = profile.load().unwrap();
    if loaded.unnamed / loaded.per_op() >= 0.0005 {
        assert!(
            profile
                .notes
                .iter()
                .any(|n| n.contains("names are missing")),
            "{:?}",
            profile.notes
        );
    }
}
