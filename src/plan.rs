//! `rtbench run`'s command line, resolved once into a plan: which runtimes
//! and workloads, every sweep point, threads, the shipped servers, how many
//! repetitions in which order. The matrix and the runner read only this.

use std::path::PathBuf;
use std::time::Duration;

use rtbench_report::counted::Measure;
use rtbench_report::{FileMode, IoDriver, Params, Workload};
use rtbench_workloads::file::DEFAULT_SYNC_EVERY;

use crate::cli::{RepsArg, RunArgs};
use crate::command::{CommandArg, Homes};
use crate::runner::{Reps, Settings};
use crate::selected::{self, Selected};
use crate::sweep::{self, Lists};

/// Everything a run will do, decided before anything runs.
#[derive(Debug)]
pub struct RunPlan {
    /// The runtimes, variants and external baselines, in the order named.
    pub runtimes: Vec<Selected>,
    /// The workloads to run, in the order named.
    pub workloads: Vec<Workload>,
    /// Every built-in workload's sweep points (the run's parameters for it),
    /// which a command's record may also take.
    pub points: Homes,
    /// `--threads`: each value once, or the machine's cores.
    pub threads: Vec<usize>,
    /// `--io-driver`: each driver once, in the order named; empty when not
    /// given (each runtime on its own choice).
    pub io_drivers: Vec<IoDriver>,
    /// Where fetch cases send their requests.
    pub servers: Servers,
    /// The `--command` programs, a case each.
    pub commands: Vec<CommandArg>,
    /// Repetitions, their order, and the time limit of one.
    pub settings: Settings,
    /// Where results go.
    pub out: PathBuf,
}

/// The servers of the fetch workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Servers {
    /// The user's server (`--url`).
    External(String),
    /// The shipped server, started once per worker-thread count.
    Shipped(Vec<usize>),
}

impl RunPlan {
    /// Resolves `args`; fails with one line on an unknown runtime or workload.
    pub fn resolve(args: &RunArgs, cores: usize) -> Result<RunPlan, String> {
        let lists = lists(args);
        let points = Homes(
            (Workload::BUILT_IN.into_iter())
                .map(|w| {
                    let base = base_params(args, w, cores);
                    (
                        w,
                        sweep::params(&lists, w, &base, args.url.is_none(), cores),
                    )
                })
                .collect(),
        );
        let workloads: Vec<Workload> = (args.workloads.iter())
            .map(|w| w.trim().parse())
            .collect::<Result<_, _>>()?;
        if workloads.contains(&Workload::File) {
            crate::scratch::check(args.scratch_dir.as_deref(), &points.0[&Workload::File])?;
        }
        Ok(RunPlan {
            runtimes: selected::select(&args.runtimes, &args.python, &args.node)?,
            workloads,
            points,
            threads: lists.threads(cores),
            io_drivers: (args.io_driver.iter().enumerate())
                .filter(|&(i, d)| !args.io_driver[..i].contains(d))
                .map(|(_, &d)| d)
                .collect(),
            servers: match &args.url {
                Some(url) => Servers::External(url.clone()),
                None => Servers::Shipped(lists.server_threads(cores)),
            },
            commands: args.command.clone(),
            settings: Settings {
                reps: match args.reps {
                    RepsArg::Count(n) => Reps::Fixed(n),
                    RepsArg::Auto => Reps::Auto {
                        min: 5,
                        precision: args.precision / 100.0,
                        max: args.max_reps,
                    },
                },
                order: args.order(),
                limit: Duration::from_secs(args.timeout_s),
                measure: args.measure(),
                profile: args.profile,
            },
            out: args.out.clone().unwrap_or_else(|| {
                let now = chrono::Local::now().format("%Y%m%d-%H%M%S");
                PathBuf::from("target/rtbench").join(now.to_string())
            }),
        })
    }

    /// Whether `workload` has runtime cases (commands alone, `--runtimes
    /// none`, have no fetch or serve cases, so need no server).
    pub fn runs(&self, workload: Workload) -> bool {
        self.workloads.contains(&workload) && !self.runtimes.is_empty()
    }

    /// The drivers `runtime` has cases on: each `--io-driver` it can run on,
    /// in the order named (none when it can run on none of them), or its
    /// own choice (`None`) when the flag was not given or the runtime is
    /// outside rtbench's reach (an external baseline: its interpreter chooses).
    pub fn drivers(&self, runtime: &Selected) -> Vec<Option<IoDriver>> {
        let has = runtime.io_drivers();
        if self.io_drivers.is_empty() || has.is_empty() {
            return vec![None];
        }
        (self.io_drivers.iter())
            .filter(|d| has.contains(d))
            .map(|&d| Some(d))
            .collect()
    }

    /// One line per runtime `--io-driver` leaves out, saying why.
    pub fn driver_notes(&self) -> Vec<String> {
        (self.runtimes.iter())
            .filter(|r| self.drivers(r).is_empty())
            .map(|r| {
                let own: Vec<&str> = r.io_drivers().iter().map(|d| d.name()).collect();
                let asked: Vec<&str> = self.io_drivers.iter().map(|d| d.flag()).collect();
                format!(
                    "{} runs on {} only, so --io-driver {} gives it no case",
                    r.name(),
                    own.join(" and "),
                    asked.join(",")
                )
            })
            .collect()
    }

    /// The largest in-flight `workload` runs with.
    pub fn max_in_flight(&self, workload: Workload) -> u64 {
        self.points.0[&workload]
            .iter()
            .map(|p| p.in_flight)
            .max()
            .unwrap_or_default()
    }
}

/// The list flags of `args`.
pub fn lists(args: &RunArgs) -> Lists {
    Lists {
        ops: args.ops.clone(),
        in_flight: args.in_flight.clone(),
        latency_ms: args.latency_ms.clone(),
        body_bytes: args.body_bytes.clone(),
        server_threads: args.server_threads.clone(),
        threads: args.threads.clone(),
        block_bytes: args.block_bytes.clone(),
        file_mb: args.file_mb.clone(),
    }
}

/// A workload's defaults (or its preset's sizes) with the single-valued
/// flags that apply to it laid over them; the list flags, which override
/// the preset's sizes where given, are [`sweep::params`]'s.
fn base_params(args: &RunArgs, workload: Workload, cores: usize) -> Params {
    // Counts mode runs under valgrind, 20–50 times slower: without a preset
    // it takes the quick sizes, where instructions per operation are already
    // within 1 % of a run twice as long (guide: counts).
    let preset = match (args.preset, args.measure()) {
        (None, Measure::Counts) => Some(crate::preset::Preset::Quick),
        (preset, _) => preset,
    };
    let mut params = crate::preset::defaults(preset, workload);
    if params.fail_every.is_some() {
        params.fail_every = args.fail_every.or(params.fail_every);
    }
    if params.cancel_mode.is_some() {
        params.cancel_mode = args.cancel_mode().or(params.cancel_mode);
        params.cancel_wait_ms = args.cancel_wait_ms.or(params.cancel_wait_ms);
    }
    if matches!(workload, Workload::Fetch | Workload::Serve) {
        params.timeout_ms = args.timeout_ms.or(params.timeout_ms);
        params.rate = args.rate;
    }
    match workload {
        Workload::Fetch => params.url = args.url.clone(),
        Workload::Serve => {
            params.client_threads = Some(args.client_threads.map_or(cores, usize::from));
        }
        Workload::File => {
            params.file_mode = args.file_mode().or(params.file_mode);
            if params.file_mode == Some(FileMode::Write) {
                params.sync_every = Some(args.sync_every.unwrap_or(DEFAULT_SYNC_EVERY));
            }
            params.direct = args.direct.then_some(true);
            params.scratch_dir = (args.scratch_dir.as_ref()).map(|d| d.display().to_string());
        }
        Workload::Sleep | Workload::Cancel | Workload::Command => {}
    }
    params
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn plan(flags: &[&str]) -> RunPlan {
        let args = Cli::try_parse_from(["rtbench", "--runtimes", "tokio"].iter().chain(flags))
            .unwrap()
            .run;
        RunPlan::resolve(&args, 2).unwrap()
    }

    #[test]
    fn the_largest_in_flight_is_the_lists_or_the_presets() {
        assert_eq!(
            plan(&["--preset", "ci", "--in-flight", "10,100"]).max_in_flight(Workload::Sleep),
            100
        );
        assert_eq!(
            plan(&["--preset", "ci"]).max_in_flight(Workload::Fetch),
            crate::preset::defaults(Some(crate::preset::Preset::Ci), Workload::Fetch).in_flight
        );
    }

    #[test]
    fn single_flags_apply_to_their_workloads_only() {
        let plan = plan(&["--fail-every", "7", "--rate", "50", "--client-threads", "3"]);
        let sleep = &plan.points.0[&Workload::Sleep][0];
        assert_eq!((sleep.fail_every, sleep.rate), (Some(7), None));
        let serve = &plan.points.0[&Workload::Serve][0];
        assert_eq!((serve.rate, serve.client_threads), (Some(50), Some(3)));
        assert_eq!(plan.points.0[&Workload::Cancel][0].fail_every, None);
    }

    #[test]
    fn a_url_replaces_the_shipped_servers_and_their_sweep() {
        let shipped = plan(&["--server-threads", "1,2"]);
        assert_eq!(shipped.servers, Servers::Shipped(vec![1, 2]));
        assert_eq!(shipped.points.0[&Workload::Fetch].len(), 2);
        let external = plan(&["--url", "http://127.0.0.1:9/", "--server-threads", "1,2"]);
        assert_eq!(
            external.servers,
            Servers::External("http://127.0.0.1:9/".into())
        );
        assert_eq!(external.points.0[&Workload::Fetch].len(), 1);
    }

    #[test]
    fn drivers_keep_the_order_named_and_each_runtime_gets_those_it_has() {
        use rtbench_report::IoDriver::{Epoll, IoUring};
        let args = Cli::try_parse_from(["rtbench", "--runtimes", "tokio,glommio,monoio"])
            .unwrap()
            .run;
        let plan = |drivers: &[IoDriver]| RunPlan {
            io_drivers: drivers.to_vec(),
            ..RunPlan::resolve(&args, 2).unwrap()
        };
        let each = |plan: &RunPlan| -> Vec<Vec<Option<IoDriver>>> {
            plan.runtimes.iter().map(|r| plan.drivers(r)).collect()
        };
        let both = plan(&[Epoll, IoUring]);
        assert_eq!(
            each(&both),
            [
                vec![Some(Epoll)],
                vec![Some(IoUring)],
                vec![Some(Epoll), Some(IoUring)]
            ]
        );
        assert!(both.driver_notes().is_empty());
        let uring = plan(&[IoUring]);
        assert_eq!(each(&uring)[0], []);
        assert_eq!(
            uring.driver_notes(),
            ["tokio runs on epoll only, so --io-driver uring gives it no case"]
        );
        assert_eq!(each(&plan(&[]))[2], [None]);
        let named = Cli::try_parse_from(["rtbench", "--io-driver", "epoll,uring,epoll"]);
        let named = RunPlan::resolve(&named.unwrap().run, 2).unwrap();
        assert_eq!(named.io_drivers, [Epoll, IoUring]);
    }

    #[test]
    fn an_unknown_workload_is_one_line_naming_it() {
        let args = Cli::try_parse_from(["rtbench", "--workloads", "sleep,nap"])
            .unwrap()
            .run;
        let error = RunPlan::resolve(&args, 2).unwrap_err();
        assert!(error.contains("nap") && !error.contains('\n'), "{error}");
    }
}
