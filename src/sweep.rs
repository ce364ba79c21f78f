//! Sweeps: size flags that take a comma-separated list, and the product of
//! those lists that becomes the cases of a workload.

use rtbench_report::{Params, Workload};

/// Parses one list item of a size flag that must be at least 1 (`--ops`,
/// `--in-flight`, `--threads`, `--server-threads`).
pub fn positive(text: &str) -> Result<u64, String> {
    match whole(text)? {
        0 => Err(format!(
            "'0' is not a size: give whole numbers from 1, comma-separated, e.g. {EXAMPLE}"
        )),
        n => Ok(n),
    }
}

/// Parses one list item of a flag where 0 means something (`--latency-ms`,
/// `--body-bytes`).
pub fn whole(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "'{text}' is not a whole number: give whole numbers, comma-separated without \
             spaces or empty items, e.g. {EXAMPLE}"
        )
    })
}

const EXAMPLE: &str = "1000,10000,100000";

/// The values of a list flag, each once, in the order given; `default` when
/// the flag was not given.
fn values(list: &[u64], default: u64) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    for &value in list {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    if out.is_empty() {
        out.push(default);
    }
    out
}

/// The list flags as given (each possibly empty: not given).
#[derive(Debug, Clone, Default)]
pub struct Lists {
    /// `--ops`.
    pub ops: Vec<u64>,
    /// `--in-flight`.
    pub in_flight: Vec<u64>,
    /// `--latency-ms`.
    pub latency_ms: Vec<u64>,
    /// `--body-bytes`.
    pub body_bytes: Vec<u64>,
    /// `--server-threads`.
    pub server_threads: Vec<u64>,
    /// `--threads`.
    pub threads: Vec<u64>,
}

impl Lists {
    /// `--threads`: each requested value once, or the machine's cores.
    pub fn threads(&self, cores: usize) -> Vec<usize> {
        counts(&self.threads, cores)
    }

    /// `--server-threads`: each requested value once, or the machine's cores.
    pub fn server_threads(&self, cores: usize) -> Vec<usize> {
        counts(&self.server_threads, cores)
    }
}

/// A list of thread counts, each once, or `cores` when it is empty.
fn counts(list: &[u64], cores: usize) -> Vec<usize> {
    values(list, cores as u64)
        .into_iter()
        .map(|t| usize::try_from(t).unwrap_or(usize::MAX))
        .collect()
}

/// Every combination of the list flags that apply to `workload`, laid over
/// `base` (whose sizes, the preset's or the workload's defaults, stand where
/// a flag is not given): `--ops` outermost, then `--in-flight`,
/// `--latency-ms`, for fetch and serve `--body-bytes`, and for fetch with
/// the shipped server (`shipped`) `--server-threads`.
pub fn params(
    lists: &Lists,
    workload: Workload,
    base: &Params,
    shipped: bool,
    cores: usize,
) -> Vec<Params> {
    let mut all = vec![base.clone()];
    let mut vary = |list: &[u64], default: u64, set: &dyn Fn(&mut Params, u64)| {
        all = all
            .iter()
            .flat_map(|p| {
                values(list, default).into_iter().map(move |v| {
                    let mut p = p.clone();
                    set(&mut p, v);
                    p
                })
            })
            .collect();
    };
    vary(&lists.ops, base.ops, &|p, v| p.ops = v);
    vary(&lists.in_flight, base.in_flight, &|p, v| p.in_flight = v);
    vary(&lists.latency_ms, base.latency_ms, &|p, v| p.latency_ms = v);
    if matches!(workload, Workload::Fetch | Workload::Serve) {
        let bytes = base.body_bytes.unwrap_or_default();
        vary(&lists.body_bytes, bytes, &|p, v| p.body_bytes = Some(v));
    }
    if workload == Workload::Fetch && shipped {
        let servers: Vec<u64> = lists
            .server_threads(cores)
            .into_iter()
            .map(|t| t as u64)
            .collect();
        vary(&servers, cores as u64, &|p, v| {
            p.server_threads = Some(v as usize);
        });
    }
    all
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn args(flags: &[&str]) -> Lists {
        crate::plan::lists(
            &Cli::try_parse_from(["rtbench"].iter().chain(flags))
                .unwrap()
                .run,
        )
    }

    #[test]
    fn the_cases_are_the_product_of_the_lists() {
        let args = args(&[
            "--ops",
            "100,200",
            "--in-flight",
            "1,10,100",
            "--latency-ms",
            "0",
        ]);
        let base = rtbench_workloads::defaults(Workload::Sleep);
        let all = params(&args, Workload::Sleep, &base, true, 2);
        let pairs: Vec<(u64, u64, u64)> = all
            .iter()
            .map(|p| (p.ops, p.in_flight, p.latency_ms))
            .collect();
        assert_eq!(
            pairs,
            [
                (100, 1, 0),
                (100, 10, 0),
                (100, 100, 0),
                (200, 1, 0),
                (200, 10, 0),
                (200, 100, 0)
            ]
        );
        assert!(all.iter().all(|p| p.fail_every == base.fail_every));
    }

    #[test]
    fn fetch_also_sweeps_bodies_and_server_threads_and_repeats_collapse() {
        let args = args(&["--body-bytes", "0,1024,1024", "--server-threads", "1,2"]);
        let base = rtbench_workloads::defaults(Workload::Fetch);
        let all = params(&args, Workload::Fetch, &base, true, 4);
        let pairs: Vec<(Option<u64>, Option<usize>)> = all
            .iter()
            .map(|p| (p.body_bytes, p.server_threads))
            .collect();
        assert_eq!(
            pairs,
            [
                (Some(0), Some(1)),
                (Some(0), Some(2)),
                (Some(1024), Some(1)),
                (Some(1024), Some(2))
            ]
        );
        assert_eq!(params(&args, Workload::Sleep, &base, true, 4).len(), 1);
    }

    #[test]
    fn a_preset_gives_the_sizes_a_list_does_not() {
        let args = args(&["--preset", "ci", "--in-flight", "10,100"]);
        let base = crate::preset::defaults(Some(crate::preset::Preset::Ci), Workload::Sleep);
        let all = params(&args, Workload::Sleep, &base, true, 2);
        let pairs: Vec<(u64, u64)> = all.iter().map(|p| (p.ops, p.in_flight)).collect();
        assert_eq!(pairs, [(base.ops, 10), (base.ops, 100)]);
        assert_ne!(base.ops, rtbench_workloads::defaults(Workload::Sleep).ops);
    }

    #[test]
    fn serve_sweeps_bodies_but_not_server_threads() {
        let args = args(&["--body-bytes", "0,64", "--server-threads", "1,2"]);
        let base = rtbench_workloads::defaults(Workload::Serve);
        let all = params(&args, Workload::Serve, &base, true, 4);
        let bodies: Vec<Option<u64>> = all.iter().map(|p| p.body_bytes).collect();
        assert_eq!(bodies, [Some(0), Some(64)]);
    }

    #[test]
    fn list_items_must_be_whole_and_sizes_positive() {
        assert_eq!(positive("7"), Ok(7));
        assert!(positive("0").unwrap_err().contains("from 1"));
        assert!(positive("").unwrap_err().contains("not a whole number"));
        assert!(positive("1e3").is_err());
        assert_eq!(whole("0"), Ok(0));
        let refused = Cli::try_parse_from(["rtbench", "--in-flight", "10,,100"]).unwrap_err();
        assert!(refused.to_string().contains("--in-flight"), "{refused}");
    }
}
