//! rtbench: the CLI and the runner.

mod child;
mod cli;
mod command;
mod counts;
mod counts_case;
mod cpus;
mod external;
mod fetch_server;
mod flags;
#[cfg(test)]
mod guide_check;
mod host;
mod job;
mod launcher;
mod limits;
mod list;
mod matrix;
mod native;
mod pin;
mod plan;
mod process;
mod profiling;
mod reaped;
mod repetition;
mod reps;
mod runner;
mod selected;
mod serve_case;
mod sweep;
mod variants;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use rtbench_report::compare::Rules;
use rtbench_report::counted::Measure;
use rtbench_report::{ResultsFile, results};
use rtbench_workloads::server::{ServerConfig, serve_until_signal};

use crate::fetch_server::FetchServer;
use crate::plan::{RunPlan, Server, Shipped};
use crate::selected::Selected;

use crate::cli::{Cli, Command, RunArgs};

/// Counts the allocations of a `__case` child's workload (see
/// [`counts::allocations`]); a pass-through in every other process.
#[global_allocator]
static ALLOCATOR: rtbench_workloads::allocations::Counting =
    rtbench_workloads::allocations::Counting;

fn main() -> ExitCode {
    // Before anything else, so that a launcher is as small as it can be.
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|first| first == launcher::ARG) {
        return launcher::main(&args[1..]);
    }
    if let Ok(rtbench) = std::env::current_exe() {
        process::launch_from(rtbench);
    }
    let cli = Cli::parse();
    let outcome = match cli.command {
        None => run(&cli.run),
        Some(Command::Run(args)) => run(&args),
        Some(Command::Serve(args)) => serve(&args),
        Some(Command::List(args)) => {
            print!("{}", list::render(&args.python, &args.node));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Report { files, out }) => report(&files, out),
        Some(Command::Compare(args)) => compare(&args),
        Some(Command::Export(args)) => export(&args),
        Some(Command::Case(case)) => {
            child::run_case(&case.runtime, &case.workload, &case.params, case.threads)
                .map(|()| ExitCode::SUCCESS)
        }
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        ExitCode::from(2)
    })
}

/// `rtbench run`: measures the matrix, workload by workload, printing each
/// workload's table as soon as its last round ends, then where the results
/// are. Exits 1 when a case failed (its reason is in the table and the file).
fn run(args: &RunArgs) -> Result<ExitCode, String> {
    let program =
        std::env::current_exe().map_err(|e| format!("cannot find rtbench itself: {e}"))?;
    let cores = host::cores();
    let mut plan = RunPlan::resolve(args, cores)?;
    // Before anything runs: counts mode cannot start without valgrind.
    let valgrind = match plan.settings.measure {
        Measure::Counts => Some(counts::ready()?),
        Measure::Wall => None,
    };
    if plan.settings.profile && valgrind.is_none() {
        counts::valgrind::version().map_err(|_| {
            "--profile needs valgrind, which is not on PATH; install it \
             (`apt-get install valgrind`) or drop --profile"
                .to_owned()
        })?;
    }
    match plan.connections()? {
        0 => {}
        connections => limits::ensure_connections(connections)?,
    }
    // Kept alive until the run ends; dropping them stops the shipped servers.
    let fetch_servers = (plan.servers().into_iter())
        .map(|server| match server {
            Server::External(url) => Ok((None, FetchServer::external(&url)?)),
            Server::Shipped(shipped) => {
                let server = FetchServer::start(&program, shipped.threads, shipped.cpus.as_ref())?;
                Ok((Some(shipped), server))
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    let fetch_urls: Vec<(Option<Shipped>, String)> = fetch_servers
        .iter()
        .map(|(shipped, server)| (shipped.clone(), server.url().to_owned()))
        .collect();
    let dir = plan.out.clone();
    let scripts = dir.join("baselines");
    let places = matrix::Places {
        program: &program,
        scripts: &scripts,
        fetch_urls: &fetch_urls,
    };
    variants::prepare(plan.runtimes.iter_mut().filter_map(|r| match r {
        Selected::Variant(variant) => Some(variant),
        _ => None,
    }))?;
    let cases = matrix::jobs(&plan, places)?;
    for note in plan.driver_notes() {
        eprintln!("note: {note}");
    }
    println!(
        "{} cases × {} repetitions, each in its own process, workload by workload",
        cases.len(),
        match plan.settings.reps {
            runner::Reps::Fixed(n) => n.to_string(),
            runner::Reps::Auto { min, max, .. } => format!("{min} to {max} (auto)"),
        }
    );
    let path = dir.join("results.json");
    let empty = ResultsFile {
        version: results::VERSION,
        created: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        host: host::describe(),
        order: Some(plan.settings.order),
        measure: Some(plan.settings.measure),
        tools: Some(counts::tools(valgrind)),
        cases: Vec::new(),
    };
    prepare_out(&dir, &path, &empty)?;
    if plan
        .runtimes
        .iter()
        .any(|r| matches!(r, Selected::External(_)))
    {
        external::write_scripts(&scripts)?;
    }
    let results = runner::run(cases, plan.settings, empty, &path, |done| {
        print!("{}", rtbench_report::table::terminal(done));
    })?;
    print!("{}", rtbench_report::scaling::terminal(&results));
    print!("{}", rtbench_report::profile::terminal(&results));
    let written = rtbench_report::write_report(&results, &dir)?;
    println!(
        "results: {} (and {} report files, open index.html)",
        path.display(),
        written.len()
    );
    if let Some(comparison) = rtbench_report::compare_in_run(&results, Rules::default()) {
        print!("{}", rtbench_report::table::verdict_lines(&comparison));
        print!(
            "{}",
            rtbench_report::profile::comparison_terminal(&comparison)
        );
        let written = rtbench_report::write_comparison(&comparison, &dir)?;
        println!(
            "variants and I/O drivers compared with the first named: {} files (open compare.html)",
            written.len()
        );
    }
    let failed = results.cases.iter().filter(|c| c.error.is_some()).count();
    if failed > 0 {
        eprintln!(
            "{failed} of {} cases failed; see the table",
            results.cases.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `rtbench report`: the tables of saved files, and their report files;
/// files of several hosts are kept apart, a section per host.
fn report(files: &[PathBuf], out: Option<PathBuf>) -> Result<ExitCode, String> {
    let hosts = rtbench_report::read_by_host(files)?;
    for warning in hosts.iter().flat_map(|h| &h.merged.warnings) {
        eprintln!("warning: {warning}");
    }
    let dir = out.unwrap_or_else(|| match files {
        [one] => one.parent().map_or_else(PathBuf::new, Path::to_owned),
        _ => timestamped("report"),
    });
    let written = match hosts.as_slice() {
        [one] => {
            print!("{}", rtbench_report::table::terminal(&one.merged.results));
            print!("{}", rtbench_report::scaling::terminal(&one.merged.results));
            print!("{}", rtbench_report::profile::terminal(&one.merged.results));
            rtbench_report::write_report(&one.merged.results, &dir)?
        }
        _ => {
            for host in &hosts {
                println!("━━ {} ━━\n", host.label);
                print!("{}", rtbench_report::table::terminal(&host.merged.results));
                print!(
                    "{}",
                    rtbench_report::scaling::terminal(&host.merged.results)
                );
            }
            rtbench_report::write_hosts_report(&hosts, &dir)?
        }
    };
    println!(
        "wrote {} files to {} (open index.html)",
        written.len(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `rtbench compare`: baseline vs candidate, in the terminal and as files.
/// With `--fail-on-regression`, exits 1 when a gated figure is worse (wall
/// time; in counts mode instructions/op and estimated cycles/op), after
/// Holm–Bonferroni over every comparison the gate judged.
fn compare(args: &cli::CompareArgs) -> Result<ExitCode, String> {
    let rules = Rules {
        threshold_pct: args.threshold,
    };
    let first = ResultsFile::read(&args.baseline_file)?;
    let comparison = match (&args.candidate_file, &args.baseline, &args.candidate) {
        (Some(second), None, None) => {
            rtbench_report::compare(&first, &ResultsFile::read(second)?, rules)
        }
        (None, Some(a), Some(b)) => rtbench_report::compare_within(&first, a, b, rules)?,
        (Some(_), Some(_), _) => {
            return Err(
                "compare: give two files, or one file with --baseline and --candidate, \
                        not both"
                    .into(),
            );
        }
        _ => {
            return Err("compare: give a candidate file, or --baseline RUNTIME and \
                        --candidate RUNTIME to compare two runtimes of one file"
                .into());
        }
    };
    print!(
        "{}",
        rtbench_report::table::comparison_terminal(&comparison)
    );
    print!(
        "{}",
        rtbench_report::profile::comparison_terminal(&comparison)
    );
    let dir = args.out.clone().unwrap_or_else(|| timestamped("compare"));
    let written = rtbench_report::write_comparison(&comparison, &dir)?;
    println!(
        "wrote {} files to {} (open compare.html)",
        written.len(),
        dir.display()
    );
    let gate = comparison.gate();
    if args.fail_on_regression && !gate.regressions.is_empty() {
        eprintln!(
            "regression (Holm–Bonferroni over {} comparisons): worse in {}",
            gate.tested,
            gate.regressions.join("; ")
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `rtbench export`: a results file in a tracker's format, to `--out` or stdout.
fn export(args: &cli::ExportArgs) -> Result<ExitCode, String> {
    let format: rtbench_report::Format = args.format.parse()?;
    let text = rtbench_report::export(&ResultsFile::read(&args.file)?, format)?;
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            format!(
                "cannot write --out {}: {e}; choose a writable file",
                path.display()
            )
        })?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `target/rtbench/<what>-<timestamp>`, where outputs go by default.
fn timestamped(what: &str) -> PathBuf {
    let now = chrono::Local::now().format("%Y%m%d-%H%M%S");
    PathBuf::from("target/rtbench").join(format!("{what}-{now}"))
}

/// `rtbench serve`: the fetch server in the foreground.
fn serve(args: &cli::ServeArgs) -> Result<ExitCode, String> {
    // As many connections as the hard limit allows; a load tool's usual start.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let config = ServerConfig {
        addr: args.addr,
        threads: args.threads.map_or_else(host::cores, usize::from),
        track_ids: false,
    };
    serve_until_signal(config, |url| {
        println!("{url}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })
    .map_err(|e| format!("cannot serve on --addr {}: {e}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

/// Creates the output directory and writes an empty results file, so an
/// unwritable `--out` fails before anything is measured.
fn prepare_out(dir: &Path, path: &Path, empty: &ResultsFile) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| e.to_string())
        .and_then(|()| empty.write(path))
        .map_err(|e| {
            format!(
                "cannot write results to --out {}: {e}; choose a writable directory",
                dir.display()
            )
        })
}
