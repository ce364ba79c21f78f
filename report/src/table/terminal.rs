//! Tables for the terminal, drawn by comfy-table.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ColumnConstraint, Table, Width};

/// Widest a column gets; longer cells (a failure's reason) wrap inside it.
const MAX_COLUMN: u16 = 28;

use super::{Document, Grid, Row};

/// Warnings, then per grid its title, table, notes and headline, then the
/// document's footer (the context lines once, not under every table).
pub(super) fn render(doc: &Document) -> String {
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
            out += &format!("{}\n", table(grid));
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

fn table(grid: &Grid) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(&grid.header);
    for row in &grid.rows {
        let cells = row.cells(grid.header.len());
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
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(MAX_COLUMN)));
        if grid.numeric.contains(&i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
