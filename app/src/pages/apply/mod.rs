//! The application page (`/apply`): the kind to file (用编申请, 入编登记, 出编登记, 实名制信息变更),
//! the drafts to resume or discard, the form ([`form`]), the confirmation of exactly what
//! will be signed and signing with the security key, offline too ([`confirmation`]), and the
//! clerk's applications; what they share: [`form_state`]. `?kind=<code>` opens a kind,
//! `?revise=<application id>` revises one that was returned or not accepted.

mod confirmation;
mod form;
mod form_state;

use domain::ApplicationKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::applications::outbox::OutboxItem;
use crate::applications::registration::{self, LocalCopy};
use crate::components::my_applications::MyApplications;
use crate::i18n::{Msg, t};
use crate::router::use_query;
use crate::state::{AppContext, use_app_context};
use crate::store::{self, Draft};
pub(crate) use confirmation::payload_rows;
use form::ApplicationForm;
use form_state::FormState;

/// What the page can show the current user.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    NeedsSignIn,
    NotClerk,
    Clerk,
}

/// 办理申请.
#[component]
pub fn Apply() -> impl IntoView {
    let context = use_app_context();
    // A memo, so that a refreshed but unchanged session does not rebuild the form.
    let mode = Memo::new(move |_| match context.session.get() {
        None => Mode::NeedsSignIn,
        Some(s) if s.holder.files_applications() => Mode::Clerk,
        Some(_) => Mode::NotClerk,
    });
    // Outside the view, so that what was typed survives any re-render.
    let state = FormState::new();
    if let Some(kind) = use_query("kind").and_then(|k| ApplicationKind::from_code(&k)) {
        state.kind.set(kind);
    }
    let wanted_revision = StoredValue::new(use_query("revise"));
    load_local_copy(context, state, wanted_revision);
    let revise = Callback::new(move |item: OutboxItem| {
        if state.revise(&item) {
            scroll_to("apply");
        }
    });
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
                    view! {
                        <p class="notice" id="apply-not-clerk">
                            {t(Msg::ApplyNotClerk)} " "
                            <a href="/review" id="apply-go-review">{t(Msg::NavReview)}</a>
                        </p>
                    }
                        .into_any()
                }
                Mode::Clerk => {
                    view! {
                        <KindTabs state=state/>
                        <Drafts state=state/>
                        <ApplicationForm state=state/>
                    }
                        .into_any()
                }
            }}
        </section>
        <Show when=move || mode.get() == Mode::Clerk>
            <MyApplications revise=Some(revise)/>
        </Show>
    }
}

/// Reads what the forms check against — the unit's roster and slips, every post held in the
/// store, today — and the drafts, again whenever a sync changed the store; then opens the
/// revision asked for in the address, once its payload can be read.
fn load_local_copy(
    context: AppContext,
    state: FormState,
    wanted_revision: StoredValue<Option<String>>,
) {
    Effect::new(move |_| {
        let _ = context.sync.with(|s| s.revision);
        let Some(session) = context.session.get() else {
            return;
        };
        let holder = session.holder.id.clone();
        let unit = session.holder.unit().cloned();
        spawn_local(async move {
            let certificate = match &unit {
                Some(unit) => store::certificate(&holder, unit.as_str())
                    .await
                    .ok()
                    .flatten(),
                None => None,
            };
            let posts = store::posts(&holder).await.unwrap_or_default();
            let (slips, roster, unit_record) = certificate
                .map(|c| (registration::slips_of(&c), c.staff, Some(c.unit)))
                .unwrap_or_default();
            // The page may be gone by now (its signals disposed): then nothing is set.
            let local = LocalCopy {
                unit,
                today: registration::today(),
                slips,
                roster,
                posts,
                unit_record,
            };
            if state.local.try_set(local).is_some() {
                return;
            }
            let drafts = store::drafts(&holder).await.unwrap_or_default();
            if state.drafts.try_set(drafts).is_some() {
                return;
            }
            let wanted = wanted_revision.try_get_value().flatten();
            if let Some(id) = wanted {
                let item = context
                    .outbox
                    .with_untracked(|items| items.iter().find(|i| i.application_id == id).cloned());
                if let Some(item) = item
                    && state.revise(&item)
                {
                    wanted_revision.set_value(None);
                }
            }
        });
    });
}

/// The four kinds of application, one of them chosen.
#[component]
fn KindTabs(state: FormState) -> impl IntoView {
    let lang = use_app_context().lang;
    view! {
        <div class="kind-tabs" role="tablist" id="apply-kinds">
            {ApplicationKind::ALL
                .iter()
                .map(|&kind| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="kind-tab"
                            id=format!("kind-{}", kind.code())
                            aria-selected=move || (state.kind.get() == kind).to_string()
                            class:selected=move || state.kind.get() == kind
                            on:click=move |_| {
                                if state.kind.get_untracked() != kind
                                    || state.revising.get_untracked().is_some()
                                {
                                    state.start(kind);
                                }
                            }
                        >
                            {move || lang.get().pick(kind.label_zh(), kind.label_en())}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The drafts: resume one into the form, or discard it.
#[component]
fn Drafts(state: FormState) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let resume = move |draft: Draft| {
        let Some(kind) = ApplicationKind::from_code(&draft.kind) else {
            return;
        };
        state.start(kind);
        state.values.set(draft.values);
        state.draft.set(Some(draft.id));
        state.revising.set(draft.revises);
    };
    let discard = move |id: String| {
        let Some(holder) = context.holder_id() else {
            return;
        };
        if state.draft.get_untracked().as_deref() == Some(id.as_str()) {
            state.start(state.kind.get_untracked());
        }
        spawn_local(async move {
            let _ = store::discard_draft(&holder, &id).await;
            if let Ok(drafts) = store::drafts(&holder).await {
                let _ = state.drafts.try_set(drafts);
            }
        });
    };
    view! {
        <Show when=move || state.drafts.with(|d| !d.is_empty())>
            <div class="drafts" id="drafts">
                <h2>{t(Msg::DraftsTitle)}</h2>
                <ul>
                    {move || {
                        state
                            .drafts
                            .get()
                            .into_iter()
                            .map(|draft| {
                                let kind = ApplicationKind::from_code(&draft.kind);
                                let name = [
                                    crate::applications::form::FormField::Name,
                                    crate::applications::form::FormField::Reason,
                                ]
                                    .iter()
                                    .map(|f| draft.values.get(*f))
                                    .find(|v| !v.is_empty())
                                    .unwrap_or_default()
                                    .chars()
                                    .take(30)
                                    .collect::<String>();
                                let at = crate::clock::beijing_time(&draft.updated_at);
                                let id = draft.id.clone();
                                let current = move || state.draft.get().as_deref() == Some(id.as_str());
                                let discard_id = draft.id.clone();
                                let d = draft.clone();
                                view! {
                                    <li class="draft" data-draft-id=draft.id.clone() class:current=current>
                                        <span class="draft-kind">
                                            {move || {
                                                kind.map(|k| lang.get().pick(k.label_zh(), k.label_en()))
                                                    .unwrap_or_default()
                                            }}
                                        </span>
                                        " " <span class="draft-summary">{name}</span> " "
                                        <span class="muted">{t(Msg::DraftUpdated)} " " {at}</span>
                                        <button
                                            type="button"
                                            class="secondary draft-resume"
                                            on:click=move |_| resume(d.clone())
                                        >
                                            {t(Msg::DraftResume)}
                                        </button>
                                        <button
                                            type="button"
                                            class="secondary draft-discard"
                                            on:click=move |_| discard(discard_id.clone())
                                        >
                                            {t(Msg::DraftDiscard)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

fn scroll_to(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        element.scroll_into_view();
    }
}
