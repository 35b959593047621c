//! 在编人员: the roster of a unit or of a scope (the unit and the units it supervises, its
//! region), searched by name, ID number and division, filtered by category, division, post
//! category, rank and education, sorted by any column, shown a page at a time.
//!
//! Instant at thousands of people: the people are read and indexed once ([`RosterIndex`]: a
//! lower-cased search key per person, the distinct divisions and ranks), a sort orders
//! positions once per click, and a keystroke walks that order once, comparing keys it already
//! has — one vector of positions is all it allocates — and only a page of rows is drawn, by
//! position (`components::table`): a change sets the texts of the 50 rows in place rather than
//! building new ones, and draws once (the page goes back to the first in the same update, not
//! in an effect after it). Measured at
//! 5,386 people, most of a change's time is the browser's layout of the new rows, not the
//! filter: the rows are capitalised here rather than by a CSS `::first-letter` per cell.

use std::sync::Arc;

use domain::person::{Education, Person, PostCategory};
use domain::unit::UnitRecord;
use domain::{EstablishmentCategory, Scope};
use leptos::prelude::*;

use crate::components::table::{Cell, Row, Sort, Table};
use crate::i18n::{Lang, Msg, t};
use crate::order::sort_by;
use crate::state::use_app_context;
use crate::store;

/// Rows drawn at once.
pub const PAGE_ROWS: usize = 50;

/// The people of a roster with what filtering and sorting need, computed once.
pub struct RosterIndex {
    /// Each person and the position of their unit in `units`.
    people: Vec<(Person, usize)>,
    /// (id, name) of the units the people belong to.
    units: Vec<(String, String)>,
    /// Per person: name, 身份证号 and division, ASCII letters lower-cased, `\n` between.
    keys: Vec<String>,
    /// The divisions and ranks that occur, sorted, for the filters' lists.
    pub divisions: Vec<String>,
    pub ranks: Vec<String>,
}

/// What the roster is filtered by (an empty needle or `None`: everything).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterFilter {
    /// Lower-cased (ASCII) text to find in name, 身份证号 or division.
    pub needle: String,
    pub category: Option<EstablishmentCategory>,
    pub division: Option<String>,
    pub post: Option<PostCategory>,
    pub rank: Option<String>,
    pub education: Option<Education>,
}

/// Where the unit's column is in [`COLUMNS`].
const UNIT_COLUMN: usize = 3;

/// The roster's columns, in order; each sorts.
pub const COLUMNS: [Msg; 11] = [
    Msg::FieldName,
    Msg::FieldIdNumber,
    Msg::FieldSex,
    Msg::RosterUnit,
    Msg::FieldDivision,
    Msg::FieldCategory,
    Msg::FieldPosition,
    Msg::FieldRank,
    Msg::FieldPostCategory,
    Msg::FieldEducation,
    Msg::FieldEnrolledOn,
];

impl RosterIndex {
    /// Indexes the staff of each unit (`(unit id, unit name, staff)`), in that order.
    pub fn new(units: Vec<(String, String, Vec<Person>)>) -> RosterIndex {
        let total = units.iter().map(|u| u.2.len()).sum();
        let mut index = RosterIndex {
            people: Vec::with_capacity(total),
            units: Vec::with_capacity(units.len()),
            keys: Vec::with_capacity(total),
            divisions: Vec::new(),
            ranks: Vec::new(),
        };
        let mut divisions = std::collections::BTreeSet::new();
        let mut ranks = std::collections::BTreeSet::new();
        for (position, (id, name, staff)) in units.into_iter().enumerate() {
            index.units.push((id, name));
            for person in staff {
                let division = person.division.as_ref().map(|d| d.as_str()).unwrap_or("");
                let mut key =
                    String::with_capacity(person.name.as_str().len() + 20 + division.len());
                key.push_str(person.name.as_str());
                key.push('\n');
                key.push_str(person.id_number.as_str());
                key.push('\n');
                key.push_str(division);
                key.make_ascii_lowercase();
                index.keys.push(key);
                if !division.is_empty() && !divisions.contains(division) {
                    divisions.insert(division.to_owned());
                }
                if let Some(rank) = person.rank.as_deref()
                    && !ranks.contains(rank)
                {
                    ranks.insert(rank.to_owned());
                }
                index.people.push((person, position));
            }
        }
        index.divisions = divisions.into_iter().collect();
        index.ranks = ranks.into_iter().collect();
        index
    }

    /// How many people.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// How many units the people belong to.
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// The positions of every person in the order of `sort` (stable: equal ones keep the
    /// stored order).
    pub fn order(&self, sort: Sort) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.people.len() as u32).collect();
        if sort.column == usize::MAX {
            return order;
        }
        let column = self.column(sort.column);
        let people = &self.people;
        let units = &self.units;
        sort_by(&mut order, |&a, &b| {
            let (p, pu) = &people[a as usize];
            let (q, qu) = &people[b as usize];
            let by = match column {
                0 => p.name.as_str().cmp(q.name.as_str()),
                1 => p.id_number.cmp(&q.id_number),
                2 => p.sex.cmp(&q.sex),
                3 => units[*pu].1.cmp(&units[*qu].1),
                4 => p.division.cmp(&q.division),
                5 => p.category.cmp(&q.category),
                6 => p.position.cmp(&q.position),
                7 => p.rank.cmp(&q.rank),
                8 => p.post_category.cmp(&q.post_category),
                9 => p.education.cmp(&q.education),
                _ => p.enrolled_on.cmp(&q.enrolled_on),
            };
            if sort.ascending { by } else { by.reverse() }
        });
        order
    }

    /// Of `order`, the positions of the people `filter` lets through, in that order.
    pub fn filter(&self, order: &[u32], filter: &RosterFilter) -> Vec<u32> {
        let mut found = Vec::with_capacity(order.len().min(1024));
        for &i in order {
            let (person, _) = &self.people[i as usize];
            let keep = filter.category.is_none_or(|c| person.category == c)
                && filter.post.is_none_or(|c| person.post_category == c)
                && filter.education.is_none_or(|c| person.education == c)
                && filter
                    .division
                    .as_deref()
                    .is_none_or(|d| person.division.as_ref().is_some_and(|x| x.as_str() == d))
                && filter
                    .rank
                    .as_deref()
                    .is_none_or(|r| person.rank.as_deref() == Some(r))
                && (filter.needle.is_empty() || self.keys[i as usize].contains(&filter.needle));
            if keep {
                found.push(i);
            }
        }
        found
    }

    /// The columns shown: every one of [`COLUMNS`], the unit's only when there are several.
    pub fn columns(&self) -> Vec<Msg> {
        COLUMNS
            .into_iter()
            .filter(|c| self.units.len() > 1 || *c != Msg::RosterUnit)
            .collect()
    }

    /// The column of [`COLUMNS`] shown at `shown` (the unit's may be left out).
    fn column(&self, shown: usize) -> usize {
        if self.units.len() > 1 || shown < UNIT_COLUMN || shown == usize::MAX {
            shown
        } else {
            shown + 1
        }
    }

    /// The row of the person at `i`, in `lang` (their 身份证号 masked).
    pub fn row(&self, i: u32, lang: Lang) -> Row {
        let (p, unit) = &self.people[i as usize];
        let (unit_id, unit_name) = &self.units[*unit];
        let label = |zh, en| Cell::text(lang.pick(zh, en));
        let mut cells = vec![
            Cell::link(p.name.as_str(), person_href(unit_id, p)).class("person-name"),
            Cell::text(p.id_number.masked()).class("id-number"),
            label(p.sex.label_zh(), p.sex.label_en()),
            Cell::link(unit_name.as_str(), format!("/certificate/{unit_id}")).class("unit"),
            Cell::text(p.division.as_ref().map(|d| d.as_str()).unwrap_or("")).class("division"),
            Cell::text(super::sections::category_msg(p.category).text(lang)),
            Cell::text(p.position.clone().unwrap_or_default()),
            Cell::text(p.rank.clone().unwrap_or_default()).class("rank"),
            label(p.post_category.label_zh(), p.post_category.label_en()),
            label(p.education.label_zh(), p.education.label_en()),
            Cell::text(p.enrolled_on.to_string()).class("date"),
        ];
        if self.units.len() == 1 {
            cells.remove(UNIT_COLUMN);
        }
        // Each cell starts with a capital (as the other tables' `::first-letter` does in CSS,
        // which the roster is spared: it doubled the layout of a page of rows).
        for cell in &mut cells {
            capitalise(&mut cell.text);
        }
        // The key: the person's position in the index (unique; masked numbers can repeat).
        Row::new(i.to_string(), cells)
    }
}

/// `text` with its first letter upper-cased (English labels are lower case).
fn capitalise(text: &mut String) {
    if let Some(first) = text.chars().next()
        && first.is_lowercase()
    {
        let upper: String = first.to_uppercase().collect();
        text.replace_range(..first.len_utf8(), &upper);
    }
}

/// The address of a person's own page: their unit in the path, their 身份证号 after `#` (a
/// fragment never leaves the browser, so no server or proxy log ever sees it).
pub fn person_href(unit_id: &str, person: &Person) -> String {
    format!("/person/{unit_id}#{}", person.id_number.as_str())
}

/// The scope a roster shows, relative to its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RosterScope {
    /// The unit alone.
    Unit,
    /// The unit, the units it supervises and its affiliates (as a department's holder sees).
    Department,
    /// Every unit of the unit's region (the city: the whole city).
    Region,
}

impl RosterScope {
    const ALL: [RosterScope; 3] = [
        RosterScope::Unit,
        RosterScope::Department,
        RosterScope::Region,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RosterScope::Unit => "unit",
            RosterScope::Department => "department",
            RosterScope::Region => "region",
        }
    }

    fn msg(self) -> Msg {
        match self {
            RosterScope::Unit => Msg::ScopeUnit,
            RosterScope::Department => Msg::ScopeDepartment,
            RosterScope::Region => Msg::ScopeRegion,
        }
    }

    /// As a domain scope around `unit`.
    fn scope(self, unit: &UnitRecord) -> Scope {
        match self {
            RosterScope::Unit => Scope::Unit(unit.id.clone()),
            RosterScope::Department => Scope::Department(unit.id.clone()),
            RosterScope::Region => Scope::Region(unit.region),
        }
    }
}

/// Reads the staff of every stored unit of `scope` around `unit` and indexes them (the unit
/// alone: its own people, given).
async fn load(
    holder: String,
    unit: UnitRecord,
    own: Vec<Person>,
    scope: RosterScope,
) -> Result<RosterIndex, store::StorageError> {
    if scope == RosterScope::Unit {
        let name = unit.name.to_string();
        return Ok(RosterIndex::new(vec![(unit.id.to_string(), name, own)]));
    }
    let wanted = scope.scope(&unit);
    let units: Vec<(String, String)> = store::unit_records(&holder)
        .await?
        .into_iter()
        .filter(|u| wanted.covers(u))
        .map(|u| (u.id.to_string(), u.name.to_string()))
        .collect();
    let ids: Vec<String> = units.iter().map(|u| u.0.clone()).collect();
    let mut staff = store::staff_of(&holder, &ids).await?;
    let mut listed = Vec::with_capacity(staff.len());
    for (id, name) in units {
        if let Some(at) = staff.iter().position(|(s, _)| *s == id) {
            let (_, people) = staff.swap_remove(at);
            listed.push((id, name, people));
        }
    }
    Ok(RosterIndex::new(listed))
}

/// The roster of `unit` (its staff `own`), with the scope offered when `wide` (a unit of a
/// holder who sees more than one).
#[component]
pub fn Roster(
    unit: UnitRecord,
    own: Vec<Person>,
    #[prop(into)] wide: Signal<bool>,
) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let holder = move || {
        context
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.holder.id.clone()))
            .unwrap_or_default()
    };
    let scope = RwSignal::new(
        crate::router::use_query("scope")
            .and_then(|c| RosterScope::ALL.into_iter().find(|s| s.code() == c))
            .unwrap_or(RosterScope::Unit),
    );
    let unit = StoredValue::new(unit);
    let own = StoredValue::new(own);
    let index = LocalResource::new(move || {
        let scope = scope.get();
        async move {
            load(holder(), unit.get_value(), own.get_value(), scope)
                .await
                .map(Arc::new)
        }
    });
    let sort = RwSignal::new(Sort {
        column: usize::MAX,
        ascending: true,
    });
    let filter = RwSignal::new(RosterFilter::default());
    let page = RwSignal::new(0usize);
    let ready = move || index.get().and_then(Result::ok);
    let order = Memo::new(move |_| {
        let sort = sort.get();
        ready().map(|index| Arc::new(index.order(sort)))
    });
    let found = Memo::new(move |_| {
        let index = ready()?;
        let order = order.get()?;
        Some(filter.with(|f| Arc::new(index.filter(&order, f))))
    });
    // A new filter or order starts at the first page: set with the change itself (one redraw),
    // and only when it is not there already (setting a signal redraws what reads it).
    let first_page = move || {
        if page.get_untracked() != 0 {
            page.set(0);
        }
    };
    Effect::new(move |_| {
        sort.track();
        first_page();
    });
    let shown = move || found.get().map_or(0, |f| f.len());
    let pages = move || shown().div_ceil(PAGE_ROWS).max(1);
    let rows = Signal::derive(move || {
        let (Some(index), Some(found)) = (ready(), found.get()) else {
            return Vec::new();
        };
        let lang = lang.get();
        let start = page.get() * PAGE_ROWS;
        found
            .iter()
            .skip(start)
            .take(PAGE_ROWS)
            .map(|&i| index.row(i, lang))
            .collect()
    });
    let columns = Signal::derive(move || ready().map(|i| i.columns()).unwrap_or_default());
    // Once drawn: for `cargo xtask bench` (how soon a reload shows the roster, offline).
    Effect::new(move |_| {
        if found.with(Option::is_some) {
            crate::clock::mark("staffing.roster.shown");
        }
    });
    let set = move |f: fn(&mut RosterFilter, String)| {
        Callback::new(move |value: String| {
            first_page();
            filter.update(|filter| f(filter, value));
        })
    };
    let found_in = move |list: fn(&RosterIndex) -> &Vec<String>| {
        Signal::derive(move || {
            ready()
                .map(|index| {
                    list(&index)
                        .iter()
                        .map(|v| (v.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let always = Signal::from(true);
    let tools: Vec<AnyView> = vec![
        choice(
            "roster-scope",
            Msg::RosterScope,
            None,
            Signal::derive(move || {
                let lang = lang.get();
                RosterScope::ALL
                    .into_iter()
                    .map(|s| (s.code().to_owned(), s.msg().text(lang).to_owned()))
                    .collect()
            }),
            Callback::new(move |code: String| {
                if let Some(s) = RosterScope::ALL.into_iter().find(|s| s.code() == code) {
                    scope.set(s);
                }
            }),
            Signal::derive(move || scope.get().code().to_owned()),
            wide,
        ),
        view! {
            <input
                id="roster-search"
                type="search"
                placeholder=t(Msg::RosterSearch)
                aria-label=t(Msg::RosterSearch)
                on:input=move |ev| {
                    let value = event_target_value(&ev).to_ascii_lowercase();
                    first_page();
                    filter.update(|f| f.needle = value);
                }
            />
        }
        .into_any(),
        choice(
            "roster-category",
            Msg::FieldCategory,
            Some(Msg::FilterAll),
            coded(
                lang,
                EstablishmentCategory::ALL
                    .iter()
                    .map(|c| (c.code(), c.label_zh(), c.label_en()))
                    .collect(),
            ),
            set(|f, v| f.category = EstablishmentCategory::from_code(&v)),
            Signal::derive(move || {
                filter
                    .with(|f| f.category.map(|c| c.code().to_owned()))
                    .unwrap_or_default()
            }),
            always,
        ),
        choice(
            "roster-division",
            Msg::FieldDivision,
            Some(Msg::FilterAll),
            found_in(|i| &i.divisions),
            set(|f, v| f.division = Some(v).filter(|v| !v.is_empty())),
            Signal::derive(move || filter.with(|f| f.division.clone()).unwrap_or_default()),
            always,
        ),
        choice(
            "roster-post",
            Msg::FieldPostCategory,
            Some(Msg::FilterAll),
            coded(
                lang,
                PostCategory::ALL
                    .iter()
                    .map(|c| (c.code(), c.label_zh(), c.label_en()))
                    .collect(),
            ),
            set(|f, v| f.post = PostCategory::from_code(&v)),
            Signal::derive(move || {
                filter
                    .with(|f| f.post.map(|c| c.code().to_owned()))
                    .unwrap_or_default()
            }),
            always,
        ),
        choice(
            "roster-rank",
            Msg::FieldRank,
            Some(Msg::FilterAll),
            found_in(|i| &i.ranks),
            set(|f, v| f.rank = Some(v).filter(|v| !v.is_empty())),
            Signal::derive(move || filter.with(|f| f.rank.clone()).unwrap_or_default()),
            always,
        ),
        choice(
            "roster-education",
            Msg::FieldEducation,
            Some(Msg::FilterAll),
            coded(
                lang,
                Education::ALL
                    .iter()
                    .map(|c| (c.code(), c.label_zh(), c.label_en()))
                    .collect(),
            ),
            set(|f, v| f.education = Education::from_code(&v)),
            Signal::derive(move || {
                filter
                    .with(|f| f.education.map(|c| c.code().to_owned()))
                    .unwrap_or_default()
            }),
            always,
        ),
    ];
    view! {
        <div class="roster-tools">{tools}</div>
        {move || match index.get() {
            None => view! { <p class="muted" id="roster-loading">{t(Msg::RosterLoading)}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{move || e.text(lang.get())}</p> }.into_any(),
            Some(Ok(index)) => {
                let total = index.len();
                let units = index.unit_count();
                view! {
                    <p class="muted roster-count" id="roster-count" data-total=total.to_string() data-shown=move || shown().to_string() data-units=units.to_string()>
                        {t(Msg::RosterMatches)} {shown} " / " {total} " " {t(Msg::CertificatePeople)}
                        " · " {units} " " {t(if units == 1 { Msg::RosterOneUnit } else { Msg::RosterUnits })}
                    </p>
                }
                .into_any()
            }
        }}
        <Table id="roster" columns=columns rows=rows empty=Msg::RosterEmpty sort=sort/>
        <Show when=move || { pages() > 1 }>
            <nav class="pager">
                <button type="button" class="secondary" id="roster-prev" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                    {t(Msg::PagePrev)}
                </button>
                <span id="roster-page">{move || page.get() + 1} " / " {pages}</span>
                <button type="button" class="secondary" id="roster-next" disabled=move || { page.get() + 1 >= pages() } on:click=move |_| page.update(|p| *p += 1)>
                    {t(Msg::PageNext)}
                </button>
            </nav>
        </Show>
    }
}

/// The options of a coded field (code, Chinese, English): its code as the value, its label
/// in the current language.
fn coded(
    lang: RwSignal<Lang>,
    all: Vec<(&'static str, &'static str, &'static str)>,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let lang = lang.get();
        all.iter()
            .map(|(code, zh, en)| ((*code).to_owned(), lang.pick(zh, en).to_owned()))
            .collect()
    })
}

/// A labelled list to choose from (`all`: a first option, empty, meaning everything), shown
/// when `shown`; `set` gets the value chosen; `current` is the one chosen when the options are
/// drawn again (in the other language).
fn choice(
    id: &'static str,
    label: Msg,
    all: Option<Msg>,
    options: Signal<Vec<(String, String)>>,
    set: Callback<String>,
    current: Signal<String>,
    shown: Signal<bool>,
) -> AnyView {
    (move || {
        shown.get().then(|| {
            view! {
                <label>
                    {t(label)}
                    <select id=id on:change=move |ev| set.run(event_target_value(&ev))>
                        {all.map(|all| view! { <option value="">{t(all)}</option> })}
                        {move || {
                            options
                                .get()
                                .into_iter()
                                .map(|(value, text)| {
                                    let selected = current.with_untracked(|c| *c == value);
                                    view! { <option value=value selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            }
        })
    })
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn roster_cells_start_with_a_capital() {
        for (text, expected) in [("male", "Male"), ("王芳", "王芳"), ("", ""), ("éa", "Éa")] {
            let mut text = text.to_owned();
            capitalise(&mut text);
            assert_eq!(text, expected);
        }
    }

    #[wasm_bindgen_test]
    fn filters_and_sorts_over_the_index() {
        let city = demo::generate(3, demo::Size::Tiny);
        let units: Vec<_> = city
            .certificates
            .iter()
            .map(|c| {
                (
                    c.unit.id.to_string(),
                    c.unit.name.to_string(),
                    c.staff.clone(),
                )
            })
            .collect();
        let people: Vec<Person> = units.iter().flat_map(|u| u.2.clone()).collect();
        let index = RosterIndex::new(units);
        assert_eq!(index.len(), people.len());
        let all = index.order(Sort {
            column: usize::MAX,
            ascending: true,
        });
        let name = people[7].name.as_str();
        let needle: String = name.chars().take(1).collect();
        let found = index.filter(
            &all,
            &RosterFilter {
                needle: needle.clone(),
                ..RosterFilter::default()
            },
        );
        let expected = people
            .iter()
            .filter(|p| {
                p.name.as_str().contains(&needle)
                    || p.division
                        .as_ref()
                        .is_some_and(|d| d.as_str().contains(&needle))
            })
            .count();
        assert_eq!(found.len(), expected);
        let category = EstablishmentCategory::PublicInstitution;
        let found = index.filter(
            &all,
            &RosterFilter {
                category: Some(category),
                ..RosterFilter::default()
            },
        );
        assert_eq!(
            found.len(),
            people.iter().filter(|p| p.category == category).count()
        );
        // An ID number's X found in either case.
        let by_id = index.filter(
            &all,
            &RosterFilter {
                needle: people[3].id_number.as_str().to_ascii_lowercase(),
                ..RosterFilter::default()
            },
        );
        assert!(by_id.contains(&3));
        let by_name = index.order(Sort {
            column: 0,
            ascending: false,
        });
        let names: Vec<&str> = by_name
            .iter()
            .map(|&i| people[i as usize].name.as_str())
            .collect();
        assert!(names.windows(2).all(|w| w[0] >= w[1]));
    }
}
