//! 确认审批决定: exactly what will be signed — one decision, or a batch of approvals listed on
//! one screen — then one signature per decision with the security key (offline too), each
//! kept in the outbox; the sync sends them.

use domain::payload::ApplicationPayload;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ReviewState;
use super::queue::unit_names;
use crate::applications::deciding::{self, PreparedDecision};
use crate::applications::tracked::TrackedApplication;
use crate::clock::beijing_time as local_time;
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;
use crate::store;

/// The confirmation of `state.prepared`.
#[component]
pub(super) fn Confirm(state: ReviewState) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let names = unit_names(context);
    let prepared = state.prepared.get_untracked();
    let batch = prepared.len() > 1;
    let count = prepared.len();
    let done = RwSignal::new(0_usize);
    let show_json = RwSignal::new(false);
    let signer = context
        .session
        .get_untracked()
        .map(|s| format!("{}（{}）", s.holder.name, s.holder.login))
        .unwrap_or_default();

    let sign = move |_| {
        if state.signing.get_untracked() {
            return;
        }
        let Some(session) = context.session.get_untracked() else {
            return;
        };
        let all = state.prepared.get_untracked();
        state.signing.set(true);
        state.error.set(None);
        spawn_local(async move {
            let mut signed = 0;
            let mut failed = None;
            // One signature per decision, in the order listed; a refusal of the key stops
            // there, and what was signed before it stays signed.
            for prepared in all.iter().skip(done.get_untracked()) {
                match deciding::sign_and_store(prepared, &session).await {
                    Ok(_) => {
                        signed += 1;
                        done.update(|d| *d += 1);
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            if let Ok(decisions) = store::decisions(&session.holder.id).await {
                context.decisions.set(decisions);
            }
            state.signing.set(false);
            if signed > 0 {
                crate::sync::kick(context);
            }
            match failed {
                Some(e) => state.error.set(Some(e)),
                None => {
                    let total = done.get_untracked();
                    state.selected.set(Default::default());
                    state.prepared.set(Vec::new());
                    state.open.set(None);
                    state.signed.set(Some(total));
                }
            }
        });
    };
    let back = move |_| {
        state.prepared.set(Vec::new());
        state.error.set(None);
    };

    let items = prepared
        .iter()
        .enumerate()
        .map(|(index, p)| item(p, index, done, names, lang))
        .collect_view();
    let json = prepared
        .iter()
        .map(PreparedDecision::text)
        .collect::<Vec<_>>()
        .join("\n");
    view! {
        <section class="confirm" id="confirm-decision">
            <h2>{t(if batch { Msg::BatchTitle } else { Msg::ConfirmDecisionTitle })}</h2>
            <p>{t(if batch { Msg::BatchIntro } else { Msg::ConfirmDecisionIntro })}</p>
            <p>{t(Msg::ConfirmSigner)} "：" {signer}</p>
            <ol class="confirm-decisions" id="confirm-decisions" data-count=count.to_string()>
                {items}
            </ol>
            <button
                type="button"
                class="secondary"
                id="confirm-json-toggle"
                on:click=move |_| show_json.update(|s| *s = !*s)
            >
                {move || if show_json.get() { Msg::HideJson } else { Msg::ShowJson }.text(lang.get())}
            </button>
            <Show when=move || show_json.get()>
                <pre class="canonical" id="confirm-decision-canonical">{json.clone()}</pre>
            </Show>
            {move || {
                state
                    .error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" id="confirm-decision-error" role="alert">
                                {move || e.text(lang.get())}
                            </p>
                        }
                    })
            }}
            <div class="button-row">
                <button
                    type="button"
                    class="secondary"
                    id="confirm-decision-back"
                    disabled=move || { state.signing.get() || done.get() > 0 }
                    on:click=back
                >
                    {t(Msg::ConfirmBack)}
                </button>
                <button
                    type="button"
                    class="primary"
                    id="confirm-decision-sign"
                    disabled=move || state.signing.get()
                    on:click=sign
                >
                    {t(Msg::ConfirmSign)}
                </button>
            </div>
            <Show when=move || state.signing.get()>
                <p class="progress" id="decision-sign-progress" role="status">
                    {t(Msg::ProgressTouchKey)}
                    {move || batch.then(|| format!(" {} / {count}", done.get() + 1))}
                </p>
            </Show>
        </section>
    }
}

/// One decision of the confirmation: the application, the decision, the comment, when.
fn item(
    prepared: &PreparedDecision,
    index: usize,
    done: RwSignal<usize>,
    names: LocalResource<std::collections::BTreeMap<String, String>>,
    lang: RwSignal<Lang>,
) -> impl IntoView + use<> {
    let application = &prepared.application;
    let decision = &prepared.decision;
    let (kind, action) = (application.kind, decision.action);
    let unit = application.unit_id.clone();
    let unit_shown = unit.clone();
    let note = decision.note.clone();
    let summary = summary(application, lang.get_untracked());
    view! {
        <li
            class="confirm-decision"
            data-application-id=application.application_id.clone()
            data-action=action.code()
            class:signed=move || { done.get() > index }
        >
            <dl class="confirm-fields">
                <div class="confirm-row" data-field="application">
                    <dt>{t(Msg::ConfirmKind)}</dt>
                    <dd>
                        {move || lang.get().pick(kind.label_zh(), kind.label_en())} " · "
                        {move || {
                            names.get().and_then(|n| n.get(&unit).cloned()).unwrap_or_else(|| unit.clone())
                        }} " " <span class="muted">{unit_shown}</span>
                    </dd>
                </div>
                {summary
                    .map(|summary| {
                        view! {
                            <div class="confirm-row" data-field="subject">
                                <dt>{t(Msg::ConfirmSubject)}</dt>
                                <dd>{summary}</dd>
                            </div>
                        }
                    })}
                <div class="confirm-row" data-field="action">
                    <dt>{t(Msg::ConfirmAction)}</dt>
                    <dd class="decision-action-chosen">
                        {move || lang.get().pick(action.label_zh(), action.label_en())}
                    </dd>
                </div>
                <div class="confirm-row" data-field="note">
                    <dt>{t(Msg::DecisionNote)}</dt>
                    <dd>
                        {if note.is_empty() {
                            view! { <span class="muted">{t(Msg::ConfirmNone)}</span> }.into_any()
                        } else {
                            note.into_any()
                        }}
                    </dd>
                </div>
                <div class="confirm-row" data-field="created-at">
                    <dt>{t(Msg::ConfirmCreatedAt)}</dt>
                    <dd>{local_time(&decision.created_at.to_string())}</dd>
                </div>
                <div class="confirm-row" data-field="application-id">
                    <dt>{t(Msg::ConfirmApplicationId)}</dt>
                    <dd><code>{application.application_id.clone()}</code></dd>
                </div>
            </dl>
            <Show when=move || { done.get() > index }>
                <p class="success">{t(Msg::BatchSigned)} {index + 1}</p>
            </Show>
        </li>
    }
}

/// What the application asks, in a few words: who enters or leaves, how many posts.
fn summary(application: &TrackedApplication, lang: Lang) -> Option<String> {
    Some(match application.payload()? {
        ApplicationPayload::QuotaUse(r) => format!(
            "{} × {}",
            lang.pick(r.category.label_zh(), r.category.label_en()),
            r.count.get()
        ),
        ApplicationPayload::Onboarding(r) => {
            format!("{} {}", r.person.name, r.person.id_number.masked())
        }
        ApplicationPayload::Offboarding(r) => format!(
            "{} · {}",
            r.id_number.masked(),
            lang.pick(r.reason.label_zh(), r.reason.label_en())
        ),
        ApplicationPayload::RecordChange(r) => r
            .changes
            .iter()
            .map(|c| crate::applications::registration::change_label(lang, &r.subject, &c.field))
            .collect::<Vec<_>>()
            .join("、"),
    })
}
