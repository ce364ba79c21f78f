//! Tables as GitHub-flavoured Markdown: plain rows, no padding.

use super::{Document, Grid};

/// `# title`, warnings as a quote, then per grid a `##` heading, the table,
/// its notes and context as a list, and its headline in bold.
pub(super) fn render(doc: &Document) -> String {
    let mut out = format!("# {}\n\n", doc.title);
    for line in &doc.preface {
        out += &format!("> {}\n>\n", escape(line));
    }
    if !doc.preface.is_empty() {
        out.truncate(out.len() - 2);
        out.push('\n');
    }
    for grid in &doc.grids {
        out += &format!("## {}\n\n", escape(&grid.title));
        if !grid.rows.is_empty() {
            out += &table(grid);
            out.push('\n');
        }
        for line in grid.notes.iter().chain(&grid.context) {
            out += &format!("- {}\n", escape(line));
        }
        out += &format!("\n**{}**\n\n", escape(&grid.last_line));
        if let Some(points) = &grid.points {
            out += &rows(&points.header, &points.rows, 0..0);
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn table(grid: &Grid) -> String {
    let cells: Vec<Vec<String>> = (grid.rows.iter())
        .map(|row| row.cells(grid.header.len()))
        .collect();
    rows(&grid.header, &cells, grid.numeric.clone())
}

/// A Markdown table of `header` and `cells`, the `numeric` columns
/// right-aligned.
fn rows(header: &[String], cells: &[Vec<String>], numeric: std::ops::Range<usize>) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let rule: Vec<&str> = (0..header.len())
        .map(|i| if numeric.contains(&i) { "---:" } else { "---" })
        .collect();
    let mut out = line(header);
    out += &format!("|{}|\n", rule.join("|"));
    for row in cells {
        out += &line(row);
    }
    out
}

/// Keeps a cell's text from breaking the table or turning into markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
