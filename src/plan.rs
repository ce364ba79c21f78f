//! `rtbench run`'s command line, resolved once into a plan: which runtimes
//! and workloads, every sweep point, threads, the shipped servers, how many
//! repetitions in which order. The matrix and the runner read only this.

use std::path::PathBuf;
use std::time::Duration;

use rtbench_report::counted::Measure;
use rtbench_report::{IoDriver, Params, Workload};
use rtbench_workloads::{Machine, Registered, Role, Size, registry};

use crate::cli::{RepsArg, RunArgs};
use crate::command::{CommandArg, Homes};
use crate::cpus::CpuList;
use crate::pin::{self, Pin};
use crate::runner::{Reps, Settings};
use crate::selected::{self, Selected};

/// Everything a run will do, decided before anything runs.
#[derive(Debug)]
pub struct RunPlan {
    /// The runtimes, variants and external baselines, in the order named.
    pub runtimes: Vec<Selected>,
    /// The workloads to run, in the order named.
    pub workloads: Vec<Registered>,
    /// Every selected workload's sweep points (the run's parameters for
    /// it), which a command's record may also take.
    pub points: Homes,
    /// `--threads`: each value once, or the machine's cores.
    pub threads: Vec<usize>,
    /// Whether `--threads` was given; if not, a pinned case runs on as many
    /// threads as its measured process has CPUs.
    pub threads_given: bool,
    /// `--io-driver`: each driver once, in the order named; empty when not
    /// given (each runtime on its own choice).
    pub io_drivers: Vec<IoDriver>,
    /// The `--command` programs, a case each.
    pub commands: Vec<CommandArg>,
    /// Repetitions, their order, and the time limit of one.
    pub settings: Settings,
    /// Where results go.
    pub out: PathBuf,
}

/// A server the cases of a client workload send to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Server {
    /// The user's server (`--url`).
    External(String),
    /// The shipped server.
    Shipped(Shipped),
}

/// The shipped server a fetch case sends to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipped {
    /// Its worker threads.
    pub threads: usize,
    /// The CPUs it is kept on (`--pin`'s server side), if any.
    pub cpus: Option<CpuList>,
}

/// The shipped server the fetch case at `params` sends to.
pub fn shipped(params: &Params) -> Shipped {
    Shipped {
        threads: params.number("server_threads").unwrap_or(1) as usize,
        cpus: Pin::of(params).map(|pin| pin.server),
    }
}

/// Whether `workload` has two processes `--pin` keeps apart: a server and
/// its load generator, or a client and the shipped server.
fn two_sided(workload: &Registered) -> bool {
    matches!(workload.role, Role::Server | Role::ClientOfShippedServer)
}

impl RunPlan {
    /// Resolves `args`; fails with one line on an unknown runtime or
    /// workload, or parameters a workload refuses.
    pub fn resolve(args: &RunArgs, cores: usize) -> Result<RunPlan, String> {
        let machine = Machine { cores };
        // Counts mode runs under valgrind, 20–50 times slower: without a
        // preset it takes each workload's counts-mode sizes (guide: counts).
        let size = match (args.preset(), args.measure()) {
            (Some(preset), _) => Size::Preset(preset),
            (None, Measure::Counts) => Size::Counts,
            (None, Measure::Wall) => Size::Default,
        };
        let workloads = selected_workloads(&args.workloads)?;
        let pins = pin::pins(&args.pin, &CpuList::available())?;
        let mut points = Homes::default();
        for workload in &workloads {
            let base = (workload.sizes)(size);
            let mut all: Vec<Params> = Vec::new();
            for pin in pins.iter().filter(|p| p.is_none() || two_sided(workload)) {
                // The other side's threads (serve's generator, fetch's
                // server) follow its CPUs.
                let machine = pin.as_ref().map_or(machine, |pin| Machine {
                    cores: pin.other(workload.role).len(),
                });
                for mut point in crate::sweep::points(workload, &args.workload, &base, &machine)? {
                    // A `--url` server is the user's: rtbench pins neither side.
                    if !point.own.contains_key("url") {
                        point.cpus = pin.as_ref().map(Pin::record);
                    }
                    if !all.contains(&point) {
                        all.push(point);
                    }
                }
            }
            points.0.insert(Workload::named(workload.name), all);
        }
        Ok(RunPlan {
            runtimes: selected::select(&args.runtimes, &args.python, &args.node)?,
            workloads,
            points,
            threads: crate::sweep::threads(&args.threads, cores),
            threads_given: !args.threads.is_empty(),
            io_drivers: (args.io_driver.iter().enumerate())
                .filter(|&(i, d)| !args.io_driver[..i].contains(d))
                .map(|(_, &d)| d)
                .collect(),
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

    /// The sweep points of `workload`.
    pub fn points_of(&self, workload: &Registered) -> &[Params] {
        self.points
            .0
            .get(&Workload::named(workload.name))
            .map_or(&[], Vec::as_slice)
    }

    /// The `--threads` a case of `workload` at `params` runs with: those
    /// given, or as many as its measured process has CPUs when pinned, or
    /// the machine's cores.
    pub fn threads_for(&self, workload: &Registered, params: &Params) -> Vec<usize> {
        match Pin::of(params) {
            Some(pin) if !self.threads_given => vec![pin.measured(workload.role).len()],
            _ => self.threads.clone(),
        }
    }

    /// The servers the run's client cases send to, each once: the shipped
    /// server once per worker-thread count, or the `--url` one. None when no
    /// runtime runs (commands alone, `--runtimes none`).
    pub fn servers(&self) -> Vec<Server> {
        let mut out = Vec::new();
        if self.runtimes.is_empty() {
            return out;
        }
        for workload in (self.workloads.iter()).filter(|w| w.role == Role::ClientOfShippedServer) {
            for point in self.points_of(workload) {
                let server = match point.own.get("url").and_then(|u| u.as_str()) {
                    Some(url) => Server::External(url.to_owned()),
                    None => Server::Shipped(shipped(point)),
                };
                if !out.contains(&server) {
                    out.push(server);
                }
            }
        }
        out
    }

    /// The most connections one process of the run holds, which the
    /// open-file limit must allow (0 when no runtime runs).
    pub fn connections(&self) -> Result<u64, String> {
        let mut most = 0;
        for workload in self.workloads.iter().filter(|_| !self.runtimes.is_empty()) {
            for point in self.points_of(workload) {
                most = most.max((workload.connections)(point)?);
            }
        }
        Ok(most)
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
}

/// The workloads `--workloads` names (a group's name: each of the group),
/// each once, in the order named; those the registry runs by default when
/// it names none.
fn selected_workloads(names: &[String]) -> Result<Vec<Registered>, String> {
    if names.is_empty() {
        return Ok((registry::all().into_iter())
            .filter(|w| w.in_default_run)
            .collect());
    }
    let mut out: Vec<Registered> = Vec::new();
    for name in names {
        for workload in registry::select(name.trim())? {
            if !out.iter().any(|w| w.name == workload.name) {
                out.push(workload);
            }
        }
    }
    Ok(out)
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

    fn first(plan: &RunPlan, workload: &str) -> Params {
        plan.points.0[&Workload::named(workload)][0].clone()
    }

    #[test]
    fn the_connections_are_the_largest_in_flight_of_a_client_or_server() {
        let flags = [
            "--preset",
            "ci",
            "--in-flight",
            "10,100",
            "--workloads",
            "sleep,fetch",
        ];
        assert_eq!(plan(&flags).connections(), Ok(100));
        let sleep = ["--in-flight", "10,100", "--workloads", "sleep"];
        assert_eq!(
            plan(&sleep).connections(),
            Ok(0),
            "sleep holds no connections"
        );
        assert_eq!(plan(&["--preset", "ci"]).connections(), Ok(1000));
    }

    #[test]
    fn single_flags_apply_to_their_workloads_only() {
        let plan = plan(&["--fail-every", "7", "--rate", "50", "--client-threads", "3"]);
        let sleep = first(&plan, "sleep");
        assert_eq!(
            (sleep.number("fail_every"), sleep.number("rate")),
            (Some(7), None)
        );
        let serve = first(&plan, "serve");
        assert_eq!(
            (serve.number("rate"), serve.number("client_threads")),
            (Some(50), Some(3))
        );
        assert_eq!(first(&plan, "cancel").number("fail_every"), None);
    }

    #[test]
    fn a_url_replaces_the_shipped_servers_and_their_sweep() {
        let shipped = plan(&["--server-threads", "1,2"]);
        let on = |threads| {
            Server::Shipped(Shipped {
                threads,
                cpus: None,
            })
        };
        assert_eq!(shipped.servers(), [on(1), on(2)]);
        assert_eq!(shipped.points.0[&Workload::named("fetch")].len(), 2);
        let external = plan(&["--url", "http://127.0.0.1:9/", "--server-threads", "1,2"]);
        assert_eq!(
            external.servers(),
            [Server::External("http://127.0.0.1:9/".into())]
        );
        assert_eq!(external.points.0[&Workload::named("fetch")].len(), 1);
    }

    #[test]
    fn without_workloads_named_the_default_ones_run_and_counts_mode_takes_its_sizes() {
        let names: Vec<&str> = plan(&[]).workloads.iter().map(|w| w.name).collect();
        assert_eq!(names, ["sleep", "cancel", "fetch", "serve"]);
        let counts = plan(&["--measure", "counts"]);
        assert_eq!(first(&counts, "sleep").ops, 10_000);
        assert_eq!(first(&plan(&[]), "sleep").ops, 1_000_000);
        assert_eq!(first(&plan(&["--preset", "ci"]), "sleep").ops, 100_000);
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
