//! `--runtimes`: the names given, turned into the runtimes a run measures.

use std::path::PathBuf;

use rtbench_report::IoDriver;
use rtbench_runtimes::Adapter;

use crate::external::{self, External};
use crate::variants::{self, Variant};

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
    /// The name it goes by in tables and results.
    pub fn name(&self) -> &str {
        match self {
            Selected::Rust(adapter) => adapter.name,
            Selected::External(external) => &external.name,
            Selected::Variant(variant) => &variant.written,
        }
    }

    /// Whether it has a case of `workload`: a flavour written for some
    /// workloads only gets none of the others.
    pub fn runs(&self, workload: &str) -> bool {
        match self {
            Selected::External(external) => external.workloads.contains(&workload),
            Selected::Rust(_) | Selected::Variant(_) => true,
        }
    }

    /// The I/O drivers rtbench can run it on; none for an external
    /// baseline, whose interpreter chooses.
    pub fn io_drivers(&self) -> &'static [IoDriver] {
        match self {
            Selected::Rust(adapter) => adapter.io_drivers,
            Selected::Variant(variant) => variant.adapter.io_drivers,
            Selected::External(_) => &[],
        }
    }

    /// OS threads it runs on when `requested` are asked for.
    pub fn threads(&self, requested: usize) -> usize {
        match self {
            Selected::Rust(adapter) => adapter.threads(requested),
            Selected::Variant(variant) => variant.adapter.threads(requested),
            Selected::External(_) => 1,
        }
    }
}

/// The runtimes `names` (`--runtimes`) names: `all` for every registered Rust
/// adapter, `external` for every external runtime that can run here, or
/// names. Fails with one line on an unknown name, listing the valid ones.
pub fn select(
    names: &[String],
    python: &[PathBuf],
    node: &[PathBuf],
) -> Result<Vec<Selected>, String> {
    let rust = rtbench_runtimes::adapters();
    let needs_discovery = names.iter().any(|name| {
        !["all", "none"].contains(&name.as_str())
            && !name.contains('@')
            && !rust.iter().any(|a| a.name == name)
    });
    let external = if needs_discovery {
        external::discover(python, node)
    } else {
        Vec::new()
    };
    let mut selected: Vec<Selected> = Vec::new();
    for name in names.iter().map(|n| n.trim()) {
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
