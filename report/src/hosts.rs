//! Results of several machines, kept apart: files are grouped by the host
//! they ran on, each group merged on its own, so no figure is ever taken over
//! runs of two hosts.

use std::path::PathBuf;

use crate::merge::{Merged, merge};
use crate::results::{Host, ResultsFile};

/// Every file that ran on one host, merged, with the names the report gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct HostResults {
    /// CPU model and cores, e.g. `AMD EPYC 7763, 4 cores`, with the
    /// architecture or kernel added where two hosts would read the same.
    pub label: String,
    /// The label as a directory name, e.g. `amd-epyc-7763-4-cores`.
    pub slug: String,
    /// The host's files merged, with their warnings.
    pub merged: Merged,
}

/// Reads every file in `paths` and groups them by host; the first
/// unreadable file stops it with that file's one-line error.
pub fn read_by_host(paths: &[PathBuf]) -> Result<Vec<HostResults>, String> {
    let files = paths
        .iter()
        .map(|p| ResultsFile::read(p).map(|r| (p.clone(), r)))
        .collect::<Result<Vec<_>, _>>()?;
    by_host(files)
}

/// Groups `files` by machine (CPU model, cores, architecture), in the order
/// hosts first appear, and merges each group. Files of one machine under
/// another kernel or toolchain stay one host, their cases side by side; the
/// merge warns about them.
pub fn by_host(files: Vec<(PathBuf, ResultsFile)>) -> Result<Vec<HostResults>, String> {
    let mut groups: Vec<Vec<(PathBuf, ResultsFile)>> = Vec::new();
    for file in files {
        match groups
            .iter_mut()
            .find(|g| same_machine(&g[0].1.host, &file.1.host))
        {
            Some(group) => group.push(file),
            None => groups.push(vec![file]),
        }
    }
    let hosts: Vec<&Host> = groups.iter().map(|g| &g[0].1.host).collect();
    let labels = labels(&hosts);
    let mut slugs: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (group, label) in groups.iter().zip(labels) {
        let mut slug = slug(&label);
        if slugs.contains(&slug) {
            slug = format!("{slug}-{}", slugs.len() + 1);
        }
        slugs.push(slug.clone());
        out.push(HostResults {
            label,
            slug,
            merged: merge(group)?,
        });
    }
    if out.is_empty() {
        return Err("no results file to report on; name at least one results.json".into());
    }
    Ok(out)
}

fn same_machine(a: &Host, b: &Host) -> bool {
    (&a.cpu_model, a.cores, &a.arch) == (&b.cpu_model, b.cores, &b.arch)
}

/// `<CPU model>, <n> cores` per host, the model shortened; where two read
/// the same, the architecture is added, then the model in full.
fn labels(hosts: &[&Host]) -> Vec<String> {
    let short = |h: &Host| format!("{}, {} cores", short_cpu(&h.cpu_model), h.cores);
    let with_arch = |h: &Host| match &h.arch {
        Some(arch) => format!("{}, {arch}", short(h)),
        None => short(h),
    };
    let in_full = |h: &Host| {
        let arch = h.arch.as_deref().unwrap_or("unknown arch");
        format!("{}, {} cores, {arch}", h.cpu_model, h.cores)
    };
    let unique = |label: &dyn Fn(&Host) -> String, host: &Host| {
        hosts.iter().filter(|h| label(h) == label(host)).count() == 1
    };
    hosts
        .iter()
        .map(|h| {
            if unique(&short, h) {
                short(h)
            } else if unique(&with_arch, h) {
                with_arch(h)
            } else {
                in_full(h)
            }
        })
        .collect()
}

/// A CPU model without the words that make it long and say nothing here:
/// `Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz` → `Intel Xeon Platinum
/// 8370C`, `AMD EPYC 7763 64-Core Processor` → `AMD EPYC 7763`.
pub fn short_cpu(model: &str) -> String {
    let model = model.split(" @ ").next().unwrap_or(model);
    let model = model
        .replace("(R)", "")
        .replace("(TM)", "")
        .replace("(tm)", "");
    let words: Vec<&str> = model
        .split_whitespace()
        .filter(|w| !matches!(*w, "CPU" | "Processor") && !w.ends_with("-Core"))
        .collect();
    if words.is_empty() {
        model.trim().to_owned()
    } else {
        words.join(" ")
    }
}

/// `label` as a directory name: lower case, every run of other characters
/// than letters and digits one `-`.
fn slug(label: &str) -> String {
    let mut slug = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_models_shorten_to_what_tells_them_apart() {
        assert_eq!(
            short_cpu("Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz"),
            "Intel Xeon Platinum 8370C"
        );
        assert_eq!(
            short_cpu("AMD EPYC 7763 64-Core Processor"),
            "AMD EPYC 7763"
        );
        assert_eq!(short_cpu("Neoverse-N2"), "Neoverse-N2");
        assert_eq!(slug("AMD EPYC 7763, 4 cores"), "amd-epyc-7763-4-cores");
    }
}
