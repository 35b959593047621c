//! Reports and the workforce structure analysis (人员结构分析) of a unit or of every unit in a
//! holder's scope, built from the certificates a holder keeps (`domain` types), offline.
//!
//! - [`table`]: what every report is — a titled [`Table`] of typed [`Cell`]s (text, number,
//!   date, 身份证号 as text, percentage), with column widths and total rows.
//! - The four reports: [`ledger::establishment_ledger`] (编制台帐), [`roster::roster`]
//!   (在编人员花名册), [`roster::departures`] (减少人员名册), [`changes::changes`] (人员变动情况).
//! - [`structure`]: the counts per dimension (age bands, gender, education …) and their tables;
//!   [`svg`] draws each as a bar or pie chart (integer coordinates, no floats to format).
//! - [`csv`]: UTF-8 with a BOM, RFC 4180 quoting; [`wire`]: the compact form in which the main
//!   client hands a [`Workbook`] to the export worker; [`xlsx`] (feature `xlsx`): the .xlsx file,
//!   built with rust_xlsxwriter in that worker only, never in the main client.
//!
//! Column headers are part of a report's definition (they go into the files, in Chinese), so
//! they live here in both languages, as `domain` keeps its values' labels.
//!
//! Architecture invariant: no web or I/O dependency; builds for `wasm32-unknown-unknown` and
//! natively.

pub mod changes;
#[cfg(test)]
mod city_tests;
pub mod csv;
pub mod html;
pub mod ledger;
pub mod roster;
pub mod structure;
pub mod svg;
pub mod table;
pub mod wire;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use table::{Cell, Column, Row, Table, Workbook};

/// The language of a report's headers and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Of a text written in both languages, the one in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Sorts `keys` (a sort key and an index each) and returns the indices in that order: every
/// sort of this crate goes through here, one instantiation of the stable sort (the client's
/// size budget).
pub(crate) fn order(mut keys: Vec<(String, usize)>) -> Vec<usize> {
    keys.sort();
    keys.into_iter().map(|(_, i)| i).collect()
}

/// A share as a percentage with one decimal (`12.3%`), from integers only (rounded half up).
pub fn percent(count: u32, total: u32) -> String {
    if total == 0 {
        return "0.0%".to_owned();
    }
    let permille = (u64::from(count) * 1000 * 2 + u64::from(total)) / (u64::from(total) * 2);
    format!("{}.{}%", permille / 10, permille % 10)
}

/// A share in basis points (1/10,000), rounded half up: what a [`Cell::Percent`] holds.
pub fn basis_points(count: u32, total: u32) -> u32 {
    if total == 0 {
        return 0;
    }
    let bp = (u64::from(count) * 10_000 * 2 + u64::from(total)) / (u64::from(total) * 2);
    u32::try_from(bp).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_order() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(0, 0), "0.0%");
        assert_eq!(percent(5, 5), "100.0%");
        assert_eq!(basis_points(1, 3), 3333);
        assert_eq!(basis_points(1, 8), 1250);
        assert_eq!(
            order(vec![("b".into(), 0), ("a".into(), 1), ("b".into(), 2)]),
            vec![1, 0, 2]
        );
    }
}
