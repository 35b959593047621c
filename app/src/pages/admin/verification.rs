//! 数据核实 (`/admin/verification`, `?unit=` opens a unit): the data-verification phase in the
//! browser. The bureau sees each unit's state (not started / imported / confirmed by the unit /
//! confirmed by the bureau) counted per region, with a drill-down to the region's units — from
//! the synced data, offline too. For one unit: the roster template to download, a filled-in
//! file checked by the server (`POST /api/import/check`: nothing is imported) and its report —
//! each error by row, column and rule in the interface's language —, the import of a clean
//! file, or of only its valid rows when the user chooses so, as a signed `roster_import` act;
//! then the unit's clerk confirms the certificate, and the bureau after them, each by a signed
//! `verification_confirm` act (`applications::acting`). A bureau administrator imports and
//! confirms for the bureau; a unit clerk imports and confirms for their own unit; the
//! bureau's other roles only look.

use std::collections::BTreeMap;

use domain::act::{ActPayload, ConfirmStage, RosterImport, VerificationConfirm};
use domain::region::Region;
use domain::roster::COLUMNS;
use domain::{Role, UnitId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::admin::{ImportError, ImportReport, VerificationState};
use protocol::identity::VerdictStatus;

use crate::applications::acting::{sign_and_send, verdict_reason};
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;
use crate::store;

/// The states in their order, each with its label.
const STATES: [(VerificationState, Msg); 4] = [
    (VerificationState::NotStarted, Msg::VerifNotStarted),
    (VerificationState::Imported, Msg::VerifImported),
    (
        VerificationState::ConfirmedByUnit,
        Msg::VerifConfirmedByUnit,
    ),
    (
        VerificationState::ConfirmedByBureau,
        Msg::VerifConfirmedByBureau,
    ),
];

/// The label of `state`.
fn state_label(state: VerificationState) -> Msg {
    STATES
        .iter()
        .find(|(s, _)| *s == state)
        .map_or(Msg::VerifNotStarted, |(_, m)| *m)
}

/// The code of `state` (element attributes).
fn state_code(state: VerificationState) -> &'static str {
    match state {
        VerificationState::NotStarted => "not_started",
        VerificationState::Imported => "imported",
        VerificationState::ConfirmedByUnit => "confirmed_by_unit",
        VerificationState::ConfirmedByBureau => "confirmed_by_bureau",
    }
}

/// One unit of the holder's scope with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitState {
    pub unit_id: String,
    pub name: String,
    pub region: Region,
    pub staff: u32,
    pub state: VerificationState,
}

/// The units of the scope by region (in the domain's order of regions, then unit id), each
/// region with its count of units in each state (in [`STATES`]' order).
pub fn by_region(units: &[UnitState]) -> Vec<(Region, [u32; 4])> {
    let mut counts: BTreeMap<usize, [u32; 4]> = BTreeMap::new();
    for u in units {
        let region = Region::ALL.iter().position(|r| *r == u.region).unwrap_or(0);
        let state = STATES.iter().position(|(s, _)| *s == u.state).unwrap_or(0);
        counts.entry(region).or_default()[state] += 1;
    }
    counts
        .into_iter()
        .filter_map(|(i, c)| Region::ALL.get(i).map(|r| (*r, c)))
        .collect()
}

/// Reads the units of the holder's scope with their states from the store.
async fn load(holder: &str) -> Result<Vec<UnitState>, store::StorageError> {
    let records = store::unit_records(holder).await?;
    let staff: BTreeMap<String, u32> = store::units(holder)
        .await?
        .into_iter()
        .map(|u| (u.unit_id, u.staff))
        .collect();
    let states = store::verification_states(holder).await?;
    Ok(records
        .into_iter()
        .map(|r| {
            let unit_id = r.id.to_string();
            UnitState {
                staff: staff.get(&unit_id).copied().unwrap_or(0),
                state: states
                    .get(&unit_id)
                    .map_or(VerificationState::NotStarted, |k| k.state),
                name: r.name.to_string(),
                region: r.region,
                unit_id,
            }
        })
        .collect())
}

/// The column of an error as the interface shows it: its letter and header in `lang`.
fn column_text(e: &ImportError, lang: Lang) -> String {
    let header = match lang {
        Lang::Zh => e.field.clone(),
        Lang::En => COLUMNS
            .iter()
            .find(|c| c.header == e.field)
            .map_or_else(|| e.field.clone(), |c| c.header_en.to_owned()),
    };
    match lang {
        Lang::Zh => format!("{}（{header}）", e.column),
        Lang::En => format!("{} ({header})", e.column),
    }
}

/// The acts this page signs.
#[derive(Debug, Clone)]
enum Payload {
    Import(RosterImport),
    Confirm(VerificationConfirm),
}

/// What the last act of the page came to.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Waiting for the key or the server.
    Busy(Msg),
    /// Accepted: the message, a count (rows imported) and whether it was flagged over
    /// establishment.
    Done(Msg, Option<u32>, bool),
    /// Refused or failed: the reason in `lang`.
    Failed(String),
}

/// 数据核实.
#[component]
pub fn Verification() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let role = move || {
        context
            .session
            .with(|s| s.as_ref().and_then(|s| s.holder.role))
    };
    let own_unit = move || {
        context.session.with(|s| {
            s.as_ref()
                .and_then(|s| s.holder.unit().map(ToString::to_string))
        })
    };
    let selected = RwSignal::new(crate::router::use_query("unit"));
    let region = RwSignal::new(None::<Region>);
    // Kept here, not in the unit's panel: a sync redraws the panel (its state may have moved
    // on), and a report or a verdict on screen must survive it. Another unit starts afresh.
    let report = RwSignal::new(None::<ImportReport>);
    let outcome = RwSignal::new(None::<Outcome>);
    // The file chosen, with its unit: kept here, so that a redraw of the unit's panel (a sync
    // refreshing the states) does not lose it.
    let chosen_file = RwSignal::new_local(None::<(String, web_sys::File)>);
    Effect::new(move |_| {
        selected.track();
        report.set(None);
        outcome.set(None);
    });
    let units = LocalResource::new(move || {
        let holder = context.holder_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) => load(&holder).await,
                None => Ok(Vec::new()),
            }
        }
    });
    move || {
        let role = role();
        let bureau = role.is_some_and(Role::is_bureau);
        let clerk = role == Some(Role::UnitClerk) && own_unit().is_some();
        if !bureau && !clerk {
            return view! {
                <section class="card verification" id="verification">
                    <h1>{t(Msg::VerifTitle)}</h1>
                    <p class="notice" id="verification-not-allowed">{t(Msg::VerifNotAllowed)}</p>
                </section>
            }
            .into_any();
        }
        if clerk && selected.get_untracked() != own_unit() {
            selected.set(own_unit());
        }
        view! {
            <section class="card verification" id="verification">
                <h1>{t(Msg::VerifTitle)}</h1>
                <p class="muted">{t(Msg::VerifIntro)}</p>
                {move || match units.with(Clone::clone) {
                    None => view! { <p class="muted">{t(Msg::ReportsLoading)}</p> }.into_any(),
                    Some(Err(e)) => {
                        view! { <p class="error" role="alert">{move || e.text(lang.get())}</p> }.into_any()
                    }
                    Some(Ok(all)) => {
                        let all = StoredValue::new(all);
                        view! {
                            {bureau.then(|| view! { <Progress units=all region=region selected=selected/> })}
                            {move || {
                                selected
                                    .get()
                                    .and_then(|id| all.with_value(|a| a.iter().find(|u| u.unit_id == id).cloned()))
                                    .map(|unit| view! { <UnitPanel unit=unit role=role report=report outcome=outcome chosen_file=chosen_file/> })
                            }}
                        }
                        .into_any()
                    }
                }}
            </section>
        }
        .into_any()
    }
}

/// The states counted per region, the drill-down to a region's units.
#[component]
fn Progress(
    units: StoredValue<Vec<UnitState>>,
    region: RwSignal<Option<Region>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_app_context().lang;
    let counts = units.with_value(|u| by_region(u));
    let mut total = [0u32; 4];
    for (_, c) in &counts {
        for (t, n) in total.iter_mut().zip(c) {
            *t += n;
        }
    }
    let headers = STATES
        .iter()
        .map(|(_, m)| view! { <th class="num">{t(*m)}</th> })
        .collect_view();
    let cells = |c: [u32; 4]| {
        let sum: u32 = c.iter().sum();
        view! {
            {c.into_iter().map(|n| view! { <td class="num">{n}</td> }).collect_view()}
            <td class="num">{sum}</td>
        }
    };
    let rows = counts
        .into_iter()
        .map(|(r, c)| {
            view! {
                <tr data-region=r.code()>
                    <td>
                        <button
                            type="button"
                            class="link"
                            aria-pressed=move || (region.get() == Some(r)).to_string()
                            on:click=move |_| region.update(|open| *open = if *open == Some(r) { None } else { Some(r) })
                        >
                            {move || lang.get().pick(r.label_zh(), r.label_en())}
                        </button>
                    </td>
                    {cells(c)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{t(Msg::VerifProgress)}</h2>
        <p class="muted">{t(Msg::VerifDrillHint)}</p>
        <div class="report-scroll">
            <table class="report-table" id="verification-regions">
                <thead>
                    <tr>
                        <th>{t(Msg::OversightRegion)}</th>
                        {headers}
                        <th class="num">{t(Msg::OversightTotal)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows}
                    <tr class="total" id="verification-total">
                        <td>{t(Msg::OversightTotal)}</td>
                        {cells(total)}
                    </tr>
                </tbody>
            </table>
        </div>
        {move || {
            region
                .get()
                .map(|r| {
                    let lines = units
                        .with_value(|u| u.iter().filter(|u| u.region == r).cloned().collect::<Vec<_>>());
                    view! {
                        <h3 id="verification-drill-title">
                            {move || lang.get().pick(r.label_zh(), r.label_en())}
                            " · "
                            {t(Msg::OversightUnitsTitle)}
                        </h3>
                        <div class="report-scroll">
                            <table class="report-table" id="verification-units">
                                <thead>
                                    <tr>
                                        <th>{t(Msg::OversightUnit)}</th>
                                        <th class="num">{t(Msg::VerifStaff)}</th>
                                        <th>{t(Msg::VerifState)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {lines
                                        .into_iter()
                                        .map(|u| {
                                            let id = u.unit_id.clone();
                                            view! {
                                                <tr data-unit=u.unit_id.clone() data-state=state_code(u.state)>
                                                    <td>{u.name}</td>
                                                    <td class="num">{u.staff}</td>
                                                    <td>{t(state_label(u.state))}</td>
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="link"
                                                            on:click=move |_| selected.set(Some(id.clone()))
                                                        >
                                                            {t(Msg::VerifChoose)}
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })
        }}
    }
}

/// One unit: its state, the import (template, check, report, signed import) and the signed
/// confirmations.
#[component]
fn UnitPanel(
    unit: UnitState,
    role: Option<Role>,
    report: RwSignal<Option<ImportReport>>,
    outcome: RwSignal<Option<Outcome>>,
    chosen_file: RwSignal<Option<(String, web_sys::File)>, LocalStorage>,
) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let admin = role == Some(Role::BureauAdmin);
    let clerk = role == Some(Role::UnitClerk);
    let file = NodeRef::<leptos::html::Input>::new();
    let unit_id = StoredValue::new(unit.unit_id.clone());
    // The file chosen for this unit (another unit's choice does not carry over).
    let this_units = move || {
        chosen_file.with(|c| {
            c.as_ref()
                .filter(|(unit, _)| unit_id.with_value(|u| u == unit))
                .map(|(_, f)| f.clone())
        })
    };
    let choose = move || {
        let picked = file
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        chosen_file.set(picked.map(|f| (unit_id.get_value(), f)));
    };
    let busy = move || matches!(outcome.get(), Some(Outcome::Busy(_)));
    let check = move |_| {
        let Some(chosen) = untrack(this_units) else {
            outcome.set(Some(Outcome::Failed(
                Msg::VerifNoFile.text(lang.get_untracked()).to_owned(),
            )));
            return;
        };
        let Some(csrf) = context
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.csrf_token.clone()))
        else {
            return;
        };
        report.set(None);
        outcome.set(Some(Outcome::Busy(Msg::VerifChecking)));
        spawn_local(async move {
            let unit = unit_id.get_value();
            match crate::api::import_check(&csrf, &unit, &chosen).await {
                Ok(r) => {
                    outcome.set(None);
                    report.set(Some(r));
                }
                Err(e) => outcome.set(Some(Outcome::Failed(e.text(lang.get_untracked())))),
            }
        });
    };
    // Signs and sends `payload`; `done` is the message of an acceptance, `rows` what it imported.
    let act = move |payload: Payload, done: Msg, rows: Option<u32>| {
        let Some(session) = context.session.get_untracked() else {
            return;
        };
        outcome.set(Some(Outcome::Busy(Msg::VerifSigning)));
        spawn_local(async move {
            let l = lang.get_untracked();
            let verdict = sign_and_send(
                &session,
                match payload {
                    Payload::Import(p) => ActPayload::RosterImport(p),
                    Payload::Confirm(p) => ActPayload::VerificationConfirm(p),
                },
            )
            .await;
            match verdict {
                Ok(v) if v.status == VerdictStatus::Accepted => {
                    let over = v.flags.iter().any(|f| f == "over_establishment");
                    if rows.is_some() {
                        report.set(None);
                    }
                    outcome.set(Some(Outcome::Done(done, rows, over)));
                    crate::sync::engine::kick(context);
                }
                Ok(v) => outcome.set(Some(Outcome::Failed(verdict_reason(&v, l)))),
                Err(e) => outcome.set(Some(Outcome::Failed(e.text(l)))),
            }
        });
    };
    let import = move |valid_only: bool| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let Ok(unit) = UnitId::parse(&r.unit_id) else {
            return;
        };
        let (digest, rows) = if valid_only {
            (r.digest_valid.clone(), r.rows_valid)
        } else {
            (r.digest_all.clone(), r.rows_total)
        };
        act(
            Payload::Import(RosterImport {
                unit,
                upload_id: r.upload_id,
                digest,
                rows,
                valid_only,
            }),
            Msg::VerifImportDone,
            Some(rows),
        );
    };
    // The staff count the signer saw.
    let staff = unit.staff;
    let confirm = move |stage: ConfirmStage| {
        let Ok(unit) = UnitId::parse(&unit_id.get_value()) else {
            return;
        };
        act(
            Payload::Confirm(VerificationConfirm { unit, stage, staff }),
            Msg::VerifConfirmDone,
            None,
        );
    };
    let state = unit.state;
    // Once a unit has confirmed, its data changes by applications, not by import (an import
    // would send it back to 已导入).
    let may_import = (admin || clerk)
        && matches!(
            state,
            VerificationState::NotStarted | VerificationState::Imported
        );
    let colon = move || lang.get().pick("：", ": ");
    let unit_may_confirm = clerk
        && matches!(
            state,
            VerificationState::NotStarted | VerificationState::Imported
        );
    let bureau_may_confirm = admin && state == VerificationState::ConfirmedByUnit;
    view! {
        <div class="verification-unit" id="verification-unit" data-unit=unit.unit_id.clone() data-state=state_code(state)>
            <h2>{t(Msg::VerifUnitTitle)} {unit.name.clone()}</h2>
            <p>
                <span class="muted">{t(Msg::VerifState)} {colon}</span>
                <strong id="verification-state">{t(state_label(state))}</strong>
                " · "
                <span class="muted">{t(Msg::VerifStaff)} {colon}</span>
                {unit.staff}
                " · "
                <a href=format!("/certificate/{}", unit.unit_id) id="verification-certificate">
                    {t(Msg::VerifOpenCertificate)}
                </a>
            </p>
            {may_import
                .then(|| {
                    view! {
                        <h3>{t(Msg::VerifStepImport)}</h3>
                        <p>
                            <a href=protocol::admin::IMPORT_TEMPLATE_PATH download="roster-template.xlsx" id="verification-template">
                                {t(Msg::VerifTemplate)}
                            </a>
                        </p>
                        <p class="verification-file">
                            // The browser's own picker would speak the browser's language
                            // ("Choose File", "No file chosen"): hidden, and a button and the
                            // chosen name in the interface's language in its place.
                            <span>{t(Msg::VerifFile)}</span>
                            <label class="button secondary" for="verification-file">{t(Msg::ChooseFile)}</label>
                            <input type="file" class="visually-hidden" accept=".xlsx" id="verification-file" node_ref=file on:change=move |_| choose()/>
                            <span class="file-name" id="verification-file-name">
                                {move || this_units().map(|f| f.name()).unwrap_or_else(|| Msg::NoFileChosen.text(lang.get()).to_owned())}
                            </span>
                            <button type="button" class="primary" id="verification-check" on:click=check disabled=busy>
                                {t(Msg::VerifCheck)}
                            </button>
                        </p>
                        <p class="muted">{t(Msg::VerifOnlineOnly)}</p>
                    }
                })}
            {move || report.get().map(|r| view! { <Report report=r import=import busy=Signal::derive(busy)/> })}
            {move || {
                outcome
                    .get()
                    .map(|o| match o {
                        Outcome::Busy(m) => view! { <p class="muted" role="status" id="verification-busy">{t(m)}</p> }.into_any(),
                        Outcome::Done(m, rows, over) => {
                            view! {
                                <p class="success" role="status" id="verification-done">
                                    {t(m)}
                                    {rows.map(|n| format!(" {n} "))}
                                    {rows.map(|_| t(Msg::VerifPeople))}
                                </p>
                                {over.then(|| view! { <p class="notice" id="verification-over">{t(Msg::VerifFlagOver)}</p> })}
                            }
                            .into_any()
                        }
                        Outcome::Failed(reason) => {
                            view! {
                                <p class="error" role="alert" id="verification-failed">
                                    {t(Msg::VerifRefused)}
                                    {reason}
                                </p>
                            }
                            .into_any()
                        }
                    })
            }}
            <h3>{t(Msg::VerifStepConfirm)}</h3>
            {match state {
                VerificationState::ConfirmedByBureau => {
                    view! { <p class="success" id="verification-complete">{t(Msg::VerifComplete)}</p> }.into_any()
                }
                _ if unit_may_confirm => {
                    view! {
                        <p class="muted">{t(Msg::VerifConfirmHint)}</p>
                        <button type="button" class="primary" id="verification-confirm-unit" disabled=busy on:click=move |_| confirm(ConfirmStage::Unit)>
                            {t(Msg::VerifConfirmUnit)}
                        </button>
                    }
                    .into_any()
                }
                _ if bureau_may_confirm => {
                    view! {
                        <p class="muted">{t(Msg::VerifConfirmHint)}</p>
                        <button type="button" class="primary" id="verification-confirm-bureau" disabled=busy on:click=move |_| confirm(ConfirmStage::Bureau)>
                            {t(Msg::VerifConfirmBureau)}
                        </button>
                    }
                    .into_any()
                }
                VerificationState::ConfirmedByUnit => {
                    view! { <p class="muted" id="verification-wait">{t(Msg::VerifWaitBureau)}</p> }.into_any()
                }
                _ => view! { <p class="muted" id="verification-wait">{t(Msg::VerifWaitUnit)}</p> }.into_any(),
            }}
        </div>
    }
}

/// The report of a checked file: counts, each error by row, column and rule, and the import
/// buttons it allows.
#[component]
fn Report(
    report: ImportReport,
    import: impl Fn(bool) + Copy + Send + Sync + 'static,
    busy: Signal<bool>,
) -> impl IntoView {
    let lang = use_app_context().lang;
    let clean = report.errors.is_empty();
    let errors = report.errors.len();
    let (total, valid) = (report.rows_total, report.rows_valid);
    let list = StoredValue::new(report.errors);
    let separator = move || lang.get().pick("；", "; ");
    let count = move |n: u32| {
        move || match lang.get() {
            Lang::Zh => format!("（{n}）"),
            Lang::En => format!(" ({n})"),
        }
    };
    view! {
        <div class="verification-report" id="verification-report" data-errors=errors.to_string()>
            <h3>{t(Msg::VerifReportTitle)}</h3>
            <p id="verification-counts">
                {t(Msg::VerifRowsTotal)} {total} {separator}
                {t(Msg::VerifRowsValid)} {valid} {separator}
                {t(Msg::VerifErrorCount)} {errors}
            </p>
            {if clean {
                view! {
                    <p class="success" id="verification-clean">{t(Msg::VerifClean)}</p>
                    <button type="button" class="primary" id="verification-import" disabled=busy on:click=move |_| import(false)>
                        {t(Msg::VerifImportAll)}
                        {count(total)}
                    </button>
                }
                .into_any()
            } else {
                view! {
                    <p class="notice" id="verification-nothing">{t(Msg::VerifNothingImported)}</p>
                    <div class="report-scroll">
                        <table class="report-table" id="verification-errors">
                            <thead>
                                <tr>
                                    <th class="num">{t(Msg::VerifRow)}</th>
                                    <th>{t(Msg::VerifColumn)}</th>
                                    <th>{t(Msg::VerifRule)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    let l = lang.get();
                                    list.with_value(|errors| {
                                        errors
                                            .iter()
                                            .map(|e| {
                                                let message = match l {
                                                    Lang::Zh => e.message_zh.clone(),
                                                    Lang::En => e.message_en.clone(),
                                                };
                                                view! {
                                                    <tr data-row=e.row.to_string() data-column=e.column.clone() data-rule=e.rule.clone()>
                                                        <td class="num">{e.row}</td>
                                                        <td>{column_text(e, l)}</td>
                                                        <td>{message}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()
                                    })
                                }}
                            </tbody>
                        </table>
                    </div>
                    <p class="muted">{t(Msg::VerifFixHint)}</p>
                    {(valid > 0)
                        .then(|| {
                            view! {
                                <button type="button" class="secondary" id="verification-import-valid" disabled=busy on:click=move |_| import(true)>
                                    {t(Msg::VerifImportValid)}
                                    {count(valid)}
                                </button>
                            }
                        })}
                }
                .into_any()
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn units_are_counted_per_region_and_state() {
        let unit = |region, state| UnitState {
            unit_id: "620502-0001".into(),
            name: "单位".into(),
            region,
            staff: 1,
            state,
        };
        let counts = by_region(&[
            unit(Region::Maiji, VerificationState::Imported),
            unit(Region::Tianshui, VerificationState::NotStarted),
            unit(Region::Maiji, VerificationState::ConfirmedByBureau),
            unit(Region::Maiji, VerificationState::Imported),
        ]);
        assert_eq!(
            counts,
            vec![
                (Region::Tianshui, [1, 0, 0, 0]),
                (Region::Maiji, [0, 2, 0, 1])
            ]
        );
    }
}
