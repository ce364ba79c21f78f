//! Tables for the terminal, drawn by comfy-table.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

/// Widest a column gets; longer cells (a failure's reason) wrap inside it.
const MAX_COLUMN: u16 = 28;

/// Into how many tables a grid too wide for the terminal is split at most
/// (a counts run's fourteen columns may need three).
const MAX_PARTS: usize = 3;

use super::{Document, Grid, Row};

/// Warnings, then per grid its title, table, notes and headline, then the
/// document's footer (the context lines once, not under every table).
/// Tables are fitted into `width` columns when given, else into the
/// terminal when there is one.
pub(super) fn render(doc: &Document, width: Option<u16>) -> String {
    let mut out = String::new();
    for line in &doc.preface {
        out += &format!("{line}\n");
    }
    if !doc.preface.is_empty() {
        out.push('\n');
    }
    for grid in &doc.grids {
        out += &format!("{}\n", grid.title);
        if !grid.rows.is_empty() {
            out += &format!("{}\n", tables(grid, width));
        }
        for note in &grid.notes {
            out += &format!("note: {note}\n");
        }
        out += &format!("{}\n\n", grid.last_line);
    }
    for line in &doc.footer {
        out += &format!("{line}\n");
    }
    out
}

/// The width to fit tables into: `COLUMNS` when set, else the terminal's
/// (comfy-table asks it); none when output goes to a file or pipe.
pub(super) fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .or_else(|| Table::new().width())
}

/// The grid as one table when it fits `width`; otherwise as two or more
/// (as few as fit, at most [`MAX_PARTS`]), the runtime column in each and
/// the others shared between them in order, each wrapping its cells if it
/// still does not fit. Nothing is cut.
fn tables(grid: &Grid, width: Option<u16>) -> String {
    let all: Vec<usize> = (0..grid.header.len()).collect();
    let whole = table(grid, &all, None).to_string();
    let widest = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let Some(width) = width.filter(|w| widest(&whole) > usize::from(*w) && all.len() > 2) else {
        return whole;
    };
    let parts = |k: usize| -> Vec<Vec<usize>> {
        let chunk = (all.len() - 1).div_ceil(k);
        (all[1..].chunks(chunk))
            .map(|c| std::iter::once(0).chain(c.iter().copied()).collect())
            .collect()
    };
    let fits =
        |part: &Vec<usize>| widest(&table(grid, part, None).to_string()) <= usize::from(width);
    let k = (2..=MAX_PARTS.min(all.len() - 1))
        .find(|k| parts(*k).iter().all(fits))
        // None fits: about four columns a part, each wrapped.
        .unwrap_or_else(|| (all.len() - 1).div_ceil(4).clamp(2, MAX_PARTS));
    (parts(k).iter())
        .map(|part| table(grid, part, Some(width)).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `columns` of a grid as a comfy-table table, numbers right-aligned,
/// wrapped into `width` when given.
fn table(grid: &Grid, columns: &[usize], width: Option<u16>) -> Table {
    let pick =
        |cells: &[String]| -> Vec<String> { columns.iter().map(|&i| cells[i].clone()).collect() };
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(pick(&grid.header));
    if let Some(width) = width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
    }
    for row in &grid.rows {
        let cells = pick(&row.cells(grid.header.len()));
        match row {
            Row::Cells(_) => table.add_row(cells),
            // Words, not numbers: keep them left-aligned.
            Row::Failed { .. } => table.add_row(
                cells
                    .iter()
                    .map(|c| Cell::new(c).set_alignment(CellAlignment::Left)),
            ),
        };
    }
    for (column, &i) in table.column_iter_mut().zip(columns) {
        // The runtime's name is never broken; other columns wrap at spaces.
        column.set_constraint(match i {
            0 => ColumnConstraint::ContentWidth,
            _ => ColumnConstraint::UpperBoundary(Width::Fixed(MAX_COLUMN)),
        });
        if grid.numeric.contains(&i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
