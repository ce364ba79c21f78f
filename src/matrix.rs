//! Turns `run`'s flags into the list of cases to measure.

use std::path::Path;

use rtbench_report::{Case, CaseStatus, Model, Params, Source, Workload};
use rtbench_runtimes::Adapter;

use crate::cli::RunArgs;
use crate::command;
use crate::external::{self, External};
use crate::runner::Plan;
use crate::serve_case::Generator;
use crate::sweep;
use crate::variants::{self, Variant};

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
/// product of the list flags (see [`sweep::params`]) × `--threads` ×
/// runtimes (registered adapters, variants and external baselines alike).
/// A single-thread runtime runs once whatever `--threads` lists. Then one
/// case per `--command`, once whatever the lists say: rtbench sets no sizes
/// of a program. Fails with one line on an unknown workload, or when there
/// is nothing to run.
pub fn plans(
    args: &RunArgs,
    runtimes: &[Selected],
    places: Places<'_>,
    cores: usize,
) -> Result<Vec<Plan>, String> {
    // Each workload's sweep points, which a command's record may also take.
    let homes = command::Homes(
        (Workload::BUILT_IN.into_iter())
            .map(|w| (w, sweep::params(args, w, &params(args, w, cores), cores)))
            .collect(),
    );
    let mut plans = Vec::new();
    for workload in args.workloads()? {
        // `--workloads` parses built-in workloads only, each one in `homes`.
        for params in &homes.0[&workload] {
            for (i, &threads) in sweep::threads(args, cores).iter().enumerate() {
                plans.extend(
                    runtimes
                        .iter()
                        .filter(|r| r.runs(workload) && (i == 0 || r.threads(threads) > 1))
                        .map(|r| plan(r, workload, params, threads, places, cores)),
                );
            }
        }
    }
    let names: Vec<&str> = runtimes.iter().map(Selected::name).collect();
    plans.extend(command::plans(&args.command, &names, &homes)?);
    if plans.is_empty() {
        return Err("nothing to run: --runtimes none selects no runtime; add a \
                    --command NAME=CMD or name a runtime"
            .into());
    }
    Ok(plans)
}

/// One case: `runtime` on `workload` with `params` on `threads` threads.
fn plan(
    runtime: &Selected,
    workload: Workload,
    params: &Params,
    threads: usize,
    places: Places<'_>,
    cores: usize,
) -> Plan {
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
    };
    match runtime {
        Selected::Rust(adapter) => {
            let threads = adapter.threads(threads);
            Plan {
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
            }
        }
        Selected::External(external) => Plan {
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
        },
        Selected::Variant(variant) => {
            let adapter = &variant.adapter;
            let threads = adapter.threads(threads);
            Plan {
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

/// A runtime `--runtimes` selected.
#[derive(Debug)]
pub enum Selected {
    /// A registered Rust adapter, run as `rtbench __case`.
    Rust(Adapter),
    /// An interpreter running a baseline script.
    External(External),
    /// A registered adapter built against another version of its crate
    /// (`NAME@VERSION`) or a local checkout (`NAME@DIR`).
    Variant(Variant),
}

impl Selected {
    fn name(&self) -> &str {
        match self {
            Selected::Rust(adapter) => adapter.name,
            Selected::External(external) => &external.name,
            Selected::Variant(variant) => &variant.written,
        }
    }

    /// Whether it has a case of `workload`: a flavour written for some
    /// workloads only gets none of the others.
    fn runs(&self, workload: Workload) -> bool {
        match self {
            Selected::External(external) => external.workloads.contains(&workload),
            Selected::Rust(_) | Selected::Variant(_) => true,
        }
    }

    /// OS threads it runs on when `requested` are asked for.
    fn threads(&self, requested: usize) -> usize {
        match self {
            Selected::Rust(adapter) => adapter.threads(requested),
            Selected::Variant(variant) => variant.adapter.threads(requested),
            Selected::External(_) => 1,
        }
    }
}

/// The runtimes named in `--runtimes`: `all` for every registered Rust
/// adapter, `external` for every external runtime that can run here, or
/// names. Fails with one line on an unknown name, listing the valid ones.
pub fn select(args: &RunArgs) -> Result<Vec<Selected>, String> {
    let rust = rtbench_runtimes::adapters();
    let needs_discovery = args.runtimes.iter().any(|name| {
        !["all", "none"].contains(&name.as_str())
            && !name.contains('@')
            && !rust.iter().any(|a| a.name == name)
    });
    let external = if needs_discovery {
        external::discover(&args.python, &args.node)
    } else {
        Vec::new()
    };
    let mut selected: Vec<Selected> = Vec::new();
    for name in args.runtimes.iter().map(|n| n.trim()) {
        if let Some(variant) = variants::parse(name, &rust) {
            found_one(&mut selected, Selected::Variant(variant?));
            continue;
        }
        let found: Vec<Selected> = match name {
            "none" => Vec::new(),
            "all" => rust.iter().copied().map(Selected::Rust).collect(),
            "external" => external
                .iter()
                .filter(|e| e.status.is_ok())
                .cloned()
                .map(Selected::External)
                .collect(),
            _ => match (
                rust.iter().find(|a| a.name == name),
                external.iter().find(|e| e.name == name),
            ) {
                (Some(adapter), _) => vec![Selected::Rust(*adapter)],
                (None, Some(external)) => vec![Selected::External(external.clone())],
                (None, None) => {
                    let names: Vec<&str> = rust
                        .iter()
                        .map(|a| a.name)
                        .chain(external.iter().map(|e| e.name.as_str()))
                        .collect();
                    return Err(format!(
                        "--runtimes: unknown runtime '{name}'; valid: all, external, none, {}",
                        names.join(", ")
                    ));
                }
            },
        };
        for runtime in found {
            found_one(&mut selected, runtime);
        }
    }
    Ok(selected)
}

/// Adds `runtime` unless one of that name is already selected.
fn found_one(selected: &mut Vec<Selected>, runtime: Selected) {
    if !selected.iter().any(|s| s.name() == runtime.name()) {
        selected.push(runtime);
    }
}

/// A workload's defaults (or its preset's sizes) with the single-valued
/// flags that apply to it laid over them; the list flags, which override
/// the preset's sizes where given, are [`sweep::params`]'s.
fn params(args: &RunArgs, workload: Workload, cores: usize) -> Params {
    let mut params = crate::preset::defaults(args.preset, workload);
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
        Workload::Sleep | Workload::Cancel | Workload::File | Workload::Command => {}
    }
    params
}
