//! Tables for the terminal, drawn by comfy-table.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

/// Widest a column gets; longer cells (a failure's reason) wrap inside it.
const MAX_COLUMN: u16 = 28;

use super::{Document, Grid, Row, Small};

/// Warnings, then per grid its title, table, notes and headline, then the
/// document's footer (the context lines once, not under every table).
/// Tables are fitted into `width` columns when given, else into the
/// terminal when there is one; so are the lines around them, wrapped at
/// spaces.
pub(super) fn render(doc: &Document, width: Option<u16>) -> String {
    let mut out = String::new();
    for line in &doc.preface {
        out += &wrapped(line, "", width);
    }
    if !doc.preface.is_empty() {
        out.push('\n');
    }
    for grid in &doc.grids {
        out += &wrapped(&grid.title, "", width);
        if !grid.rows.is_empty() {
            out += &format!("{}\n", tables(&Cells::of(grid), width));
        }
        for note in &grid.notes {
            out += &wrapped(note, "note: ", width);
        }
        out += &wrapped(&grid.last_line, "", width);
        if let Some(points) = &grid.points {
            out += &format!("{}\n", small(points, width));
        }
        out.push('\n');
    }
    for line in &doc.footer {
        out += &wrapped(line, "", width);
    }
    out
}

/// `line` after `lead`, wrapped at spaces into `width` when given, each
/// further line indented under the first's text; ends with a newline.
fn wrapped(line: &str, lead: &str, width: Option<u16>) -> String {
    let whole = format!("{lead}{line}");
    let Some(width) = width else {
        return whole + "\n";
    };
    let indent = if lead.is_empty() { "  " } else { "      " };
    let options = textwrap::Options::new(usize::from(width)).subsequent_indent(indent);
    textwrap::fill(&whole, options) + "\n"
}

/// A small table of words, fitted into `width` as the others are.
pub(super) fn small(table: &Small, width: Option<u16>) -> String {
    let rows: Vec<Row> = table.rows.iter().cloned().map(Row::Cells).collect();
    let cells = Cells {
        header: &table.header,
        rows: &rows,
        numeric: 0..0,
        cap: None,
        keys: 1,
    };
    tables(&cells, width)
}

/// The width to fit tables into: `COLUMNS` when set, else the terminal's
/// (comfy-table asks it); none when output goes to a file or pipe.
pub(super) fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .or_else(|| Table::new().width())
}

/// What a terminal table is drawn from: a [`Grid`]'s or any header and rows.
pub(super) struct Cells<'a> {
    /// Column headers.
    pub header: &'a [String],
    /// The rows, top to bottom.
    pub rows: &'a [Row],
    /// Columns that hold numbers, right-aligned.
    pub numeric: std::ops::Range<usize>,
    /// The widest a column other than the first gets, if capped.
    pub cap: Option<u16>,
    /// How many leading columns name a row, repeated in each part of a split.
    pub keys: usize,
}

impl<'a> Cells<'a> {
    fn of(grid: &'a Grid) -> Self {
        Cells {
            header: &grid.header,
            rows: &grid.rows,
            numeric: grid.numeric.clone(),
            cap: Some(MAX_COLUMN),
            keys: grid.keys,
        }
    }
}

/// The cells as one table when it fits `width`; otherwise as several, the
/// key columns (the runtime) in each and the others in order, as many in
/// each as fit unwrapped; a column too wide even alone with the keys wraps
/// its cells. Nothing is cut.
pub(super) fn tables(cells: &Cells, width: Option<u16>) -> String {
    let all: Vec<usize> = (0..cells.header.len()).collect();
    let Some(width) = width.filter(|&w| drawn_width(cells, &all) > usize::from(w)) else {
        return table(cells, &all, None).to_string();
    };
    let keys = &all[..cells.keys.min(all.len())];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in &all[keys.len()..] {
        match groups.last_mut() {
            Some(group)
                if drawn_width(cells, &[&group[..], &[i]].concat()) <= usize::from(width) =>
            {
                group.push(i)
            }
            _ => groups.push([keys, &[i]].concat()),
        }
    }
    if groups.is_empty() {
        groups.push(keys.to_vec());
    }
    let drawn: Vec<String> = groups
        .iter()
        .map(|group| table(cells, group, Some(width)).to_string())
        .collect();
    drawn.join("\n")
}

/// How many columns the table of `columns` takes drawn unwrapped.
fn drawn_width(cells: &Cells, columns: &[usize]) -> usize {
    let drawn = table(cells, columns, None).to_string();
    drawn.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The `columns` of the cells as a comfy-table table, numbers right-aligned,
/// wrapped into `width` when given.
fn table(cells: &Cells, columns: &[usize], width: Option<u16>) -> Table {
    let pick =
        |row: &[String]| -> Vec<String> { columns.iter().map(|&i| row[i].clone()).collect() };
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(pick(cells.header));
    if let Some(width) = width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
    }
    for row in cells.rows {
        let picked = pick(&row.cells(cells.header.len()));
        match row {
            Row::Cells(_) => table.add_row(picked),
            // Words, not numbers: keep them left-aligned.
            Row::Failed { .. } => table.add_row(
                picked
                    .iter()
                    .map(|c| Cell::new(c).set_alignment(CellAlignment::Left)),
            ),
        };
    }
    for (column, &i) in table.column_iter_mut().zip(columns) {
        // The first column (a runtime's name) is never broken; the others
        // wrap at spaces.
        match (i, cells.cap) {
            (0, _) => column.set_constraint(ColumnConstraint::ContentWidth),
            (_, Some(cap)) => {
                column.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(cap)))
            }
            (_, None) => column,
        };
        if cells.numeric.contains(&i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
