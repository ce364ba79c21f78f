//! Counts end to end on a hand-made version 3 file (tokio and glommio on
//! sleep at 100,000 operations, 3 runs each, glommio without system calls;
//! a command with whole-program totals): per-operation figures, verdicts
//! from three runs, the gate with its Holm correction, tables, exports, charts.

mod common;

use std::collections::BTreeMap;

use common::fixture;
use rtbench_report::compare::{Rules, Verdict};
use rtbench_report::count::Count;
use rtbench_report::figure::Figure;
use rtbench_report::results::Measure;
use rtbench_report::summary::Summary;
use rtbench_report::{Format, ResultsFile, chart, compare, compare_variants, export, table};

const INSTRUCTIONS: Figure = Figure::PerOp(Count::Instructions);

/// `file` with every run's instructions and cache accesses times `factor`.
fn more_instructions(file: &ResultsFile, factor: f64) -> ResultsFile {
    let mut file = file.clone();
    for run in file.cases.iter_mut().flat_map(|c| &mut c.runs) {
        let counted = run.counted.as_mut().unwrap();
        for field in [
            &mut counted.instructions,
            &mut counted.l1_hits,
            &mut counted.ll_hits,
            &mut counted.ram_accesses,
        ] {
            *field = field.map(|v| (v as f64 * factor).round() as u64);
        }
    }
    file
}

#[test]
fn counts_are_per_operation_and_a_commands_are_totals() {
    let file = fixture("counts.json");
    assert_eq!((file.version, file.measure), (3, Some(Measure::Counts)));
    let tokio = file.cases[0].summary.unwrap();
    // 511.8, 512.0 and 512.5 million instructions over 100,000 sleeps.
    assert_eq!(tokio.instructions.unwrap().median, 5_120.0);
    assert_eq!(tokio.instructions.unwrap().n, 3);
    // Context switches add both kinds: 2797 + 1863 in the first run.
    let switches = INSTRUCTIONS.values(&file.cases[0]);
    assert_eq!(switches.len(), 3);
    let per_op = Figure::PerOp(Count::Switches).values(&file.cases[0]);
    assert_eq!(per_op[0], (2797.0 + 1863.0) / 100_000.0);
    // glommio's system calls were refused: absent with the reason, not 0.
    let glommio = &file.cases[1];
    assert_eq!(glommio.summary.unwrap().syscalls, None);
    let why = Figure::PerOp(Count::Syscalls).absent(glommio).unwrap();
    assert!(why.contains("perf_event_paranoid"), "{why}");
    // A command's counts are its totals.
    let command = &file.cases[2];
    assert_eq!(
        Figure::counts_of(command.about.per_op())[0],
        Figure::Total(Count::Instructions)
    );
    assert_eq!(
        command.summary.unwrap().instructions.unwrap().median,
        1_500_000.0
    );
}

#[test]
fn a_version_3_file_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    let file = fixture("counts.json");
    file.write(&path).unwrap();
    assert_eq!(ResultsFile::read(&path).unwrap(), file);
}

#[test]
fn three_runs_judge_counts_against_themselves_and_against_two_percent_more() {
    let file = fixture("counts.json");
    let same = compare(&file, &file, Rules::default());
    assert_eq!(same.measure, Measure::Counts);
    let gate = same.gate();
    // Two gated figures for each of the three cases, none worse.
    assert_eq!((gate.tested, gate.regressions.len()), (6, 0));
    assert_eq!(gate.figures, "instructions/op, est. cycles/op");
    for change in same.pairs.iter().flat_map(|p| &p.changes) {
        if change.figure.count().is_some() {
            assert_eq!(change.verdict, Verdict::WithinNoise, "{change:?}");
            assert!(change.interval.is_some(), "three runs give an interval");
        }
    }
    let more = compare(&file, &more_instructions(&file, 1.02), Rules::default());
    let tokio = more.pairs[0].change(INSTRUCTIONS).unwrap();
    assert_eq!(tokio.verdict, Verdict::Worse, "{}", tokio.text());
    assert!(tokio.text().starts_with("+2.0 % (+1."), "{}", tokio.text());
    let regressions = more.regressions();
    assert_eq!(regressions.len(), 6, "{regressions:?}");
    assert!(
        regressions[0].starts_with("tokio sleep instructions/op +2.0 %"),
        "{regressions:?}"
    );
    // Wall time did not move and is not gated; the table says so by figure.
    assert_eq!(
        more.pairs[0].change(Figure::Time).unwrap().verdict,
        Verdict::WithinNoise
    );
}

/// tokio's sleep case alone, its per-operation instructions `per_op` in its
/// three runs, its cache accesses the same in every run; under `runtime`.
fn steady_case(file: &ResultsFile, runtime: &str, per_op: [u64; 3]) -> rtbench_report::Case {
    let mut case = file.cases[0].clone();
    case.runtime = runtime.into();
    for (run, instructions) in case.runs.iter_mut().zip(per_op) {
        let counted = run.counted.as_mut().unwrap();
        counted.instructions = Some(instructions * 100_000);
        (counted.l1_hits, counted.ll_hits, counted.ram_accesses) = (Some(9), Some(2), Some(1));
    }
    case
}

#[test]
fn holm_keeps_one_marginal_change_among_many_from_failing_the_gate() {
    let template = fixture("counts.json");
    let with = |others: usize, candidate: [u64; 3]| {
        let mut file = template.clone();
        file.cases = vec![steady_case(&template, "tokio", candidate)];
        for i in 0..others {
            let name = format!("tokio-{i}");
            file.cases
                .push(steady_case(&template, &name, [1000, 1100, 1200]));
        }
        file
    };
    // Instructions/op 1000, 1100, 1200 against 1300, 1400, 1500: Welch
    // t = 300 / √(2·100²/3) = 3.674 at 4 degrees of freedom, p = 0.021 (the
    // t table's two-sided 0.05 and 0.02 points at df 4 are 2.776 and 3.747).
    // Estimated cycles are identical everywhere (p = 1).
    let (base, cand) = (with(0, [1000, 1100, 1200]), with(0, [1300, 1400, 1500]));
    let alone = compare(&base, &cand, Rules::default());
    let p = alone.pairs[0]
        .change(INSTRUCTIONS)
        .unwrap()
        .p_value
        .unwrap();
    assert!(p > 0.02 && p < 0.05, "{p}");
    // Two comparisons: Holm's first step asks p ≤ 0.05 / 2 = 0.025: worse.
    assert_eq!(alone.gate().tested, 2);
    assert_eq!(alone.regressions().len(), 1, "{:?}", alone.regressions());
    // Four more cases that did not change: ten comparisons, and the first
    // step asks p ≤ 0.05 / 10 = 0.005, so 0.021 is not enough for the gate,
    // though the table, at 95 % per figure, still calls the change worse.
    let (base, cand) = (with(4, [1000, 1100, 1200]), with(4, [1300, 1400, 1500]));
    let many = compare(&base, &cand, Rules::default());
    assert_eq!(many.gate().tested, 10);
    assert!(many.regressions().is_empty(), "{:?}", many.regressions());
    let change = many.pairs[0].change(INSTRUCTIONS).unwrap();
    assert_eq!(change.verdict, Verdict::Worse);
}

#[test]
fn variants_and_vs_best_work_on_counts() {
    let mut file = fixture("counts.json");
    let mut variant = more_instructions(&file, 1.05).cases[0].clone();
    variant.runtime = "tokio@../tokio".into();
    variant.summary = Summary::of(&variant);
    file.cases.push(variant);
    let variants = compare_variants(&file, Rules::default()).unwrap();
    assert_eq!(variants.measure, Measure::Counts);
    let lines = table::verdict_lines(&variants);
    assert!(
        lines.starts_with("sleep: tokio → tokio@../tokio: instructions/op +5.0 % (+"),
        "{lines}"
    );
    assert!(lines.contains(") worse (unpaired)"), "{lines}");
    let text = table::markdown(&file);
    assert!(
        text.contains("**fewest instructions/op: glommio, 1.46× the most (tokio@../tokio)"),
        "{text}"
    );
}

#[test]
fn tables_show_each_count_its_absence_and_the_formula() {
    let file = fixture("counts.json");
    let text = table::terminal_in(&file, Some(100));
    let widest = (text.lines().filter(|l| l.starts_with(['│', '┌', '└', '╞'])))
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest <= 100, "{text}");
    for words in [
        "instructions/op",
        "est. cycles/op",
        "5,120",
        "absent",
        "instructions (total)",
        "1,500,000",
    ] {
        assert!(text.contains(words), "{words} missing:\n{text}");
    }
    let markdown = table::markdown(&file);
    for words in [
        "syscalls/op absent in glommio: perf\\_event\\_open refused",
        "estimated cycles = L1 hits + 5 × LL hits + 35 × RAM accesses",
        "--I1=65536,16,64",
        "context switches, voluntary + involuntary (mean over runs): tokio 0.0112 + 0.00775",
        "counts: change = difference of the means",
    ] {
        assert!(markdown.contains(words), "{words} missing:\n{markdown}");
    }
}

#[test]
fn a_count_absent_in_every_runtime_says_so_instead_of_naming_them_all() {
    let mut file = fixture("counts.json");
    let glommio = file.cases[1].runs[0].counted.clone().unwrap();
    let why = glommio.absent["syscalls"].clone();
    for run in &mut file.cases[0].runs {
        let counted = run.counted.as_mut().unwrap();
        counted.syscalls = None;
        counted.absent.insert("syscalls".into(), why.clone());
    }
    let markdown = table::markdown(&file);
    assert!(
        markdown.contains("syscalls/op absent in every runtime: perf\\_event\\_open refused"),
        "{markdown}"
    );
    assert!(!markdown.contains("absent in tokio, glommio"), "{markdown}");
    // One runtime with another reason: each reason names its own again.
    for run in &mut file.cases[0].runs {
        let counted = run.counted.as_mut().unwrap();
        counted
            .absent
            .insert("syscalls".into(), "tracefs is not mounted".into());
    }
    let markdown = table::markdown(&file);
    assert!(
        markdown.contains("syscalls/op absent in tokio: tracefs is not mounted"),
        "{markdown}"
    );
    assert!(
        markdown.contains("syscalls/op absent in glommio: perf\\_event\\_open refused"),
        "{markdown}"
    );
}

/// Rows of a CSV text, each by column name.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    (reader.records())
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
fn exports_carry_the_counts_and_leave_absent_ones_out() {
    let file = fixture("counts.json");
    let rows = csv_rows(&export(&file, Format::Csv).unwrap());
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[0]["instructions"], "512000000");
    assert_eq!(rows[0]["instructions_per_op"], "5120");
    assert_eq!(rows[0]["voluntary_switches"], "2797");
    let glommio = &rows[3];
    assert_eq!(glommio["syscalls"], "");
    assert!(glommio["counts_absent"].starts_with("syscalls: perf_event_open refused"));
    assert_eq!(
        (
            rows[6]["instructions"].as_str(),
            rows[6]["instructions_per_op"].as_str()
        ),
        ("1500000", "")
    );

    let bmf: serde_json::Value =
        serde_json::from_str(&export(&file, Format::Bmf).unwrap()).unwrap();
    assert_eq!(bmf["sleep/tokio"]["instructions-per-op"]["value"], 5120.0);
    assert!(bmf["sleep/tokio"]["syscalls-per-op"].is_object());
    assert!(bmf["sleep/glommio"].get("syscalls-per-op").is_none());
    assert_eq!(bmf["command/plain"]["instructions"]["value"], 1_500_000.0);

    let action: serde_json::Value =
        serde_json::from_str(&export(&file, Format::GithubActionBenchmark).unwrap()).unwrap();
    let entry = (action.as_array().unwrap().iter())
        .find(|e| e["name"] == "sleep/tokio instructions")
        .unwrap();
    assert_eq!(
        (entry["unit"].as_str(), entry["value"].as_f64()),
        (Some("instructions/op"), Some(5120.0))
    );
    assert!(
        !action
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "sleep/glommio syscalls")
    );
}

#[test]
fn the_page_gets_a_chart_per_count() {
    let file = fixture("counts.json");
    let charts = chart::results_charts(&file).unwrap();
    let names: Vec<&str> = charts.iter().map(|c| c.file_name.as_str()).collect();
    for name in [
        "sleep-instructions.svg",
        "sleep-estimated-cycles.svg",
        "sleep-syscalls.svg",
        "sleep-context-switches.svg",
        "sleep-minor-faults.svg",
        "command-instructions.svg",
    ] {
        assert!(names.contains(&name), "{name} missing: {names:?}");
    }
    let syscalls = charts
        .iter()
        .find(|c| c.file_name == "sleep-syscalls.svg")
        .unwrap();
    let doc = roxmltree::Document::parse(&syscalls.svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("absent: perf_event_open refused")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("system calls per operation")),
        "{texts:?}"
    );
    // The comparison's chart adds the gated counts in counts mode.
    let more = compare(&file, &more_instructions(&file, 1.02), Rules::default());
    let sleep = (chart::comparison_charts(&more).unwrap().into_iter())
        .find(|c| c.file_name == "compare-sleep.svg")
        .unwrap();
    let doc = roxmltree::Document::parse(&sleep.svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for words in [
        "instructions per operation",
        "estimated cycles per operation",
        "+2.0 %",
    ] {
        assert!(texts.contains(&words), "{words} missing: {texts:?}");
    }
}

#[test]
fn in_counts_mode_the_caution_follows_instructions_not_time() {
    let mut file = fixture("counts.json");
    // Instructions/op 1000, 1100, 1200: ±4.303 · 100 / √3 = ±248, 22.6 % of
    // 1100; wall times 1, 2, 3 s, which in wall mode would be flagged.
    let mut case = steady_case(&file, "tokio", [1000, 1100, 1200]);
    for (run, wall) in case.runs.iter_mut().zip([1.0, 2.0, 3.0]) {
        run.wall_s = wall;
    }
    case.summary = Summary::of(&case);
    file.cases = vec![case];
    let text = table::markdown(&file);
    assert!(
        text.contains(
            "tokio varies more than the 1.0 % noise threshold in instructions/op (±23 %, t interval"
        ),
        "{text}"
    );
    assert!(!text.contains("in time (±"), "{text}");
    file.measure = Some(Measure::Wall);
    assert!(table::markdown(&file).contains("more than 5 % in time (±50 %)"));
}

#[test]
fn a_wall_run_shows_the_kernels_counts_only() {
    let mut file = fixture("counts.json");
    file.measure = Some(Measure::Wall);
    file.tools = None;
    for run in file.cases.iter_mut().flat_map(|c| &mut c.runs) {
        let counted = run.counted.as_mut().unwrap();
        counted.instructions = None;
        counted.l1_hits = None;
        counted.absent.insert(
            "instructions".into(),
            "wall mode: not run under valgrind".into(),
        );
    }
    let text = table::markdown(&file);
    assert!(text.contains("| syscalls/op |"), "{text}");
    assert!(!text.contains("instructions/op"), "{text}");
    assert!(!text.contains("estimated cycles ="), "{text}");
    // Merged with a counts run, valgrind's columns come back, absent where
    // the wall run has none.
    let mut merged = file.clone();
    merged.cases.push(fixture("counts.json").cases[0].clone());
    merged.cases[3].runtime = "tokio-counted".into();
    let text = table::markdown(&merged);
    assert!(text.contains("instructions/op"), "{text}");
    assert!(
        text.contains("instructions/op absent in tokio, glommio: wall mode"),
        "{text}"
    );
}
