//! Resolving and compiling a variant's copy of the workspace with cargo,
//! into the target directory every variant shares.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rtbench_report::Source;

use super::{Spec, Variant};

/// The profile variants are built with: rtbench's own (its folder under the
/// target directory, and cargo's flag), so a variant and the plain runtime
/// are compiled alike.
const PROFILE: (&str, &[&str]) = if cfg!(debug_assertions) {
    ("debug", &[])
} else {
    ("release", &["--release"])
};

/// What resolving a variant found.
pub struct Resolved {
    /// The exact version of the runtime's crate.
    pub version: String,
    /// Where it comes from.
    pub source: Source,
}

/// Resolves the copy's dependencies (`cargo metadata`, which updates its
/// lock to the pin) and returns the exact version. One line naming the
/// variant and cargo's reason when the version does not exist or does not
/// fit with the rest of rtbench's dependencies.
pub fn resolve(copy: &Path, variant: &Variant) -> Result<Resolved, String> {
    let output = cargo(copy)
        .args(["metadata", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cannot run cargo to resolve {}: {e}", variant.written))?;
    if !output.status.success() {
        return Err(format!(
            "--runtimes {}: {}; check the version with `cargo info {}`",
            variant.written,
            first_error(&String::from_utf8_lossy(&output.stderr)),
            variant.adapter.krate
        ));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata for {} is not JSON: {e}", variant.written))?;
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let krate = variant.adapter.krate;
    let found = packages.iter().find(|p| {
        p["name"] == krate
            && match &variant.spec {
                Spec::Version(_) => p["source"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("registry")),
                Spec::Dir(dir) => p["manifest_path"]
                    .as_str()
                    .is_some_and(|m| Path::new(m).starts_with(dir)),
            }
    });
    let version = found.and_then(|p| p["version"].as_str()).ok_or_else(|| {
        format!(
            "--runtimes {}: cargo resolved no {krate} crate",
            variant.written
        )
    })?;
    let source = match &variant.spec {
        Spec::Version(_) => Source::Registry,
        Spec::Dir(dir) => {
            let git = |args: &[&str]| {
                Command::new("git")
                    .arg("-C")
                    .arg(dir)
                    .args(args)
                    .stderr(Stdio::null())
                    .output()
                    .ok()
                    .filter(|o| o.status.success())
                    .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            };
            let commit = git(&["rev-parse", "HEAD"]);
            Source::Directory {
                path: dir.to_string_lossy().into_owned(),
                dirty: commit
                    .as_ref()
                    .and_then(|_| git(&["status", "--porcelain", "--", "."]))
                    .map(|changes| !changes.is_empty()),
                commit,
            }
        }
    };
    Ok(Resolved {
        version: version.to_owned(),
        source,
    })
}

/// Builds the copy's rtbench with only the runtime's feature, in rtbench's
/// own profile ([`PROFILE`]), into the
/// shared target directory, and keeps the binary beside the copy
/// (`rtbench-<feature>`). Shows a
/// spinner with the time so far, then how long it took. Why it failed, in
/// one line, when it does not compile.
pub fn compile(copy: &Path, root: &Path, variant: &Variant) -> Result<PathBuf, String> {
    let log = copy.with_file_name("build.log");
    let feature = feature(copy, variant);
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid"));
    spinner.set_message(format!(
        "building {} (cargo, feature {feature})",
        variant.written
    ));
    spinner.enable_steady_tick(Duration::from_millis(200));
    let started = Instant::now();
    let outcome = std::fs::File::create(&log)
        .map_err(|e| e.to_string())
        .and_then(|file| {
            cargo(copy)
                .args(["build", "--bin", "rtbench", "--no-default-features"])
                .args(PROFILE.1)
                .args(["--features", &feature, "--target-dir"])
                .arg(root.join("target"))
                .stdout(Stdio::null())
                .stderr(file)
                .status()
                .map_err(|e| e.to_string())
        });
    spinner.finish_and_clear();
    let took = started.elapsed().as_secs_f64();
    let why = match outcome {
        Ok(status) if status.success() => {
            // One binary per feature: the flavours of one version share the copy.
            let binary = copy.with_file_name(format!("rtbench-{feature}"));
            std::fs::copy(root.join("target").join(PROFILE.0).join("rtbench"), &binary)
                .map_err(|e| format!("cannot keep {}'s binary: {e}", variant.written))?;
            let log_text = std::fs::read_to_string(&log).unwrap_or_default();
            let what = if log_text.contains("Compiling") {
                "built"
            } else {
                "up to date"
            };
            eprintln!(
                "{}: {what} in {took:.1} s ({})",
                variant.written, variant.version
            );
            return Ok(binary);
        }
        Ok(_) => first_error(&std::fs::read_to_string(&log).unwrap_or_default()),
        Err(e) => format!("cannot run cargo: {e}"),
    };
    let line = format!(
        "{} did not build: {why} (log: {}); its cases fail, the others run",
        variant.written,
        log.display()
    );
    eprintln!("{line}");
    Err(line)
}

/// The feature that compiles the runtime in: its own name where the
/// workspace has such a feature (`tokio-per-thread`), else its crate's
/// (`tokio` for `tokio-current-thread`).
fn feature(copy: &Path, variant: &Variant) -> String {
    let manifest = std::fs::read_to_string(copy.join("Cargo.toml")).unwrap_or_default();
    let has = |name: &str| {
        manifest
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("features")?.get(name).map(|_| ()))
            .is_some()
    };
    if has(variant.adapter.name) {
        variant.adapter.name.to_owned()
    } else {
        variant.adapter.krate.to_owned()
    }
}

/// cargo, on the copy's manifest.
fn cargo(copy: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(copy);
    command
}

/// The first line of cargo's output that says what went wrong.
fn first_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    let error = lines.iter().position(|l| l.starts_with("error")).map(|i| {
        // "failed to select a version …" is followed by the requirement.
        let next = lines
            .get(i + 1)
            .filter(|l| !l.is_empty() && !l.starts_with("-->"));
        match next {
            Some(next) if lines[i].ends_with(':') => format!("{} {next}", lines[i]),
            _ => lines[i].to_owned(),
        }
    });
    let line = error.unwrap_or_else(|| lines.last().copied().unwrap_or("no output").to_owned());
    line.strip_prefix("error: ")
        .map_or(line.clone(), str::to_owned)
}
