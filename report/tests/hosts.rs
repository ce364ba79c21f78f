//! Results of several machines stay apart: grouped by host, each host's
//! figures its own, a section per host and the cross-host charts.

mod common;

use std::path::PathBuf;

use common::{fixture, fixture_path};
use rtbench_report::hosts::by_host;
use rtbench_report::style::{colour, hex};
use rtbench_report::{ResultsFile, write_hosts_report};

/// `full.json` as if run on another machine: another CPU model (with
/// characters HTML must escape), cores and architecture, every run twice as slow.
fn other_host() -> ResultsFile {
    let mut other = fixture("full.json");
    other.host.cpu_model = "Ampere <Altra> & Co".into();
    other.host.cores = 4;
    other.host.arch = Some("aarch64".into());
    for case in &mut other.cases {
        for run in &mut case.runs {
            run.wall_s *= 2.0;
        }
        case.summary = rtbench_report::summary::Summary::of(case);
    }
    other
}

fn two_hosts() -> Vec<(PathBuf, ResultsFile)> {
    // The fixture predates `io_driver`: say which driver each run used.
    let mut first = fixture("full.json");
    for case in &mut first.cases {
        let driver = match case.runtime.as_str() {
            "monoio" => "io_uring",
            "compio" => "epoll",
            _ => continue,
        };
        for run in &mut case.runs {
            run.io_driver = Some(driver.into());
        }
    }
    vec![
        (fixture_path("full.json"), first),
        (PathBuf::from("other/results.json"), other_host()),
    ]
}

#[test]
fn files_group_by_machine_and_no_figure_mixes_two_hosts() {
    let hosts = by_host(two_hosts()).unwrap();
    let labels: Vec<&str> = hosts.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(
        labels,
        ["AMD EPYC, 2 cores", "Ampere <Altra> & Co, 4 cores"]
    );
    assert_eq!(hosts[1].slug, "ampere-altra-co-4-cores");
    let tokio = |i: usize| {
        hosts[i].merged.results.cases[0]
            .summary
            .unwrap()
            .wall_s
            .median
    };
    let original = fixture("full.json").cases[0].summary.unwrap().wall_s.median;
    assert_eq!(hosts[0].merged.results.cases.len(), 16);
    assert_eq!((tokio(0), tokio(1)), (original, original * 2.0));

    // Another kernel and rustc on the same CPU is the same machine: one host.
    let same = by_host(vec![
        (fixture_path("baseline.json"), fixture("baseline.json")),
        (fixture_path("candidate.json"), fixture("candidate.json")),
    ])
    .unwrap();
    assert_eq!(same.len(), 1);
    assert!(same[0].merged.warnings[0].contains("another host or toolchain"));
}

#[test]
fn the_report_has_a_section_per_host_and_cross_host_charts() {
    let hosts = by_host(two_hosts()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_hosts_report(&hosts, dir.path()).unwrap();
    for host in &hosts {
        for file in [
            "index.html",
            "table.md",
            "sleep-time.svg",
            "cancel-latency.svg",
        ] {
            assert!(
                dir.path().join(&host.slug).join(file).is_file(),
                "{}/{file}",
                host.slug
            );
        }
    }

    let svg = std::fs::read_to_string(dir.path().join("hosts-sleep-time.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::trim))
        .collect();
    for label in [
        "AMD EPYC, 2 cores",
        "Ampere <Altra> & Co, 4 cores",
        "tokio",
        "smol-local",
    ] {
        assert!(texts.contains(&label), "{label} missing from {texts:?}");
    }
    // tokio: one bar per host, in tokio's colour, the second host paler.
    let tokio_bars: Vec<Option<&str>> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(&hex(colour("tokio"))))
        .map(|n| n.attribute("opacity").or(n.attribute("fill-opacity")))
        .collect();
    assert_eq!(tokio_bars.len(), 2, "{tokio_bars:?}");
    assert_ne!(tokio_bars[0], tokio_bars[1], "hosts differ by shade");
    // glommio failed on both: said on the chart, once per host.
    let failed = texts.iter().filter(|t| t.starts_with("failed:")).count();
    assert_eq!(failed, 2, "{texts:?}");

    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        page.contains("<h2 id=\"amd-epyc-2-cores\">AMD EPYC, 2 cores</h2>"),
        "{page}"
    );
    assert!(
        page.contains("Ampere &lt;Altra&gt; &amp; Co, 4 cores"),
        "escaped"
    );
    assert!(!page.contains("<Altra>"), "never raw");
    assert!(
        page.contains("I/O driver monoio: io_uring, compio: epoll"),
        "the drivers the runs recorded"
    );
    for src in [
        "hosts-sleep-time.svg",
        "hosts-cancel-throughput.svg",
        "amd-epyc-2-cores/sleep-time.svg",
        "ampere-altra-co-4-cores/cancel-memory.svg",
    ] {
        assert!(page.contains(&format!("src=\"{src}\"")), "{src} missing");
    }

    let table = std::fs::read_to_string(dir.path().join("table.md")).unwrap();
    assert!(table.starts_with("# rtbench on 2 hosts\n"));
    assert_eq!(table.matches("\n## ").count(), 2, "{table}");
    assert_eq!(table.matches("\n### sleep").count(), 2, "{table}");
}

#[test]
fn commands_across_hosts_are_compared_on_time_only() {
    let commands = fixture("commands.json").cases;
    let hosts = two_hosts()
        .into_iter()
        .map(|(path, mut results)| {
            results.cases.extend(commands.iter().cloned());
            (path, results)
        })
        .collect();
    let hosts = by_host(hosts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_hosts_report(&hosts, dir.path()).unwrap();
    assert!(dir.path().join("hosts-command-time.svg").is_file());
    assert!(
        !dir.path().join("hosts-command-throughput.svg").exists(),
        "a program has no throughput"
    );
    assert!(dir.path().join("hosts-sleep-throughput.svg").is_file());
    for host in &hosts {
        let own = dir.path().join(&host.slug);
        assert!(own.join("command-cpu-time.svg").is_file(), "{}", host.slug);
        assert!(
            !own.join("command-throughput.svg").exists(),
            "{}",
            host.slug
        );
    }
}
