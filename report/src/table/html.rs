//! Tables as HTML, for `index.html`.

use super::{Grid, Row};

/// A grid as an HTML fragment: heading, table, notes and context, headline.
pub(crate) fn grid(grid: &Grid) -> String {
    let mut out = format!(
        "<h2 id=\"{}\">{}</h2>\n",
        grid.workload,
        escape(&grid.title)
    );
    if !grid.rows.is_empty() {
        out += "<div class=\"scroll\"><table>\n<thead><tr>";
        for (i, h) in grid.header.iter().enumerate() {
            out += &format!("<th{}>{}</th>", align(grid, i), escape(h));
        }
        out += "</tr></thead>\n<tbody>\n";
        for row in &grid.rows {
            out += "<tr>";
            match row {
                Row::Cells(cells) => {
                    for (i, cell) in cells.iter().enumerate() {
                        out += &format!("<td{}>{}</td>", align(grid, i), escape(cell));
                    }
                }
                Row::Failed { lead, message } => {
                    for cell in lead {
                        out += &format!("<td>{}</td>", escape(cell));
                    }
                    out += &format!(
                        "<td class=\"failed\" colspan=\"{}\">{}</td>",
                        grid.header.len() - lead.len(),
                        escape(message)
                    );
                }
            }
            out += "</tr>\n";
        }
        out += "</tbody>\n</table></div>\n";
    }
    out += "<ul>\n";
    for line in grid.notes.iter().chain(&grid.context) {
        out += &format!("<li>{}</li>\n", escape(line));
    }
    out += &format!(
        "</ul>\n<p><strong>{}</strong></p>\n",
        escape(&grid.last_line)
    );
    out
}

fn align(grid: &Grid, column: usize) -> &'static str {
    if grid.numeric.contains(&column) {
        " class=\"num\""
    } else {
        ""
    }
}

/// Text made safe for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
