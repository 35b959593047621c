//! 监督看板 (`/admin/oversight`): the bureau's oversight of the units it holds, from the synced
//! data on this computer (offline too) — the alerts first (how many of each kind, then each),
//! the ledger by region and category with a drill-down to the region's units, an export as
//! .xlsx through the export worker. The figures: [`super::oversight`]. The thresholds start
//! from the server's settings as of the last pull; the bureau may adjust them on screen.
//! A list shows its first [`SHOWN`] alerts (the export has them all).

use domain::Date;
use domain::region::Region;
use leptos::prelude::*;
use leptos::task::spawn_local;

use std::collections::BTreeMap;

use super::oversight::{AlertKind, Oversight, Thresholds, Totals, oversee, workbook};
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;
use crate::store;

/// How many alerts of a kind a list shows.
const SHOWN: usize = 200;

/// 监督看板.
#[component]
pub fn Dashboard() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let today = crate::applications::registration::today().unwrap_or(Date::MIN);
    let waiting_days = RwSignal::new(Thresholds::default().waiting_days);
    let lapse_days = RwSignal::new(Thresholds::default().lapse_days);
    // The server's thresholds, as the last pull brought them, replace the defaults.
    if let Some(holder) = context.holder_id() {
        spawn_local(async move {
            if let Ok(settings) = store::oversight_settings(&holder).await {
                let server = Thresholds::from(settings);
                waiting_days.set(server.waiting_days);
                lapse_days.set(server.lapse_days);
            }
        });
    }
    let region = RwSignal::new(None::<Region>);
    let status = RwSignal::new(None::<(bool, Msg, String)>);
    let exported = RwSignal::new(String::new());
    let bureau = move || {
        context.session.with(|s| {
            s.as_ref()
                .and_then(|s| s.holder.role)
                .is_some_and(domain::Role::is_bureau)
        })
    };
    let certificates = LocalResource::new(move || {
        let holder = context.holder_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) => {
                    let certificates = store::scope::all_certificates(&holder).await?;
                    let states = store::verification_states(&holder)
                        .await?
                        .into_iter()
                        .map(|(unit, kept)| (unit, kept.state))
                        .collect();
                    Ok::<_, store::StorageError>((certificates, states))
                }
                None => Ok((Vec::new(), BTreeMap::new())),
            }
        }
    });
    let oversight = Memo::new(move |_| {
        let thresholds = Thresholds {
            waiting_days: waiting_days.get(),
            lapse_days: lapse_days.get(),
        };
        certificates.with(|loaded| match loaded.as_ref() {
            Some(Ok((all, states))) => context
                .applications
                .with(|a| Some(oversee(all, a, states, today, thresholds))),
            _ => None,
        })
    });
    let export = move |_| {
        let Some(o) = oversight.get_untracked() else {
            return;
        };
        let name = format!("{}_{today}", Msg::OversightTitle.text(Lang::Zh));
        let book = workbook(&o, Lang::Zh, name.clone());
        status.set(Some((false, Msg::ReportsExporting, String::new())));
        spawn_local(async move {
            match crate::export::save_xlsx(&name, &book, today).await {
                Ok(()) => {
                    let file = format!("{name}.xlsx");
                    status.set(Some((false, Msg::ReportsExported, file.clone())));
                    exported.set(file);
                }
                Err(e) => status.set(Some((true, Msg::ReportsExportFailed, e))),
            }
        });
    };
    let threshold = move |id: &'static str, label: Msg, value: RwSignal<i64>| {
        view! {
            <label class="oversight-threshold">
                {t(label)}
                <input
                    type="number"
                    min="0"
                    max="365"
                    id=id
                    prop:value=move || value.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<i64>() {
                            value.set(n.clamp(0, 365));
                        }
                    }
                />
            </label>
        }
    };
    move || {
        if !bureau() {
            return view! {
                <section class="card oversight" id="oversight">
                    <h1>{t(Msg::OversightTitle)}</h1>
                    <p class="notice" id="oversight-not-bureau">{t(Msg::OversightNotBureau)}</p>
                </section>
            }
            .into_any();
        }
        view! {
            <section class="card oversight" id="oversight">
                <h1>{t(Msg::OversightTitle)}</h1>
                <p class="muted">
                    {t(Msg::OversightFrom)}
                    {move || {
                        context
                            .sync
                            .with(|s| s.last_sync.clone())
                            .map(|at| crate::clock::beijing_time(&at))
                            .unwrap_or_else(|| Msg::OversightNeverSynced.text(lang.get()).to_owned())
                    }}
                </p>
                <p class="muted">{t(Msg::OversightFromServer)}</p>
                <div class="oversight-controls">
                    {threshold("waiting-days", Msg::OversightWaitingDays, waiting_days)}
                    {threshold("lapse-days", Msg::OversightLapseDays, lapse_days)}
                    <button type="button" class="primary" id="oversight-export" on:click=export>
                        {t(Msg::ReportsExportXlsx)}
                    </button>
                </div>
                {move || {
                    status
                        .get()
                        .map(|(failed, msg, text)| {
                            view! {
                                <p class=if failed { "error" } else { "muted" } role="status" id="export-status" data-file=move || exported.get()>
                                    {t(msg)}
                                    {text}
                                </p>
                            }
                        })
                }}
                {move || match (certificates.with(|c| c.as_ref().map(|r| r.clone().err())), oversight.get()) {
                    (None, _) => view! { <p class="muted">{t(Msg::ReportsLoading)}</p> }.into_any(),
                    (Some(Some(e)), _) => {
                        view! { <p class="error" role="alert">{move || e.text(lang.get())}</p> }.into_any()
                    }
                    (_, Some(o)) if o.unit_count == 0 => {
                        view! { <p class="muted" id="oversight-empty">{t(Msg::ReportsEmpty)}</p> }.into_any()
                    }
                    (_, Some(o)) => view! { <Panels oversight=o region=region/> }.into_any(),
                    (_, None) => ().into_any(),
                }}
            </section>
        }
        .into_any()
    }
}

/// The alerts and the ledger of a computed [`Oversight`].
#[component]
fn Panels(oversight: Oversight, region: RwSignal<Option<Region>>) -> impl IntoView {
    let lang = use_app_context().lang;
    let oversight = StoredValue::new(oversight);
    let counts = AlertKind::ALL
        .into_iter()
        .map(|kind| {
            let n = oversight.with_value(|o| o.of(kind).count());
            view! {
                <a
                    class={if n > 0 { "alert-count raised" } else { "alert-count" }}
                    href=format!("#alerts-{}", kind.code())
                    id=format!("alert-count-{}", kind.code())
                    data-count=n.to_string()
                >
                    <span class="alert-number">{n}</span>
                    <span class="alert-label">{t(kind.title())}</span>
                </a>
            }
        })
        .collect_view();
    let alert_lists = AlertKind::ALL
        .into_iter()
        .filter(|kind| oversight.with_value(|o| o.of(*kind).next().is_some()))
        .map(|kind| {
            view! {
                <h3 id=format!("alerts-{}", kind.code())>{t(kind.title())}</h3>
                <table class="report-table oversight-alerts" id=format!("alert-list-{}", kind.code())>
                    <thead>
                        <tr>
                            <th>{t(Msg::OversightUnit)}</th>
                            <th>{t(Msg::OversightDetail)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let l = lang.get();
                            oversight
                                .with_value(|o| {
                                    o.of(kind)
                                        .take(SHOWN)
                                        .map(|a| {
                                            let (id, name) = a.unit();
                                            (id.to_owned(), name.to_owned(), a.detail(l))
                                        })
                                        .collect::<Vec<_>>()
                                })
                                .into_iter()
                                .map(|(id, name, detail)| {
                                    // A unit not verified opens on the 数据核实 page, any
                                    // other on its certificate.
                                    let href = if kind == AlertKind::NotVerified {
                                        format!("/admin/verification?unit={id}")
                                    } else {
                                        format!("/certificate/{id}")
                                    };
                                    view! {
                                        <tr data-unit=id>
                                            <td>
                                                <a href=href>{name}</a>
                                            </td>
                                            <td>{detail}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
                {(oversight.with_value(|o| o.of(kind).count()) > SHOWN)
                    .then(|| view! { <p class="muted">{t(Msg::OversightListCapped)}</p> })}
            }
        })
        .collect_view();
    let no_alerts = oversight.with_value(|o| o.alerts.is_empty());
    view! {
        <h2>{t(Msg::OversightAlertsTitle)}</h2>
        <div class="alert-counts">{counts}</div>
        {no_alerts.then(|| view! { <p class="muted" id="oversight-no-alerts">{t(Msg::OversightNoAlerts)}</p> })}
        <div class="alert-lists">{alert_lists}</div>
        <h2>{t(Msg::OversightLedgerTitle)}</h2>
        <p class="muted">{t(Msg::OversightDrillHint)}</p>
        <div class="report-scroll">
            <table class="report-table" id="oversight-ledger">
                <thead>
                    <tr>
                        <th>{t(Msg::OversightRegion)}</th>
                        <th>{t(Msg::OversightCategory)}</th>
                        <th class="num">{t(Msg::OversightUnits)}</th>
                        <FigureHeaders/>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let l = lang.get();
                        oversight
                            .with_value(|o| o.regions.clone())
                            .into_iter()
                            .enumerate()
                            .map(|(i, line)| {
                                let r = line.region;
                                // The region is named on its first line and its total only.
                                let first = i == 0 || o_regions_prev(&oversight, i) != Some(r);
                                let category = match line.category {
                                    Some(c) => l.pick(c.label_zh(), c.label_en()),
                                    None => Msg::OversightTotal.text(l),
                                };
                                view! {
                                    <tr class:total={line.category.is_none()} data-region=r.code()>
                                        <td>
                                            {(first || line.category.is_none())
                                                .then(|| {
                                                    view! {
                                                        <button
                                                            type="button"
                                                            class="link"
                                                            aria-pressed=move || (region.get() == Some(r)).to_string()
                                                            on:click=move |_| {
                                                                region.update(|open| *open = if *open == Some(r) { None } else { Some(r) })
                                                            }
                                                        >
                                                            {l.pick(r.label_zh(), r.label_en())}
                                                        </button>
                                                    }
                                                })}
                                        </td>
                                        <td>{category}</td>
                                        <td class="num">{line.units}</td>
                                        <FigureCells totals=line.totals/>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        {move || {
            region
                .get()
                .map(|r| {
                    let l = lang.get();
                    let lines = oversight
                        .with_value(|o| o.units.iter().filter(|u| u.region == r).cloned().collect::<Vec<_>>());
                    view! {
                        <h3 id="oversight-drill-title">
                            {l.pick(r.label_zh(), r.label_en())} " · " {t(Msg::OversightUnitsTitle)}
                        </h3>
                        <div class="report-scroll">
                            <table class="report-table" id="oversight-units">
                                <thead>
                                    <tr>
                                        <th>{t(Msg::OversightUnit)}</th>
                                        <th>{t(Msg::OversightCategory)}</th>
                                        <FigureHeaders/>
                                    </tr>
                                </thead>
                                <tbody>
                                    {lines
                                        .into_iter()
                                        .map(|u| {
                                            let over = u.figures.is_over();
                                            let mut totals = Totals::default();
                                            totals.add(&u.figures);
                                            view! {
                                                <tr class:over=over data-unit=u.unit_id>
                                                    <td>{u.name}</td>
                                                    <td>{l.pick(u.category.label_zh(), u.category.label_en())}</td>
                                                    <FigureCells totals=totals/>
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

/// The region of the line before line `i` of the ledger.
fn o_regions_prev(oversight: &StoredValue<Oversight>, i: usize) -> Option<Region> {
    oversight.with_value(|o| {
        i.checked_sub(1)
            .and_then(|p| o.regions.get(p))
            .map(|l| l.region)
    })
}

/// The five figure headers: approved, filled, reserved, vacant, over.
#[component]
fn FigureHeaders() -> impl IntoView {
    [
        Msg::OversightApproved,
        Msg::OversightFilled,
        Msg::OversightReserved,
        Msg::OversightVacant,
        Msg::OversightOverBy,
    ]
    .into_iter()
    .map(|m| view! { <th class="num">{t(m)}</th> })
    .collect_view()
}

/// The five figures of `totals`; an over-establishment figure above zero stands out.
#[component]
fn FigureCells(totals: Totals) -> impl IntoView {
    view! {
        <td class="num">{totals.approved}</td>
        <td class="num">{totals.filled}</td>
        <td class="num">{totals.reserved}</td>
        <td class="num">{totals.vacant}</td>
        <td class={if totals.over > 0 { "num over" } else { "num" }}>{totals.over}</td>
    }
}
