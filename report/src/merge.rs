//! Several results files as one, for `rtbench report FILE...`: their cases
//! side by side in one table per workload.

use std::path::PathBuf;

use crate::results::{Host, ResultsFile, VERSION};

/// Results files merged into one, with what the reader should know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// Every case of every file, in file order.
    pub results: ResultsFile,
    /// One line each: hosts that differ, cases present in more than one file.
    pub warnings: Vec<String>,
}

/// Reads every file in `paths` and merges them; the first unreadable file
/// stops it with that file's one-line error.
pub fn read_merged(paths: &[PathBuf]) -> Result<Merged, String> {
    let files = paths
        .iter()
        .map(|p| ResultsFile::read(p).map(|r| (p.clone(), r)))
        .collect::<Result<Vec<_>, _>>()?;
    merge(&files)
}

/// Merges `files` (each with the path it came from, for warnings) into one.
/// Cases are concatenated in order; a host field that differs between files
/// lists every value (`AMD EPYC / Intel Xeon`) and gets a warning; a case
/// found in several files is kept each time, labelled apart in the tables.
pub fn merge(files: &[(PathBuf, ResultsFile)]) -> Result<Merged, String> {
    let Some((first_path, first)) = files.first() else {
        return Err("no results file to report on; name at least one results.json".into());
    };
    let mut warnings = Vec::new();
    let join = |pick: &dyn Fn(&Host) -> &str| {
        let mut values: Vec<&str> = Vec::new();
        for (_, file) in files {
            let v = pick(&file.host);
            if !values.contains(&v) {
                values.push(v);
            }
        }
        values.join(" / ")
    };
    for (path, file) in &files[1..] {
        if file.host != first.host {
            warnings.push(format!(
                "{} ran on another host or toolchain than {} ({}, {} cores, {}): its numbers may not compare",
                path.display(),
                first_path.display(),
                file.host.cpu_model,
                file.host.cores,
                file.host.rustc
            ));
        }
    }
    let mut created: Vec<&str> = Vec::new();
    for (_, file) in files {
        if !created.contains(&file.created.as_str()) {
            created.push(&file.created);
        }
    }
    let mut cases = Vec::new();
    for (i, (path, file)) in files.iter().enumerate() {
        for case in &file.cases {
            let twin = files[..i].iter().find(|(_, earlier)| {
                earlier.cases.iter().any(|c| {
                    (c.workload, &c.runtime, &c.flavor, &c.params, c.threads)
                        == (
                            case.workload,
                            &case.runtime,
                            &case.flavor,
                            &case.params,
                            case.threads,
                        )
                })
            });
            if let Some((earlier, _)) = twin {
                warnings.push(format!(
                    "{} {} is in both {} and {} with the same parameters: both are shown; \
                     `rtbench compare` shows the change between them",
                    case.runtime,
                    case.workload,
                    earlier.display(),
                    path.display()
                ));
            }
            cases.push(case.clone());
        }
    }
    Ok(Merged {
        results: ResultsFile {
            version: match files {
                [(_, only)] => only.version,
                _ => VERSION,
            },
            created: created.join(", "),
            // Rounds of different files were not measured side by side.
            order: match files {
                [(_, only)] => only.order,
                _ => None,
            },
            // Files measured differently keep no common measure or tools.
            measure: first
                .measure
                .filter(|m| files.iter().all(|(_, f)| f.measure == Some(*m))),
            tools: first
                .tools
                .clone()
                .filter(|t| files.iter().all(|(_, f)| f.tools.as_ref() == Some(t))),
            host: Host {
                cpu_model: join(&|h| &h.cpu_model),
                cores: first.host.cores,
                kernel: join(&|h| &h.kernel),
                rustc: join(&|h| &h.rustc),
                arch: first.host.arch.clone(),
            },
            cases,
        },
        warnings,
    })
}
