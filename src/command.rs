//! `--command NAME=CMD`: any program as a case beside the runtimes, run
//! through `sh -c` and measured from outside like every other case.

use std::collections::BTreeMap;
use std::time::Duration;

use rtbench_report::{About, Case, Counts, Params, Run, RunRecord, Workload};
use rtbench_workloads::{Size, registry};

use crate::process::Measured;
use crate::repetition;

/// A `--command` as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandArg {
    /// The name its case goes by in tables and in `compare --baseline`.
    pub name: String,
    /// What `sh -c` runs.
    pub line: String,
}

/// Parses `NAME=CMD`, for clap.
pub fn parse(value: &str) -> Result<CommandArg, String> {
    match value.split_once('=') {
        Some((name, line)) if !name.trim().is_empty() && !line.trim().is_empty() => {
            Ok(CommandArg {
                name: name.trim().to_owned(),
                line: line.to_owned(),
            })
        }
        _ => Err("give NAME=CMD, e.g. a='python3 x.py'".into()),
    }
}

/// The run's own parameters of each of rtbench's workloads, one set per
/// sweep point: what a command whose run record names a workload but gives
/// no parameters is taken to have done, when the run has exactly one set.
#[derive(Debug, Clone, Default)]
pub struct Homes(pub BTreeMap<Workload, Vec<Params>>);

impl Homes {
    /// The parameters a record that names `workload` without its own is
    /// taken to have: the run's, when it has one set of them; the
    /// workload's defaults when the run has none.
    fn of(&self, workload: Workload) -> Result<Params, String> {
        match self.0.get(&workload).map(Vec::as_slice) {
            None | Some([]) => Ok((registry::find(workload.name())?.sizes)(Size::Default)),
            Some([one]) => Ok(one.clone()),
            Some(several) => Err(format!(
                "its run record names {workload} without params, and this run sweeps \
                 {workload} over {} sets of parameters; put the params it ran with in its record",
                several.len()
            )),
        }
    }
}

/// One repetition of a command as a [`Run`], or why it failed. Without a run
/// record, its wall time is the process's, measured by the parent; with
/// one, the record's own, and a record that names one of rtbench's
/// workloads moves `case` into that workload's table (the first repetition
/// decides; later ones must agree).
pub fn run_of(
    measured: Measured,
    limit: Duration,
    case: &mut Case,
    homes: &Homes,
) -> Result<Run, String> {
    repetition::ended(&measured, limit)?;
    let record = record(&measured.stdout)?;
    if let Some(first) = case.runs.first() {
        if first.latency_ns.is_some() != record.is_some() {
            return Err(
                "it printed a run record in some repetitions and not in others; \
                        a command must do the same in each"
                    .into(),
            );
        }
    }
    let Some(record) = record else {
        return Ok(Run {
            wall_s: measured.wall_s,
            cpu_s: measured.cpu_s,
            peak_rss_bytes: measured.peak_rss_bytes,
            counts: Counts::new(),
            latency_ns: None,
            io_driver: None,
            achieved_rate: None,
            send_delay_ns: None,
            client_cpu_s: None,
            cpus: None,
            client_cpus: None,
            counted: Some(crate::counts::outside(&measured)),
        });
    };
    let (workload, params, about) = match record.workload {
        None | Some(Workload::COMMAND) => (Workload::COMMAND, Params::default(), About::command()),
        Some(named) => {
            let registered = registry::find(named.name())
                .map_err(|e| format!("its run record names a workload rtbench lacks: {e}"))?;
            let params = match record.params.clone() {
                Some(params) => params,
                None => homes.of(named)?,
            };
            if params.ops == 0 || params.number("in_flight") == Some(0) {
                return Err(format!(
                    "its run record names {named} with ops or in_flight 0; give both from 1"
                ));
            }
            if !(registered.counts_add_up)(&params, &record.counts)? {
                return Err(format!(
                    "its run record's counts {:?} do not add up to the {} operations of {named}",
                    record.counts, params.ops
                ));
            }
            let about = (registered.about)(&params)?;
            (named, params, about)
        }
    };
    if !case.runs.is_empty() && (workload, &params) != (case.workload, &case.params) {
        return Err(format!(
            "its run record now names {workload} {} after {} {} before; a command must \
             do the same work in each repetition",
            serde_json::json!(params),
            case.workload,
            serde_json::json!(case.params),
        ));
    }
    case.workload = workload;
    case.params = params;
    case.about = about;
    Ok(repetition::recorded(record, &measured))
}

/// The run record on the last line of `stdout`, if the program printed one.
/// A last line that mentions `wall_s` but does not parse is an error, so a
/// mistyped record is not taken for ordinary output.
fn record(stdout: &str) -> Result<Option<RunRecord>, String> {
    let Some(line) = repetition::last_line(stdout) else {
        return Ok(None);
    };
    match serde_json::from_str::<RunRecord>(&line) {
        Ok(record) => Ok(Some(record)),
        Err(e) if line.contains("\"wall_s\"") => Err(format!(
            "its last stdout line looks like a run record but is not one ({e}): {line:?}"
        )),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_without_params_takes_the_runs_one_set_and_never_picks_from_a_sweep() {
        let defaults = |name: &str| (registry::find(name).unwrap().sizes)(Size::Default);
        let sleep = |in_flight: u64| {
            let mut params = defaults("sleep");
            params.set("in_flight", in_flight.into());
            params
        };
        let (sleep_name, cancel) = (Workload::named("sleep"), Workload::named("cancel"));
        let homes = Homes(BTreeMap::from([
            (sleep_name, vec![sleep(7)]),
            (cancel, vec![sleep(1), sleep(2)]),
        ]));
        assert_eq!(homes.of(sleep_name), Ok(sleep(7)));
        let refused = homes.of(cancel).unwrap_err();
        assert!(refused.contains("sweeps cancel over 2 sets"), "{refused}");
        assert_eq!(
            Homes::default().of(Workload::named("fetch")),
            Ok(defaults("fetch")),
            "a run without the workload: its defaults"
        );
    }
}
