//! CSV as Excel and WPS open it in Chinese: UTF-8 with a byte-order mark, CRLF line ends,
//! RFC 4180 quoting (a field with a comma, a quote or a line break is quoted, its quotes
//! doubled). A workbook of several tables writes each under its title, a blank line between.

use crate::table::{Table, Workbook};

/// The UTF-8 byte-order mark every file starts with.
pub const BOM: char = '\u{feff}';

/// The CSV text of `workbook` (starting with [`BOM`]).
pub fn workbook_csv(workbook: &Workbook) -> String {
    let mut out = String::new();
    out.push(BOM);
    let titled = workbook.sheets.len() > 1;
    for (i, table) in workbook.sheets.iter().enumerate() {
        if i > 0 {
            out.push_str("\r\n");
        }
        if titled {
            field(&mut out, &table.title);
            out.push_str("\r\n");
        }
        write_table(&mut out, table);
    }
    out
}

fn write_table(out: &mut String, table: &Table) {
    line(out, table.columns.iter().map(|c| c.header.clone()));
    for row in &table.rows {
        line(out, row.cells.iter().map(|c| c.plain()));
    }
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, &f);
    }
    out.push_str("\r\n");
}

/// One field, quoted when it must be.
fn field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Cell;
    use domain::Date;

    #[test]
    fn bom_quoting_and_types() {
        let mut table = Table::new("花名册", &[("姓名", 8), ("身份证号", 20), ("日期", 10)]);
        table.push(vec![
            Cell::text("张\"三\",甲"),
            Cell::IdNumber("11010519491231002X".into()),
            Cell::Date(Date::parse("2020-01-02").unwrap()),
        ]);
        table.push_total(vec![Cell::text("合计"), Cell::Empty, Cell::Number(1)]);
        let csv = workbook_csv(&Workbook {
            name: "x".into(),
            sheets: vec![table],
        });
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(
            &csv[3..],
            "姓名,身份证号,日期\r\n\"张\"\"三\"\",甲\",11010519491231002X,2020-01-02\r\n合计,,1\r\n"
        );
    }
}
