//! The compact text in which the main client hands a [`Workbook`] to the export worker (a
//! `postMessage` string) — hand-written, so that the client compiles no serde code for it.
//!
//! Every value is a tag letter, the byte length of its text, `:` and the text:
//! `W` workbook name, `S` sheet title, `K` chart (`bar`/`pie`), `C` column (its width then
//! `,` then the header), `R` a row, `T` a total row; a row's cells follow it: `e` empty,
//! `t` text, `n` number, `d` date, `i` 身份证号, `p` basis points.

use domain::Date;
use thiserror::Error;

use crate::table::{Cell, ChartKind, Column, Row, Table, Workbook};

/// Why a text is not a workbook.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("not a report workbook at byte {at}: {what}")]
pub struct WireError {
    pub at: usize,
    pub what: &'static str,
}

fn put(out: &mut String, tag: char, text: &str) {
    out.push(tag);
    out.push_str(&text.len().to_string());
    out.push(':');
    out.push_str(text);
}

/// `workbook` as text.
pub fn encode(workbook: &Workbook) -> String {
    let mut out = String::new();
    put(&mut out, 'W', &workbook.name);
    for sheet in &workbook.sheets {
        put(&mut out, 'S', &sheet.title);
        if let Some(kind) = sheet.chart {
            put(
                &mut out,
                'K',
                match kind {
                    ChartKind::Bar => "bar",
                    ChartKind::Pie => "pie",
                },
            );
        }
        for c in &sheet.columns {
            put(&mut out, 'C', &format!("{},{}", c.width, c.header));
        }
        for row in &sheet.rows {
            put(&mut out, if row.total { 'T' } else { 'R' }, "");
            for cell in &row.cells {
                match cell {
                    Cell::Empty => put(&mut out, 'e', ""),
                    Cell::Text(t) => put(&mut out, 't', t),
                    Cell::Number(n) => put(&mut out, 'n', &n.to_string()),
                    Cell::Date(d) => put(&mut out, 'd', &d.to_string()),
                    Cell::IdNumber(t) => put(&mut out, 'i', t),
                    Cell::Percent(bp) => put(&mut out, 'p', &bp.to_string()),
                }
            }
        }
    }
    out
}

/// The workbook `text` encodes.
pub fn decode(text: &str) -> Result<Workbook, WireError> {
    let mut rest = text;
    let mut at = 0;
    let mut workbook: Option<Workbook> = None;
    while !rest.is_empty() {
        let here = at;
        let err = move |what| WireError { at: here, what };
        let tag = rest.chars().next().ok_or(err("end"))?;
        let colon = rest.find(':').ok_or(err("no length"))?;
        let len: usize = rest[1..colon].parse().map_err(|_| err("bad length"))?;
        let end = colon + 1 + len;
        let value = rest.get(colon + 1..end).ok_or(err("short value"))?;
        rest = &rest[end..];
        at += end;
        if tag == 'W' {
            workbook = Some(Workbook {
                name: value.to_owned(),
                sheets: Vec::new(),
            });
            continue;
        }
        let book = workbook.as_mut().ok_or(err("no workbook"))?;
        if tag == 'S' {
            book.sheets.push(Table {
                title: value.to_owned(),
                columns: Vec::new(),
                rows: Vec::new(),
                chart: None,
            });
            continue;
        }
        let sheet = book.sheets.last_mut().ok_or(err("no sheet"))?;
        match tag {
            'K' => {
                sheet.chart = Some(if value == "pie" {
                    ChartKind::Pie
                } else {
                    ChartKind::Bar
                })
            }
            'C' => {
                let (width, header) = value.split_once(',').ok_or(err("bad column"))?;
                sheet.columns.push(Column {
                    header: header.to_owned(),
                    width: width.parse().map_err(|_| err("bad width"))?,
                });
            }
            'R' | 'T' => sheet.rows.push(Row {
                cells: Vec::new(),
                total: tag == 'T',
            }),
            _ => {
                let row = sheet.rows.last_mut().ok_or(err("cell outside a row"))?;
                row.cells.push(match tag {
                    'e' => Cell::Empty,
                    't' => Cell::Text(value.to_owned()),
                    'n' => Cell::Number(value.parse().map_err(|_| err("bad number"))?),
                    'd' => Cell::Date(Date::parse(value).map_err(|_| err("bad date"))?),
                    'i' => Cell::IdNumber(value.to_owned()),
                    'p' => Cell::Percent(value.parse().map_err(|_| err("bad share"))?),
                    _ => return Err(err("unknown tag")),
                });
            }
        }
    }
    workbook.ok_or(WireError {
        at,
        what: "no workbook",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_round_trips_and_garbage_is_refused() {
        let mut t = Table::new("表:一", &[("姓名,甲", 8), ("数", 6)]);
        t.chart = Some(ChartKind::Pie);
        t.push(vec![
            Cell::text("t5:x"),
            Cell::Number(-12),
            Cell::Date(Date::parse("2020-02-29").unwrap()),
            Cell::IdNumber("11010519491231002X".into()),
            Cell::Percent(1234),
            Cell::Empty,
        ]);
        t.push_total(vec![Cell::text("合计")]);
        let book = Workbook {
            name: "编制台帐".into(),
            sheets: vec![t.clone(), Table::new("二", &[])],
        };
        assert_eq!(decode(&encode(&book)).unwrap(), book);
        for bad in ["", "S1:x", "W1:xR0:t9:ab", "W1:xS1:yR0:q0:", "W1:xS1:yn1:1"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
