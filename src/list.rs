//! `rtbench list`: the registered runtimes and the workloads.

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use rtbench_report::Workload;

/// The runtimes (name, version, flavour, model, available or why not) and the
/// workloads with their defaults, as two tables.
pub fn render() -> String {
    let mut runtimes = Table::new();
    runtimes
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["runtime", "version", "flavour", "model", "status"]);
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
            status,
        ]);
    }
    let mut workloads = Table::new();
    workloads
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["workload", "defaults"]);
    for workload in Workload::ALL {
        let params = rtbench_workloads::defaults(workload);
        let json = serde_json::to_string(&params).expect("serialisable");
        workloads.add_row([workload.name().to_owned(), json]);
    }
    format!("{runtimes}\n{workloads}\n")
}
