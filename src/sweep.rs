//! Sweeps: a workload's flags laid over its base parameters, every list
//! flag's values combined with every other's; the product becomes the
//! workload's cases.

use rtbench_report::Params;
use rtbench_workloads::{Machine, Registered};

use crate::flags::WorkloadFlags;

/// Every combination of the flags given for `workload`'s parameters, laid
/// over `base` (its defaults or a preset's sizes, which stand where a flag
/// is not given), in the order it declares its parameters (the first
/// outermost); each point checked and completed by the workload, and each
/// once (a point completed alike from two values is one case).
pub fn points(
    workload: &Registered,
    flags: &WorkloadFlags,
    base: &Params,
    machine: &Machine,
) -> Result<Vec<Params>, String> {
    let mut all = vec![base.clone()];
    for param in workload.params {
        let mut values = Vec::new();
        for value in flags.given(param.name) {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
        if values.is_empty() {
            continue;
        }
        all = (all.iter())
            .flat_map(|point| {
                values.iter().map(move |value| {
                    let mut point = point.clone();
                    point.set(param.name, value.clone());
                    point
                })
            })
            .collect();
    }
    let mut points: Vec<Params> = Vec::new();
    for point in all {
        let point = (workload.resolve)(&point, machine)?;
        if !points.contains(&point) {
            points.push(point);
        }
    }
    Ok(points)
}

/// `--threads`: each requested value once, or the machine's cores.
pub fn threads(list: &[u64], cores: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for &value in list {
        let value = usize::try_from(value).unwrap_or(usize::MAX);
        if !out.contains(&value) {
            out.push(value);
        }
    }
    if out.is_empty() {
        out.push(cores);
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use rtbench_workloads::{Size, registry};

    use super::*;
    use crate::cli::Cli;

    const MACHINE: Machine = Machine { cores: 4 };

    fn points_of(name: &str, flags: &[&str]) -> Vec<Params> {
        let args = Cli::try_parse_from(["rtbench"].iter().chain(flags))
            .unwrap()
            .run;
        let workload = registry::find(name).unwrap();
        let base = (workload.sizes)(Size::Default);
        points(&workload, &args.workload, &base, &MACHINE).unwrap()
    }

    fn numbers(points: &[Params], names: &[&str]) -> Vec<Vec<u64>> {
        (points.iter())
            .map(|p| names.iter().map(|n| p.number(n).unwrap()).collect())
            .collect()
    }

    #[test]
    fn the_cases_are_the_product_of_the_lists_in_the_workloads_order() {
        let all = points_of(
            "sleep",
            &[
                "--in-flight",
                "1,10,100",
                "--ops",
                "100,200",
                "--latency-ms",
                "0",
            ],
        );
        assert_eq!(
            numbers(&all, &["ops", "in_flight", "latency_ms", "fail_every"]),
            [
                [100, 1, 0, 1000],
                [100, 10, 0, 1000],
                [100, 100, 0, 1000],
                [200, 1, 0, 1000],
                [200, 10, 0, 1000],
                [200, 100, 0, 1000]
            ]
        );
    }

    #[test]
    fn fetch_sweeps_bodies_then_server_threads_and_repeats_collapse() {
        let flags = ["--body-bytes", "0,1024,1024", "--server-threads", "1,2"];
        let all = points_of("fetch", &flags);
        assert_eq!(
            numbers(&all, &["body_bytes", "server_threads"]),
            [[0, 1], [0, 2], [1024, 1], [1024, 2]]
        );
        assert_eq!(points_of("sleep", &flags).len(), 1, "sleep has neither");
        let external = points_of(
            "fetch",
            &["--url", "http://127.0.0.1:9/", "--server-threads", "1,2"],
        );
        assert_eq!(external.len(), 1, "a --url server is not swept");
        assert_eq!(external[0].number("server_threads"), None);
    }

    #[test]
    fn a_machine_fills_in_what_depends_on_it() {
        assert_eq!(points_of("fetch", &[])[0].number("server_threads"), Some(4));
        assert_eq!(points_of("serve", &[])[0].number("client_threads"), Some(4));
        let three = points_of("serve", &["--client-threads", "3"]);
        assert_eq!(three[0].number("client_threads"), Some(3));
    }

    #[test]
    fn file_sweeps_its_sizes_and_a_write_syncs_by_default() {
        let all = points_of(
            "file",
            &["--file-mb", "1,16", "--block-bytes", "4096,65536"],
        );
        assert_eq!(
            numbers(&all, &["file_mb", "block_bytes"]),
            [[1, 4096], [1, 65536], [16, 4096], [16, 65536]]
        );
        assert_eq!(all[0].number("sync_every"), None);
        let write = points_of("file", &["--file-mode", "write"]);
        assert_eq!(write[0].number("sync_every"), Some(64));
    }

    #[test]
    fn list_items_must_be_whole_and_sizes_positive() {
        use crate::flags::{positive, whole};
        assert_eq!(positive("7"), Ok(7));
        assert!(positive("0").unwrap_err().contains("from 1"));
        assert!(positive("").unwrap_err().contains("not a whole number"));
        assert!(positive("1e3").is_err());
        assert_eq!(whole("0"), Ok(0));
        let refused = Cli::try_parse_from(["rtbench", "--in-flight", "10,,100"]).unwrap_err();
        assert!(refused.to_string().contains("--in-flight"), "{refused}");
        assert_eq!(threads(&[2, 1, 2], 8), [2, 1]);
        assert_eq!(threads(&[], 8), [8]);
    }
}
