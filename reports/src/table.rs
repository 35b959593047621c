//! A report as a table: titled, with columns (header, width) and rows of typed cells, some of
//! them totals; a [`Workbook`] is what one export holds (one table per sheet).

use domain::Date;

/// One cell, typed so that every writer renders it right: a number stays a number, a date a
/// date, and a 身份证号 text (never a number in scientific notation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(i64),
    Date(Date),
    /// A 身份证号: text in every file; shown masked on screen.
    IdNumber(String),
    /// A share in basis points (1/10,000): `1234` is 12.34 %.
    Percent(u32),
}

impl Cell {
    /// Text, or [`Cell::Empty`] for an empty string.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// A date, or [`Cell::Empty`].
    pub fn date(date: Option<Date>) -> Cell {
        date.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as plain text (CSV, the screen): dates `yyyy-mm-dd`, percentages with two
    /// decimals, the 身份证号 whole.
    pub fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) | Cell::IdNumber(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Percent(bp) => format!("{}.{:02}%", bp / 100, bp % 100),
        }
    }
}

/// A column: its header and its width in characters (for the .xlsx and print).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub width: u8,
}

/// A row of cells; a total row (合计, 小计) is set apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub total: bool,
}

/// How a table's counts are drawn as a native chart in the .xlsx (the structure analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Pie,
}

/// A report's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name and the report's title.
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// A chart of the first column's labels and the second column's counts, over the rows
    /// that are not totals.
    pub chart: Option<ChartKind>,
}

impl Table {
    /// An empty table with `columns` given as (header, width).
    pub fn new(title: impl Into<String>, columns: &[(&str, u8)]) -> Table {
        Table {
            title: title.into(),
            columns: columns
                .iter()
                .map(|(header, width)| Column {
                    header: (*header).to_owned(),
                    width: *width,
                })
                .collect(),
            rows: Vec::new(),
            chart: None,
        }
    }

    /// Adds a row.
    pub fn push(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row {
            cells,
            total: false,
        });
    }

    /// Adds a total row.
    pub fn push_total(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row { cells, total: true });
    }

    /// The rows that are not totals.
    pub fn body_rows(&self) -> usize {
        self.rows.iter().filter(|r| !r.total).count()
    }
}

/// What one export holds: one table per sheet, and the file's name (without extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workbook {
    pub name: String,
    pub sheets: Vec<Table>,
}
