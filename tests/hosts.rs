//! `rtbench report` of files from two hosts, end to end: both hosts apart in
//! the terminal and on disk, and the cross-host charts drawn.

mod common;

use common::{rtbench, succeeds};

use std::path::PathBuf;

use rtbench_report::ResultsFile;

#[test]
fn a_report_of_two_hosts_keeps_them_apart() {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("report/tests/fixtures/full.json");
    let dir = tempfile::tempdir().unwrap();
    let mut other = ResultsFile::read(&fixture).unwrap();
    other.host.cpu_model = "Neoverse-N2".into();
    other.host.cores = 4;
    other.host.arch = Some("aarch64".into());
    let copy = dir.path().join("arm.json");
    other.write(&copy).unwrap();
    let out = dir.path().join("report");

    let report = succeeds(
        rtbench()
            .arg("report")
            .arg(&fixture)
            .arg(&copy)
            .arg("--out")
            .arg(&out),
    );
    let stdout = String::from_utf8(report.stdout).unwrap();
    let first = stdout
        .find("AMD EPYC, 2 cores")
        .expect("the first host's heading");
    let second = stdout
        .find("Neoverse-N2, 4 cores")
        .expect("the second host's heading");
    assert!(first < second);
    assert_eq!(
        stdout.matches("throughput (ops/s)").count(),
        4,
        "sleep and cancel per host"
    );
    for file in [
        "index.html",
        "table.md",
        "hosts-sleep-time.svg",
        "hosts-cancel-throughput.svg",
        "amd-epyc-2-cores/index.html",
        "neoverse-n2-4-cores/sleep-time.svg",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    assert!(
        !out.join("hosts-fetch-time.svg").exists(),
        "no host ran fetch"
    );
}
