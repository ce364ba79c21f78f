//! A real callgrind file read back: `rtbench __case` on smol-local, sleep,
//! 100 operations, under
//! `valgrind --tool=callgrind --dump-line=no --demangle=no
//! --toggle-collect='_ZN17rtbench_workloads3run*'` (only the workload's
//! `run` counted), gzipped. Callgrind printed `Collected : 7055976` and the
//! file's `totals:` line says the same.

use std::fs::File;
use std::io::BufReader;

use flate2::read::GzDecoder;
use rtbench_report::profile::callgrind::Callgraph;
use rtbench_report::profile::{Profile, flame, stacks};

const TOTAL: u64 = 7_055_976;

fn fixture() -> Callgraph {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/profiles/callgrind.out.smol-local-sleep.gz"
    );
    let mut graph = Callgraph::default();
    graph
        .read(BufReader::new(GzDecoder::new(File::open(path).unwrap())))
        .unwrap();
    graph
}

#[test]
fn own_costs_add_up_to_callgrinds_total() {
    let graph = fixture();
    assert_eq!(graph.total, TOTAL);
    // `grep -c '^fn='` on the file: 283 functions, none twice.
    assert_eq!(graph.functions.len(), 283);
    let own: u64 = graph.functions.iter().map(|f| f.own).sum();
    assert_eq!(own, TOTAL);
}

#[test]
fn the_stacks_hold_every_instruction_once() {
    let graph = fixture();
    let sum: f64 = stacks::stacks(&graph).iter().map(|s| s.instructions).sum();
    assert!((sum - TOTAL as f64).abs() < 1e-3, "{sum}");
}

#[test]
fn main_and_the_workload_include_everything() {
    let profile = Profile::of(&fixture(), 100);
    assert_eq!(profile.per_op(), TOTAL as f64 / 100.0);
    for root in ["main", "rtbench_workloads::run"] {
        let f = profile.functions.iter().find(|f| f.name == root).unwrap();
        assert!(
            (f.inclusive - profile.per_op()).abs() < 1e-6,
            "{root}: {}",
            f.inclusive
        );
    }
    // No function includes more than everything.
    assert!((profile.functions.iter()).all(|f| f.inclusive <= profile.per_op() + 1e-6));
    // Names are demangled, without hashes, grouped by crate.
    let top = &profile.functions[0];
    assert_eq!(
        (top.name.as_str(), top.krate.as_str()),
        (
            "once_cell::imp::OnceCell<…>::initialize::{{closure}}",
            "once_cell"
        )
    );
    assert!(profile.functions.iter().all(|f| !f.name.starts_with("_ZN")));
    assert!(
        (profile.functions.iter())
            .any(|f| f.krate == "async_executor" && f.name.starts_with("async_executor::"))
    );
}

#[test]
fn its_flamegraph_is_an_svg_naming_the_workload() {
    let svg = flame::flamegraph(&Profile::of(&fixture(), 100), "sleep · smol-local").unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&svg, options).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let titles: Vec<&str> = (doc.descendants())
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    // 70,560 instructions per operation in all, all inside the workload's run.
    assert!(
        titles.contains(&"rtbench_workloads::run (70,560 instructions/op, 100.00%)"),
        "{:?}",
        &titles[..titles.len().min(5)]
    );
}
