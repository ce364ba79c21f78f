//! `rtbench list`: the registered runtimes and the workloads.

use std::path::PathBuf;

use rtbench_report::table::{boxed, width};
use rtbench_report::{Model, Params, Workload};
use rtbench_workloads::{Preset, Registered, Size, registry};

use crate::external;

/// The runtimes (name, version, flavour, model, available or why not), Rust
/// and external (`pythons` and `nodes` added to what is found), and the
/// workloads with their defaults, and the presets, as tables fitted into the
/// terminal's width as the run tables are (split, then wrapped; nothing cut).
pub fn render(pythons: &[PathBuf], nodes: &[PathBuf]) -> String {
    render_in(pythons, nodes, width())
}

/// [`render`] fitted into `width` columns, or as wide as its contents.
pub fn render_in(pythons: &[PathBuf], nodes: &[PathBuf], width: Option<u16>) -> String {
    let mut runtimes = Vec::new();
    for adapter in rtbench_runtimes::adapters() {
        let mut status = match (adapter.available)() {
            Ok(()) => "available".to_owned(),
            Err(why) => format!("unavailable: {why}"),
        };
        if let Some(note) = adapter.note {
            status += &format!("; {note}");
        }
        runtimes.push(vec![
            adapter.name.to_owned(),
            adapter.version.to_owned(),
            adapter.model.to_string(),
            (adapter.io_drivers.iter())
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(", "),
            status,
            adapter.flavor.to_owned(),
        ]);
    }
    for external in external::discover(pythons, nodes) {
        let status = match &external.status {
            Ok(()) => format!("available: {}", external.program.display()),
            Err(why) => format!("unavailable: {why}"),
        };
        runtimes.push(vec![
            external.name,
            external.version,
            Model::SingleThread.to_string(),
            "its interpreter's".to_owned(),
            status,
            external.flavor,
        ]);
    }
    let mut workloads: Vec<Vec<String>> = (registry::all().into_iter())
        .map(|w| {
            let mut run = match w.in_default_run {
                true => "yes".to_owned(),
                false => format!("with --workloads {}", w.name),
            };
            for group in w.groups {
                run += &format!(" or {group}");
            }
            let defaults = as_flags(&w, &(w.sizes)(Size::Default));
            vec![
                w.name.to_owned(),
                w.description.to_owned(),
                run.to_owned(),
                defaults,
            ]
        })
        .collect();
    workloads.push(vec![
        Workload::COMMAND.name().to_owned(),
        "A whole program, measured from outside.".to_owned(),
        "with --command NAME=CMD".to_owned(),
        "no parameters".to_owned(),
    ]);
    let header = |names: &[&str]| -> Vec<String> { names.iter().map(|&n| n.to_owned()).collect() };
    format!(
        "{}\n{}\n{}\n",
        boxed(
            &header(&[
                "runtime",
                "version",
                "model",
                "I/O drivers",
                "status",
                "flavour"
            ]),
            runtimes,
            width
        ),
        boxed(
            &header(&["workload", "what it does", "runs by default", "defaults"]),
            workloads,
            width
        ),
        presets(width)
    )
}

/// The `--preset` sizes, one row per preset (and counts mode's without
/// one), one column per workload: the parameters whose value a preset changes.
fn presets(width: Option<u16>) -> String {
    let workloads = registry::all();
    let header: Vec<String> = ["preset", "for"]
        .into_iter()
        .map(str::to_owned)
        .chain(workloads.iter().map(|w| w.name.to_owned()))
        .collect();
    let sizes = Preset::ALL
        .map(|p| (p.name(), p.purpose(), Size::Preset(p)))
        .into_iter()
        .chain([(
            "(counts)",
            "--measure counts without a preset",
            Size::Counts,
        )]);
    let rows = sizes
        .map(|(name, purpose, size)| {
            [name, purpose]
                .into_iter()
                .map(str::to_owned)
                .chain(workloads.iter().map(|w| sized(w, size)))
                .collect()
        })
        .collect();
    boxed(&header, rows, width)
}

/// `workload`'s parameters at `size` that some size sets otherwise, as flags.
fn sized(workload: &Registered, size: Size) -> String {
    let all = Preset::ALL
        .map(Size::Preset)
        .into_iter()
        .chain([Size::Default, Size::Counts]);
    let all: Vec<Params> = all.map(workload.sizes).collect();
    let this = (workload.sizes)(size);
    let varies = |name: &str| all.iter().any(|p| p.number(name) != this.number(name));
    (workload.params.iter())
        .filter(|p| varies(p.name))
        .filter_map(|p| Some(format!("--{} {}", p.flag(), this.number(p.name)?)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `workload`'s parameters written as the `run` flags that set them, in its
/// order, e.g. `--ops 1000000 --in-flight 10000`.
fn as_flags(workload: &Registered, params: &Params) -> String {
    let value = |name: &str| match name {
        "ops" => Some(params.ops.into()),
        _ => params.own.get(name).cloned(),
    };
    (workload.params.iter())
        .filter_map(|p| match value(p.name)? {
            serde_json::Value::Bool(true) => Some(format!("--{}", p.flag())),
            serde_json::Value::Bool(false) => None,
            serde_json::Value::String(s) => Some(format!("--{} {s}", p.flag())),
            other => Some(format!("--{} {other}", p.flag())),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
