//! `NAME@VERSION` and `NAME@DIR`: a runtime at another version than the one
//! rtbench was built with, or from a local checkout. Each variant is its own
//! build of rtbench's workspace with that crate pinned (or patched), into one
//! target directory all variants share, so only the runtime and what depends
//! on it compile again.

mod build;
mod tree;

use std::path::{Path, PathBuf};

use rtbench_report::Source;
use rtbench_runtimes::Adapter;

/// Where a variant's crate comes from, as written after the `@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// A published version, pinned exactly.
    Version(String),
    /// A local checkout of the crate, patched in.
    Dir(PathBuf),
}

/// A runtime variant named on the command line, and once prepared, its build.
#[derive(Debug, Clone)]
pub struct Variant {
    /// As the user wrote it, e.g. `tokio-current-thread@1.38.0`; its cases' runtime name.
    pub written: String,
    /// The runtime in this build of rtbench (name, flavour, model, crate).
    pub adapter: Adapter,
    /// What comes after the `@`.
    pub spec: Spec,
    /// The exact version the build resolved.
    pub version: String,
    /// Registry, or the directory with its commit.
    pub source: Source,
    /// The variant's rtbench binary, or why it did not build (its cases
    /// fail with this, the others run).
    pub binary: Result<PathBuf, String>,
}

/// Splits `tokio@1.38.0` into the runtime's adapter and the spec; `None`
/// when `name` has no `@`. A value holding a `/` is a directory.
pub fn parse(name: &str, adapters: &[Adapter]) -> Option<Result<Variant, String>> {
    let (base, spec) = name.split_once('@')?;
    Some((|| {
        let adapter = adapters
            .iter()
            .find(|a| a.name == base)
            .copied()
            .ok_or_else(|| {
                let names: Vec<&str> = adapters.iter().map(|a| a.name).collect();
                format!(
                    "--runtimes {name}: unknown runtime '{base}'; a variant is NAME@VERSION or \
                 NAME@DIR with NAME one of {}",
                    names.join(", ")
                )
            })?;
        let spec = match spec {
            "" => {
                return Err(format!(
                    "--runtimes {name}: nothing after '@'; give a version (tokio@1.38.0) or a \
                     directory (tokio@../tokio/tokio)"
                ));
            }
            dir if dir.contains('/') => Spec::Dir(PathBuf::from(dir)),
            version => Spec::Version(version.to_owned()),
        };
        Ok(Variant {
            written: name.to_owned(),
            adapter,
            spec,
            version: String::new(),
            source: Source::Registry,
            binary: Err("not built yet".into()),
        })
    })())
}

/// Resolves and builds every variant, showing progress on stderr. A variant
/// whose version or directory cannot be resolved stops everything with one
/// line (nothing has been measured yet); one that does not compile keeps its
/// error in `binary`, so only its cases fail.
pub fn prepare<'a>(variants: impl Iterator<Item = &'a mut Variant>) -> Result<(), String> {
    let mut variants = variants.peekable();
    if variants.peek().is_none() {
        return Ok(());
    }
    let source = source_tree()?;
    let root = source.join("target/rtbench-variants");
    for variant in variants {
        let copy = tree::prepare(&source, &root, variant)?;
        let resolved = build::resolve(&copy, variant)?;
        variant.version = resolved.version;
        variant.source = resolved.source;
        variant.binary = build::compile(&copy, &root, variant);
    }
    Ok(())
}

/// rtbench's own source tree, where it was built from; variants are copies
/// of it. One line naming the fix when it is gone.
fn source_tree() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    if dir.join("Cargo.toml").is_file() && dir.join("runtimes").is_dir() {
        Ok(dir.to_owned())
    } else {
        Err(format!(
            "--runtimes NAME@...: variants are built from rtbench's source tree, and the one this \
             rtbench was built from ({}) is gone; run rtbench from a checkout (cargo run --release)",
            dir.display()
        ))
    }
}
