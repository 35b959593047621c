//! The .xlsx file of a [`Workbook`] (feature `xlsx`, built in the export worker only): one
//! worksheet per table with Chinese headers, column widths, the header row frozen and repeated
//! on every printed A4 page, dates as dates (`yyyy-mm-dd`), numbers as numbers, 身份证号 as text
//! (never a number in scientific notation), total rows in bold; a table with a chart gets a
//! native Excel chart of its counts beside it.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartType, DocProperties, ExcelDateTime, Format, FormatBorder,
    Workbook as XlsxWorkbook, XlsxError,
};

use crate::table::{Cell, ChartKind, Workbook};

/// A4 in Excel's paper sizes.
const A4: u8 = 9;

/// The bytes of the .xlsx file of `workbook`; `created` (`yyyy-mm-dd`) is the document's date.
pub fn xlsx(workbook: &Workbook, created: domain::Date) -> Result<Vec<u8>, XlsxError> {
    let mut book = XlsxWorkbook::new();
    let date = ExcelDateTime::from_ymd(created.year(), created.month(), created.day())?;
    book.set_properties(
        &DocProperties::new()
            .set_title(workbook.name.as_str())
            .set_creation_datetime(&date),
    );
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2E6E6")
        .set_text_wrap();
    let plain = Format::new().set_border(FormatBorder::Thin);
    let text = plain.clone().set_num_format("@");
    let date_format = plain.clone().set_num_format("yyyy-mm-dd");
    let share = plain.clone().set_num_format("0.00%");
    let mut used: Vec<String> = Vec::new();
    for table in &workbook.sheets {
        let name = sheet_name(&table.title, &used);
        used.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(name.as_str())?;
        sheet.set_paper_size(A4);
        if table.columns.len() > 8 {
            sheet.set_landscape();
        }
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0)?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, column) in table.columns.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, f64::from(column.width) + 2.0)?;
            sheet.write_string_with_format(0, col, column.header.as_str(), &header)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            let bold = |f: &Format| {
                if row.total {
                    f.clone().set_bold()
                } else {
                    f.clone()
                }
            };
            for (col, cell) in row.cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Empty => {
                        sheet.write_blank(r, col, &bold(&plain))?;
                    }
                    Cell::Text(t) => {
                        sheet.write_string_with_format(r, col, t.as_str(), &bold(&plain))?;
                    }
                    Cell::IdNumber(t) => {
                        sheet.write_string_with_format(r, col, t.as_str(), &bold(&text))?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number_with_format(r, col, *n as f64, &bold(&plain))?;
                    }
                    Cell::Percent(bp) => {
                        let value = f64::from(*bp) / 10_000.0;
                        sheet.write_number_with_format(r, col, value, &bold(&share))?;
                    }
                    Cell::Date(d) => {
                        let d = ExcelDateTime::from_ymd(d.year(), d.month(), d.day())?;
                        sheet.write_datetime_with_format(r, col, &d, &bold(&date_format))?;
                    }
                }
            }
        }
        let body = table.body_rows() as u32;
        if let Some(kind) = table.chart.filter(|_| body > 0) {
            let mut chart = Chart::new(match kind {
                ChartKind::Bar => ChartType::Bar,
                ChartKind::Pie => ChartType::Pie,
            });
            let mut labels = ChartDataLabel::new();
            match kind {
                ChartKind::Bar => labels.show_value(),
                ChartKind::Pie => labels.show_percentage(),
            };
            chart
                .add_series()
                .set_name(table.title.as_str())
                .set_categories((name.as_str(), 1, 0, body, 0))
                .set_values((name.as_str(), 1, 1, body, 1))
                .set_data_label(&labels);
            chart.title().set_name(table.title.as_str());
            if kind == ChartKind::Bar {
                chart.legend().set_hidden();
            }
            sheet.insert_chart(1, table.columns.len() as u16 + 1, &chart)?;
        }
    }
    book.save_to_buffer()
}

/// A valid, unused worksheet name from a title: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str, used: &[String]) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(28)
        .collect();
    let mut name = if clean.is_empty() {
        "Sheet".to_owned()
    } else {
        clean
    };
    let mut n = 2;
    while used.iter().any(|u| u == &name) {
        name = format!("{}{n}", name.chars().take(26).collect::<String>());
        n += 1;
    }
    name
}
