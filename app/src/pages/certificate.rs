//! The 编制证 page (`/certificate`), where a clerk lands after signing in: the confirmed state
//! kept on this computer — the units of the holder's scope, the chosen unit's ledger figures
//! and staff roster — and, apart, the clerk's applications with their status. Works offline:
//! it reads only the local store, and re-reads it whenever a sync changed it.

use domain::EstablishmentCategory;
use domain::certificate::Certificate;
use leptos::prelude::*;

use crate::applications::outbox::OutboxItem;
use crate::components::my_applications::MyApplications;
use crate::i18n::{Msg, t};
use crate::state::use_app_context;
use crate::store::{self, UnitSummary};

/// At most this many roster rows are drawn at once (a unit rarely has more).
pub const ROSTER_ROWS: usize = 500;

/// 编制证.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let holder = move || {
        context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()))
    };
    let own_unit = move || {
        context.session.with(|s| {
            s.as_ref()
                .and_then(|s| s.holder.unit())
                .map(ToString::to_string)
        })
    };
    let revision = move || context.sync.with(|s| s.revision);
    let units = LocalResource::new(move || {
        let holder = holder();
        let _ = revision();
        async move {
            match holder {
                None => Ok(Vec::new()),
                Some(holder) => store::units(&holder).await,
            }
        }
    });
    let navigate = crate::router::use_navigate();
    let revise = Callback::new(move |item: OutboxItem| {
        navigate(&format!("/apply?revise={}", item.application_id));
    });
    let chosen = RwSignal::new(None::<String>);
    let filter = RwSignal::new(String::new());
    // The chosen unit, else the holder's own, else the first.
    let selected = move || {
        let list: Vec<UnitSummary> = units.get().and_then(Result::ok).unwrap_or_default();
        chosen
            .get()
            .filter(|c| list.iter().any(|u| &u.unit_id == c))
            .or_else(|| own_unit().filter(|o| list.iter().any(|u| &u.unit_id == o)))
            .or_else(|| list.first().map(|u| u.unit_id.clone()))
    };
    let certificate = LocalResource::new(move || {
        let holder = holder();
        let unit = selected();
        let _ = revision();
        async move {
            match (holder, unit) {
                (Some(holder), Some(unit)) => store::certificate(&holder, &unit).await,
                _ => Ok(None),
            }
        }
    });
    let summary = move || {
        units.get().and_then(Result::ok).map(|list| {
            let staff: u64 = list.iter().map(|u| u64::from(u.staff)).sum();
            (list.len(), staff)
        })
    };
    view! {
        <section class="card certificate" id="certificate">
            <h1>{t(Msg::CertificateTitle)}</h1>
            {move || match summary() {
                None => ().into_any(),
                Some((0, _)) => {
                    view! { <p class="muted" id="certificate-empty">{t(Msg::CertificateEmpty)}</p> }
                        .into_any()
                }
                Some((unit_count, staff)) => {
                    view! {
                        <p
                            class="certificate-scope"
                            id="certificate-scope"
                            data-units=unit_count.to_string()
                            data-staff=staff.to_string()
                        >
                            {t(Msg::CertificateScope)} {unit_count} " " {t(Msg::CertificateUnits)}
                            " " {staff} " " {t(Msg::CertificatePeople)}
                        </p>
                    }
                        .into_any()
                }
            }}
            {move || {
                units
                    .get()
                    .and_then(|r| r.err())
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" id="certificate-error">
                                {move || e.text(lang.get())}
                            </p>
                        }
                    })
            }}
            <Show when=move || summary().is_some_and(|(n, _)| n > 1)>
                <div class="unit-picker">
                    <label for="unit-filter">{t(Msg::CertificateFilter)}</label>
                    <input
                        id="unit-filter"
                        type="search"
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                    <label for="unit-select">{t(Msg::CertificateChooseUnit)}</label>
                    <select
                        id="unit-select"
                        on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                    >
                        {move || {
                            let needle = filter.get();
                            let current = selected();
                            units
                                .get()
                                .and_then(Result::ok)
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|u| needle.is_empty() || u.name.contains(needle.as_str()))
                                .map(|u| {
                                    let is_current = current.as_deref() == Some(u.unit_id.as_str());
                                    view! {
                                        <option value=u.unit_id.clone() selected=is_current>
                                            {format!("{}（{}人）", u.name, u.staff)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            </Show>
            {move || {
                certificate
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|c| view! { <UnitView certificate=c/> })
            }}
        </section>
        <Show when=move || own_unit().is_some()>
            <MyApplications revise=Some(revise)/>
        </Show>
    }
}

/// One unit: its confirmed figures and its roster.
#[component]
fn UnitView(certificate: Certificate) -> impl IntoView {
    let lang = use_app_context().lang;
    let unit_id = certificate.unit.id.to_string();
    let figures: Vec<(EstablishmentCategory, domain::ledger::Figures)> =
        certificate.ledger.all_figures();
    let staff_total = certificate.staff.len();
    let slips = certificate.slips.clone();
    let rows: Vec<_> = certificate
        .staff
        .iter()
        .take(ROSTER_ROWS)
        .cloned()
        .collect();
    let shown = rows.len();
    // Once drawn: for `cargo xtask bench` (how soon a reload shows the roster, offline).
    Effect::new(move |_| crate::clock::mark("staffing.roster.shown"));
    view! {
        <div class="unit-view" id="unit-view" data-unit-id=unit_id>
            <h2 id="unit-name">{certificate.unit.name.to_string()}</h2>
            <p class="muted">{t(Msg::CertificateConfirmedNote)}</p>
            <table class="ledger" id="ledger">
                <thead>
                    <tr>
                        <th>{t(Msg::LedgerCategory)}</th>
                        <th>{t(Msg::LedgerApproved)}</th>
                        <th>{t(Msg::LedgerFilled)}</th>
                        <th>{t(Msg::LedgerReserved)}</th>
                        <th>{t(Msg::LedgerVacant)}</th>
                    </tr>
                </thead>
                <tbody>
                    {figures
                        .into_iter()
                        .map(|(category, f)| {
                            view! {
                                <tr data-category=category.code()>
                                    <td>
                                        {move || lang.get().pick(category.label_zh(), category.label_en())}
                                    </td>
                                    <td class="num approved">{f.approved.get()}</td>
                                    <td class="num filled">{f.filled.get()}</td>
                                    <td class="num reserved">{f.reserved.get()}</td>
                                    <td class="num vacant">{f.vacant().get()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <SlipTable slips=slips/>
            // Closed at first, so that a clerk sees their applications below without scrolling
            // past the whole staff.
            <details class="roster-details" id="roster-details">
            <summary>
                <h3>{t(Msg::RosterTitle)} " (" {staff_total} " " {t(Msg::CertificatePeople)} ")"</h3>
            </summary>
            <Show when=move || { shown < staff_total }>
                <p class="muted">
                    {t(Msg::RosterShown)} {shown} {t(Msg::RosterOf)} {staff_total} " "
                    {t(Msg::CertificatePeople)}
                </p>
            </Show>
            <table class="roster" id="roster" data-rows=shown.to_string()>
                <thead>
                    <tr>
                        <th>{t(Msg::RosterName)}</th>
                        <th>{t(Msg::RosterSex)}</th>
                        <th>{t(Msg::RosterCategory)}</th>
                        <th>{t(Msg::RosterDivision)}</th>
                        <th>{t(Msg::RosterPosition)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|p| {
                            let sex = p.sex;
                            let category = p.category;
                            view! {
                                <tr class="person">
                                    <td class="person-name">{p.name.to_string()}</td>
                                    <td>{move || lang.get().pick(sex.label_zh(), sex.label_en())}</td>
                                    <td>
                                        {move || lang.get().pick(category.label_zh(), category.label_en())}
                                    </td>
                                    <td>{p.division.map(|d| d.to_string()).unwrap_or_default()}</td>
                                    <td>{p.position.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </details>
        </div>
    }
}

/// The unit's quota-use slips: number, category, posts used of those granted, validity, and
/// whether each is open, used up or lapsed today.
#[component]
fn SlipTable(slips: Vec<domain::QuotaUseSlip>) -> impl IntoView {
    let lang = use_app_context().lang;
    if slips.is_empty() {
        return ().into_any();
    }
    let today = crate::applications::registration::today();
    view! {
        <h3>{t(Msg::SlipsTitle)}</h3>
        <table class="roster slips" id="slips">
            <thead>
                <tr>
                    <th>{t(Msg::FieldSlip)}</th>
                    <th>{t(Msg::LedgerCategory)}</th>
                    <th>{t(Msg::SlipUsed)}</th>
                    <th>{t(Msg::SlipValidUntil)}</th>
                    <th>{t(Msg::SlipStateTitle)}</th>
                </tr>
            </thead>
            <tbody>
                {slips
                    .into_iter()
                    .map(|s| {
                        let category = s.category;
                        let state = today.map(|d| s.state(d));
                        view! {
                            <tr class="slip" data-state=state.map(|s| s.code()).unwrap_or_default()>
                                <td>{s.number.to_string()}</td>
                                <td>{move || lang.get().pick(category.label_zh(), category.label_en())}</td>
                                <td class="num">{format!("{} / {}", s.used.get(), s.count.get())}</td>
                                <td>{s.valid_until.to_string()}</td>
                                <td>
                                    {move || {
                                        state.map(|s| lang.get().pick(s.label_zh(), s.label_en())).unwrap_or_default()
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
