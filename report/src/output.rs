//! Writing a report or a comparison into a directory: Markdown, SVGs and an
//! HTML page that shows them all.

use std::path::{Path, PathBuf};

use crate::chart::{self, Chart};
use crate::compare::Comparison;
use crate::results::ResultsFile;
use crate::scaling;
use crate::table::{self, Document, html};

/// Writes the report of `results` into `dir`, creating it if needed:
/// `table.md`, per workload `<workload>-time.svg`, `-throughput.svg`,
/// `-overhead.svg`, `-memory.svg` and `-latency.svg`, and `index.html`,
/// which shows the tables and every chart. A file with a sweep also gets
/// `scaling-<workload>-<parameter>-<figure>.svg` line charts, the derived
/// figures at the end of `table.md`, and a "Scaling" section in the page.
/// Returns the paths written, in that order; an error is one line naming the
/// path that failed.
pub fn write_report(results: &ResultsFile, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let charts = chart::results_charts(results)?;
    let scaling_charts = chart::scaling_charts(results)?;
    let mut page = page(&table::results_document(results), &charts, |grid, chart| {
        chart.file_name.starts_with(&format!("{}-", grid.workload))
    });
    let section = scaling::html_section(results, &scaling_charts);
    page = page.replacen("</body>", &format!("{section}</body>"), 1);
    let mut markdown = table::markdown(results);
    let derived = scaling::markdown(results);
    if !derived.is_empty() {
        markdown = format!(
            "{markdown}
{derived}"
        );
    }
    write_files(
        dir,
        [("table.md".to_string(), markdown)]
            .into_iter()
            .chain(charts.into_iter().map(|c| (c.file_name, c.svg)))
            .chain(scaling_charts.into_iter().map(|c| (c.file_name, c.svg)))
            .chain([("index.html".to_string(), page)]),
    )
}

/// Writes `comparison` into `dir`, creating it if needed: `compare.md`,
/// `compare-<workload>.svg` per workload with a case in both files, and
/// `compare.html` showing them (a different name from the report's
/// `index.html`, so both can share a directory). Returns the paths written.
pub fn write_comparison(comparison: &Comparison, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let charts = chart::comparison_charts(comparison)?;
    let page = page(
        &table::comparison_document(comparison),
        &charts,
        |grid, chart| chart.file_name == format!("compare-{}.svg", grid.workload),
    );
    write_files(
        dir,
        [(
            "compare.md".to_string(),
            table::comparison_markdown(comparison),
        )]
        .into_iter()
        .chain(charts.into_iter().map(|c| (c.file_name, c.svg)))
        .chain([("compare.html".to_string(), page)]),
    )
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

/// One HTML page: each table followed by the charts of its workload, which
/// are referenced by file name so the SVGs stay the single copy.
fn page(
    doc: &Document,
    charts: &[Chart],
    belongs: impl Fn(&table::Grid, &Chart) -> bool,
) -> String {
    let mut body = String::new();
    for line in &doc.preface {
        body += &format!("<p class=\"warn\">{}</p>\n", html::escape(line));
    }
    for grid in &doc.grids {
        body += "<section>\n";
        body += &html::grid(grid);
        for chart in charts.iter().filter(|c| belongs(grid, c)) {
            body += &format!(
                "<figure><img src=\"{}\" alt=\"{}\"></figure>\n",
                html::escape(&chart.file_name),
                html::escape(&chart.title)
            );
        }
        body += "</section>\n";
    }
    for line in &doc.footer {
        body += &format!("<p class=\"foot\">{}</p>\n", html::escape(line));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n{body}</body>\n</html>\n",
        title = html::escape(&doc.title)
    )
}

/// The page's look: readable tables, charts at their natural width.
const STYLE: &str = "body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; \
padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.failed { color: #b3261e; }
.scroll { overflow-x: auto; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
.warn { color: #b3261e; }
.foot { color: #666; }
";
