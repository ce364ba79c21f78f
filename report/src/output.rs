//! Writing a report or a comparison into a directory: Markdown, SVGs and an
//! HTML page that shows them all; for several hosts, a directory per host
//! and one page over them.

use std::path::{Path, PathBuf};

use maud::html;

use crate::chart::{self, Chart};
use crate::compare::Comparison;
use crate::hosts::HostResults;
use crate::page;
use crate::profile;
use crate::results::ResultsFile;
use crate::scaling;
use crate::table;

/// Writes the report of `results` into `dir`, creating it if needed:
/// `table.md`, per workload its charts (`<workload>-time.svg`,
/// `-throughput.svg`, …, `-latency.svg`: see [`chart::results_charts`]), and `index.html`,
/// which shows the tables and every chart. A file with a sweep also gets
/// `scaling-<workload>-<parameter>-<figure>.svg` line charts, the derived
/// figures at the end of `table.md`, and a "Scaling" section in the page.
/// Returns the paths written, in that order; an error is one line naming the
/// path that failed.
pub fn write_report(results: &ResultsFile, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let charts = chart::results_charts(results)?;
    write_report_with(results, &charts, dir)
}

/// Writes the report of several hosts into `dir`: each host's own report
/// (as [`write_report`]) in `dir/<host slug>/`, then in `dir` the
/// cross-host charts `hosts-<workload>-<figure>.svg`, `table.md` with a
/// section per host, and `index.html` showing the cross-host charts and
/// every host's tables and charts apart. Returns the paths written.
pub fn write_hosts_report(hosts: &[HostResults], dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    let mut sections = Vec::new();
    for host in hosts {
        let results = &host.merged.results;
        let charts = chart::results_charts(results)?;
        written.extend(write_report_with(results, &charts, &dir.join(&host.slug))?);
        sections.push((host, table::results_document(results), charts));
    }
    let across = chart::hosts_charts(hosts)?;
    let page = page::hosts(&sections, &across);
    written.extend(write_files(
        dir,
        across.into_iter().map(|c| (c.file_name, c.svg)).chain([
            ("table.md".to_string(), hosts_markdown(hosts)),
            ("index.html".to_string(), page),
        ]),
    )?);
    Ok(written)
}

/// Writes `comparison` into `dir`, creating it if needed: `compare.md`,
/// `compare-<workload>.svg` per workload with a case in both files, and
/// `compare.html` showing them (a different name from the report's
/// `index.html`, so both can share a directory). Returns the paths written.
pub fn write_comparison(comparison: &Comparison, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let charts = chart::comparison_charts(comparison)?;
    let profiles = profile::pairs(comparison, true);
    let page = page::document_with(
        &table::comparison_document(comparison),
        &charts,
        |grid, chart| chart.file_name == format!("compare-{}.svg", grid.workload),
        profile::section("profiles", "Where the instructions changed", &profiles),
    );
    write_files(
        dir,
        [(
            "compare.md".to_string(),
            with_profiles(table::comparison_markdown(comparison), &profiles),
        )]
        .into_iter()
        .chain(charts.into_iter().map(|c| (c.file_name, c.svg)))
        .chain(
            profiles
                .drawn()
                .map(|c| (c.file_name.clone(), c.svg.clone())),
        )
        .chain([("compare.html".to_string(), page)]),
    )
}

/// [`write_report`] with its charts already drawn.
fn write_report_with(
    results: &ResultsFile,
    charts: &[Chart],
    dir: &Path,
) -> Result<Vec<PathBuf>, String> {
    let scaling_charts = chart::scaling_charts(results)?;
    let profiles = profile::cases(results, profile::TOP, true);
    let page = page::document_with(
        &table::results_document(results),
        charts,
        page::shows_workload,
        html! {
            (page::scaling(results, &scaling_charts))
            (profile::section("profiles", "Profiles", &profiles))
        },
    );
    let mut markdown = table::markdown(results);
    let derived = scaling::markdown(results);
    if !derived.is_empty() {
        markdown = format!("{markdown}\n{derived}");
    }
    let markdown = with_profiles(markdown, &profiles);
    write_files(
        dir,
        [("table.md".to_string(), markdown)]
            .into_iter()
            .chain(charts.iter().map(|c| (c.file_name.clone(), c.svg.clone())))
            .chain(scaling_charts.into_iter().map(|c| (c.file_name, c.svg)))
            .chain(
                profiles
                    .drawn()
                    .map(|c| (c.file_name.clone(), c.svg.clone())),
            )
            .chain([("index.html".to_string(), page)]),
    )
}

/// `markdown` followed by the profiles' tables, when there are any.
fn with_profiles(markdown: String, profiles: &profile::Views) -> String {
    if profiles.is_empty() {
        return markdown;
    }
    format!("{markdown}\n{}", table::render_markdown(&profiles.doc))
}

/// `table.md` of several hosts: per host a `##` section holding its own
/// tables, their headings one level down.
fn hosts_markdown(hosts: &[HostResults]) -> String {
    let mut out = format!("# rtbench on {} hosts\n", hosts.len());
    for host in hosts {
        out += &format!("\n## {}\n\n", host.label);
        let own = table::markdown(&host.merged.results);
        for line in own
            .lines()
            .skip_while(|l| l.starts_with("# ") || l.is_empty())
        {
            if line.starts_with('#') {
                out.push('#');
            }
            out += line;
            out.push('\n');
        }
    }
    out
}

fn write_files(
    dir: &Path,
    files: impl Iterator<Item = (String, String)>,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "cannot create output directory {}: {e}; choose a writable directory",
            dir.display()
        )
    })?;
    files
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text)
                .map(|()| path.clone())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))
        })
        .collect()
}
