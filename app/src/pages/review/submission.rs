//! One submission, one screen: the application as the server tracks it, what the clerk
//! signed (as a form, the JSON behind a toggle), the unit's ledger now and after the decision
//! (the domain's arithmetic, with a plain warning when the decision would break it), and the
//! decisions the viewer's role may take (the domain's lifecycle), with the comment.

use domain::certificate::Certificate;
use leptos::prelude::*;

use super::queue::{decision_state, unit_names};
use super::{ReviewState, Reviewer, days_since};
use crate::applications::deciding;
use crate::applications::decision::{allowed_actions, decided_here, may_void, needs_note};
use crate::clock::beijing_time as local_time;
use crate::i18n::{Msg, t};
use crate::state::use_app_context;
use crate::store;
use domain::Action;

mod ledger;
mod signed;

/// The open application.
#[component]
pub(super) fn Submission(state: ReviewState, reviewer: Reviewer) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let names = unit_names(context);
    let application = move || {
        let id = state.open.get()?;
        context.applications.with(|all| all.get(&id).cloned())
    };
    let unit_id = move || application().map(|a| a.unit_id);
    let certificate = LocalResource::new(move || {
        let holder = context.holder_id();
        let unit = unit_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match (holder, unit) {
                (Some(holder), Some(unit)) => {
                    store::certificate(&holder, &unit).await.ok().flatten()
                }
                _ => None,
            }
        }
    });
    let (action, note) = (state.action, state.note);
    let back = move |_| {
        state.open.set(None);
        state.error.set(None);
    };
    let role = reviewer.role;
    let next = move |_| {
        let (Some(session), Some(application), Some(chosen)) = (
            context.session.get_untracked(),
            application(),
            action.get_untracked(),
        ) else {
            return;
        };
        match deciding::prepare(&session, &application, chosen, &note.get_untracked()) {
            Ok(prepared) => {
                state.error.set(None);
                state.prepared.set(vec![prepared]);
            }
            Err(e) => state.error.set(Some(e)),
        }
    };

    move || {
        let Some(application) = application() else {
            return view! {
                <button type="button" class="secondary" id="submission-back" on:click=back>
                    {t(Msg::SubmissionBack)}
                </button>
            }
            .into_any();
        };
        let kind = application.kind;
        let status = application.status;
        let unit_name = names
            .get()
            .and_then(|n| n.get(&application.unit_id).cloned())
            .unwrap_or_default();
        let voidable = context.decisions.with(|d| may_void(role, &application, d));
        let actions = if voidable {
            vec![Action::Void]
        } else {
            allowed_actions(role, &application)
        };
        let signed_here = context
            .decisions
            .with(|d| decided_here(d, &application.application_id).cloned());
        let own_department = reviewer.department.as_deref() == Some(application.unit_id.as_str());
        let decidable =
            voidable || (!actions.is_empty() && signed_here.is_none() && !own_department);
        let document = application.document.clone().map(|d| {
            let msg = crate::i18n::document_status(&d.status);
            view! {
                <div class="confirm-row" data-field="document">
                    <dt>{t(Msg::DocumentStatusLabel)}</dt>
                    <dd id="submission-document" data-status=d.status.clone()>
                        {d.number.clone()} " · " <strong>{msg.map(t)}</strong>
                        {d.void_reason.clone().map(|r| view! { " · " {t(Msg::DocumentVoidReason)} {r} })}
                    </dd>
                </div>
            }
        });
        let for_ledger = application.clone();
        view! {
            <div class="submission" id="submission" data-application-id=application.application_id.clone()>
                <button type="button" class="secondary" id="submission-back" on:click=back>
                    {t(Msg::SubmissionBack)}
                </button>
                <h1>
                    {move || lang.get().pick(kind.label_zh(), kind.label_en())} " · " {unit_name.clone()}
                </h1>
                <dl class="confirm-fields">
                    <div class="confirm-row" data-field="unit">
                        <dt>{t(Msg::ApplyUnit)}</dt>
                        <dd>{unit_name} " " <span class="muted">{application.unit_id.clone()}</span></dd>
                    </div>
                    <div class="confirm-row" data-field="status">
                        <dt>{t(Msg::SubmissionStatus)}</dt>
                        <dd id="submission-status" data-status=status.code()>
                            {move || lang.get().pick(status.label_zh(), status.label_en())}
                            {application.slip_number.clone().map(|n| view! { " · " {t(Msg::SlipNumber)} {n} })}
                        </dd>
                    </div>
                    {document}
                    <div class="confirm-row" data-field="since">
                        <dt>{t(Msg::SubmissionSince)}</dt>
                        <dd>{local_time(&application.updated_at)}</dd>
                    </div>
                    <div class="confirm-row" data-field="days">
                        <dt>{t(Msg::SubmissionDays)}</dt>
                        <dd>{days_since(&application.updated_at)}</dd>
                    </div>
                    <div class="confirm-row" data-field="application-id">
                        <dt>{t(Msg::ConfirmApplicationId)}</dt>
                        <dd><code>{application.application_id.clone()}</code></dd>
                    </div>
                </dl>
                {
                    let shown = application.clone();
                    move || signed::signed_document(context, &shown, certificate.get().flatten())
                }
                {move || {
                    let certificate: Option<Certificate> = certificate.get().flatten();
                    ledger::ledger(context, certificate, &for_ledger, action.get())
                }}
                <section class="decide" id="decide">
                    <h2>{t(Msg::DecisionTitle)}</h2>
                    {signed_here
                        .map(|d| {
                            view! {
                                <p class="notice" id="decided-here">
                                    {t(Msg::DecisionAlready)} {decision_state(context, &d)}
                                </p>
                            }
                        })}
                    {(!decidable)
                        .then(|| view! { <p class="muted" id="decide-nothing">{t(Msg::DecisionNothing)}</p> })}
                    <Show when=move || decidable>
                        <div class="decision-actions" role="radiogroup">
                            {actions
                                .iter()
                                .map(|&a| {
                                    view! {
                                        <label class="decision-action">
                                            <input
                                                type="radio"
                                                name="decision-action"
                                                id=format!("decide-{}", a.code())
                                                value=a.code()
                                                prop:checked=move || action.get() == Some(a)
                                                on:change=move |_| action.set(Some(a))
                                            />
                                            {move || lang.get().pick(a.label_zh(), a.label_en())}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </div>
                        <div class="field">
                            <label for="decide-note">{t(Msg::DecisionNote)}</label>
                            <textarea
                                id="decide-note"
                                rows="3"
                                class:invalid=move || {
                                    action.get().is_some_and(needs_note) && note.with(|n| n.trim().is_empty())
                                }
                                prop:value=move || note.get()
                                on:input=move |ev| note.set(event_target_value(&ev))
                            ></textarea>
                            <p class="field-hint">{t(Msg::DecisionNoteHint)}</p>
                        </div>
                        {move || {
                            state
                                .error
                                .get()
                                .map(|e| {
                                    view! {
                                        <p class="error" id="decide-error" role="alert">
                                            {move || e.text(lang.get())}
                                        </p>
                                    }
                                })
                        }}
                        <div class="button-row">
                            <button
                                type="button"
                                class="primary"
                                id="decide-next"
                                disabled=move || action.get().is_none()
                                on:click=next
                            >
                                {t(Msg::DecisionNext)}
                            </button>
                        </div>
                    </Show>
                </section>
            </div>
        }
        .into_any()
    }
}
