//! A variant's copy of rtbench's workspace, with the runtime's crate pinned
//! to a version or patched to a directory. Files are written only when their
//! content changed, so an unchanged variant is not rebuilt.

use std::path::{Path, PathBuf};

use super::{Spec, Variant};

/// Top-level entries of the source tree that a build does not need.
const SKIPPED: [&str; 6] = ["target", ".git", "docs", "guide", ".ci", ".github"];

/// Brings `root/<key>/src` up to date with `source` and the variant's pin,
/// and returns that copy. Fails with one line when a directory variant's
/// folder is not a checkout of the runtime's crate.
pub fn prepare(source: &Path, root: &Path, variant: &mut Variant) -> Result<PathBuf, String> {
    let copy = root.join(key(variant)?).join("src");
    let io = |e: std::io::Error| format!("cannot copy rtbench's source to {}: {e}", copy.display());
    copy_tree(source, &copy, true).map_err(io)?;
    if !copy.join("Cargo.lock").exists() {
        // Only the first time: afterwards the copy's lock is the one its pin
        // resolved, and rewriting it would make cargo rebuild.
        std::fs::copy(source.join("Cargo.lock"), copy.join("Cargo.lock")).map_err(io)?;
    }
    let manifest = std::fs::read_to_string(source.join("Cargo.toml")).map_err(io)?;
    write_if_changed(
        &copy.join("Cargo.toml"),
        pinned(&manifest, variant)?.as_bytes(),
    )
    .map_err(io)?;
    Ok(copy)
}

/// The folder name of a variant: its spelling made safe, and for a
/// directory its absolute path (canonical), so two checkouts stay apart.
fn key(variant: &mut Variant) -> Result<String, String> {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    match &variant.spec {
        Spec::Version(version) => Ok(format!("{}@{}", variant.adapter.krate, safe(version))),
        Spec::Dir(dir) => {
            let absolute = checkout(dir, variant)?;
            let path = absolute.to_string_lossy();
            let tail = path.rsplit('/').take(2).collect::<Vec<_>>().join("-");
            let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            variant.spec = Spec::Dir(absolute.clone());
            Ok(format!(
                "{}@dir-{}-{hash:016x}",
                variant.adapter.krate,
                safe(&tail)
            ))
        }
    }
}

/// The checkout `dir` as an absolute path, or one line saying what is wrong.
fn checkout(dir: &Path, variant: &Variant) -> Result<PathBuf, String> {
    let krate = variant.adapter.krate;
    let absolute = dir.canonicalize().map_err(|e| {
        format!(
            "--runtimes {}: {} is not a directory ({e}); give a checkout of the {krate} crate",
            variant.written,
            dir.display()
        )
    })?;
    let manifest = std::fs::read_to_string(absolute.join("Cargo.toml")).unwrap_or_default();
    let name = manifest
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_owned));
    if name.as_deref() != Some(krate) {
        return Err(format!(
            "--runtimes {}: {} holds no Cargo.toml of the {krate} crate; give the folder of the \
             crate itself (in tokio's repository, tokio/tokio)",
            variant.written,
            absolute.display()
        ));
    }
    Ok(absolute)
}

/// rtbench's root manifest with the variant's crate pinned exactly
/// (`=VERSION`) or patched to its directory.
fn pinned(manifest: &str, variant: &Variant) -> Result<String, String> {
    let mut table: toml::Table = manifest
        .parse()
        .map_err(|e| format!("rtbench's own Cargo.toml does not parse: {e}"))?;
    let krate = variant.adapter.krate;
    let dependency = table
        .get_mut("workspace")
        .and_then(|w| w.get_mut("dependencies"))
        .and_then(|d| d.get_mut(krate))
        .ok_or_else(|| format!("rtbench's Cargo.toml has no workspace dependency {krate}"))?;
    match &variant.spec {
        Spec::Version(version) => {
            let exact = toml::Value::String(format!("={version}"));
            match dependency {
                toml::Value::Table(fields) => {
                    fields.insert("version".into(), exact);
                }
                other => *other = exact,
            }
        }
        Spec::Dir(dir) => {
            let mut path = toml::Table::new();
            path.insert("path".into(), dir.to_string_lossy().into_owned().into());
            let mut crates_io = toml::Table::new();
            crates_io.insert(krate.into(), path.into());
            let mut patch = toml::Table::new();
            patch.insert("crates-io".into(), crates_io.into());
            table.insert("patch".into(), patch.into());
        }
    }
    Ok(format!(
        "# Written by rtbench for the variant {}: rtbench's Cargo.toml with {krate} pinned.\n{table}",
        variant.written
    ))
}

/// Copies `from` into `to`, skipping [`SKIPPED`] at the top and the root
/// manifest and lock (written by [`prepare`]), writing only changed files.
fn copy_tree(from: &Path, to: &Path, top: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if top && (SKIPPED.contains(&name.as_ref()) || name == "Cargo.toml" || name == "Cargo.lock")
        {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&*name), false)?;
        } else if kind.is_file() {
            // Bytes, not text: fixtures can be binary (a gzipped profile).
            write_if_changed(&to.join(&*name), &std::fs::read(entry.path())?)?;
        }
    }
    Ok(())
}

/// Writes `content` to `path` unless it already holds exactly that.
fn write_if_changed(path: &Path, content: &[u8]) -> std::io::Result<()> {
    match std::fs::read(path) {
        Ok(old) if old == content => Ok(()),
        _ => std::fs::write(path, content),
    }
}
