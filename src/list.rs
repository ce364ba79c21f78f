//! `rtbench list`: the registered runtimes and the workloads.

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use std::path::PathBuf;

use rtbench_report::{Model, Params, Workload};

use crate::external;
use crate::preset::{self, Preset};

/// The runtimes (name, version, flavour, model, available or why not), Rust
/// and external (`pythons` and `nodes` added to what is found), and the
/// workloads with their defaults, and the presets, as three tables.
pub fn render(pythons: &[PathBuf], nodes: &[PathBuf]) -> String {
    let mut runtimes = Table::new();
    runtimes.load_preset(UTF8_FULL_CONDENSED).set_header([
        "runtime",
        "version",
        "flavour",
        "model",
        "I/O drivers",
        "status",
    ]);
    for adapter in rtbench_runtimes::adapters() {
        let mut status = match (adapter.available)() {
            Ok(()) => "available".to_owned(),
            Err(why) => format!("unavailable: {why}"),
        };
        if let Some(note) = adapter.note {
            status += &format!("; {note}");
        }
        runtimes.add_row([
            adapter.name.to_owned(),
            adapter.version.to_owned(),
            adapter.flavor.to_owned(),
            adapter.model.to_string(),
            (adapter.io_drivers.iter())
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(", "),
            status,
        ]);
    }
    for external in external::discover(pythons, nodes) {
        let status = match &external.status {
            Ok(()) => format!("available: {}", external.program.display()),
            Err(why) => format!("unavailable: {why}"),
        };
        runtimes.add_row([
            external.name,
            external.version,
            external.flavor,
            Model::SingleThread.to_string(),
            "its interpreter's".to_owned(),
            status,
        ]);
    }
    let mut workloads = Table::new();
    workloads
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["workload", "defaults"]);
    for workload in Workload::BUILT_IN {
        let params = rtbench_workloads::defaults(workload);
        workloads.add_row([workload.name().to_owned(), as_flags(&params)]);
    }
    workloads.add_row([
        Workload::Command.name(),
        "--command NAME=CMD: a whole program, measured from outside; no parameters",
    ]);
    format!("{runtimes}\n{workloads}\n{}\n", presets())
}

/// The `--preset` sizes, one row per preset, one column per workload.
fn presets() -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(
        ["preset", "for"]
            .into_iter()
            .map(str::to_owned)
            .chain(Workload::BUILT_IN.map(|w| format!("{w} (--ops, --in-flight)"))),
    );
    for preset in Preset::ALL {
        let sizes = Workload::BUILT_IN.map(|w| {
            let params = preset::defaults(Some(preset), w);
            format!("{} {}", params.ops, params.in_flight)
        });
        table.add_row(
            [preset.name(), preset.purpose()]
                .into_iter()
                .map(str::to_owned)
                .chain(sizes),
        );
    }
    table
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
