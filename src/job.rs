//! One case to measure: the record its repetitions fill in, and how each
//! repetition's child is started. The matrix makes these, the ways of
//! measuring (natively, counts, profile) start their children from them,
//! and the runner goes through them round by round.

use std::path::PathBuf;
use std::process::Command;

use rtbench_report::Case;

use crate::command::Homes;
use crate::counts;
use crate::cpus::CpuList;
use crate::serve_case::Generator;

/// One case to measure: the record to fill in, and how to start a repetition.
#[derive(Debug)]
pub struct CaseJob {
    /// The case as results will record it; `runs`, `status` and `summary` are filled in here.
    pub case: Case,
    /// The program that runs one repetition and prints its record.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Environment it needs (e.g. a runtime's thread count).
    pub env: Vec<(&'static str, String)>,
    /// Why the runtime cannot run here, if it cannot: the case is recorded
    /// as failed with this reason, without starting anything.
    pub unavailable: Option<String>,
    /// Serve: the load generator; the program above is then the server.
    pub generator: Option<Generator>,
    /// The CPUs its measured process is kept on (`--pin`), if any.
    pub cpus: Option<CpuList>,
    /// For a `--command` case, what its repetitions are read with; `None`
    /// for a runtime's case, whose child must print a run record.
    pub command: Option<Homes>,
    /// How its counts are confined to the workload's own work.
    pub scope: counts::Scope,
}

impl CaseJob {
    /// The command that runs one repetition natively (not under valgrind).
    pub fn native(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).envs(self.env.iter().cloned());
        command
    }
}
