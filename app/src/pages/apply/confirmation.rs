//! 确认签名内容: exactly what will be signed, then signing with the security key and keeping
//! the result in the outbox (no server needed).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form_state::{FormState, Step};
use crate::applications::outbox::OutboxItem;
use crate::applications::quota_form::QuotaForm;
use crate::applications::signing;
use crate::i18n::{Msg, t};
use crate::state::{AppContext, use_app_context};

/// 确认签名内容: every field that will be signed, and the canonical text itself.
#[component]
pub(super) fn Confirmation(state: FormState) -> impl IntoView {
    let context = use_app_context();
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
                    Box::new(move || lang.get().pick(kind.label_zh(), kind.label_en()).to_owned()),
                )}
                {row(
                    "category",
                    Msg::FieldCategory,
                    Box::new(move || {
                        lang.get().pick(category.label_zh(), category.label_en()).to_owned()
                    }),
                )}
                {row(
                    "funding",
                    Msg::FieldFunding,
                    Box::new(move || match funding {
                        Some(f) => lang.get().pick(f.label_zh(), f.label_en()).to_owned(),
                        None => none(),
                    }),
                )}
                {row("count", Msg::FieldCount, Box::new(move || count.clone()))}
                {row(
                    "recruitment",
                    Msg::FieldRecruitment,
                    Box::new(move || lang.get().pick(entry.label_zh(), entry.label_en()).to_owned()),
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
