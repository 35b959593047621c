//! The 编制使用申请 page (`/apply`): the form, the confirmation of exactly what will be signed,
//! signing with the security key (offline too), and the applications signed on this computer.

use domain::person::EntryForm;
use domain::{EstablishmentCategory, FundingForm};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use std::collections::BTreeMap;

use domain::ApplicationStatus;
use protocol::sync::Change;

use crate::AppContext;
use crate::i18n::{Lang, Msg, t};
use crate::outbox::{ItemStatus, OutboxItem};
use crate::quota_form::{FieldError, FormField, QuotaForm};
use crate::signing::{self, Prepared, SigningError};

/// What the page can show the current user.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    NeedsSignIn,
    NotClerk,
    Clerk,
}

/// 编制使用申请.
#[component]
pub fn Apply() -> impl IntoView {
    let context = crate::use_app_context();
    // A memo, so that a refreshed but unchanged session does not rebuild the form.
    let mode = Memo::new(move |_| match context.session.get() {
        None => Mode::NeedsSignIn,
        Some(s) if crate::session::files_applications(&s.holder) => Mode::Clerk,
        Some(_) => Mode::NotClerk,
    });
    // Outside the view, so that what was typed survives any re-render.
    let state = FormState::new();
    view! {
        <section class="card apply" id="apply">
            <h1>{t(Msg::ApplyTitle)}</h1>
            {move || match mode.get() {
                Mode::NeedsSignIn => {
                    view! {
                        <p class="notice" id="apply-needs-sign-in">
                            {t(Msg::ApplyNeedsSignIn)} " "
                            <a href="/sign-in">{t(Msg::GoToSignIn)}</a>
                        </p>
                    }
                        .into_any()
                }
                Mode::NotClerk => {
                    view! { <p class="notice" id="apply-not-clerk">{t(Msg::ApplyNotClerk)}</p> }
                        .into_any()
                }
                Mode::Clerk => view! { <QuotaUseForm state=state/> }.into_any(),
            }}
        </section>
        <Show when=move || mode.get() == Mode::Clerk>
            <OutboxList state=state/>
        </Show>
    }
}

/// Where the form stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Edit,
    Confirm,
}

/// The signals of the form and its confirmation.
#[derive(Clone, Copy)]
struct FormState {
    form: RwSignal<QuotaForm>,
    errors: RwSignal<Vec<FieldError>>,
    step: RwSignal<Step>,
    prepared: RwSignal<Option<Prepared>>,
    signing: RwSignal<bool>,
    error: RwSignal<Option<SigningError>>,
    signed: RwSignal<bool>,
    /// The form holds this application (not accepted) being revised.
    revising: RwSignal<Option<String>>,
}

impl FormState {
    fn new() -> Self {
        FormState {
            form: RwSignal::new(QuotaForm::default()),
            errors: RwSignal::new(Vec::new()),
            step: RwSignal::new(Step::Edit),
            prepared: RwSignal::new(None),
            signing: RwSignal::new(false),
            error: RwSignal::new(None),
            signed: RwSignal::new(false),
            revising: RwSignal::new(None),
        }
    }
}

fn label(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The error under `field`, if any.
fn field_error(state: FormState, lang: RwSignal<Lang>, field: FormField) -> impl IntoView {
    move || {
        state.errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                let problem = e.problem.clone();
                view! {
                    <p
                        class="field-error"
                        id=format!("apply-{}-error", field.name())
                        data-field=field.name()
                        role="alert"
                    >
                        {move || problem.text(lang.get())}
                    </p>
                }
            })
        })
    }
}

fn has_error(state: FormState, field: FormField) -> impl Fn() -> bool + Copy {
    move || {
        state
            .errors
            .with(|errors| errors.iter().any(|e| e.field == field))
    }
}

/// A `<select>` of labelled codes bound to one field of the form.
fn select(
    state: FormState,
    lang: RwSignal<Lang>,
    field: FormField,
    options: Vec<(&'static str, &'static str, &'static str)>,
    get: fn(&QuotaForm) -> &String,
    set: fn(&mut QuotaForm, String),
) -> impl IntoView {
    let id = format!("apply-{}", field.name());
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        state.form.update(|f| set(f, value));
    };
    view! {
        <select
            id=id.clone()
            name=field.name()
            class:invalid=has_error(state, field)
            on:change=on_change
            on:input=on_change
        >
            <option value="" prop:selected=move || state.form.with(|f| get(f).is_empty())>
                {t(Msg::ChooseOption)}
            </option>
            {options
                .into_iter()
                .map(|(code, zh, en)| {
                    view! {
                        <option
                            value=code
                            prop:selected=move || state.form.with(|f| get(f) == code)
                        >
                            {move || label(lang.get(), zh, en)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn QuotaUseForm(state: FormState) -> impl IntoView {
    let context = crate::use_app_context();
    let lang = context.lang;

    let next = move |ev: SubmitEvent| {
        ev.prevent_default();
        state.signed.set(false);
        state.error.set(None);
        match state.form.with_untracked(QuotaForm::parse) {
            Err(errors) => state.errors.set(errors),
            Ok(request) => {
                state.errors.set(Vec::new());
                let Some(session) = context.session.get_untracked() else {
                    return;
                };
                spawn_local(async move {
                    match signing::prepare(&session, request).await {
                        Ok(prepared) => {
                            state.prepared.set(Some(prepared));
                            state.step.set(Step::Confirm);
                        }
                        Err(e) => state.error.set(Some(e)),
                    }
                });
            }
        }
    };

    let categories = EstablishmentCategory::ALL
        .iter()
        .map(|c| (c.code(), c.label_zh(), c.label_en()))
        .collect();
    let fundings: Vec<_> = FundingForm::ALL
        .iter()
        .map(|c| (c.code(), c.label_zh(), c.label_en()))
        .collect();
    let entries = EntryForm::ALL
        .iter()
        .map(|c| (c.code(), c.label_zh(), c.label_en()))
        .collect();
    let unit = move || {
        context
            .session
            .with(|s| s.as_ref().and_then(|s| crate::session::unit_of(&s.holder)))
            .map(|u| u.to_string())
            .unwrap_or_default()
    };
    let editing = move || state.step.get() == Step::Edit;
    // The unit's confirmed certificate, for the vacancy of the chosen category (a hint: the
    // server decides with its own figures).
    let certificate = LocalResource::new(move || {
        let holder = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        let unit = unit();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) if !unit.is_empty() => {
                    crate::store::certificate_without_people(&holder, &unit)
                        .await
                        .ok()
                        .flatten()
                }
                _ => None,
            }
        }
    });
    let vacancy = move || {
        let category = state.form.with(QuotaForm::category)?;
        let certificate = certificate.get().flatten()?;
        Some(certificate.ledger.figures(category).vacant().get())
    };

    view! {
        <form
            id="apply-form"
            class="form"
            class:hidden=move || !editing()
            on:submit=next
            novalidate=true
        >
            <Show when=move || state.revising.with(Option::is_some)>
                <p class="notice" id="apply-revising">{t(Msg::Revising)}</p>
            </Show>
            <p class="form-unit">
                {t(Msg::ApplyUnit)} "：" <span id="apply-unit">{unit}</span>
            </p>
            <div class="field">
                <label for="apply-category">{t(Msg::FieldCategory)}</label>
                {select(
                    state,
                    lang,
                    FormField::Category,
                    categories,
                    |f| &f.category,
                    |f, v| f.category = v,
                )}
                {field_error(state, lang, FormField::Category)}
                {move || {
                    vacancy()
                        .map(|n| {
                            view! {
                                <p class="field-hint" id="apply-vacancy" data-vacant=n.to_string()>
                                    {t(Msg::VacancyConfirmed)} {n} " " {t(Msg::VacancyPosts)}
                                </p>
                            }
                        })
                }}
            </div>
            <Show when=move || state.form.with(QuotaForm::needs_funding)>
                <div class="field">
                    <label for="apply-funding">{t(Msg::FieldFunding)}</label>
                    {select(
                        state,
                        lang,
                        FormField::Funding,
                        fundings.clone(),
                        |f| &f.funding,
                        |f, v| f.funding = v,
                    )}
                    {field_error(state, lang, FormField::Funding)}
                </div>
            </Show>
            <div class="field">
                <label for="apply-count">{t(Msg::FieldCount)}</label>
                <input
                    id="apply-count"
                    name="count"
                    type="text"
                    inputmode="numeric"
                    class:invalid=has_error(state, FormField::Count)
                    prop:value=move || state.form.with(|f| f.count.clone())
                    on:input=move |ev| state.form.update(|f| f.count = event_target_value(&ev))
                />
                {field_error(state, lang, FormField::Count)}
            </div>
            <div class="field">
                <label for="apply-recruitment">{t(Msg::FieldRecruitment)}</label>
                {select(
                    state,
                    lang,
                    FormField::Recruitment,
                    entries,
                    |f| &f.recruitment,
                    |f, v| f.recruitment = v,
                )}
                {field_error(state, lang, FormField::Recruitment)}
            </div>
            <div class="field">
                <label for="apply-reason">{t(Msg::FieldReason)}</label>
                <textarea
                    id="apply-reason"
                    name="reason"
                    rows="4"
                    class:invalid=has_error(state, FormField::Reason)
                    prop:value=move || state.form.with(|f| f.reason.clone())
                    on:input=move |ev| state.form.update(|f| f.reason = event_target_value(&ev))
                ></textarea>
                {field_error(state, lang, FormField::Reason)}
            </div>
            <div class="field">
                <label for="apply-document">{t(Msg::FieldDocument)}</label>
                <input
                    id="apply-document"
                    name="document"
                    type="text"
                    placeholder=t(Msg::FieldDocumentHint)
                    class:invalid=has_error(state, FormField::Document)
                    prop:value=move || state.form.with(|f| f.document.clone())
                    on:input=move |ev| state.form.update(|f| f.document = event_target_value(&ev))
                />
                {field_error(state, lang, FormField::Document)}
            </div>
            <Show when=move || state.errors.with(|e| !e.is_empty())>
                <p class="error" id="apply-form-errors" role="alert">
                    {t(Msg::FormHasErrors)}
                </p>
            </Show>
            <button type="submit" class="primary" id="apply-next">
                {t(Msg::ApplyNext)}
            </button>
        </form>
        {move || (state.step.get() == Step::Confirm).then(|| view! { <Confirmation state=state/> })}
        <Show when=move || state.signed.get()>
            <p class="success" id="apply-signed" role="status">{t(Msg::Signed)}</p>
        </Show>
        {move || {
            state
                .error
                .get()
                .map(|e| {
                    view! {
                        <p class="error" id="sign-error" role="alert">
                            {move || e.text(lang.get())}
                        </p>
                    }
                })
        }}
    }
}

/// 确认签名内容: every field that will be signed, and the canonical text itself.
#[component]
fn Confirmation(state: FormState) -> impl IntoView {
    let context = crate::use_app_context();
    let lang = context.lang;
    let Some(prepared) = state.prepared.get_untracked() else {
        return ().into_any();
    };
    let envelope = prepared.envelope.clone();
    let request = prepared.request.clone();
    let signer = context
        .session
        .get_untracked()
        .map(|s| format!("{}（{}） {}", s.holder.name, s.holder.login, s.holder.id))
        .unwrap_or_else(|| envelope.signer.to_string());
    let kind = envelope.kind;
    let category = request.category;
    let funding = request.funding_form;
    let entry = request.recruitment;
    let document = request.request_document.as_ref().map(ToString::to_string);

    let row = |name: &'static str, msg: Msg, value: Box<dyn Fn() -> String + Send + Sync>| {
        view! {
            <div class="confirm-row" data-field=name>
                <dt>{t(msg)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let none = move || Msg::ConfirmNone.text(lang.get()).to_owned();
    let unit = envelope.unit.to_string();
    let count = request.count.get().to_string();
    let reason = request.reason.clone();
    let created = envelope.created_at.to_string();
    let application_id = envelope.application_id.to_string();

    let sign = move |_| {
        if state.signing.get_untracked() {
            return;
        }
        let (Some(prepared), Some(session)) = (
            state.prepared.get_untracked(),
            context.session.get_untracked(),
        ) else {
            return;
        };
        state.signing.set(true);
        state.error.set(None);
        spawn_local(async move {
            let revises = state.revising.get_untracked();
            let outcome = signing::sign_and_store(&prepared, &session, revises.as_deref()).await;
            state.signing.set(false);
            match outcome {
                Ok(items) => signed(context, state, items),
                Err(e) => state.error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="confirm" id="confirm">
            <h2>{t(Msg::ConfirmTitle)}</h2>
            <p>{t(Msg::ConfirmIntro)}</p>
            <dl class="confirm-fields">
                {row("unit", Msg::ApplyUnit, Box::new(move || unit.clone()))}
                {row(
                    "kind",
                    Msg::ConfirmKind,
                    Box::new(move || label(lang.get(), kind.label_zh(), kind.label_en()).to_owned()),
                )}
                {row(
                    "category",
                    Msg::FieldCategory,
                    Box::new(move || {
                        label(lang.get(), category.label_zh(), category.label_en()).to_owned()
                    }),
                )}
                {row(
                    "funding",
                    Msg::FieldFunding,
                    Box::new(move || match funding {
                        Some(f) => label(lang.get(), f.label_zh(), f.label_en()).to_owned(),
                        None => none(),
                    }),
                )}
                {row("count", Msg::FieldCount, Box::new(move || count.clone()))}
                {row(
                    "recruitment",
                    Msg::FieldRecruitment,
                    Box::new(move || label(lang.get(), entry.label_zh(), entry.label_en()).to_owned()),
                )}
                {row("reason", Msg::FieldReason, Box::new(move || reason.clone()))}
                {row(
                    "document",
                    Msg::FieldDocument,
                    Box::new(move || document.clone().unwrap_or_else(none)),
                )}
                {row("created-at", Msg::ConfirmCreatedAt, Box::new(move || created.clone()))}
                {row(
                    "application-id",
                    Msg::ConfirmApplicationId,
                    Box::new(move || application_id.clone()),
                )}
                {row("signer", Msg::ConfirmSigner, Box::new(move || signer.clone()))}
            </dl>
            <h3>{t(Msg::ConfirmCanonical)}</h3>
            <pre class="canonical" id="confirm-canonical">{prepared.text()}</pre>
            <div class="button-row">
                <button
                    type="button"
                    class="secondary"
                    id="confirm-back"
                    disabled=move || state.signing.get()
                    on:click=move |_| {
                        state.step.set(Step::Edit);
                        state.prepared.set(None);
                        state.error.set(None);
                    }
                >
                    {t(Msg::ConfirmBack)}
                </button>
                <button
                    type="button"
                    class="primary"
                    id="confirm-sign"
                    disabled=move || state.signing.get()
                    on:click=sign
                >
                    {t(Msg::ConfirmSign)}
                </button>
            </div>
            <Show when=move || state.signing.get()>
                <p class="progress" id="sign-progress" role="status">
                    {t(Msg::ProgressTouchKey)}
                </p>
            </Show>
        </section>
    }
    .into_any()
}

/// After a signature was stored: show it in the list, start a new form, send.
fn signed(context: AppContext, state: FormState, items: Vec<OutboxItem>) {
    context.outbox.set(items);
    state.form.set(QuotaForm::default());
    state.prepared.set(None);
    state.step.set(Step::Edit);
    state.signed.set(true);
    state.revising.set(None);
    crate::sync::kick(context);
}

/// The signed-in holder's applications on this computer, newest first, with their status; a
/// returned one can be revised into the form and signed again.
#[component]
fn OutboxList(state: FormState) -> impl IntoView {
    let context = crate::use_app_context();
    let items = move || {
        let signer = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        let mut mine: Vec<OutboxItem> = context.outbox.with(|items| {
            items
                .iter()
                .filter(|i| Some(&i.signer) == signer.as_ref())
                .cloned()
                .collect()
        });
        mine.sort_by_key(|i| std::cmp::Reverse(i.sequence));
        mine
    };
    let revise = Callback::new(move |item: OutboxItem| {
        if let Some(form) = revised_form(&item) {
            state.form.set(form);
            state.errors.set(Vec::new());
            state.prepared.set(None);
            state.step.set(Step::Edit);
            state.signed.set(false);
            state.revising.set(Some(item.application_id.clone()));
            scroll_to("apply");
        }
    });
    view! {
        <section class="card outbox" id="outbox">
            <h2>{t(Msg::OutboxTitle)}</h2>
            {move || {
                let items = items();
                if items.is_empty() {
                    return view! { <p class="muted" id="outbox-empty">{t(Msg::OutboxEmpty)}</p> }
                        .into_any();
                }
                view! {
                    <ul class="outbox-list">
                        {items
                            .into_iter()
                            .map(|item| outbox_row_with(item, context, Some(revise)))
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

fn scroll_to(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        element.scroll_into_view();
    }
}

/// The form filled from the request `item` signed (for revising a returned one).
fn revised_form(item: &OutboxItem) -> Option<QuotaForm> {
    let bytes = domain::canonical::base64url_decode(&item.submission.envelope)?;
    let envelope: domain::SignedEnvelope = serde_json::from_slice(&bytes).ok()?;
    match envelope.decode_payload().ok()? {
        domain::payload::ApplicationPayload::QuotaUse(request) => Some(QuotaForm {
            category: request.category.code().to_owned(),
            funding: request
                .funding_form
                .map(|f| f.code().to_owned())
                .unwrap_or_default(),
            count: request.count.get().to_string(),
            recruitment: request.recruitment.code().to_owned(),
            reason: request.reason,
            document: request
                .request_document
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
        }),
        _ => None,
    }
}

/// Whether the server has decided the application of `item` (approved, rejected, returned,
/// withdrawn), by the confirmed state.
pub fn decided(applications: &BTreeMap<String, Change>, item: &OutboxItem) -> bool {
    server_status(applications, item).is_some_and(|(status, _)| !status.awaits_decision())
}

/// The status the server tracks for `item`'s application, with its slip number.
fn server_status(
    applications: &BTreeMap<String, Change>,
    item: &OutboxItem,
) -> Option<(ApplicationStatus, Option<String>)> {
    match applications.get(&item.application_id)? {
        Change::Application {
            status,
            slip_number,
            ..
        } => ApplicationStatus::from_code(status).map(|s| (s, slip_number.clone())),
        Change::Certificate { .. } => None,
    }
}

/// One item of the outbox, as the lists show it.
pub fn outbox_row(item: OutboxItem, context: AppContext) -> impl IntoView {
    outbox_row_with(item, context, None)
}

fn outbox_row_with(
    item: OutboxItem,
    context: AppContext,
    revise: Option<Callback<OutboxItem>>,
) -> impl IntoView {
    let lang = context.lang;
    let kind = domain::ApplicationKind::from_code(&item.kind);
    let status = item.status.clone();
    let status_name = status.name();
    let status_msg = match status {
        ItemStatus::Pending => Msg::StatusPending,
        ItemStatus::Accepted => Msg::StatusAccepted,
        ItemStatus::Rejected { .. } => Msg::StatusRejected,
        ItemStatus::Held { .. } => Msg::StatusHeld,
    };
    let reason = match &status {
        ItemStatus::Rejected { message, code } => message.clone().or_else(|| code.clone()),
        ItemStatus::Held { message } => message.clone(),
        _ => None,
    };
    let review = context
        .applications
        .with_untracked(|a| server_status(a, &item));
    let can_revise = item.revised_by.is_none()
        && (matches!(status, ItemStatus::Rejected { .. })
            || review.as_ref().is_some_and(|(s, _)| {
                matches!(s, ApplicationStatus::Rejected | ApplicationStatus::Returned)
            }));
    // Once decided, the decision is the status a clerk looks for (已核准, 不予核准 …).
    let decided_label = review
        .as_ref()
        .filter(|_| {
            status == ItemStatus::Accepted && decided(&context.applications.get_untracked(), &item)
        })
        .map(|(s, _)| *s);
    let review_code = review.as_ref().map(|(s, _)| s.code()).unwrap_or_default();
    let revise_button = revise.filter(|_| can_revise).map(|revise| {
        let item = item.clone();
        view! {
            <button
                type="button"
                class="secondary outbox-revise"
                on:click=move |_| revise.run(item.clone())
            >
                {t(Msg::Revise)}
            </button>
        }
    });
    view! {
        <li
            class="outbox-item"
            data-application-id=item.application_id.clone()
            data-status=status_name
            data-review=review_code
        >
            <div class="outbox-head">
                <span class="outbox-kind">
                    {move || kind.map(|k| label(lang.get(), k.label_zh(), k.label_en())).unwrap_or("")}
                </span>
                <span class=format!("outbox-status status-{status_name}")>
                    {move || match decided_label {
                        Some(s) => label(lang.get(), s.label_zh(), s.label_en()),
                        None => status_msg.text(lang.get()),
                    }}
                </span>
            </div>
            <p class="outbox-summary">{item.summary.clone()}</p>
            {reason.map(|r| view! { <p class="outbox-reason">{r}</p> })}
            {review
                .map(|(status, slip)| {
                    view! {
                        <p class="outbox-review">
                            {t(Msg::ServerStatus)}
                            {move || label(lang.get(), status.label_zh(), status.label_en())}
                            {slip.map(|n| view! { " · " {t(Msg::SlipNumber)} {n} })}
                        </p>
                    }
                })}
            <p class="outbox-meta">
                {t(Msg::SignedAt)} " " {item.signed_at.clone()} " · " {t(Msg::ConfirmApplicationId)} " "
                <code>{item.application_id.clone()}</code>
            </p>
            {item
                .revised_by
                .clone()
                .map(|by| {
                    view! {
                        <p class="outbox-revised muted">
                            {t(Msg::RevisedBy)} " " <code>{by}</code>
                        </p>
                    }
                })}
            {revise_button}
        </li>
    }
}
