//! `rtbench list`: the registered runtimes and the workloads.

use std::path::PathBuf;

use rtbench_report::table::{boxed, width};
use rtbench_report::{Model, Params, Workload};

use crate::external;
use crate::preset::{self, Preset};

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
    let mut workloads: Vec<Vec<String>> = Workload::BUILT_IN
        .into_iter()
        .map(|w| {
            let params = rtbench_workloads::defaults(w);
            vec![w.name().to_owned(), as_flags(&params)]
        })
        .collect();
    workloads.push(vec![
        Workload::Command.name().to_owned(),
        "--command NAME=CMD: a whole program, measured from outside; no parameters".to_owned(),
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
        boxed(&header(&["workload", "defaults"]), workloads, width),
        presets(width)
    )
}

/// The `--preset` sizes, one row per preset, one column per workload.
fn presets(width: Option<u16>) -> String {
    let header: Vec<String> = ["preset", "for"]
        .into_iter()
        .map(str::to_owned)
        .chain(Workload::BUILT_IN.map(|w| format!("{w}\n--ops / --in-flight")))
        .collect();
    let rows = Preset::ALL
        .into_iter()
        .map(|preset| {
            let sizes = Workload::BUILT_IN.map(|w| {
                let params = preset::defaults(Some(preset), w);
                format!("{} / {}", params.ops, params.in_flight)
            });
            [preset.name(), preset.purpose()]
                .into_iter()
                .map(str::to_owned)
                .chain(sizes)
                .collect()
        })
        .collect();
    boxed(&header, rows, width)
}

/// Parameters written as the `run` flags that set them, e.g. `--ops 1000000`.
fn as_flags(params: &Params) -> String {
    let json = serde_json::to_value(params).expect("serialisable");
    let fields = json.as_object().expect("params are an object");
    let flags: Vec<String> = fields
        .iter()
        .map(|(name, value)| {
            let value = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            format!("--{} {value}", name.replace('_', "-"))
        })
        .collect();
    flags.join(" ")
}
