//! The sensitivity study of docs/trust.md, from real runs: how much one
//! repetition varies, how often `compare` calls an A-vs-A pair different
//! (false alarms), and the smallest change it calls in 9 of 10 trials.
//!
//! ```sh
//! cargo run --release -p rtbench-report --example trust -- spread FILE...
//! cargo run --release -p rtbench-report --example trust -- trials FILE RUNTIME
//! cargo run --release -p rtbench-report --example trust -- pin FILE
//! ```
//!
//! `pin` sets each case pinned with `--pin` beside the same runtime's case
//! that was not: the width of each figure's 95 % interval, in percent of its
//! median.
//!
//! `trials` takes one case's runs in the order they ran and pairs them:
//! runs 1 and 2, 3 and 4, … (the same case, measured back to back). Side A
//! is the first of each pair, side B the second; a change is injected by
//! multiplying B's wall times (as if every wall time in a copy of the
//! results file were × 1.05). Trials use disjoint blocks of pairs.

use rtbench_report::compare::{Rules, Verdict};
use rtbench_report::figure::Figure;
use rtbench_report::stats;
use rtbench_report::summary::Stat;
use rtbench_report::verdict;
use rtbench_report::{CaseStatus, ResultsFile};

/// Trials per setting: "9 of 10".
const TRIALS: usize = 10;
/// The injected changes, in percent.
const SHIFTS: [f64; 7] = [0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0];
/// `--reps auto` with its default minimum and precision, and `--max-reps
/// 30`, so that ten disjoint trials fit in 600 runs.
const AUTO_MIN: usize = 5;
const AUTO_MAX: usize = 30;
const AUTO_PRECISION: f64 = 0.02;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("spread") if args.len() > 1 => spread(&args[1..]),
        Some("trials") if args.len() == 3 => trials(&args[1], &args[2]),
        Some("pin") if args.len() == 2 => pin(&args[1]),
        _ => Err("usage: trust spread FILE... | trust trials FILE RUNTIME | trust pin FILE".into()),
    }
}

/// Robust spread of `values`: 1.4826 × MAD / median, in percent (equals
/// sd / mean for normal runs, and ignores a burst).
fn robust_spread(values: &[f64]) -> f64 {
    let median = stats::median(values).unwrap_or(f64::NAN);
    let deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
    1.4826 * stats::median(&deviations).unwrap_or(f64::NAN) / median * 100.0
}

/// The spread of one repetition, per case of every file.
fn spread(files: &[String]) -> Result<(), String> {
    println!(
        "| workload | runtime | runs | median time (s) | sd / mean | 1.4826·MAD / median | min–max / median | outliers |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for file in files {
        let results = ResultsFile::read(file.as_ref())?;
        for case in results.cases.iter().filter(|c| c.status == CaseStatus::Ok) {
            let times = Figure::Time.values(case);
            let stat = Stat::of(&times).ok_or("a case without runs")?;
            println!(
                "| {} | {} | {} | {:.3} | {:.1} % | {:.1} % | {:.1} % | {} |",
                case.workload,
                case.runtime,
                stat.n,
                stat.median,
                stat.sd.unwrap_or(0.0) / stat.mean * 100.0,
                robust_spread(&times),
                (stat.max - stat.min) / stat.median * 100.0,
                stat.outliers
            );
        }
    }
    Ok(())
}

/// Per case, pinned or not: each figure's median and the half-width of its
/// 95 % interval in percent of the median (the `±` tables show).
fn pin(file: &str) -> Result<(), String> {
    let figures = [Figure::Time, Figure::Cpu, Figure::P99];
    let results = ResultsFile::read(file.as_ref())?;
    println!(
        "| runtime | CPUs | runs | median time (s) | time ± | CPU/op (ns) | CPU/op ± | p99 (ms) | p99 ± |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut cases: Vec<_> = results
        .cases
        .iter()
        .filter(|c| c.status == CaseStatus::Ok)
        .collect();
    cases.sort_by_key(|c| (c.runtime.clone(), c.params.cpus.is_some()));
    for case in cases {
        let cpus = case
            .params
            .cpus
            .as_ref()
            .map_or("not pinned".into(), |p| p.to_string());
        let mut row = format!("| {} | {cpus} |", case.runtime);
        for (i, figure) in figures.iter().enumerate() {
            let stat = Stat::of(&figure.values(case)).ok_or("a case without runs")?;
            if i == 0 {
                row += &format!(" {} |", stat.n);
            }
            row += &format!(
                " {} | {:.1} % |",
                figure.format(stat.median),
                stat.relative_half_width() * 100.0
            );
        }
        println!("{row}");
    }
    Ok(())
}

/// One comparison: side A against side B × (1 + shift %).
fn verdict_of(a: &[f64], b: &[f64], shift: f64, paired: bool) -> (Verdict, String) {
    let b: Vec<f64> = b.iter().map(|t| t * (1.0 + shift / 100.0)).collect();
    let change = verdict::change(Figure::Time, a, &b, paired, Rules::default())
        .expect("both sides have runs");
    (change.verdict, change.text())
}

/// How many rounds `--reps auto` would take from `a` and `b` (each side's
/// median interval within 2 % at 95 %), capped at the pairs there are.
fn auto_rounds(a: &[f64], b: &[f64]) -> usize {
    let precise = |values: &[f64]| {
        Stat::of(values).is_some_and(|s| {
            s.ci_level >= stats::CONFIDENCE && s.relative_half_width() <= AUTO_PRECISION
        })
    };
    (AUTO_MIN..=a.len().min(AUTO_MAX))
        .find(|&n| precise(&a[..n]) && precise(&b[..n]))
        .unwrap_or(a.len().min(AUTO_MAX))
}

/// Detection and false alarms on one case's runs, taken two by two.
fn trials(file: &str, runtime: &str) -> Result<(), String> {
    let results = ResultsFile::read(file.as_ref())?;
    let case = results
        .cases
        .iter()
        .find(|c| c.runtime == runtime && c.status == CaseStatus::Ok)
        .ok_or_else(|| format!("{file} has no completed case of {runtime}"))?;
    let times = Figure::Time.values(case);
    let pairs = times.len() / 2;
    let a: Vec<f64> = (0..pairs).map(|i| times[2 * i]).collect();
    let b: Vec<f64> = (0..pairs).map(|i| times[2 * i + 1]).collect();
    println!(
        "{} {} ({}), {} runs = {pairs} pairs; whole-stream spread {:.1} % (1.4826·MAD/median)\n",
        case.runtime,
        case.workload,
        serde_json::to_string(&case.params).expect("parameters serialise"),
        times.len(),
        robust_spread(&times)
    );
    // Each setting: its name, its blocks of pairs, paired or not.
    let fixed = |n: usize| -> Vec<(usize, usize)> {
        (0..TRIALS)
            .filter(|t| (t + 1) * n <= pairs)
            .map(|t| (t * n, n))
            .collect()
    };
    let auto: Vec<(usize, usize)> = (0..TRIALS)
        .filter(|t| (t + 1) * AUTO_MAX <= pairs)
        .map(|t| {
            let start = t * AUTO_MAX;
            let end = start + AUTO_MAX;
            (start, auto_rounds(&a[start..end], &b[start..end]))
        })
        .collect();
    let settings = [
        ("--reps 5, paired*", fixed(5), true),
        ("--reps 5, unpaired", fixed(5), false),
        ("--reps 30, paired", fixed(30), true),
        ("--reps 30, unpaired", fixed(30), false),
        ("--reps auto --max-reps 30, paired", auto.clone(), true),
        ("--reps auto --max-reps 30, unpaired", auto.clone(), false),
    ];
    println!(
        "| injected change | {} |",
        settings.iter().map(|s| s.0).collect::<Vec<_>>().join(" | ")
    );
    println!(
        "|---:|{}|",
        settings
            .iter()
            .map(|_| "---:")
            .collect::<Vec<_>>()
            .join("|")
    );
    for shift in SHIFTS {
        let cells: Vec<String> = settings
            .iter()
            .map(|(_, blocks, paired)| {
                let called = blocks
                    .iter()
                    .filter(|(start, n)| {
                        let (v, _) = verdict_of(
                            &a[*start..start + n],
                            &b[*start..start + n],
                            shift,
                            *paired,
                        );
                        if shift == 0.0 {
                            v != Verdict::WithinNoise
                        } else {
                            v == Verdict::Worse
                        }
                    })
                    .count();
                format!("{called} of {}", blocks.len())
            })
            .collect();
        let what = if shift == 0.0 {
            "0 % (A vs A: false alarms)".to_string()
        } else {
            format!("+{shift} % (called worse)")
        };
        println!("| {what} | {} |", cells.join(" | "));
    }
    let rounds: Vec<String> = auto.iter().map(|(_, n)| n.to_string()).collect();
    println!(
        "\n--reps auto took {} rounds a side in its {} trials.",
        rounds.join(", "),
        auto.len()
    );
    println!(
        "\nPer trial at --reps 30, paired (spread: 1.4826·MAD/median of that trial's 60 runs):\n"
    );
    println!("| trial | runs | spread | A vs A | verdict | A vs A × 1.05 | verdict |");
    println!("|---:|---|---:|---|---|---|---|");
    for (t, (start, n)) in fixed(30).into_iter().enumerate() {
        let (a, b) = (&a[start..start + n], &b[start..start + n]);
        let both: Vec<f64> = a.iter().chain(b).copied().collect();
        let (same, same_text) = verdict_of(a, b, 0.0, true);
        let (five, five_text) = verdict_of(a, b, 5.0, true);
        println!(
            "| {} | {}–{} | {:.1} % | {same_text} | {} | {five_text} | {} |",
            t + 1,
            2 * start + 1,
            2 * (start + n),
            robust_spread(&both),
            same.word(),
            five.word()
        );
    }
    Ok(())
}
