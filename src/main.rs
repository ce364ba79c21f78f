//! rtbench: the CLI and the runner.

mod child;
mod cli;
mod host;
mod list;
mod matrix;
mod process;
mod runner;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use rtbench_report::{ResultsFile, results};

use crate::cli::{Cli, Command, RunArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        None => run(&cli.run),
        Some(Command::Run(args)) => run(&args),
        Some(Command::List) => {
            print!("{}", list::render());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Report { file }) => ResultsFile::read(&file).map(|results| {
            print!("{}", rtbench_report::table::terminal(&results));
            ExitCode::SUCCESS
        }),
        Some(Command::Case(case)) => {
            child::run_case(&case.runtime, case.workload, &case.params, case.threads)
                .map(|()| ExitCode::SUCCESS)
        }
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        ExitCode::from(2)
    })
}

/// `rtbench run`: measures the matrix, prints the table and where the results
/// are. Exits 1 when a case failed (its reason is in the table and the file).
fn run(args: &RunArgs) -> Result<ExitCode, String> {
    let program =
        std::env::current_exe().map_err(|e| format!("cannot find rtbench itself: {e}"))?;
    let plans = matrix::plans(args, &program, host::cores())?;
    let now = chrono::Local::now();
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("target/rtbench").join(now.format("%Y%m%d-%H%M%S").to_string())
    });
    let path = dir.join("results.json");
    let empty = ResultsFile {
        version: results::VERSION,
        created: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        host: host::describe(),
        cases: Vec::new(),
    };
    prepare_out(&dir, &path, &empty)?;
    let settings = runner::Settings {
        reps: args.reps,
        limit: Duration::from_secs(args.timeout_s),
    };
    let results = runner::run(plans, settings, empty, &path)?;
    print!("{}", rtbench_report::table::terminal(&results));
    println!("results: {}", path.display());
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
