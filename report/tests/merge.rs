//! Several results files reported as one.

mod common;

use common::{fixture, fixture_path};
use rtbench_report::{merge, read_merged, table};

#[test]
fn files_with_different_cases_make_one_table() {
    let merged = read_merged(&[
        fixture_path("baseline.json"),
        fixture_path("candidate.json"),
    ])
    .unwrap();
    let (b, c) = (fixture("baseline.json"), fixture("candidate.json"));
    assert_eq!(merged.results.cases.len(), b.cases.len() + c.cases.len());
    // Different kernel and rustc: one warning, and both named in the table.
    assert!(
        merged.warnings[0].contains("another host"),
        "{:?}",
        merged.warnings
    );
    assert!(
        merged.results.host.kernel.contains("6.18.44")
            && merged.results.host.kernel.contains("6.19.2")
    );
    let text = table::markdown(&merged.results);
    assert_eq!(text.matches("## sleep").count(), 1);
    // smol-local is in both files with the same parameters: both rows kept, told apart.
    assert!(
        text.contains("| smol-local #1 |") && text.contains("| smol-local #2 |"),
        "{text}"
    );
    assert!(
        merged
            .warnings
            .iter()
            .any(|w| w.starts_with("smol-local sleep is in both"))
    );
    // tokio's parked and unstarted cancel cases differ by parameters, and say so.
    assert!(
        text.contains("| tokio (1.54.1, cancel parked) † |"),
        "{text}"
    );
    assert!(
        text.contains("| tokio (1.55.0, cancel parked) † |"),
        "{text}"
    );
    assert!(
        text.contains("| tokio (1.55.0, cancel unstarted) |"),
        "{text}"
    );
}

#[test]
fn one_file_merges_to_itself() {
    let merged = merge(&[(fixture_path("full.json"), fixture("full.json"))]).unwrap();
    assert_eq!(merged.results, fixture("full.json"));
    assert!(merged.warnings.is_empty());
}

#[test]
fn no_file_or_a_bad_file_is_a_one_line_error() {
    assert!(merge(&[]).unwrap_err().contains("no results file"));
    let error =
        read_merged(&[fixture_path("full.json"), fixture_path("missing.json")]).unwrap_err();
    assert!(
        error.contains("missing.json") && !error.contains('\n'),
        "{error}"
    );
}
