//! Verdicts end to end on files built here: a shift is found, an A-vs-A is
//! not, pairing cancels drift, and a regression is named.

mod common;

use common::fixture;
use rtbench_report::compare::{Rules, Verdict, pair_labels};
use rtbench_report::figure::Figure;
use rtbench_report::{Order, ResultsFile, compare, compare_variants, compare_within};

/// full.json's tokio and smol sleep cases with `n` runs each, their wall
/// times following `wall(round)`, in an interleaved file.
fn file_of(n: usize, wall: impl Fn(&str, usize) -> f64) -> ResultsFile {
    let mut file = fixture("full.json");
    file.order = Some(Order::Interleaved);
    file.cases.retain(|c| {
        c.workload == rtbench_report::Workload::named("sleep")
            && ["tokio", "smol"].contains(&c.runtime.as_str())
    });
    for case in &mut file.cases {
        let template = case.runs[0].clone();
        case.runs = (0..n)
            .map(|round| {
                let mut run = template.clone();
                run.wall_s = wall(&case.runtime, round);
                run
            })
            .collect();
    }
    file
}

/// Ten rounds on a machine whose speed drifts 10 % a round: smol 5 % slower
/// than tokio in every round.
fn drifting(runtime: &str, round: usize) -> f64 {
    let drift = 1.0 + 0.1 * round as f64;
    if runtime == "smol" {
        drift * 1.05
    } else {
        drift
    }
}

#[test]
fn pairing_round_by_round_cancels_drift() {
    let file = file_of(10, drifting);
    let paired = compare_within(&file, "tokio", "smol", Rules::default()).unwrap();
    assert!(paired.paired);
    let time = paired.pairs[0].change(Figure::Time).unwrap();
    assert_eq!(time.verdict, Verdict::Worse, "{}", time.text());
    // Every round's difference is 5 % of that round's time (0.05 … 0.095 s);
    // their Hodges–Lehmann centre, 0.0725 s, is 5 % of the median 1.45 s.
    assert!(
        (time.percent.unwrap() - 5.0).abs() < 1e-9,
        "{}",
        time.text()
    );
    // The same runs as independent sets: the drift swamps the 5 %.
    let mut merged = file.clone();
    merged.order = None;
    let unpaired = compare_within(&merged, "tokio", "smol", Rules::default()).unwrap();
    assert!(!unpaired.paired);
    let time = unpaired.pairs[0].change(Figure::Time).unwrap();
    assert_eq!(time.verdict, Verdict::WithinNoise, "{}", time.text());
}

#[test]
fn a_file_against_itself_is_within_noise_and_a_slowdown_is_a_regression() {
    let jitter =
        |_: &str, round: usize| 1.0 + [0.0, 0.02, -0.01, 0.03, -0.02, 0.01, -0.03, 0.02][round];
    let base = file_of(8, jitter);
    let same = compare(&base, &base, Rules::default());
    assert!(same.regressions().is_empty());
    assert!(
        same.pairs
            .iter()
            .flat_map(|p| &p.changes)
            .all(|c| c.verdict == Verdict::WithinNoise)
    );
    let mut slower = base.clone();
    for run in slower.cases.iter_mut().flat_map(|c| &mut c.runs) {
        run.wall_s *= 1.10;
    }
    let worse = compare(&base, &slower, Rules::default());
    assert!(!worse.paired);
    let named = worse.regressions();
    assert_eq!(named.len(), 2, "{named:?}");
    // The median of all 64 differences: +10.1 % with the jitter; its interval excludes 0.
    assert!(
        named[0].starts_with("tokio sleep time (s) +10.1 % (+"),
        "{named:?}"
    );
    // Throughput fell by about 1 − 1/1.1 = 9.1 % (the estimate of jittered
    // runs within a few tenths of it): worse too, by the same rule.
    let throughput = worse.pairs[0].change(Figure::Throughput).unwrap();
    assert_eq!(throughput.verdict, Verdict::Worse);
    let fell = throughput.percent.unwrap();
    assert!((fell + 9.1).abs() < 0.3, "{}", throughput.text());
}

#[test]
fn a_one_percent_change_in_a_steady_figure_is_within_noise() {
    let base = file_of(8, |_, round| 1.0 + 0.001 * round as f64);
    let mut bigger = base.clone();
    for run in bigger.cases.iter_mut().flat_map(|c| &mut c.runs) {
        run.peak_rss_bytes = (run.peak_rss_bytes as f64 * 1.01) as u64;
    }
    let c = compare(&base, &bigger, Rules::default());
    let memory = c.pairs[0].change(Figure::Memory).unwrap();
    assert!(
        (memory.percent.unwrap() - 1.0).abs() < 0.01,
        "{}",
        memory.text()
    );
    assert_eq!(memory.verdict, Verdict::WithinNoise);
    // Told to care about half a percent, the same change is worse.
    let strict = compare(&base, &bigger, Rules { threshold_pct: 0.5 });
    assert_eq!(
        strict.pairs[0].change(Figure::Memory).unwrap().verdict,
        Verdict::Worse
    );
}

#[test]
fn naming_a_runtime_the_file_lacks_is_a_one_line_error() {
    let mut file = file_of(6, drifting);
    // A second tokio case after smol's (another sweep point): named once.
    let mut again = file
        .cases
        .iter()
        .find(|c| c.runtime == "tokio")
        .unwrap()
        .clone();
    let in_flight = again.params.number("in_flight").unwrap();
    again.params.set("in_flight", (in_flight * 10).into());
    file.cases.push(again);
    let error = compare_within(&file, "tokio", "nosuch", Rules::default()).unwrap_err();
    assert!(
        error.starts_with("--candidate nosuch:") && error.ends_with("it holds: tokio, smol"),
        "{error}"
    );
    assert!(!error.contains('\n'));
}

#[test]
fn variants_are_labelled_baseline_then_candidate() {
    let mut file = file_of(6, drifting);
    let smol = file.cases.iter_mut().find(|c| c.runtime == "smol").unwrap();
    smol.runtime = "tokio@1.25.0".into();
    let mut third = smol.clone();
    third.runtime = "tokio@1.38.0".into();
    file.cases.push(third);
    let c = compare_variants(&file, Rules::default()).unwrap();
    let pairs: Vec<_> = c.pairs.iter().collect();
    assert_eq!(
        pair_labels(&pairs),
        ["tokio → tokio@1.25.0", "tokio → tokio@1.38.0"]
    );
}

#[test]
fn a_variant_that_failed_says_so_and_the_others_are_still_compared() {
    let mut file = file_of(6, drifting);
    let smol = file.cases.iter_mut().find(|c| c.runtime == "smol").unwrap();
    smol.runtime = "tokio@1.38.0".into();
    let mut broken = smol.clone();
    broken.runtime = "tokio@1.25.0".into();
    broken.status = rtbench_report::CaseStatus::Failed;
    broken.error = Some("build failed: no such version".into());
    broken.runs.clear();
    broken.summary = None;
    file.cases.push(broken);
    let c = compare_variants(&file, Rules::default()).unwrap();
    let lines = rtbench_report::table::verdict_lines(&c);
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("sleep: tokio → tokio@1.38.0: time +5.0 %"),
        "{lines:?}"
    );
    assert_eq!(
        lines[1],
        "sleep: tokio → tokio@1.25.0: failed in candidate: build failed: no such version"
    );
}

#[test]
fn the_gate_says_when_too_few_runs_can_never_pass_its_correction() {
    // Four runs a side: the rank test's smallest p is 0.0209 (z = 8 / √12);
    // over five cases Holm's first step asks 0.05 / 5 = 0.01.
    let mut base = file_of(4, |_, round| 1.0 + 0.01 * round as f64);
    let template = base.cases[0].clone();
    for i in 0..3 {
        let mut case = template.clone();
        case.runtime = format!("tokio-{i}");
        base.cases.push(case);
    }
    let mut slower = base.clone();
    for run in slower.cases.iter_mut().flat_map(|c| &mut c.runs) {
        run.wall_s *= 1.5;
    }
    let gate = compare(&base, &slower, Rules::default()).gate();
    assert_eq!((gate.tested, gate.blind), (5, 5));
    assert!(gate.regressions.is_empty(), "{:?}", gate.regressions);
    assert!(
        gate.rule().contains("5 of them have too few runs"),
        "{}",
        gate.rule()
    );
}
