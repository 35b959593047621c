//! 编制台帐 of a unit or a scope: one row per unit and establishment category (核定数, 实有数,
//! 已核准未使用, 空编数, 超编数), then per region a total row per category, then the scope's.

use std::collections::BTreeMap;

use domain::EstablishmentCategory;
use domain::certificate::Certificate;
use domain::ledger::FigureTotals;
use domain::region::Region;

use crate::Lang;
use crate::roster::units_in_order;
use crate::table::{Cell, Table};

/// A row's five figure cells: approved, filled, reserved, vacant, over.
fn cells_of(sums: &FigureTotals) -> impl Iterator<Item = Cell> {
    sums.columns()
        .into_iter()
        .map(|n| Cell::Number(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// The 编制台帐 of `certificates`.
pub fn establishment_ledger(certificates: &[Certificate], lang: Lang) -> Table {
    let mut table = Table::new(
        lang.pick("编制台帐", "Establishment ledger"),
        &[
            (lang.pick("地区", "Region"), 16),
            (lang.pick("单位", "Unit"), 28),
            (lang.pick("编制类别", "Establishment category"), 14),
            (lang.pick("核定数", "Approved"), 8),
            (lang.pick("实有数", "Filled"), 8),
            (lang.pick("已核准未使用", "Reserved"), 12),
            (lang.pick("空编数", "Vacant"), 8),
            (lang.pick("超编数", "Over"), 8),
        ],
    );
    let units = units_in_order(certificates);
    let mut all: BTreeMap<EstablishmentCategory, FigureTotals> = BTreeMap::new();
    let mut i = 0;
    while i < units.len() {
        let region = units[i].unit.region;
        let mut in_region: BTreeMap<EstablishmentCategory, FigureTotals> = BTreeMap::new();
        while let Some(c) = units.get(i).filter(|c| c.unit.region == region) {
            for (category, f) in c.ledger.all_figures() {
                in_region.entry(category).or_default().add(&f);
                all.entry(category).or_default().add(&f);
                let mut cells = vec![
                    Cell::text(region_label(region, lang)),
                    Cell::text(c.unit.name.as_str()),
                    Cell::text(lang.pick(category.label_zh(), category.label_en())),
                ];
                let mut one = FigureTotals::default();
                one.add(&f);
                cells.extend(cells_of(&one));
                table.push(cells);
            }
            i += 1;
        }
        let label = format!(
            "{}{}",
            region_label(region, lang),
            lang.pick("合计", " total")
        );
        totals(&mut table, &label, &in_region, lang);
    }
    if units.len() > 1 {
        totals(&mut table, lang.pick("总计", "Grand total"), &all, lang);
    }
    table
}

fn region_label(region: Region, lang: Lang) -> &'static str {
    lang.pick(region.label_zh(), region.label_en())
}

/// A total row per category, then one over every category.
fn totals(
    table: &mut Table,
    label: &str,
    sums: &BTreeMap<EstablishmentCategory, FigureTotals>,
    lang: Lang,
) {
    let mut overall = FigureTotals::default();
    for (category, s) in sums {
        overall.merge(s);
        let mut cells = vec![
            Cell::text(label),
            Cell::Empty,
            Cell::text(lang.pick(category.label_zh(), category.label_en())),
        ];
        cells.extend(cells_of(s));
        table.push_total(cells);
    }
    let mut cells = vec![
        Cell::text(label),
        Cell::Empty,
        Cell::text(lang.pick("各类合计", "All categories")),
    ];
    cells.extend(cells_of(&overall));
    table.push_total(cells);
}
