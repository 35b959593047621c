//! The 编制证 pages, where a clerk lands after signing in: a unit's whole certificate from the
//! confirmed state kept on this computer, one section at a time — offline, re-read whenever a
//! sync changed the store.
//!
//! Addresses (stable: other pages link here):
//! - `/certificate` — the holder's own unit (else the first stored), its overview: figures,
//!   slips, roster, and the clerk's applications;
//! - `/certificate/<unit>` — a unit's overview; `/certificate/<unit>/<section>` — one section
//!   ([`Section::slug`]: `info`, `functions`, `powers`, `divisions`, `affiliates`, `chart`,
//!   `history`, `ledger`, `leadership`, `staff` (`?scope=department|region` for a wider
//!   roster), `departed`);
//! - `/person/<unit>#<身份证号>` — a person's own page ([`person`]).
//!
//! Any unit of the holder's scope is found by the search above the tabs.

pub mod chart;
pub mod person;
pub mod roster;
pub mod sections;

use std::collections::BTreeMap;
use std::sync::Arc;

use domain::certificate::Certificate;
use leptos::prelude::*;

use crate::applications::outbox::OutboxItem;
use crate::components::my_applications::MyApplications;
use crate::i18n::{Msg, t};
use crate::state::use_app_context;
use crate::store::{self, UnitSummary};
use sections::Names;

/// At most this many units are listed by the unit search at once.
const UNIT_MATCHES: usize = 30;

/// A section of the certificate: its tab and its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Overview,
    Info,
    Functions,
    Powers,
    Divisions,
    Affiliates,
    Chart,
    History,
    Ledger,
    Leadership,
    Staff,
    Departed,
}

impl Section {
    pub const ALL: [Section; 12] = [
        Section::Overview,
        Section::Info,
        Section::Functions,
        Section::Powers,
        Section::Divisions,
        Section::Affiliates,
        Section::Chart,
        Section::History,
        Section::Ledger,
        Section::Leadership,
        Section::Staff,
        Section::Departed,
    ];

    /// The last part of its address (`""`: the overview).
    pub fn slug(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Info => "info",
            Section::Functions => "functions",
            Section::Powers => "powers",
            Section::Divisions => "divisions",
            Section::Affiliates => "affiliates",
            Section::Chart => "chart",
            Section::History => "history",
            Section::Ledger => "ledger",
            Section::Leadership => "leadership",
            Section::Staff => "staff",
            Section::Departed => "departed",
        }
    }

    fn msg(self) -> Msg {
        match self {
            Section::Overview => Msg::SecOverview,
            Section::Info => Msg::SecInfo,
            Section::Functions => Msg::SecFunctions,
            Section::Powers => Msg::SecPowers,
            Section::Divisions => Msg::SecDivisions,
            Section::Affiliates => Msg::SecAffiliates,
            Section::Chart => Msg::SecChart,
            Section::History => Msg::SecHistory,
            Section::Ledger => Msg::SecLedger,
            Section::Leadership => Msg::SecLeadership,
            Section::Staff => Msg::SecStaff,
            Section::Departed => Msg::SecDeparted,
        }
    }

    /// The address of this section of `unit`.
    pub fn href(self, unit: &str) -> String {
        match self {
            Section::Overview => format!("/certificate/{unit}"),
            s => format!("/certificate/{unit}/{}", s.slug()),
        }
    }
}

/// The unit and section an address names (`/certificate[/<unit>[/<section>]]`); an unknown
/// section is the overview.
pub fn parse_path(path: &str) -> (Option<String>, Section) {
    let rest = path
        .strip_prefix("/certificate")
        .unwrap_or_default()
        .trim_matches('/');
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let unit = parts.next().map(str::to_owned);
    let section = parts
        .next()
        .and_then(|s| Section::ALL.into_iter().find(|x| x.slug() == s))
        .unwrap_or(Section::Overview);
    (unit, section)
}

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
    let path = crate::router::use_path();
    let address = Memo::new(move |_| path.with(|p| parse_path(p)));
    let section = Memo::new(move |_| address.get().1);
    let list = move || units.get().and_then(Result::ok).unwrap_or_default();
    // The unit of the address, else the holder's own, else the first.
    let selected = Memo::new(move |_| {
        let list: Vec<UnitSummary> = list();
        let asked = address.with(|a| a.0.clone());
        asked
            .filter(|c| list.iter().any(|u| &u.unit_id == c))
            .or_else(|| own_unit().filter(|o| list.iter().any(|u| &u.unit_id == o)))
            .or_else(|| list.first().map(|u| u.unit_id.clone()))
    });
    let unknown = move || {
        let asked = address.with(|a| a.0.clone())?;
        let list = units.get().and_then(Result::ok)?;
        (!list.iter().any(|u| u.unit_id == asked)).then_some(asked)
    };
    let names: Memo<Names> = Memo::new(move |_| {
        let mut names = BTreeMap::new();
        for u in list() {
            names.insert(u.unit_id, (u.name, u.staff));
        }
        Arc::new(names)
    });
    let certificate = LocalResource::new(move || {
        let holder = holder();
        let unit = selected.get();
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
    let wide = move || summary().is_some_and(|(n, _)| n > 1);
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
            <Show when=wide>
                <UnitSearch units=Signal::derive(list) section=section/>
            </Show>
            {move || {
                unknown()
                    .map(|id| {
                        view! {
                            <p class="muted" id="certificate-unknown">
                                {id} " " {t(Msg::NotInScope)}
                            </p>
                        }
                    })
            }}
            {move || {
                certificate
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|c| {
                        view! { <UnitView certificate=Arc::new(c) section=section names=names wide=Signal::derive(wide)/> }
                    })
            }}
        </section>
        <Show when=move || own_unit().is_some() && section.get() == Section::Overview>
            <MyApplications revise=Some(revise)/>
        </Show>
    }
}

/// Finds a unit of the scope by name or id: the first matches, each a link to the same
/// section of its certificate.
#[component]
fn UnitSearch(units: Signal<Vec<UnitSummary>>, section: Memo<Section>) -> impl IntoView {
    let needle = RwSignal::new(String::new());
    view! {
        <div class="unit-picker no-print">
            <label for="unit-filter">{t(Msg::CertificateFilter)}</label>
            <input
                id="unit-filter"
                type="search"
                autocomplete="off"
                prop:value=move || needle.get()
                on:input=move |ev| needle.set(event_target_value(&ev))
            />
        </div>
        <Show when=move || needle.with(|n| !n.trim().is_empty())>
            <ul class="unit-matches no-print" id="unit-matches">
                {move || {
                    let needle = needle.get().trim().to_ascii_lowercase();
                    let section = section.get();
                    let list = units.get();
                    let mut found = list
                        .iter()
                        .filter(|u| u.name.contains(needle.as_str()) || u.unit_id.contains(needle.as_str()));
                    let shown: Vec<_> = found.by_ref().take(UNIT_MATCHES).collect();
                    let more = found.next().is_some();
                    let items = shown
                        .into_iter()
                        .map(|u| {
                            view! {
                                <li>
                                    <a href=section.href(&u.unit_id) data-unit=u.unit_id.clone()>
                                        {format!("{}（{}）", u.name, u.staff)}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        {items}
                        <Show when=move || more>
                            <li class="muted">{t(Msg::UnitSearchMore)}</li>
                        </Show>
                    }
                }}
            </ul>
        </Show>
    }
}

/// One unit: its name, the tabs of its sections, the section of the address.
#[component]
fn UnitView(
    certificate: Arc<Certificate>,
    section: Memo<Section>,
    names: Memo<Names>,
    wide: Signal<bool>,
) -> impl IntoView {
    let unit_id = certificate.unit.id.to_string();
    let tabs = {
        let unit_id = unit_id.clone();
        move || {
            let current = section.get();
            Section::ALL
                .into_iter()
                .map(|s| {
                    view! {
                        <a
                            class="tab"
                            href=s.href(&unit_id)
                            data-section=s.slug()
                            aria-current=(s == current).then_some("page")
                            data-noscroll=""
                        >
                            {t(s.msg())}
                        </a>
                    }
                })
                .collect_view()
        }
    };
    let c = certificate.clone();
    let body = move || {
        let c = &*c;
        let names = names.get();
        let current = section.get();
        let content = match current {
            Section::Overview => view! {
                <p class="muted">{t(Msg::CertificateConfirmedNote)}</p>
                {sections::figures(c)}
                {sections::slips(c)}
                // Closed at first, so that a clerk sees their applications below without
                // scrolling past the whole staff.
                <details class="roster-details" id="roster-details">
                    <summary>
                        <h3>{t(Msg::RosterTitle)} " (" {c.staff.len()} " " {t(Msg::CertificatePeople)} ")"</h3>
                    </summary>
                    <roster::Roster unit=c.unit.clone() own=c.staff.clone() wide=false/>
                </details>
            }
            .into_any(),
            Section::Info => sections::info(c, &names),
            Section::Functions => sections::functions(c),
            Section::Powers => sections::powers(c),
            Section::Divisions => sections::divisions(c),
            Section::Affiliates => sections::affiliates(c, &names),
            Section::Chart => chart::org_chart(c),
            Section::History => sections::history(c),
            Section::Ledger => view! {
                {sections::ledger(c)}
                {sections::slips(c)}
            }
            .into_any(),
            Section::Leadership => sections::leadership(c),
            Section::Staff => view! { <roster::Roster unit=c.unit.clone() own=c.staff.clone() wide=wide/> }.into_any(),
            Section::Departed => sections::departed(c),
        };
        view! {
            <div class="section" id=format!("section-{}", if current == Section::Overview { "overview" } else { current.slug() })>
                <h3 class="section-title">{t(current.msg())}</h3>
                {content}
            </div>
        }
    };
    view! {
        <div class="unit-view" id="unit-view" data-unit-id=unit_id>
            <h2 id="unit-name">{certificate.unit.name.to_string()}</h2>
            <nav class="tabs no-print" id="certificate-tabs">{tabs}</nav>
            {body}
        </div>
    }
}
