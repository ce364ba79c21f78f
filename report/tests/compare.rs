//! `compare` on the two fixtures (version 1 files of three runs a case): the
//! percentages a reader would compute by hand from the fixture values, no
//! verdict from three runs a side, and nothing dropped.

mod common;

use common::fixture;
use rtbench_report::compare::{Comparison, Pair, Rules, Verdict, pair_labels};
use rtbench_report::figure::Figure;
use rtbench_report::{Workload, compare};

fn comparison() -> Comparison {
    compare(
        &fixture("baseline.json"),
        &fixture("candidate.json"),
        Rules::default(),
    )
}

fn pair<'a>(c: &'a Comparison, runtime: &str, workload: Workload) -> &'a Pair {
    c.pairs
        .iter()
        .find(|p| p.baseline.runtime == runtime && p.baseline.workload == workload)
        .unwrap_or_else(|| panic!("no {runtime} {workload} pair"))
}

fn assert_percent(pair: &Pair, figure: Figure, expected: f64, verdict: Verdict) {
    let change = pair.change(figure).unwrap();
    let percent = change.percent.unwrap();
    assert!(
        (percent - expected).abs() < 1e-9,
        "{} {figure:?}: {percent} vs {expected}",
        pair.baseline.runtime
    );
    assert_eq!(
        change.verdict, verdict,
        "{} {figure:?}",
        pair.baseline.runtime
    );
}

#[test]
fn tokio_sleep_changes_as_computed_by_hand() {
    let c = comparison();
    // Three runs a side are too few for a 95 % interval (the Mann–Whitney
    // interval needs four), so the change is the medians' and no verdict.
    let tokio = pair(&c, "tokio", Workload::named("sleep"));
    // Wall time medians: baseline runs 0.80, 0.82, 0.90 s; candidate 0.60, 0.62, 0.65 s.
    assert_percent(
        tokio,
        Figure::Time,
        (0.62 - 0.82) / 0.82 * 100.0,
        Verdict::WithinNoise,
    );
    // Throughput = 1,000,000 ops / wall time, higher is better.
    let (b, n) = (1e6 / 0.82, 1e6 / 0.62);
    assert_percent(
        tokio,
        Figure::Throughput,
        (n - b) / b * 100.0,
        Verdict::WithinNoise,
    );
    // Overhead = (wall − 0.1 s ideal) / 1,000,000 ops: 720 ns → 520 ns.
    assert_percent(
        tokio,
        Figure::Overhead,
        (520.0 - 720.0) / 720.0 * 100.0,
        Verdict::WithinNoise,
    );
    // CPU: 1.50 s → 1.20 s over 1,000,000 ops.
    assert_percent(
        tokio,
        Figure::Cpu,
        (1200.0 - 1500.0) / 1500.0 * 100.0,
        Verdict::WithinNoise,
    );
    // Peak memory: both medians 13.7 MB.
    assert_percent(tokio, Figure::Memory, 0.0, Verdict::WithinNoise);
    // p99: runs scale 7.0 ms by 0.96, 1, 1.04 → median 7.0 ms; candidate 5.6 ms.
    assert_percent(
        tokio,
        Figure::P99,
        (5.6 - 7.0) / 7.0 * 100.0,
        Verdict::WithinNoise,
    );
    let time = tokio.change(Figure::Time).unwrap();
    assert_eq!(time.text(), "-24.4 % (no interval)");
    assert_eq!(time.interval, None);
}

#[test]
fn three_runs_a_side_give_percentages_but_no_verdict() {
    let c = comparison();
    // smol sleep: 0.50 s (0.48–0.52) → 0.61 s (0.60–0.63): slower, beyond the spread.
    let smol = pair(&c, "smol", Workload::named("sleep"));
    assert_percent(
        smol,
        Figure::Time,
        (0.61 - 0.50) / 0.50 * 100.0,
        Verdict::WithinNoise,
    );
    let (b, n) = (1e6 / 0.50, 1e6 / 0.61);
    assert_percent(
        smol,
        Figure::Throughput,
        (n - b) / b * 100.0,
        Verdict::WithinNoise,
    );
    // tokio-current-thread sleep: 0.57 s (0.55–0.64) → 0.58 s (0.56–0.60): ranges overlap.
    let ct = pair(&c, "tokio-current-thread", Workload::named("sleep"));
    assert_percent(
        ct,
        Figure::Time,
        (0.58 - 0.57) / 0.57 * 100.0,
        Verdict::WithinNoise,
    );
    // glommio cancel: memory 113.1 MB → 60.2 MB, a clear gain; time within noise.
    let glommio = pair(&c, "glommio", Workload::named("cancel"));
    assert_percent(
        glommio,
        Figure::Memory,
        (60.2 - 113.1) / 113.1 * 100.0,
        Verdict::WithinNoise,
    );
    assert_percent(
        glommio,
        Figure::Time,
        (0.75 - 0.82) / 0.82 * 100.0,
        Verdict::WithinNoise,
    );
}

#[test]
fn nothing_is_dropped() {
    let c = comparison();
    let names = |cases: &[rtbench_report::Case]| {
        cases
            .iter()
            .map(|c| format!("{} {}", c.runtime, c.workload))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&c.only_in_baseline), ["async-std sleep"]);
    // compio is new; tokio's unstarted cancel has parameters the baseline lacks.
    assert_eq!(
        names(&c.only_in_candidate),
        ["compio sleep", "tokio cancel"]
    );
    assert_eq!(c.pairs.len(), 6 + 4);
    let monoio = pair(&c, "monoio", Workload::named("sleep"));
    assert!(monoio.changes.is_empty());
    assert_eq!(
        monoio.failure().as_deref(),
        Some("failed in candidate: killed by signal: 9 (SIGKILL)")
    );
    let text = rtbench_report::table::comparison_markdown(&c);
    assert!(
        text.contains("only in baseline, not compared: async-std"),
        "{text}"
    );
    assert!(
        text.contains("only in candidate, not compared: compio"),
        "{text}"
    );
}

#[test]
fn differing_host_rustc_and_parameters_are_one_warning_line_each() {
    let c = comparison();
    assert_eq!(c.warnings.len(), 3, "{:#?}", c.warnings);
    assert!(c.warnings[0].starts_with("hosts differ:") && c.warnings[0].contains("6.19.2"));
    assert!(c.warnings[1].starts_with("rustc differs:"));
    assert!(c.warnings[2].starts_with("cancel parameters differ:"));
    assert!(c.warnings[2].contains("cancel unstarted"));
    assert!(c.warnings.iter().all(|w| !w.contains('\n')));
    // The same file against itself: nothing to warn about, nothing changed.
    let same = compare(
        &fixture("baseline.json"),
        &fixture("baseline.json"),
        Rules::default(),
    );
    assert!(same.warnings.is_empty(), "{:?}", same.warnings);
    assert!(same.only_in_baseline.is_empty() && same.only_in_candidate.is_empty());
    assert!(
        same.pairs
            .iter()
            .flat_map(|p| &p.changes)
            .all(|c| c.verdict == Verdict::WithinNoise)
    );
}

/// The "3.12 vs 3.13" view: one runtime in each file, under different names.
#[test]
fn files_of_one_runtime_each_are_compared_across_runtimes() {
    let only = |file: &str, runtime: &str, name: &str| {
        let mut results = fixture(file);
        results
            .cases
            .retain(|c| c.runtime == runtime && c.workload == Workload::named("sleep"));
        assert_eq!(results.cases.len(), 1, "{runtime} sleep is in {file}");
        results.cases[0].runtime = name.to_owned();
        results
    };
    let old = only("baseline.json", "tokio", "python3.12-asyncio");
    let new = only("candidate.json", "tokio", "python3.13-asyncio");
    let c = compare(&old, &new, Rules::default());
    assert_eq!(c.pairs.len(), 1);
    assert!(c.only_in_baseline.is_empty() && c.only_in_candidate.is_empty());
    assert_eq!(c.pairs[0].candidate.runtime, "python3.13-asyncio");
    let expected = (new.cases[0].summary.unwrap().wall_s.median
        / old.cases[0].summary.unwrap().wall_s.median
        - 1.0)
        * 100.0;
    let percent = c.pairs[0].change(Figure::Time).unwrap().percent.unwrap();
    assert!((percent - expected).abs() < 1e-9, "{percent} vs {expected}");
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("python3.12-asyncio") && w.contains("python3.13-asyncio")),
        "the cross-runtime pairing is said: {:?}",
        c.warnings
    );
    let labels = pair_labels(&[&c.pairs[0]]);
    assert_eq!(labels, ["python3.12-asyncio → python3.13-asyncio"]);
}
