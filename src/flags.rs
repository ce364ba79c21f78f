//! The workloads' flags of `run`, made from the registry: each parameter a
//! workload declares is a flag (`in_flight` is `--in-flight`), declared once
//! however many workloads share it, its help saying what it means to each.

use std::collections::BTreeMap;

use clap::builder::PossibleValuesParser;
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches};
use rtbench_workloads::{Kind, Param, Registered};
use serde_json::Value;

/// The workload flags given on the command line, by parameter name, each
/// with its values in the order given (a list sweeps).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkloadFlags(pub BTreeMap<String, Vec<Value>>);

impl WorkloadFlags {
    /// The values given for the parameter `name`; empty when not given.
    pub fn given(&self, name: &str) -> &[Value] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Every parameter of every registered workload, each name once, with the
/// workloads that declare it, in registry order.
pub fn declared() -> Vec<(&'static Param, Vec<Registered>)> {
    let mut out: Vec<(&'static Param, Vec<Registered>)> = Vec::new();
    for workload in rtbench_workloads::registry::all() {
        for param in workload.params {
            match out.iter_mut().find(|(p, _)| p.name == param.name) {
                Some((_, by)) => by.push(workload),
                None => out.push((param, vec![workload])),
            }
        }
    }
    out
}

/// The flag's help: what it means to each workload, those meaning the same
/// named together, then how to sweep it.
fn help(name: &str, by: &[Registered]) -> String {
    let mut meanings: Vec<(String, Vec<&str>)> = Vec::new();
    for workload in by {
        let help = workload.param(name).expect("declared by it").help;
        match meanings.iter_mut().find(|(h, _)| h == help) {
            Some((_, names)) => names.push(workload.name),
            None => meanings.push((help.to_owned(), vec![workload.name])),
        }
    }
    let text: Vec<String> = (meanings.iter())
        .map(|(help, names)| format!("{}: {help}", names.join(", ")))
        .collect();
    text.join("; ")
}

/// Parses one list item of a size flag that must be at least 1 (`--ops`,
/// `--in-flight`, `--threads`, …).
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

/// The clap argument of `param`, with `help`.
fn arg(param: &Param, help: String) -> Arg {
    let arg = Arg::new(param.name).long(param.flag()).help(help);
    // A negative number is a value to refuse with a reason, not an unknown flag.
    let arg = match param.kind {
        Kind::Switch => arg,
        _ => arg.allow_negative_numbers(true),
    };
    match param.kind {
        Kind::Sizes => arg
            .value_name("N,…")
            .value_delimiter(',')
            .value_parser(positive),
        Kind::Wholes => arg
            .value_name("N,…")
            .value_delimiter(',')
            .value_parser(whole),
        Kind::Number => arg
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..)),
        Kind::Choice(words) => arg
            .value_name("WORD")
            .value_parser(PossibleValuesParser::new(words)),
        Kind::Switch => arg,
        Kind::Text => arg.value_name("TEXT"),
    }
    .action(match param.kind {
        Kind::Sizes | Kind::Wholes => ArgAction::Append,
        Kind::Switch => ArgAction::SetTrue,
        _ => ArgAction::Set,
    })
}

impl Args for WorkloadFlags {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for (param, by) in declared() {
            let mut help = help(param.name, &by);
            // "a list sweeps" goes before a default a workload's help names.
            if param.sweeps() {
                let at = help.find(" [default:").unwrap_or(help.len());
                help.insert_str(at, "; a list sweeps");
            }
            // A flag whose help names no default has each workload's, which
            // `list` shows; a switch and a text have none.
            let sized = !matches!(param.kind, Kind::Switch | Kind::Text);
            if sized && !help.contains("[default:") {
                help += " [default: each workload's, see `rtbench list`]";
            }
            cmd = cmd.arg(arg(param, help));
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for WorkloadFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut given = BTreeMap::new();
        for (param, _) in declared() {
            let name = param.name;
            if matches.value_source(name) != Some(ValueSource::CommandLine) {
                continue;
            }
            let values: Vec<Value> = match param.kind {
                Kind::Sizes | Kind::Wholes | Kind::Number => {
                    (matches.get_many::<u64>(name).into_iter().flatten())
                        .map(|&n| Value::from(n))
                        .collect()
                }
                Kind::Choice(_) | Kind::Text => (matches.get_many::<String>(name).into_iter())
                    .flatten()
                    .map(|s| Value::from(s.as_str()))
                    .collect(),
                Kind::Switch => vec![Value::Bool(matches.get_flag(name))],
            };
            given.insert(name.to_owned(), values);
        }
        Ok(WorkloadFlags(given))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}
