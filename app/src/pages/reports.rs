//! 报表 (`/reports`): the four reports — 编制台帐, 在编人员花名册, 减少人员名册, 人员变动情况 — and
//! the 人员结构分析 of a unit, a department with the units it supervises, a region or every unit
//! the holder's store holds, built offline from IndexedDB by the `reports` crate: on screen
//! (printable on A4), exported as .csv (here) and .xlsx (in the export worker, `export.rs`).

use domain::Date;
use domain::certificate::Certificate;
use domain::person::Person;
use leptos::prelude::*;
use leptos::task::spawn_local;
use reports::structure::{self, Distribution};
use reports::{Table, Workbook};

use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;
use crate::store;

/// At most this many rows of a report are drawn on screen; the files hold every row.
pub const SCREEN_ROWS: usize = 1000;

/// The report shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Report {
    Ledger,
    Roster,
    Departures,
    Changes,
    Structure,
}

impl Report {
    const ALL: [Report; 5] = [
        Report::Ledger,
        Report::Roster,
        Report::Departures,
        Report::Changes,
        Report::Structure,
    ];

    fn code(self) -> &'static str {
        ["ledger", "roster", "departures", "changes", "structure"][self as usize]
    }

    fn title(self) -> Msg {
        [
            Msg::ReportLedger,
            Msg::ReportRoster,
            Msg::ReportDepartures,
            Msg::ReportChanges,
            Msg::ReportStructure,
        ][self as usize]
    }

    /// Whether the report reads the date range (else, for the analysis, the date of ages).
    fn ranged(self) -> bool {
        matches!(self, Report::Departures | Report::Changes)
    }
}

fn report_lang(lang: Lang) -> reports::Lang {
    match lang {
        Lang::Zh => reports::Lang::Zh,
        Lang::En => reports::Lang::En,
    }
}

/// `text` with a count after it, in brackets of the language: `…（12）`, `… (12)`.
fn counted(text: &str, n: usize, lang: Lang) -> String {
    format!("{text}{}{n}{}", lang.pick("（", " ("), lang.pick("）", ")"))
}

/// The scopes offered: every unit, each region, each department with the units it supervises,
/// each unit; as (value, label).
fn scopes(all: &[Certificate], lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![(
        "all".to_owned(),
        counted(Msg::ReportsScopeAll.text(lang), all.len(), lang),
    )];
    let mut regions: Vec<domain::region::Region> = all.iter().map(|c| c.unit.region).collect();
    regions.dedup();
    if regions.len() > 1 {
        for region in domain::region::Region::ALL {
            let n = all.iter().filter(|c| c.unit.region == *region).count();
            if n > 0 {
                let label = lang.pick(region.label_zh(), region.label_en());
                out.push((format!("region:{}", region.code()), counted(label, n, lang)));
            }
        }
    }
    for c in reports::roster::units_in_order(all) {
        let supervised = all
            .iter()
            .filter(|u| u.unit.supervising_department.as_ref() == Some(&c.unit.id))
            .count();
        if supervised > 0 {
            out.push((
                format!("department:{}", c.unit.id),
                counted(
                    &format!("{}{}", c.unit.name, Msg::ReportsScopeSupervised.text(lang)),
                    supervised + 1,
                    lang,
                ),
            ));
        }
    }
    for c in reports::roster::units_in_order(all) {
        out.push((format!("unit:{}", c.unit.id), c.unit.name.to_string()));
    }
    out
}

/// Whether `c` is in the scope `value` (one of [`scopes`]).
fn in_scope(value: &str, c: &Certificate) -> bool {
    match value.split_once(':') {
        Some(("region", code)) => c.unit.region.code() == code,
        Some(("department", id)) => {
            c.unit.id.as_str() == id
                || c.unit.supervising_department.as_ref().map(|d| d.as_str()) == Some(id)
        }
        Some(("unit", id)) => c.unit.id.as_str() == id,
        _ => true,
    }
}

/// What the page shows and exports for a choice of report, scope and dates.
struct Built {
    workbook: Workbook,
    distributions: Vec<Distribution>,
}

fn build(
    report: Report,
    scope: &[Certificate],
    (from, to, on): (Date, Date, Date),
    lang: reports::Lang,
) -> Built {
    let table = |t: Table| vec![t];
    let (sheets, distributions) = match report {
        Report::Ledger => (
            table(reports::ledger::establishment_ledger(scope, lang)),
            vec![],
        ),
        Report::Roster => (table(reports::roster::roster(scope, lang)), vec![]),
        Report::Departures => (
            table(reports::roster::departures(scope, from, to, lang)),
            vec![],
        ),
        Report::Changes => (
            table(reports::changes::changes(scope, from, to, lang)),
            vec![],
        ),
        Report::Structure => {
            let people: Vec<&Person> = scope.iter().flat_map(|c| &c.staff).collect();
            let d = structure::analyse(&people, on, lang);
            let sheets = d.iter().map(|d| structure::table(d, lang)).collect();
            (sheets, d)
        }
    };
    Built {
        workbook: Workbook {
            name: String::new(),
            sheets,
        },
        distributions,
    }
}

/// 报表.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let today = crate::applications::registration::today().unwrap_or(Date::MIN);
    let start_of_year = Date::from_ymd(today.year(), 1, 1).unwrap_or(today);
    let report = RwSignal::new(Report::Ledger);
    let scope = RwSignal::new("all".to_owned());
    let from = RwSignal::new(start_of_year);
    let to = RwSignal::new(today);
    let on = RwSignal::new(today);
    let status = RwSignal::new(None::<(bool, String)>);
    let exported = RwSignal::new(String::new());
    let certificates = LocalResource::new(move || {
        let holder = context.holder_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) => store::scope::all_certificates(&holder).await,
                None => Ok(Vec::new()),
            }
        }
    });
    // The certificates of the chosen scope (all of them without a copy).
    let with_scope = move |f: &mut dyn FnMut(&[Certificate])| {
        certificates.with(|loaded| {
            let Some(Ok(all)) = loaded.as_ref() else {
                return;
            };
            let value = scope.get();
            if value == "all" {
                f(all);
            } else {
                let chosen: Vec<Certificate> = all
                    .iter()
                    .filter(|c| in_scope(&value, c))
                    .cloned()
                    .collect();
                f(&chosen);
            }
        })
    };
    let scope_label = move || {
        let value = scope.get();
        certificates.with(|loaded| match loaded.as_ref() {
            Some(Ok(all)) => scopes(all, lang.get())
                .into_iter()
                .find(|(v, _)| *v == value)
                .map(|(_, label)| label)
                .unwrap_or_default(),
            _ => String::new(),
        })
    };
    let export = move |xlsx: bool| {
        let mut built = None;
        let dates = (from.get_untracked(), to.get_untracked(), on.get_untracked());
        let kind = report.get_untracked();
        untrack(|| with_scope(&mut |s| built = Some(build(kind, s, dates, reports::Lang::Zh))));
        let Some(built) = built else {
            return;
        };
        let label = untrack(scope_label);
        // The scope's name without its count (`counted`), in either language.
        let scope_name = label
            .rsplit_once(['（', '('])
            .map_or(label.as_str(), |(name, _)| name)
            .trim_end()
            .to_owned();
        let mut workbook = built.workbook;
        workbook.name = format!("{}_{}_{}", kind.title().text(Lang::Zh), scope_name, today);
        let lang = lang.get_untracked();
        status.set(Some((false, Msg::ReportsExporting.text(lang).to_owned())));
        spawn_local(async move {
            let name = workbook.name.clone();
            let done = if xlsx {
                crate::export::save_xlsx(&name, &workbook, today).await
            } else {
                crate::export::save_csv(&name, &reports::csv::workbook_csv(&workbook))
            };
            let file = format!("{name}.{}", if xlsx { "xlsx" } else { "csv" });
            match done {
                Ok(()) => {
                    status.set(Some((
                        false,
                        format!("{}{file}", Msg::ReportsExported.text(lang)),
                    )));
                    exported.set(file);
                }
                Err(e) => status.set(Some((
                    true,
                    format!("{}{e}", Msg::ReportsExportFailed.text(lang)),
                ))),
            }
        });
    };
    let date_input = move |id: &'static str, label: Msg, value: RwSignal<Date>| {
        view! {
            <label class="report-date">
                {t(label)}
                <input
                    type="date"
                    id=id
                    prop:value=move || value.get().to_string()
                    on:change=move |ev| {
                        if let Ok(d) = Date::parse(&event_target_value(&ev)) {
                            value.set(d);
                        }
                    }
                />
            </label>
        }
    };
    let printer = move || {
        context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.name.clone()))
            .unwrap_or_default()
    };
    view! {
        <section class="card reports" id="reports">
            <h1 class="no-print">{t(Msg::ReportsTitle)}</h1>
            <div class="report-tabs no-print" role="tablist">
                {Report::ALL
                    .into_iter()
                    .map(|r| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class="report-tab"
                                id=format!("report-tab-{}", r.code())
                                aria-selected=move || (report.get() == r).to_string()
                                on:click=move |_| {
                                    report.set(r);
                                    status.set(None);
                                }
                            >
                                {t(r.title())}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="report-controls no-print">
                <label class="report-scope">
                    {t(Msg::ReportsScope)}
                    <select id="report-scope" on:change=move |ev| {
                        scope.set(event_target_value(&ev));
                        status.set(None);
                    }>
                        {move || {
                            let current = scope.get();
                            certificates
                                .with(|loaded| match loaded.as_ref() {
                                    Some(Ok(all)) => scopes(all, lang.get()),
                                    _ => Vec::new(),
                                })
                                .into_iter()
                                .map(|(value, label)| {
                                    let selected = value == current;
                                    view! { <option value=value selected=selected>{label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <Show when=move || report.get().ranged()>
                    {date_input("report-from", Msg::ReportsFrom, from)}
                    {date_input("report-to", Msg::ReportsTo, to)}
                </Show>
                <Show when=move || report.get() == Report::Structure>
                    {date_input("report-on", Msg::ReportsAgeOn, on)}
                </Show>
                <div class="report-actions">
                    <button type="button" class="primary" id="export-xlsx" on:click=move |_| export(true)>
                        {t(Msg::ReportsExportXlsx)}
                    </button>
                    <button type="button" class="secondary" id="export-csv" on:click=move |_| export(false)>
                        {t(Msg::ReportsExportCsv)}
                    </button>
                    <button type="button" class="secondary" id="report-print" on:click=move |_| {
                        let _ = window().print();
                    }>
                        {t(Msg::ReportsPrint)}
                    </button>
                </div>
            </div>
            {move || {
                status
                    .get()
                    .map(|(failed, text)| {
                        view! {
                            <p
                                class=if failed { "error no-print" } else { "muted no-print" }
                                role="status"
                                id="export-status"
                                data-file=move || exported.get()
                            >
                                {text}
                            </p>
                        }
                    })
            }}
            {move || match certificates.with(|loaded| match loaded {
                None => Err(None),
                Some(Err(e)) => Err(Some(e.clone())),
                Some(Ok(all)) => Ok(all.is_empty()),
            }) {
                Err(None) => view! { <p class="muted">{t(Msg::ReportsLoading)}</p> }.into_any(),
                Err(Some(e)) => {
                    view! {
                        <p class="error" role="alert">{move || e.text(lang.get())}</p>
                    }
                        .into_any()
                }
                Ok(true) => {
                    view! { <p class="muted" id="reports-empty">{t(Msg::ReportsEmpty)}</p> }.into_any()
                }
                Ok(false) => {
                    let kind = report.get();
                    let dates = (from.get(), to.get(), on.get());
                    let l = lang.get();
                    let mut built = None;
                    with_scope(&mut |s| built = Some(build(kind, s, dates, report_lang(l))));
                    let Some(built) = built else {
                        return ().into_any();
                    };
                    let period = if kind.ranged() {
                        format!("{} – {}", dates.0, dates.1)
                    } else if kind == Report::Structure {
                        format!("{}{}", Msg::ReportsAgeOn.text(l), dates.2)
                    } else {
                        String::new()
                    };
                    view! {
                        <div class="report-output" id="report-output" data-report=kind.code()>
                            <h2 class="report-title">{t(kind.title())}</h2>
                            <p class="report-meta">
                                <span>{t(Msg::ReportsScope)} {move || lang.get().pick("：", ": ")} {scope_label}</span>
                                <span>{period}</span>
                                <span>{t(Msg::ReportsPreparedBy)} {printer} " " {today.to_string()}</span>
                            </p>
                            {if kind == Report::Structure {
                                view! { <Charts distributions=built.distributions/> }.into_any()
                            } else {
                                built
                                    .workbook
                                    .sheets
                                    .into_iter()
                                    .map(|table| view! { <ReportTable table=table/> })
                                    .collect_view()
                                    .into_any()
                            }}
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One report's table on screen (`reports::html`: numbers right-aligned, 身份证号 masked, totals
/// in bold); at most [`SCREEN_ROWS`] rows.
#[component]
fn ReportTable(table: Table) -> impl IntoView {
    let total = table.rows.len();
    let shown = total.min(SCREEN_ROWS);
    view! {
        <p class="muted report-count" data-rows=total.to_string()>
            {total} " " {t(Msg::ReportsRows)}
            {(shown < total)
                .then(|| {
                    view! {
                        "；" {t(Msg::ReportsShownFirst)} " " {shown} " " {t(Msg::ReportsAllInFiles)}
                    }
                })}
        </p>
        {(total == 0).then(|| view! { <p class="muted" id="report-none">{t(Msg::ReportsNoRows)}</p> })}
        <div class="report-scroll" inner_html=reports::html::table(&table, shown)></div>
    }
}

/// The structure analysis: one chart per dimension, drawn by `reports::svg`.
#[component]
fn Charts(distributions: Vec<Distribution>) -> impl IntoView {
    let lang = use_app_context().lang;
    view! {
        <div class="charts">
            {distributions
                .into_iter()
                .map(|d| {
                    let svg = reports::svg::chart(&d, report_lang(lang.get_untracked()));
                    view! {
                        <figure class="chart-card" id=format!("chart-{}", d.dimension.code())>
                            <figcaption>
                                {d.dimension.title(report_lang(lang.get_untracked())).to_owned()}
                                " · " {t(Msg::ReportsTotal)} " " {d.total}
                            </figcaption>
                            <div class="chart-svg" inner_html=svg></div>
                        </figure>
                    }
                })
                .collect_view()}
        </div>
    }
}
