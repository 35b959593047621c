//! 使用人员备案 (`/admin/holders`), a bureau administrator's page: the key holders of the
//! administrator's region with a search, registering a holder (each field's error in the
//! interface language, nothing typed lost), one holder's keys (model, enrolled, last used,
//! counter; a key enrolled in demo attestation mode flagged for re-enrolment), a one-time
//! enrolment code shown as a link and a QR code to open on the holder's computer, revoking a
//! key, suspending and reinstating, and a unit's printable 使用人员备案表. Online only: these
//! are the server's records, not the synced certificates.

use std::str::FromStr;

use domain::{Role, Scope};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::admin::{HolderDetail, HolderRegister, KeyInfo};
use protocol::identity::{HolderCreated, NewHolder};

use crate::api;
use crate::clock::beijing_time;
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;
use crate::store;

/// The register form's fields, as typed.
#[derive(Clone, Copy)]
struct Form {
    login: RwSignal<String>,
    name: RwSignal<String>,
    role: RwSignal<String>,
    scope: RwSignal<String>,
    phone: RwSignal<String>,
}

/// One error per field of the form.
#[derive(Clone, Debug, Default, PartialEq)]
struct FormErrors {
    login: Option<Msg>,
    name: Option<Msg>,
    role: Option<Msg>,
    scope: Option<Msg>,
    phone: Option<Msg>,
}

impl FormErrors {
    fn any(&self) -> bool {
        *self != FormErrors::default()
    }
}

/// Checks the form before it is sent (the server checks again): a login of letters, digits,
/// `.`, `_`, `-`; a name; a role; a scope `unit:…`, `department:…` or `region:…`; a phone of
/// digits, spaces, `+` and `-`.
fn check(form: &NewHolder) -> FormErrors {
    let login_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    FormErrors {
        login: if form.login.is_empty() {
            Some(Msg::HoldersRequired)
        } else if !login_ok(&form.login) {
            Some(Msg::HoldersLoginFormat)
        } else {
            None
        },
        name: form.name.is_empty().then_some(Msg::HoldersRequired),
        role: Role::from_code(&form.role)
            .is_none()
            .then_some(Msg::HoldersRequired),
        scope: if form.scope.is_empty() {
            Some(Msg::HoldersRequired)
        } else {
            Scope::from_str(&form.scope)
                .err()
                .map(|_| Msg::HoldersScopeFormat)
        },
        phone: (form.phone.len() > 32
            || !form
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-')))
        .then_some(Msg::HoldersPhoneFormat),
    }
}

/// A role's label in `lang` (the code when unknown).
fn role_label(code: &str, lang: Lang) -> String {
    Role::from_code(code).map_or_else(
        || code.to_owned(),
        |r| lang.pick(r.label_zh(), r.label_en()).to_owned(),
    )
}

/// A scope as the administrator reads it: the unit's or department's name (from this
/// computer's store, else its id) or the region's name.
fn scope_label(scope: &str, units: &[store::UnitSummary], lang: Lang) -> String {
    let name = |id: &domain::UnitId| {
        units
            .iter()
            .find(|u| u.unit_id == id.as_str())
            .map_or_else(|| id.to_string(), |u| u.name.clone())
    };
    match Scope::from_str(scope) {
        Ok(Scope::Unit(id)) => name(&id),
        Ok(Scope::Department(id)) => {
            format!("{}{}", name(&id), Msg::HoldersAsDepartment.text(lang))
        }
        Ok(Scope::Region(r)) => lang.pick(r.label_zh(), r.label_en()).to_owned(),
        Err(_) => scope.to_owned(),
    }
}

/// 使用人员备案.
#[component]
pub fn Holders() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let admin = move || {
        context.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.holder.role == Some(Role::BureauAdmin))
        })
    };
    let csrf = move || {
        context
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.csrf_token.clone()))
            .unwrap_or_default()
    };
    let query = RwSignal::new(String::new());
    let refresh = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let q = query.get();
        let _ = refresh.get();
        async move { api::admin_holders(&q).await }
    });
    let open = RwSignal::new(None::<HolderDetail>);
    let code = RwSignal::new(None::<HolderCreated>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let form = Form {
        login: RwSignal::new(String::new()),
        name: RwSignal::new(String::new()),
        role: RwSignal::new(Role::UnitClerk.code().to_owned()),
        scope: RwSignal::new(String::new()),
        phone: RwSignal::new(String::new()),
    };
    let errors = RwSignal::new(FormErrors::default());
    // The units this computer holds, offered for the scope.
    let units = LocalResource::new(move || {
        let holder = context.holder_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) => store::units(&holder).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let show_detail = move |id: String| {
        problem.set(None);
        spawn_local(async move {
            match api::admin_holder(&id).await {
                Ok(detail) => open.set(Some(detail)),
                Err(e) => problem.set(Some(e.text(lang.get_untracked()))),
            }
        });
    };
    let register = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let holder = NewHolder {
            login: form.login.get_untracked().trim().to_owned(),
            name: form.name.get_untracked().trim().to_owned(),
            role: form.role.get_untracked(),
            scope: form.scope.get_untracked().trim().to_owned(),
            phone: form.phone.get_untracked().trim().to_owned(),
        };
        let found = check(&holder);
        errors.set(found.clone());
        if found.any() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let token = csrf();
        spawn_local(async move {
            match api::admin_create_holder(&token, &holder).await {
                Ok(created) => {
                    for field in [form.login, form.name, form.scope, form.phone] {
                        field.set(String::new());
                    }
                    code.set(Some(created));
                    refresh.update(|n| *n += 1);
                }
                // Kept as typed: the server's reason is shown, nothing is cleared.
                Err(e) => problem.set(Some(e.text(lang.get_untracked()))),
            }
            busy.set(false);
        });
    };
    let issue_code = move |login: String| {
        let token = csrf();
        problem.set(None);
        spawn_local(async move {
            match api::admin_enrolment_code(&token, &login).await {
                Ok(created) => code.set(Some(created)),
                Err(e) => problem.set(Some(e.text(lang.get_untracked()))),
            }
        });
    };
    let revoke = move |credential: String| {
        let token = csrf();
        let Some(id) = open.with_untracked(|o| o.as_ref().map(|d| d.holder.id.clone())) else {
            return;
        };
        problem.set(None);
        spawn_local(async move {
            match api::admin_revoke_key(&token, &credential).await {
                Ok(()) => {
                    show_detail(id);
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.text(lang.get_untracked()))),
            }
        });
    };
    let suspend = move |id: String, suspend: bool| {
        let token = csrf();
        problem.set(None);
        spawn_local(async move {
            match api::admin_suspend(&token, &id, suspend).await {
                Ok(detail) => {
                    open.set(Some(detail));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => problem.set(Some(e.text(lang.get_untracked()))),
            }
        });
    };
    let field = move |id: &'static str,
                      label: Msg,
                      value: RwSignal<String>,
                      error: fn(&FormErrors) -> Option<Msg>| {
        view! {
            <label class="field" for=id>
                <span class="label">{t(label)}</span>
                <input
                    id=id
                    type="text"
                    autocomplete="off"
                    list=if id == "holder-scope" { "holder-scope-options" } else { "" }
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {move || {
                    errors
                        .with(error)
                        .map(|m| {
                            view! {
                                <span class="field-error" id=format!("{id}-error") role="alert">
                                    {t(m)}
                                </span>
                            }
                        })
                }}
            </label>
        }
    };
    move || {
        if !admin() {
            return view! {
                <section class="card admin" id="holders">
                    <h1>{t(Msg::HoldersTitle)}</h1>
                    <p class="notice" id="holders-not-admin">{t(Msg::HoldersNotAdmin)}</p>
                </section>
            }
            .into_any();
        }
        view! {
            <section class="card admin no-print" id="holders">
                <h1>{t(Msg::HoldersTitle)}</h1>
                <p class="muted">{t(Msg::HoldersIntro)}</p>
                {move || problem.get().map(|p| view! { <p class="error" id="holders-error" role="alert">{p}</p> })}
                {move || code.get().map(|c| view! { <EnrolmentCode created=c/> })}
                <h2>{t(Msg::HoldersRegister)}</h2>
                <form class="form holder-form" id="holder-form" on:submit=register novalidate=true>
                    {field("holder-login", Msg::HoldersLogin, form.login, |e| e.login)}
                    {field("holder-name", Msg::HoldersName, form.name, |e| e.name)}
                    <label class="field" for="holder-role">
                        <span class="label">{t(Msg::HoldersRole)}</span>
                        <select id="holder-role" on:change=move |ev| form.role.set(event_target_value(&ev))>
                            {move || {
                                let l = lang.get();
                                let current = form.role.get();
                                Role::ALL
                                    .iter()
                                    .map(|r| {
                                        view! {
                                            <option value=r.code() selected=current == r.code()>
                                                {l.pick(r.label_zh(), r.label_en())}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    {field("holder-scope", Msg::HoldersScope, form.scope, |e| e.scope)}
                    {field("holder-phone", Msg::HoldersPhone, form.phone, |e| e.phone)}
                    <datalist id="holder-scope-options">
                        {move || {
                            let l = lang.get();
                            let mut options: Vec<(String, String)> = domain::region::Region::ALL
                                .iter()
                                .map(|r| {
                                    (
                                        format!("region:{}", r.division_code()),
                                        l.pick(r.label_zh(), r.label_en()).to_owned(),
                                    )
                                })
                                .collect();
                            units.with(|u| {
                                for unit in u.iter().flatten() {
                                    options.push((format!("unit:{}", unit.unit_id), unit.name.clone()));
                                    options.push((
                                        format!("department:{}", unit.unit_id),
                                        format!("{}{}", unit.name, Msg::HoldersAsDepartment.text(l)),
                                    ));
                                }
                            });
                            options
                                .into_iter()
                                .map(|(value, label)| view! { <option value=value>{label}</option> })
                                .collect_view()
                        }}
                    </datalist>
                    <p class="muted hint">{t(Msg::HoldersScopeHint)}</p>
                    <button type="submit" class="primary" id="holder-register" disabled=move || busy.get()>
                        {t(Msg::HoldersRegisterButton)}
                    </button>
                </form>
                <h2>{t(Msg::HoldersListTitle)}</h2>
                <label class="holder-search">
                    {t(Msg::HoldersSearch)}
                    <input
                        type="search"
                        id="holder-search"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </label>
                {move || match list.get() {
                    None => view! { <p class="muted">{t(Msg::ReportsLoading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error" role="alert">{e.text(lang.get())}</p> }.into_any(),
                    Some(Ok(found)) => {
                        let l = lang.get();
                        view! {
                            <table class="report-table" id="holder-list">
                                <thead>
                                    <tr>
                                        <th>{t(Msg::HoldersLogin)}</th>
                                        <th>{t(Msg::HoldersName)}</th>
                                        <th>{t(Msg::HoldersRole)}</th>
                                        <th>{t(Msg::HoldersScope)}</th>
                                        <th>{t(Msg::HoldersPhone)}</th>
                                        <th class="num">{t(Msg::HoldersKeys)}</th>
                                        <th>{t(Msg::HoldersState)}</th>
                                        <th></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {found
                                        .holders
                                        .into_iter()
                                        .map(|h| {
                                            let id = h.id.clone();
                                            let login = h.login.clone();
                                            let state = if h.suspended_at.is_some() {
                                                Msg::HoldersSuspended
                                            } else {
                                                Msg::HoldersActive
                                            };
                                            view! {
                                                <tr data-login=login>
                                                    <td>{h.login}</td>
                                                    <td>{h.name}</td>
                                                    <td>{role_label(&h.role, l)}</td>
                                                    <td title=h.scope.clone()>
                                                        {units.with(|u| scope_label(&h.scope, u.as_deref().unwrap_or_default(), l))}
                                                    </td>
                                                    <td>{h.phone}</td>
                                                    <td class="num">{h.active_keys}</td>
                                                    <td>{t(state)}</td>
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="link holder-open"
                                                            on:click=move |_| show_detail(id.clone())
                                                        >
                                                            {t(Msg::ReviewOpen)}
                                                        </button>
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
                }}
                {move || {
                    open.get()
                        .map(|detail| {
                            let l = lang.get();
                            let h = detail.holder.clone();
                            let suspended = h.suspended_at.is_some();
                            let (id, login) = (h.id.clone(), h.login.clone());
                            view! {
                                <div class="holder-detail" id="holder-detail" data-login=h.login.clone()>
                                    <h2>{h.name.clone()} " (" {h.login.clone()} ") · " {role_label(&h.role, l)}</h2>
                                    <p class="muted">
                                        {units.with(|u| scope_label(&h.scope, u.as_deref().unwrap_or_default(), l))}
                                        " · " {t(Msg::HoldersRegisteredAt)} " " {beijing_time(&h.created_at)}
                                        {h.suspended_at.as_ref().map(|at| format!(" · {}{}", Msg::HoldersSuspendedAt.text(l), beijing_time(at)))}
                                    </p>
                                    <div class="holder-actions">
                                        <button type="button" class="secondary" id="holder-issue-code" on:click=move |_| issue_code(login.clone())>
                                            {t(Msg::HoldersIssueCode)}
                                        </button>
                                        <button
                                            type="button"
                                            class="secondary"
                                            id=if suspended { "holder-reinstate" } else { "holder-suspend" }
                                            on:click=move |_| suspend(id.clone(), !suspended)
                                        >
                                            {t(if suspended { Msg::HoldersReinstate } else { Msg::HoldersSuspend })}
                                        </button>
                                    </div>
                                    <KeyTable keys=detail.keys revoke=Some(Callback::new(revoke))/>
                                </div>
                            }
                        })
                }}
            </section>
            <RegisterSheet/>
        }
        .into_any()
    }
}

/// The one-time enrolment code just issued: the link to open on the holder's computer, the
/// code, when it expires.
#[component]
fn EnrolmentCode(created: HolderCreated) -> impl IntoView {
    let link = created.enrolment_link.clone();
    let qr = crate::qr::encode(&link).map(|code| {
        let view_box = code.view_box();
        view! {
            <svg class="enrolment-qr" id="enrolment-qr" viewBox=view_box
                xmlns="http://www.w3.org/2000/svg" role="img" shape-rendering="crispEdges"
                data-content=link.clone() attr:aria-label=t(Msg::HoldersCodeQr)>
                <path d=code.path/>
            </svg>
        }
    });
    view! {
        <div class="notice notice-ok enrolment-code" id="enrolment-code" data-login=created.holder.login.clone()>
            {qr}
            <p>
                <strong>{t(Msg::HoldersCodeFor)} {created.holder.name.clone()} " (" {created.holder.login.clone()} ")"</strong>
            </p>
            <p>
                {t(Msg::HoldersCodeLink)} <a id="enrolment-link" href=link.clone() rel="noreferrer">{link.clone()}</a>
            </p>
            <p>
                {t(Msg::HoldersCodeValue)} <code id="enrolment-code-value">{created.enrolment_code.clone()}</code>
                " · " {t(Msg::HoldersCodeExpires)} {beijing_time(&created.expires_at)}
            </p>
            <p class="muted">{t(Msg::HoldersCodeHint)}</p>
            <p class="muted">{t(Msg::HoldersCodeQr)}</p>
        </div>
    }
}

/// A holder's keys; with `revoke`, each active key has a revoke button.
#[component]
fn KeyTable(keys: Vec<KeyInfo>, revoke: Option<Callback<String>>) -> impl IntoView {
    let lang = use_app_context().lang;
    if keys.is_empty() {
        return view! { <p class="muted holder-no-keys">{t(Msg::HoldersNoKeys)}</p> }.into_any();
    }
    view! {
        <table class="report-table holder-keys">
            <thead>
                <tr>
                    <th>{t(Msg::HoldersKeyModel)}</th>
                    <th>{t(Msg::HoldersKeyEnrolled)}</th>
                    <th>{t(Msg::HoldersKeyLastUsed)}</th>
                    <th class="num">{t(Msg::HoldersKeyCounter)}</th>
                    <th>{t(Msg::HoldersState)}</th>
                    {revoke.is_some().then(|| view! { <th class="no-print"></th> })}
                </tr>
            </thead>
            <tbody>
                {keys
                    .into_iter()
                    .map(|k| {
                        let unknown = Msg::HoldersKeyUnknownModel.text(lang.get_untracked());
                        let model = if k.model.is_empty() && k.aaguid.chars().all(|c| c == '0' || c == '-') {
                            unknown.to_owned()
                        } else if k.model.is_empty() {
                            format!("{unknown} · AAGUID {}", k.aaguid)
                        } else {
                            k.model.clone()
                        };
                        let state = if k.revoked_at.is_some() {
                            Msg::HoldersKeyRevoked
                        } else if k.needs_reenrolment {
                            Msg::HoldersKeyReenrol
                        } else if !k.attested {
                            Msg::HoldersKeyDemo
                        } else {
                            Msg::HoldersActive
                        };
                        let active = k.revoked_at.is_none();
                        let credential = k.credential_id.clone();
                        view! {
                            <tr data-credential=k.credential_id.clone() data-state=if active { "active" } else { "revoked" }>
                                <td>{model}</td>
                                <td>{beijing_time(&k.enrolled_at)}</td>
                                <td>{k.last_used_at.as_deref().map(beijing_time).unwrap_or_default()}</td>
                                <td class="num">{k.counter}</td>
                                <td class:warn=k.needs_reenrolment || !k.attested>{t(state)}</td>
                                {revoke
                                    .map(|revoke| {
                                        view! {
                                            <td class="no-print">
                                                {active
                                                    .then(|| {
                                                        view! {
                                                            <button
                                                                type="button"
                                                                class="secondary key-revoke"
                                                                on:click=move |_| revoke.run(credential.clone())
                                                            >
                                                                {t(Msg::HoldersRevoke)}
                                                            </button>
                                                        }
                                                    })}
                                            </td>
                                        }
                                    })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A unit's 使用人员备案表, printable on A4: the unit's holders and their keys.
#[component]
fn RegisterSheet() -> impl IntoView {
    let lang = use_app_context().lang;
    let unit = RwSignal::new(String::new());
    let sheet = RwSignal::new(None::<Result<HolderRegister, String>>);
    let load = move |_| {
        let id = unit.get_untracked().trim().to_owned();
        if id.is_empty() {
            return;
        }
        spawn_local(async move {
            let got = api::admin_holder_register(&id)
                .await
                .map_err(|e| e.text(lang.get_untracked()));
            sheet.set(Some(got));
        });
    };
    view! {
        <section class="card admin register-tools no-print">
            <h2>{t(Msg::HoldersRegisterSheet)}</h2>
            <div class="oversight-controls">
                <label class="oversight-threshold">
                    {t(Msg::OversightUnit)}
                    <input
                        type="text"
                        id="register-unit"
                        list="holder-scope-options"
                        placeholder="620502-0012"
                        prop:value=move || unit.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            unit.set(v.trim_start_matches("unit:").trim_start_matches("department:").to_owned())
                        }
                    />
                </label>
                <button type="button" class="secondary" id="register-show" on:click=load>
                    {t(Msg::HoldersRegisterShow)}
                </button>
                <button type="button" class="primary" id="register-print" on:click=move |_| {
                    let _ = window().print();
                }>
                    {t(Msg::ReportsPrint)}
                </button>
            </div>
        </section>
        {move || match sheet.get() {
            None => ().into_any(),
            Some(Err(e)) => view! { <p class="error no-print" role="alert">{e}</p> }.into_any(),
            Some(Ok(register)) => {
                view! {
                    <section class="card print-sheet holder-register" id="register-sheet" data-unit=register.unit_id.clone()>
                        <h2 class="report-title">{t(Msg::HoldersRegisterSheet)}</h2>
                        <p class="report-meta">
                            <span>{t(Msg::OversightUnit)} "：" {register.unit_name.clone()} "（" {register.unit_id.clone()} "）"</span>
                            <span>{beijing_time(&register.generated_at)}</span>
                        </p>
                        {register
                            .holders
                            .into_iter()
                            .map(|d| {
                                let l = lang.get_untracked();
                                view! {
                                    <h3>
                                        {d.holder.name.clone()} " (" {d.holder.login.clone()} ") · "
                                        {role_label(&d.holder.role, l)} " · " {t(Msg::HoldersPhone)} "：" {d.holder.phone.clone()}
                                    </h3>
                                    <KeyTable keys=d.keys revoke=None/>
                                }
                            })
                            .collect_view()}
                        <p class="register-signatures">
                            <span>{t(Msg::HoldersSignUnit)}</span>
                            <span>{t(Msg::HoldersSignBureau)}</span>
                        </p>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}
