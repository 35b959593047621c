//! 人员结构分析: the staff of a unit or scope counted along each dimension — age bands (≤35,
//! 36–45, 46–54, ≥55) and five-year bands at a chosen date, gender, education, degree,
//! ethnicity, political status, rank, post category, establishment category, funding form
//! and way of entry — with each count's share, as tables (for the files) and charts ([`svg`]).
//!
//! [`svg`]: crate::svg

use std::collections::BTreeMap;

use domain::Date;
use domain::person::{
    AgeBand, Degree, Education, EntryForm, Person, PoliticalStatus, PostCategory, five_year_band,
};
use domain::{EstablishmentCategory, FundingForm, Sex};

use crate::table::{Cell, ChartKind, Table, Workbook};
use crate::{Lang, basis_points, order};

/// A dimension of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    AgeBand,
    FiveYearBand,
    Sex,
    Education,
    Degree,
    Ethnicity,
    PoliticalStatus,
    Rank,
    PostCategory,
    Category,
    FundingForm,
    EntryForm,
}

impl Dimension {
    /// Every dimension, in the order the page and the files show them.
    pub const ALL: &'static [Dimension] = &[
        Dimension::AgeBand,
        Dimension::FiveYearBand,
        Dimension::Sex,
        Dimension::Education,
        Dimension::Degree,
        Dimension::Ethnicity,
        Dimension::PoliticalStatus,
        Dimension::Rank,
        Dimension::PostCategory,
        Dimension::Category,
        Dimension::FundingForm,
        Dimension::EntryForm,
    ];

    /// A stable code (element ids, tests).
    pub fn code(self) -> &'static str {
        [
            "age_band",
            "five_year_band",
            "sex",
            "education",
            "degree",
            "ethnicity",
            "political_status",
            "rank",
            "post_category",
            "category",
            "funding_form",
            "entry_form",
        ][self as usize]
    }

    /// The title in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        let [zh, en] = [
            ["年龄结构", "Age bands"],
            ["五岁年龄段", "Five-year age bands"],
            ["性别", "Gender"],
            ["学历", "Education"],
            ["学位", "Degree"],
            ["民族", "Ethnicity"],
            ["政治面貌", "Political status"],
            ["职级", "Rank"],
            ["岗位类别", "Post category"],
            ["编制类别", "Establishment category"],
            ["经费形式", "Funding form"],
            ["进入形式", "Way of entry"],
        ][self as usize];
        lang.pick(zh, en)
    }

    /// Drawn as a pie (few parts of one whole) or as bars.
    pub fn chart(self) -> ChartKind {
        match self {
            Dimension::Sex
            | Dimension::PostCategory
            | Dimension::Category
            | Dimension::FundingForm => ChartKind::Pie,
            _ => ChartKind::Bar,
        }
    }
}

/// One part of a dimension and how many people it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub label: String,
    pub count: u32,
}

/// The people of a dimension, part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    pub dimension: Dimension,
    pub buckets: Vec<Bucket>,
    /// Everyone counted (the sum of the buckets).
    pub total: u32,
}

/// Counts the parts of a labelled enum, every value listed (also those of no one).
fn labelled<T: Copy + PartialEq>(
    all: &[T],
    label: impl Fn(T) -> (&'static str, &'static str),
    of: impl Fn(&Person) -> T,
    people: &[&Person],
    lang: Lang,
) -> Vec<Bucket> {
    all.iter()
        .map(|v| {
            let (zh, en) = label(*v);
            Bucket {
                label: lang.pick(zh, en).to_owned(),
                count: people.iter().filter(|p| of(p) == *v).count() as u32,
            }
        })
        .collect()
}

/// Counts free text (民族, 职级): most frequent first, then by text; the empty as 未填写.
fn free_text(of: impl Fn(&Person) -> Option<&str>, people: &[&Person], lang: Lang) -> Vec<Bucket> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for p in people {
        *counts
            .entry(of(p).filter(|t| !t.is_empty()).unwrap_or(""))
            .or_default() += 1;
    }
    let buckets: Vec<Bucket> = counts
        .into_iter()
        .map(|(label, count)| Bucket {
            label: if label.is_empty() {
                lang.pick("未填写", "not recorded").to_owned()
            } else {
                label.to_owned()
            },
            count,
        })
        .collect();
    let keys = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("{:010}{}", u32::MAX - b.count, b.label), i))
        .collect();
    order(keys)
        .into_iter()
        .map(|i| buckets[i].clone())
        .collect()
}

/// The five-year band's label: `20–24岁`, under 20 and 60 and over apart.
pub fn five_year_label(band: i32, lang: Lang) -> String {
    match (band, lang) {
        (0, Lang::Zh) => "20岁以下".to_owned(),
        (0, Lang::En) => "under 20".to_owned(),
        (60, Lang::Zh) => "60岁及以上".to_owned(),
        (60, Lang::En) => "60 and over".to_owned(),
        (b, Lang::Zh) => format!("{b}–{}岁", b + 4),
        (b, Lang::En) => format!("{b}–{}", b + 4),
    }
}

/// Every dimension of `people` (ages on `on`).
pub fn analyse(people: &[&Person], on: Date, lang: Lang) -> Vec<Distribution> {
    Dimension::ALL
        .iter()
        .map(|d| distribution(*d, people, on, lang))
        .collect()
}

/// One dimension of `people` (ages on `on`).
pub fn distribution(
    dimension: Dimension,
    people: &[&Person],
    on: Date,
    lang: Lang,
) -> Distribution {
    let buckets = match dimension {
        Dimension::AgeBand => labelled(
            AgeBand::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| AgeBand::of_age(p.age_on(on)),
            people,
            lang,
        ),
        Dimension::FiveYearBand => {
            let mut bands: Vec<i32> = vec![0];
            bands.extend((20..60).step_by(5));
            bands.push(60);
            bands
                .into_iter()
                .map(|b| Bucket {
                    label: five_year_label(b, lang),
                    count: people
                        .iter()
                        .filter(|p| five_year_band(p.age_on(on)) == b)
                        .count() as u32,
                })
                .collect()
        }
        Dimension::Sex => labelled(
            Sex::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.sex,
            people,
            lang,
        ),
        Dimension::Education => labelled(
            Education::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.education,
            people,
            lang,
        ),
        Dimension::Degree => labelled(
            Degree::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.degree,
            people,
            lang,
        ),
        Dimension::Ethnicity => free_text(|p| Some(p.ethnicity.as_str()), people, lang),
        Dimension::PoliticalStatus => labelled(
            PoliticalStatus::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.political_status,
            people,
            lang,
        ),
        Dimension::Rank => free_text(|p| p.rank.as_deref(), people, lang),
        Dimension::PostCategory => labelled(
            PostCategory::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.post_category,
            people,
            lang,
        ),
        Dimension::Category => labelled(
            EstablishmentCategory::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.category,
            people,
            lang,
        ),
        Dimension::FundingForm => {
            // Only 事业编制 posts carry a funding form; the others are counted apart.
            let mut buckets = labelled(
                FundingForm::ALL,
                |v| (v.label_zh(), v.label_en()),
                |p| p.funding_form.unwrap_or(FundingForm::Full),
                &people
                    .iter()
                    .copied()
                    .filter(|p| p.funding_form.is_some())
                    .collect::<Vec<_>>(),
                lang,
            );
            buckets.push(Bucket {
                label: lang.pick("非事业编制", "not public institution").to_owned(),
                count: people.iter().filter(|p| p.funding_form.is_none()).count() as u32,
            });
            buckets
        }
        Dimension::EntryForm => labelled(
            EntryForm::ALL,
            |v| (v.label_zh(), v.label_en()),
            |p| p.entry_form,
            people,
            lang,
        ),
    };
    Distribution {
        dimension,
        total: buckets.iter().map(|b| b.count).sum(),
        buckets,
    }
}

/// A distribution as a table: part, count, share; and a total row.
pub fn table(d: &Distribution, lang: Lang) -> Table {
    let mut table = Table::new(
        d.dimension.title(lang),
        &[
            (d.dimension.title(lang), 24),
            (lang.pick("人数", "People"), 8),
            (lang.pick("占比", "Share"), 8),
        ],
    );
    table.chart = Some(d.dimension.chart());
    for b in &d.buckets {
        table.push(vec![
            Cell::text(b.label.as_str()),
            Cell::Number(i64::from(b.count)),
            Cell::Percent(basis_points(b.count, d.total)),
        ]);
    }
    table.push_total(vec![
        Cell::text(lang.pick("合计", "Total")),
        Cell::Number(i64::from(d.total)),
        Cell::Percent(if d.total == 0 { 0 } else { 10_000 }),
    ]);
    table
}

/// Every distribution as a workbook, one sheet each (the export of the analysis).
pub fn workbook(distributions: &[Distribution], name: &str, lang: Lang) -> Workbook {
    Workbook {
        name: name.to_owned(),
        sheets: distributions.iter().map(|d| table(d, lang)).collect(),
    }
}
