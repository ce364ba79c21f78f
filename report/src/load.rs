//! What the load of fetch and serve cases was: an open loop's offered and
//! achieved rates, the requests it sent late and how late requests left,
//! and, for serve, the load generator and its own CPU time. Read from the
//! runs, never assumed.

use crate::cases;
use crate::figure::{compact, grouped};
use crate::results::{Case, Latency, Run};
use crate::summary::Stat;

/// An open loop achieving less than this share of its offered rate is
/// reported as not reaching it. Below 1 because the generator's timer wakes
/// a little late now and then; the README says why 5 %.
pub const REACHED_SHARE: f64 = 0.95;

/// The median rate a case's requests left at, per second, over its runs;
/// `None` for a closed loop or a case without figures.
pub fn achieved_rate(case: &Case) -> Option<Stat> {
    cases::figures(case)?;
    Stat::of(
        &case
            .runs
            .iter()
            .filter_map(|r| r.achieved_rate)
            .collect::<Vec<_>>(),
    )
}

/// Whether an open-loop case fell short of its offered rate.
pub fn missed_rate(case: &Case) -> bool {
    match (case.params.number("rate"), achieved_rate(case)) {
        (Some(offered), Some(achieved)) => achieved.median < REACHED_SHARE * offered as f64,
        _ => false,
    }
}

/// The CPU the runtime's process (serve's server, fetch's client) took at
/// an open-loop case's rate: medians over its runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CpuAtRate {
    /// CPU time (user + system) per request, microseconds.
    pub per_request_us: f64,
    /// Its share of the cores it had: CPU seconds / wall seconds / cores.
    pub share: f64,
    /// The cores it had: the CPUs its threads were allowed (`--pin`), or
    /// the host's where the runs do not say.
    pub cores: usize,
}

/// The runtime's CPU at an open-loop case's rate; `None` for a closed loop
/// or a case without figures. `host_cores` stands for the cores a run had
/// where it did not record its CPUs (results from before they were).
pub fn cpu_at_rate(case: &Case, host_cores: usize) -> Option<CpuAtRate> {
    case.params.number("rate")?;
    cases::figures(case)?;
    let requests = case.params.ops.max(1) as f64;
    let cores = |run: &Run| {
        let listed = run.cpus.as_deref().and_then(crate::cpu_list::count);
        listed.unwrap_or(host_cores).max(1)
    };
    let median = |values: Vec<f64>| Stat::of(&values).map(|s| s.median);
    Some(CpuAtRate {
        per_request_us: median(case.runs.iter().map(|r| r.cpu_s / requests * 1e6).collect())?,
        share: median(
            (case.runs.iter())
                .filter(|r| r.wall_s > 0.0)
                .map(|r| r.cpu_s / r.wall_s / cores(r) as f64)
                .collect(),
        )?,
        cores: median(case.runs.iter().map(|r| cores(r) as f64).collect())? as usize,
    })
}

/// Lines under a workload's table: for open-loop cases, what the figures
/// mean once, then each one's offered and achieved rate, with a warning
/// where the offered rate was not reached, and the runtime's CPU per
/// request and share of its cores there (see [`cpu_at_rate`]); for serve,
/// what the load generator was and what CPU it took, and for `--command`
/// cases why they have no such figure.
pub fn notes(cases: &[&Case], labels: &[String], host_cores: usize) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(load) = cases.iter().find_map(|c| c.about.load.as_deref()) {
        out.extend(generator_lines(cases, labels, load));
    }
    let mut open = Vec::new();
    for (case, label) in cases.iter().zip(labels) {
        let (Some(offered), Some(achieved)) = (case.params.number("rate"), achieved_rate(case))
        else {
            continue;
        };
        let verdict = if missed_rate(case) {
            "the offered rate was NOT reached"
        } else {
            "the offered rate was reached"
        };
        let cpu = cpu_at_rate(case, host_cores).map_or_else(String::new, |cpu| {
            format!(
                "; runtime CPU {} µs/request, {} % of its {} core{}",
                compact(cpu.per_request_us),
                compact(cpu.share * 100.0),
                cpu.cores,
                if cpu.cores == 1 { "" } else { "s" }
            )
        });
        open.push(format!(
            "{label}: offered {}/s, achieved {}/s: {verdict}; {} of {} late{}{cpu}",
            compact(offered as f64),
            compact(achieved.median),
            grouped(median_count(case, "late")),
            grouped(case.params.ops as f64),
            send_delay(case).map_or_else(String::new, |[p50, p99]| format!(
                "; sent after due: p50 {} ms, p99 {} ms",
                compact(p50),
                compact(p99)
            )),
        ));
    }
    if !open.is_empty() {
        out.push(
            "open loop: requests leave on a schedule at the offered rate; late ones were due \
             before a connection was free to send them; latency counts from each request's \
             scheduled time, so a request that left after it was due counts that too (sent \
             after due: how long after, medians over the runs); runtime CPU: the CPU time \
             of the runtime's process (serve: the server; fetch: the client) per request, \
             and CPU seconds / wall seconds / the cores it could run on"
                .into(),
        );
        out.extend(open);
    }
    out
}

/// The serve cases' load generator and its CPU time per request; for
/// `--command` cases, why rtbench's generator has no figure for them.
fn generator_lines(cases: &[&Case], labels: &[String], load: &str) -> Vec<String> {
    let workload = cases.first().map_or("", |c| c.workload.name());
    let (commands, runtimes): (Vec<_>, Vec<_>) = cases
        .iter()
        .zip(labels)
        .partition(|(c, _)| c.command.is_some());
    let mut out = Vec::new();
    if !runtimes.is_empty() {
        let threads = runtimes
            .iter()
            .find_map(|(c, _)| c.params.number("client_threads"));
        let threads = threads.map_or_else(String::new, |t| format!(", {t} threads"));
        let cpu: Vec<String> = runtimes
            .iter()
            .filter(|(c, _)| cases::figures(c).is_some())
            .filter_map(|(c, label)| {
                let per_op: Vec<f64> = c
                    .runs
                    .iter()
                    .filter_map(|r| r.client_cpu_s)
                    .map(|s| s / c.params.ops as f64 * 1e9)
                    .collect();
                Stat::of(&per_op).map(|s| format!("{label} {}", grouped(s.median)))
            })
            .collect();
        out.push(format!(
            "{workload}: the runtime is the server, in its own process (CPU/op and peak memory \
             are the server's); the load generator is {load}{threads}, in another process; its \
             CPU/op (ns): {}",
            if cpu.is_empty() {
                "none measured".to_owned()
            } else {
                cpu.join(", ")
            }
        ));
    }
    if !commands.is_empty() {
        let names: Vec<&str> = commands.iter().map(|(_, label)| label.as_str()).collect();
        out.push(format!(
            "{}: a --command whose run record names {workload} is one program measured as a whole: \
             rtbench's load generator does not run against it, so there is no load-generator \
             CPU/op; its CPU/op and peak memory include whatever load it made itself",
            names.join(", ")
        ));
    }
    out
}

/// The medians over a case's runs of its send delay's p50 and p99, in
/// milliseconds; `None` where a run has none (results before it was recorded).
fn send_delay(case: &Case) -> Option<[f64; 2]> {
    let stat = |pick: fn(&Latency) -> u64| {
        let values: Option<Vec<f64>> = (case.runs.iter())
            .map(|r| Some(pick(r.send_delay_ns.as_ref()?) as f64 / 1e6))
            .collect();
        Stat::of(&values?).map(|s| s.median)
    };
    Some([stat(|l| l.p50)?, stat(|l| l.p99)?])
}

/// The median over a case's runs of the count called `name`.
fn median_count(case: &Case, name: &str) -> f64 {
    let counts: Vec<f64> = case
        .runs
        .iter()
        .map(|r| r.counts.get(name).copied().unwrap_or(0) as f64)
        .collect();
    Stat::of(&counts).map_or(0.0, |s| s.median)
}
