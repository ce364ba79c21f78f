//! Turns `run`'s flags into the list of cases to measure.

use std::path::Path;

use rtbench_report::{Case, CaseStatus, Model, Params, Source, Workload};

use crate::command::{CommandArg, Homes};
use crate::counts::Scope;
use crate::job::CaseJob;
use crate::plan::RunPlan;
use crate::selected::Selected;
use crate::serve_case::Generator;

/// Where the pieces a case needs are.
#[derive(Debug, Clone, Copy)]
pub struct Places<'a> {
    /// rtbench itself, which runs Rust cases as `rtbench __case …`.
    pub program: &'a Path,
    /// Where the external baselines' scripts are written.
    pub scripts: &'a Path,
    /// The servers fetch cases send their requests to, by the worker
    /// threads of the shipped one (`None`: the `--url` server).
    pub fetch_urls: &'a [(Option<usize>, String)],
}

/// Every case of the selected workloads and `runtimes`: per workload, the
/// product of the list flags (see [`crate::sweep::params`]) × `--threads` ×
/// runtimes (registered adapters, variants and external baselines alike) ×
/// the `--io-driver`s each runtime has (see [`RunPlan::drivers`]).
/// A single-thread runtime runs once whatever `--threads` lists. Then one
/// case per `--command`, once whatever the lists say: rtbench sets no sizes
/// of a program. Fails with one line on an unknown workload, or when there
/// is nothing to run.
pub fn jobs(run: &RunPlan, places: Places<'_>, cores: usize) -> Result<Vec<CaseJob>, String> {
    let mut jobs = Vec::new();
    for &workload in &run.workloads {
        // `--workloads` parses built-in workloads only, each one in `points`.
        for params in &run.points.0[&workload] {
            for (i, &threads) in run.threads.iter().enumerate() {
                for runtime in (run.runtimes.iter())
                    .filter(|r| r.runs(workload) && (i == 0 || r.threads(threads) > 1))
                {
                    for io_driver in run.drivers(runtime) {
                        let params = Params {
                            io_driver,
                            ..params.clone()
                        };
                        jobs.push(job(runtime, workload, &params, threads, places, cores));
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
    workload: Workload,
    params: &Params,
    threads: usize,
    places: Places<'_>,
    cores: usize,
) -> CaseJob {
    // The child is told where the server is; results record only a
    // server the user chose, so runs against the shipped one compare.
    let mut child_params = params.clone();
    if workload == Workload::Fetch {
        child_params.url = places
            .fetch_urls
            .iter()
            .find(|(threads, _)| *threads == params.server_threads)
            .map(|(_, url)| url.clone());
    }
    let generator = (workload == Workload::Serve).then(|| generator(params, places, cores));
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
        status: CaseStatus::Ok,
        error: None,
        runs: Vec::new(),
        command: None,
        stopped: None,
        source,
        summary: None,
        profile: None,
    };
    match runtime {
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
            args: external.args(places.scripts, workload, &child_params),
            env: Vec::new(),
            unavailable: match workload {
                Workload::Serve => Some(NO_EXTERNAL_SERVER.into()),
                _ => external.status.clone().err(),
            },
            generator: None,
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
                command: None,
                scope: Scope::Marked,
            }
        }
    }
}

/// Why an external runtime's serve case does not run.
const NO_EXTERNAL_SERVER: &str =
    "the Python and Node.js baselines have no HTTP server; serve runs Rust runtimes only";

/// The load generator of a serve case: the fetch workload, sending what the
/// case's parameters say, on tokio with `client_threads` threads.
fn generator(params: &Params, places: Places<'_>, cores: usize) -> Generator {
    let fetch = Params {
        ops: params.ops,
        in_flight: params.in_flight,
        latency_ms: params.latency_ms,
        body_bytes: params.body_bytes,
        timeout_ms: params.timeout_ms,
        rate: params.rate,
        ..Params::default()
    };
    Generator {
        program: places.program.to_owned(),
        args: Vec::new(),
        threads: params.client_threads.unwrap_or(cores),
        params: fetch,
    }
}

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
                workload: Workload::Command,
                params: Params::default(),
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
            command: Some(homes.clone()),
            scope: Scope::Totals,
        });
    }
    Ok(jobs)
}
