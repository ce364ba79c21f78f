//! Turns `run`'s flags into the list of cases to measure.

use std::path::Path;

use rtbench_report::{About, Case, CaseStatus, Model, Params, Source, Workload};
use rtbench_workloads::{Registered, Role};

use crate::command::{CommandArg, Homes};
use crate::counts::Scope;
use crate::job::CaseJob;
use crate::pin::Pin;
use crate::plan::{RunPlan, Shipped};
use crate::selected::Selected;
use crate::serve_case::Generator;

/// Where the pieces a case needs are.
#[derive(Debug, Clone, Copy)]
pub struct Places<'a> {
    /// rtbench itself, which runs Rust cases as `rtbench __case …`.
    pub program: &'a Path,
    /// Where the external baselines' scripts are written.
    pub scripts: &'a Path,
    /// The servers client cases (fetch) send their requests to, by the
    /// shipped one's threads and CPUs (`None`: the `--url` server).
    pub fetch_urls: &'a [(Option<Shipped>, String)],
}

/// Every case of the selected workloads and `runtimes`: per workload, the
/// product of the list flags (see [`crate::sweep::params`]) × `--threads` ×
/// runtimes (registered adapters, variants and external baselines alike) ×
/// the `--io-driver`s each runtime has (see [`RunPlan::drivers`]).
/// A single-thread runtime runs once whatever `--threads` lists. Then one
/// case per `--command`, once whatever the lists say: rtbench sets no sizes
/// of a program. Fails with one line on an unknown workload, or when there
/// is nothing to run.
pub fn jobs(run: &RunPlan, places: Places<'_>) -> Result<Vec<CaseJob>, String> {
    let mut jobs = Vec::new();
    for workload in &run.workloads {
        for params in run.points_of(workload) {
            for (i, &threads) in run.threads_for(workload, params).iter().enumerate() {
                for runtime in (run.runtimes.iter())
                    .filter(|r| r.runs(workload.name) && (i == 0 || r.threads(threads) > 1))
                {
                    for io_driver in run.drivers(runtime) {
                        let params = Params {
                            io_driver,
                            ..params.clone()
                        };
                        jobs.push(job(runtime, workload, &params, threads, places)?);
                    }
                }
            }
        }
    }
    let names: Vec<&str> = run.runtimes.iter().map(Selected::name).collect();
    jobs.extend(commands(&run.commands, &names, &run.points)?);
    let left_out = run.driver_notes();
    if jobs.is_empty() && !left_out.is_empty() {
        return Err(format!("nothing to run: {}", left_out.join("; ")));
    }
    if jobs.is_empty() {
        return Err("nothing to run: --runtimes none selects no runtime; add a \
                    --command NAME=CMD or name a runtime"
            .into());
    }
    Ok(jobs)
}

/// One case: `runtime` on `workload` with `params` on `threads` threads.
fn job(
    runtime: &Selected,
    registered: &Registered,
    params: &Params,
    threads: usize,
    places: Places<'_>,
) -> Result<CaseJob, String> {
    let workload = Workload::named(registered.name);
    // The child is told where the shipped server is; results record only a
    // server the user chose, so runs against the shipped one compare.
    let mut child_params = params.clone();
    if registered.role == Role::ClientOfShippedServer && !params.own.contains_key("url") {
        let shipped = Some(crate::plan::shipped(params));
        let url = (places.fetch_urls.iter()).find(|(s, _)| *s == shipped);
        if let Some((_, url)) = url {
            child_params.set("url", url.clone().into());
        }
    }
    let pin = Pin::of(params);
    let generator = (registered.load)(params)?.map(|load| Generator {
        program: places.program.to_owned(),
        args: Vec::new(),
        load,
        cpus: pin.as_ref().map(|pin| pin.other(registered.role).clone()),
    });
    let cpus = pin.map(|pin| pin.measured(registered.role).clone());
    let about = (registered.about)(params)?;
    let child_params = serde_json::to_string(&child_params).expect("serialisable");
    let case = |name: &str, version: &str, flavor: &str, model, threads, on_loop, source| Case {
        runtime: name.to_owned(),
        runtime_version: version.to_owned(),
        flavor: flavor.to_owned(),
        model: Some(model),
        threads,
        task_threads: Some(threads),
        loop_on_task_thread: Some(on_loop),
        workload,
        params: params.clone(),
        about: about.clone(),
        status: CaseStatus::Ok,
        error: None,
        runs: Vec::new(),
        command: None,
        stopped: None,
        source,
        summary: None,
        profile: None,
    };
    Ok(match runtime {
        Selected::Rust(adapter) => {
            let threads = adapter.threads(threads);
            CaseJob {
                case: case(
                    adapter.name,
                    adapter.version,
                    adapter.flavor,
                    adapter.model,
                    threads,
                    adapter.loop_on_task_thread,
                    Some(Source::Registry),
                ),
                program: places.program.to_owned(),
                args: case_args(adapter.name, workload, threads, &child_params),
                env: (adapter.process_env)(threads),
                unavailable: None,
                generator,
                cpus: cpus.clone(),
                command: None,
                scope: Scope::Marked,
            }
        }
        Selected::External(external) => CaseJob {
            case: case(
                &external.name,
                &external.version,
                &external.flavor,
                Model::SingleThread,
                1,
                true,
                None,
            ),
            program: external.program.clone(),
            args: external.args(places.scripts, registered.name, &child_params),
            env: Vec::new(),
            unavailable: match registered.role {
                Role::Server => Some(NO_EXTERNAL_SERVER.into()),
                _ => external.status.clone().err(),
            },
            generator: None,
            cpus: cpus.clone(),
            command: None,
            scope: Scope::FixedPart,
        },
        Selected::Variant(variant) => {
            let adapter = &variant.adapter;
            let threads = adapter.threads(threads);
            CaseJob {
                case: case(
                    &variant.written,
                    &variant.version,
                    adapter.flavor,
                    adapter.model,
                    threads,
                    adapter.loop_on_task_thread,
                    Some(variant.source.clone()),
                ),
                program: variant.binary.clone().unwrap_or_default(),
                args: case_args(adapter.name, workload, threads, &child_params),
                env: (adapter.process_env)(threads),
                unavailable: variant.binary.clone().err(),
                generator,
                cpus: cpus.clone(),
                command: None,
                scope: Scope::Marked,
            }
        }
    })
}

/// Why an external runtime's case of a server workload does not run.
const NO_EXTERNAL_SERVER: &str = "the Python and Node.js baselines have no server of their own; a workload whose runtime \
     is the server runs Rust runtimes only";

/// The arguments of `rtbench __case`, which runs one repetition of a Rust case.
fn case_args(runtime: &str, workload: Workload, threads: usize, params: &str) -> Vec<String> {
    vec![
        "__case".into(),
        format!("--runtime={runtime}"),
        format!("--workload={workload}"),
        format!("--threads={threads}"),
        format!("--params={params}"),
    ]
}

/// One case per `--command`, in the order given. Fails with one line when a
/// name is used twice, or is the name of a runtime in `taken`.
fn commands(
    commands: &[CommandArg],
    taken: &[&str],
    homes: &Homes,
) -> Result<Vec<CaseJob>, String> {
    let mut jobs: Vec<CaseJob> = Vec::new();
    for command in commands {
        let name = command.name.as_str();
        if taken.contains(&name) || jobs.iter().any(|j| j.case.runtime == name) {
            return Err(format!(
                "--command {name}=…: the name {name} is already taken in this run; \
                 give each command a name of its own"
            ));
        }
        jobs.push(CaseJob {
            case: Case {
                runtime: name.to_owned(),
                runtime_version: "-".into(),
                flavor: "program (sh -c)".into(),
                model: None,
                // Not known from outside.
                threads: 0,
                task_threads: None,
                loop_on_task_thread: None,
                workload: Workload::COMMAND,
                params: Params::default(),
                about: About::command(),
                status: CaseStatus::Ok,
                error: None,
                runs: Vec::new(),
                command: Some(command.line.clone()),
                stopped: None,
                source: None,
                summary: None,
                profile: None,
            },
            program: "sh".into(),
            args: vec!["-c".into(), command.line.clone()],
            env: Vec::new(),
            unavailable: None,
            generator: None,
            cpus: None,
            command: Some(homes.clone()),
            scope: Scope::Totals,
        });
    }
    Ok(jobs)
}
