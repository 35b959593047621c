//! The sections of a certificate on screen, each from the stored certificate alone: 机构信息,
//! 主要职责, 权责清单, 内（下）设机构, 所属事业单位, 历史沿革, 编制台帐 (figures and the document rows
//! they sum from), 领导职数, 减少人员 — every table through the one [`Table`]; a section with
//! nothing in it says so, and why.

use std::collections::BTreeMap;
use std::sync::Arc;

use domain::certificate::Certificate;
use domain::unit::PowerCategory;
use leptos::prelude::*;

use crate::components::table::{Cell, Row, Table};
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;

/// The stored units by id: (name, staff), to name and link the units a certificate refers to.
pub type Names = Arc<BTreeMap<String, (String, u32)>>;

/// One labelled value of a record, its value any view.
pub fn row(name: &'static str, label: Msg, value: AnyView) -> AnyView {
    view! {
        <div class="record-row" data-field=name>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
    .into_any()
}

/// One labelled value of a record.
pub fn entry(name: &'static str, label: Msg, value: String) -> AnyView {
    row(name, label, value.into_any())
}

/// One labelled value written in both languages (a domain value's labels).
pub fn entry_label(name: &'static str, label: Msg, zh: &'static str, en: &'static str) -> AnyView {
    let lang = use_app_context().lang;
    row(name, label, (move || lang.get().pick(zh, en)).into_any())
}

/// An optional value, or 无.
pub fn or_none(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_owned())
}

/// A table whose columns never change and whose rows follow the language.
fn table(
    id: &'static str,
    columns: Vec<Msg>,
    empty: Msg,
    rows: impl Fn(Lang) -> Vec<Row> + Send + Sync + 'static,
) -> AnyView {
    let lang = use_app_context().lang;
    let rows = Signal::derive(move || rows(lang.get()));
    let columns = Signal::derive(move || columns.clone());
    view! { <Table id=id columns=columns rows=rows empty=empty/> }.into_any()
}

/// A unit named and, when it is stored here, linked to its certificate.
fn unit_cell(names: &Names, id: &str) -> Cell {
    match names.get(id) {
        Some((name, _)) => Cell::link(name.clone(), format!("/certificate/{id}")),
        None => Cell::text(id),
    }
}

/// 机构信息: every field of the unit's record, the funding forms with their counts.
pub fn info(c: &Certificate, names: &Names) -> AnyView {
    let u = &c.unit;
    let lang = use_app_context().lang;
    let unit_link = |id: &Option<domain::UnitId>| -> AnyView {
        let Some(id) = id else {
            return "—".into_any();
        };
        let cell = unit_cell(names, id.as_str());
        match cell.href {
            Some(href) => view! { <a href=href>{cell.text}</a> }.into_any(),
            None => {
                view! { {cell.text} " " <span class="muted">{t(Msg::NotInScope)}</span> }.into_any()
            }
        }
    };
    let funding: AnyView = if u.funding.is_empty() {
        view! { <span class="muted">{t(Msg::InfoNoFunding)}</span> }.into_any()
    } else {
        let shares: Vec<_> = u.funding.iter().map(|s| (s.form, s.count.get())).collect();
        let total = u
            .funded_total()
            .map(|n| n.get().to_string())
            .unwrap_or_default();
        let list = move || {
            let lang = lang.get();
            shares
                .iter()
                .map(|(form, count)| {
                    let text = format!("{} {count}", lang.pick(form.label_zh(), form.label_en()));
                    view! { <li data-form=form.code()>{text}</li> }
                })
                .collect_view()
        };
        view! {
            <ul class="funding">{list}</ul>
            <span class="funding-total" data-total=total.clone()>
                {t(Msg::LedgerTotal)} " " {total.clone()}
            </span>
        }
        .into_any()
    };
    let rows: Vec<AnyView> = vec![
        entry("unit-name", Msg::FieldUnitName, u.name.to_string()),
        entry(
            "short-name",
            Msg::FieldShortName,
            or_none(u.short_name.as_ref().map(ToString::to_string)),
        ),
        entry(
            "credit-code",
            Msg::FieldCreditCode,
            or_none(u.credit_code.as_ref().map(ToString::to_string)),
        ),
        entry("unit-id", Msg::InfoUnitId, u.id.to_string()),
        entry_label("kind", Msg::InfoKind, u.kind.label_zh(), u.kind.label_en()),
        entry_label(
            "level",
            Msg::FieldUnitLevel,
            u.level.label_zh(),
            u.level.label_en(),
        ),
        match u.institution_category {
            Some(c) => entry_label(
                "institution-category",
                Msg::FieldInstitutionCategory,
                c.label_zh(),
                c.label_en(),
            ),
            None => entry(
                "institution-category",
                Msg::FieldInstitutionCategory,
                "—".into(),
            ),
        },
        entry_label(
            "region",
            Msg::InfoRegion,
            u.region.label_zh(),
            u.region.label_en(),
        ),
        row(
            "supervising-department",
            Msg::InfoSupervising,
            unit_link(&u.supervising_department),
        ),
        row("parent", Msg::InfoParent, unit_link(&u.parent)),
        entry(
            "founded-on",
            Msg::FieldFoundedOn,
            or_none(u.founded_on.map(|d| d.to_string())),
        ),
        entry(
            "founding-document",
            Msg::FieldFoundingDocument,
            or_none(u.founding_document.as_ref().map(ToString::to_string)),
        ),
        row("funding", Msg::FieldFunding, funding),
    ];
    view! { <dl class="record" id="unit-record">{rows}</dl> }.into_any()
}

/// 主要职责: the functions, searched by their text.
pub fn functions(c: &Certificate) -> AnyView {
    let all: Vec<String> = c.functions.iter().map(|f| f.text.clone()).collect();
    if all.is_empty() {
        return view! { <p class="muted empty" id="functions-empty">{t(Msg::EmptyFunctions)}</p> }
            .into_any();
    }
    let needle = RwSignal::new(String::new());
    let total = all.len();
    view! {
        <div class="section-tools">
            <input id="functions-search" type="search" placeholder=t(Msg::SearchText) aria-label=t(Msg::SearchText)
                on:input=move |ev| needle.set(event_target_value(&ev))/>
        </div>
        <ol class="functions" id="functions" data-total=total.to_string()>
            {move || {
                let needle = needle.get();
                all.iter()
                    .filter(|f| f.contains(needle.as_str()))
                    .map(|f| view! { <li class="function">{f.clone()}</li> })
                    .collect_view()
            }}
        </ol>
    }
    .into_any()
}

/// 权责清单: the items, searched by text (code, name, legal basis) and filtered by category.
pub fn powers(c: &Certificate) -> AnyView {
    let items = Arc::new(c.power_list.clone());
    if items.is_empty() {
        return view! { <p class="muted empty" id="powers-empty">{t(Msg::EmptyPowers)}</p> }
            .into_any();
    }
    let needle = RwSignal::new(String::new());
    let category = RwSignal::new(None::<PowerCategory>);
    let lang = use_app_context().lang;
    let rows = move |lang: Lang| {
        let needle = needle.get().to_ascii_lowercase();
        let category = category.get();
        items
            .iter()
            .filter(|p| category.is_none_or(|c| p.category == c))
            .filter(|p| {
                needle.is_empty()
                    || p.name.as_str().contains(needle.as_str())
                    || p.legal_basis.contains(needle.as_str())
                    || p.code
                        .as_deref()
                        .is_some_and(|c| c.to_ascii_lowercase().contains(needle.as_str()))
            })
            .map(|p| {
                Row::new(
                    p.code.clone().unwrap_or_default(),
                    vec![
                        Cell::text(p.code.clone().unwrap_or_default()),
                        Cell::text(p.name.as_str()),
                        Cell::text(lang.pick(p.category.label_zh(), p.category.label_en())),
                        Cell::text(p.legal_basis.clone()),
                    ],
                )
            })
            .collect()
    };
    view! {
        <div class="section-tools">
            <input id="powers-search" type="search" placeholder=t(Msg::SearchText) aria-label=t(Msg::SearchText)
                on:input=move |ev| needle.set(event_target_value(&ev))/>
            <label>
                {t(Msg::PowerCategory)}
                <select id="powers-category" on:change=move |ev| category.set(PowerCategory::from_code(&event_target_value(&ev)))>
                    <option value="">{t(Msg::FilterAll)}</option>
                    {PowerCategory::ALL
                        .iter()
                        .map(|&c| view! { <option value=c.code()>{move || lang.get().pick(c.label_zh(), c.label_en())}</option> })
                        .collect_view()}
                </select>
            </label>
        </div>
        {table(
            "powers",
            vec![Msg::PowerCode, Msg::PowerName, Msg::PowerCategory, Msg::PowerBasis],
            Msg::NoMatch,
            rows,
        )}
    }
    .into_any()
}

/// 内（下）设机构: name, kind, functions, and how many of the staff are in each.
pub fn divisions(c: &Certificate) -> AnyView {
    let rows: Vec<_> = c
        .divisions
        .iter()
        .map(|d| {
            let staff = c
                .staff
                .iter()
                .filter(|p| p.division.as_ref() == Some(&d.name))
                .count();
            (d.name.to_string(), d.kind, d.functions.join("；"), staff)
        })
        .collect();
    table(
        "divisions",
        vec![
            Msg::DivisionName,
            Msg::DivisionKind,
            Msg::DivisionFunctions,
            Msg::DivisionStaff,
        ],
        Msg::EmptyDivisions,
        move |lang| {
            rows.iter()
                .map(|(name, kind, functions, staff)| {
                    Row::new(
                        name.clone(),
                        vec![
                            Cell::text(name.clone()).class("division-name"),
                            Cell::text(lang.pick(kind.label_zh(), kind.label_en())),
                            Cell::text(functions.clone()),
                            Cell::num(staff),
                        ],
                    )
                })
                .collect()
        },
    )
}

/// 所属事业单位: each affiliate, opening its certificate when it is in the holder's scope
/// (stored here), else saying it is not.
pub fn affiliates(c: &Certificate, names: &Names) -> AnyView {
    let names = names.clone();
    let list: Vec<(String, String)> = c
        .affiliates
        .iter()
        .map(|a| (a.unit.to_string(), a.name.to_string()))
        .collect();
    table(
        "affiliates",
        vec![Msg::FieldUnitName, Msg::InfoUnitId, Msg::DivisionStaff],
        Msg::EmptyAffiliates,
        move |lang| {
            list.iter()
                .map(|(id, name)| {
                    let (first, staff) = match names.get(id) {
                        Some((_, staff)) => (
                            Cell::link(name.clone(), format!("/certificate/{id}")),
                            Cell::num(staff),
                        ),
                        None => (
                            Cell::text(name.clone()),
                            Cell::text(Msg::NotInScope.text(lang)).class("muted"),
                        ),
                    };
                    Row::new(id.clone(), vec![first, Cell::text(id.clone()), staff])
                })
                .collect()
        },
    )
}

/// 历史沿革: a timeline, each event with its date and document number.
pub fn history(c: &Certificate) -> AnyView {
    if c.history.is_empty() {
        return view! { <p class="muted empty" id="history-empty">{t(Msg::EmptyHistory)}</p> }
            .into_any();
    }
    let mut events = c.history.clone();
    crate::order::sort_by(&mut events, |a, b| a.date.cmp(&b.date));
    let count = events.len().to_string();
    view! {
        <ol class="timeline" id="history" data-events=count>
            {events
                .into_iter()
                .map(|e| {
                    view! {
                        <li class="event">
                            <time class="event-date">{e.date.to_string()}</time>
                            <span class="event-document">{or_none(e.document.map(|d| d.to_string()))}</span>
                            <span class="event-text">{e.description}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// The figures per category: approved, filled, reserved, vacant and 超编 (red when over).
pub fn figures(c: &Certificate) -> AnyView {
    let figures = c.ledger.all_figures();
    table(
        "ledger",
        vec![
            Msg::LedgerCategory,
            Msg::LedgerApproved,
            Msg::LedgerFilled,
            Msg::LedgerReserved,
            Msg::LedgerVacant,
            Msg::LedgerOver,
        ],
        Msg::EmptyLedger,
        move |lang| {
            figures
                .iter()
                .map(|(category, f)| {
                    let over = f.is_over();
                    let mut row =
                        Row::new(
                            category.code(),
                            vec![
                                Cell::text(lang.pick(category.label_zh(), category.label_en())),
                                Cell::num(f.approved.get()).class("num approved"),
                                Cell::flagged(f.filled.get(), over).class(if over {
                                    "num filled over"
                                } else {
                                    "num filled"
                                }),
                                Cell::num(f.reserved.get()).class("num reserved"),
                                Cell::num(f.vacant().get()).class("num vacant"),
                                // Not `num`: the four figures are what `td.num` reads.
                                Cell::text(f.over_establishment().get().to_string())
                                    .class(if over { "count over" } else { "count" }),
                            ],
                        );
                    if over {
                        row.class = "over";
                    }
                    row
                })
                .collect()
        },
    )
}

/// 编制台帐: the figures, then the document rows they sum from (文号, date, title, the change
/// per category, note) with their total.
pub fn ledger(c: &Certificate) -> AnyView {
    let rows = c.ledger.rows().to_vec();
    let categories: Vec<_> = c.ledger.all_figures().into_iter().map(|(c, _)| c).collect();
    let mut columns = vec![Msg::LedgerDocument, Msg::LedgerDate, Msg::LedgerDocTitle];
    columns.extend(categories.iter().map(|c| category_msg(*c)));
    columns.push(Msg::LedgerNote);
    let over = c.ledger.all_figures().iter().any(|(_, f)| f.is_over());
    view! {
        {figures(c)}
        <Show when=move || over>
            <p class="over-note" id="ledger-over">{t(Msg::LedgerOverNote)}</p>
        </Show>
        <h3>{t(Msg::LedgerRowsTitle)}</h3>
        {table("ledger-rows", columns, Msg::EmptyLedger, move |lang| {
            let mut out: Vec<Row> = rows
                .iter()
                .map(|r| {
                    let mut cells = vec![
                        Cell::text(r.document.to_string()),
                        Cell::text(r.date.to_string()),
                        Cell::text(r.title.clone()),
                    ];
                    cells.extend(categories.iter().map(|c| {
                        Cell::num(r.changes.get(c).map_or(0, |d| d.get()))
                    }));
                    cells.push(Cell::text(r.note.clone().unwrap_or_default()));
                    Row::new(r.document.to_string(), cells)
                })
                .collect();
            if !out.is_empty() {
                let mut cells = vec![Cell::text(Msg::LedgerTotal.text(lang)), Cell::default(), Cell::default()];
                cells.extend(categories.iter().map(|c| {
                    Cell::num(rows.iter().map(|r| r.changes.get(c).map_or(0, |d| d.get())).sum::<i32>())
                }));
                cells.push(Cell::default());
                let mut total = Row::new("total", cells);
                total.class = "total";
                out.push(total);
            }
            out
        })}
    }
    .into_any()
}

/// A category's short name (a column's header, a roster's cell).
pub fn category_msg(category: domain::EstablishmentCategory) -> Msg {
    use domain::EstablishmentCategory as E;
    match category {
        E::Administrative => Msg::CatAdministrative,
        E::PoliticalLegal => Msg::CatPoliticalLegal,
        E::PublicInstitution => Msg::CatPublicInstitution,
        E::Logistics => Msg::CatLogistics,
    }
}

/// 领导职数: approved and filled per level, over-filled flagged.
pub fn leadership(c: &Certificate) -> AnyView {
    let posts = c.leadership_posts.clone();
    table(
        "leadership",
        vec![
            Msg::LeadLevel,
            Msg::LeadApproved,
            Msg::LeadFilled,
            Msg::LeadOver,
        ],
        Msg::EmptyLeadership,
        move |lang| {
            posts
                .iter()
                .map(|p| {
                    let over = p.over().get();
                    let mut row = Row::new(
                        p.level.code(),
                        vec![
                            Cell::text(lang.pick(p.level.label_zh(), p.level.label_en())),
                            Cell::num(p.approved.get()),
                            Cell::flagged(p.filled.get(), over > 0),
                            Cell::flagged(over, over > 0),
                        ],
                    );
                    if over > 0 {
                        row.class = "over";
                    }
                    row
                })
                .collect()
        },
    )
}

/// 减少人员: who (ID number masked), why, when, on which document, approved by which number.
pub fn departed(c: &Certificate) -> AnyView {
    let unit = c.unit.id.to_string();
    let list = c.departed.clone();
    table(
        "departed",
        vec![
            Msg::FieldName,
            Msg::FieldIdNumber,
            Msg::FieldCategory,
            Msg::FieldDepartureReason,
            Msg::FieldLeftOn,
            Msg::FieldDepartureDocument,
            Msg::FieldApproval,
        ],
        Msg::EmptyDeparted,
        move |lang| {
            list.iter()
                .map(|d| {
                    let p = &d.person;
                    Row::new(
                        p.id_number.masked(),
                        vec![
                            Cell::link(p.name.as_str(), super::roster::person_href(&unit, p))
                                .class("person-name"),
                            Cell::text(p.id_number.masked()).class("id-number"),
                            Cell::text(lang.pick(p.category.label_zh(), p.category.label_en())),
                            Cell::text(lang.pick(d.reason.label_zh(), d.reason.label_en())),
                            Cell::text(d.left_on.to_string()),
                            Cell::text(d.document.to_string()),
                            Cell::text(or_none(d.approval.as_ref().map(ToString::to_string))),
                        ],
                    )
                })
                .collect()
        },
    )
}

/// The unit's quota-use slips: number, category, posts used of those granted, validity, and
/// whether each is open, used up or lapsed today.
pub fn slips(c: &Certificate) -> AnyView {
    let slips = c.slips.clone();
    if slips.is_empty() {
        return ().into_any();
    }
    let today = crate::applications::registration::today();
    view! {
        <h3>{t(Msg::SlipsTitle)}</h3>
        {table(
            "slips",
            vec![Msg::FieldSlip, Msg::LedgerCategory, Msg::SlipUsed, Msg::SlipValidUntil, Msg::SlipStateTitle],
            Msg::NoMatch,
            move |lang| {
                slips
                    .iter()
                    .map(|s| {
                        let state = today.map(|d| s.state(d));
                        let mut row = Row::new(
                            s.number.to_string(),
                            vec![
                                Cell::text(s.number.to_string()),
                                Cell::text(lang.pick(s.category.label_zh(), s.category.label_en())),
                                Cell::text(format!("{} / {}", s.used.get(), s.count.get())).class("num"),
                                Cell::text(s.valid_until.to_string()),
                                Cell::text(state.map(|s| lang.pick(s.label_zh(), s.label_en())).unwrap_or_default()),
                            ],
                        );
                        row.class = "slip";
                        row.state = state.map_or("", |s| s.code());
                        row
                    })
                    .collect()
            },
        )}
    }
    .into_any()
}
