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
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn table(grid: &Grid) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let rule: Vec<String> = (0..grid.header.len())
        .map(|i| {
            if grid.numeric.contains(&i) {
                "---:".to_string()
            } else {
                "---".to_string()
            }
        })
        .collect();
    let mut out = line(&grid.header);
    out += &format!("|{}|\n", rule.join("|"));
    for row in &grid.rows {
        out += &line(&row.cells(grid.header.len()));
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
