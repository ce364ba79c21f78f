//! Allocation counts end to end on the hand-made counts file (tokio sleep
//! at 100,000 operations, 3 runs): per operation, a peak kept as it is,
//! verdicts with the counts' threshold, the tables' column and note, the
//! CSV, and a file from before allocations were counted.

mod common;

use common::fixture;
use rtbench_report::compare::{Rules, Verdict};
use rtbench_report::count::Count;
use rtbench_report::figure::Figure;
use rtbench_report::summary::Summary;
use rtbench_report::{Format, ResultsFile, compare, export, table};

const ALLOCATIONS: Figure = Figure::PerOp(Count::Allocations);
const PEAK: Figure = Figure::PerOp(Count::PeakLive);

/// tokio's case with `per_op` allocations of 64 bytes each per operation
/// (plus 0, 5 and 9 more in the three runs), and a peak live of 3.2 MB.
fn allocating(per_op: u64) -> ResultsFile {
    let mut file = fixture("counts.json");
    file.cases.truncate(1);
    for (run, extra) in file.cases[0].runs.iter_mut().zip([0, 5, 9]) {
        let counted = run.counted.as_mut().unwrap();
        let allocations = per_op * 100_000 + extra;
        counted.allocations = Some(allocations);
        counted.allocated_bytes = Some(allocations * 64);
        counted.peak_live_bytes = Some(3_200_000 + extra);
    }
    // As a reader does: the figures from the runs.
    file.cases[0].summary = Summary::of(&file.cases[0]);
    file
}

#[test]
fn allocations_are_per_operation_and_the_peak_is_as_it_is() {
    let file = allocating(2);
    let case = &file.cases[0];
    assert_eq!(ALLOCATIONS.values(case), [2.0, 2.00005, 2.00009]);
    let bytes = Figure::PerOp(Count::AllocatedBytes).values(case);
    assert_eq!(bytes[0], 128.0);
    assert_eq!(PEAK.values(case), [3_200_000.0, 3_200_005.0, 3_200_009.0]);
}

#[test]
fn one_more_allocation_per_operation_is_worse_and_the_same_is_within_noise() {
    let two = allocating(2);
    let same = compare(&two, &two, Rules::default());
    let unchanged = same.pairs[0].change(ALLOCATIONS).unwrap();
    assert_eq!(
        unchanged.verdict,
        Verdict::WithinNoise,
        "{}",
        unchanged.text()
    );

    let three = allocating(3);
    let more = compare(&two, &three, Rules::default());
    let change = more.pairs[0].change(ALLOCATIONS).unwrap();
    assert_eq!(change.verdict, Verdict::Worse, "{}", change.text());
    assert!(change.text().starts_with("+50.0 %"), "{}", change.text());
    let bytes = more.pairs[0]
        .change(Figure::PerOp(Count::AllocatedBytes))
        .unwrap();
    assert_eq!(bytes.verdict, Verdict::Worse, "{}", bytes.text());
    // The peak did not move.
    let peak = more.pairs[0].change(PEAK).unwrap();
    assert_eq!(peak.verdict, Verdict::WithinNoise, "{}", peak.text());
    // Allocations inform; the gate stays on instructions and cycles.
    assert!(
        more.regressions()
            .iter()
            .all(|r| !r.contains("allocations"))
    );
}

#[test]
fn tables_and_csv_carry_them_and_an_older_file_says_they_are_absent() {
    let file = allocating(2);
    let text = table::markdown(&file);
    for header in ["allocations/op", "bytes allocated/op", "peak live bytes"] {
        assert!(text.contains(header), "no {header} in:\n{text}");
    }
    assert!(text.contains("| 2.00 |"), "{text}");
    assert!(
        text.contains("- allocations: counted by rtbench's allocator"),
        "{text}"
    );

    let csv = export(&file, Format::Csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let field = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(field("allocations"), "200000");
    assert_eq!(field("allocations_per_op"), "2");
    assert_eq!(field("allocated_bytes_per_op"), "128");
    assert_eq!(field("peak_live_bytes"), "3200000");

    // A peak is not per operation in the trackers' formats either.
    let bmf: serde_json::Value =
        serde_json::from_str(&export(&file, Format::Bmf).unwrap()).unwrap();
    assert_eq!(bmf["sleep/tokio"]["allocations-per-op"]["value"], 2.00005);
    assert!(bmf["sleep/tokio"]["peak-live-bytes"].is_object());
    let action: serde_json::Value =
        serde_json::from_str(&export(&file, Format::GithubActionBenchmark).unwrap()).unwrap();
    let unit = |name: &str| {
        (action.as_array().unwrap().iter())
            .find(|e| e["name"] == name)
            .map(|e| e["unit"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        unit("sleep/tokio allocations").as_deref(),
        Some("allocations/op")
    );
    assert_eq!(
        unit("sleep/tokio peak-live-bytes").as_deref(),
        Some("bytes")
    );

    // The fixture predates allocation counts: absent, and said so.
    let older = fixture("counts.json");
    let why = ALLOCATIONS.absent(&older.cases[0]).unwrap();
    assert!(why.contains("no reason recorded"), "{why}");
    assert!(
        table::markdown(&older).contains("allocations/op absent in"),
        "an older file's table names the absent figure"
    );
}
