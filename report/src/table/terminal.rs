//! Tables for the terminal, drawn by comfy-table.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

/// Widest a column gets; longer cells (a failure's reason) wrap inside it.
const MAX_COLUMN: u16 = 28;

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

/// The grid as one table when it fits `width`; otherwise as two, the
/// runtime column in both and the others shared between them, each
/// wrapping its cells if it still does not fit. Nothing is cut.
fn tables(grid: &Grid, width: Option<u16>) -> String {
    let all: Vec<usize> = (0..grid.header.len()).collect();
    let whole = table(grid, &all, None).to_string();
    let widest = whole.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    match width {
        Some(width) if widest > usize::from(width) && all.len() > 2 => {
            let middle = 1 + all.len() / 2;
            let right: Vec<usize> = std::iter::once(0).chain(middle..all.len()).collect();
            format!(
                "{}\n{}",
                table(grid, &all[..middle], Some(width)),
                table(grid, &right, Some(width))
            )
        }
        _ => whole,
    }
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
