//! One application of the outbox as the lists show it: kind, status (the server's decision
//! once there is one), summary, reason, the server's review status and slip, when it was
//! signed, what revised it, and — where the list offers it — the revise button.

use leptos::prelude::*;

use crate::applications::outbox::{ItemStatus, OutboxItem};
use crate::i18n::{Msg, t};
use crate::state::AppContext;

/// One item of the outbox, as the lists show it; with `revise`, a button that revises it
/// when it needs the clerk ([`OutboxItem::needs_clerk_action`]).
pub fn outbox_row(
    item: OutboxItem,
    context: AppContext,
    revise: Option<Callback<OutboxItem>>,
) -> impl IntoView {
    let lang = context.lang;
    let kind = item.application_kind();
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
    // The decider's comment (a return's reason), from the confirmed state.
    let comment = context.applications.with_untracked(|tracked| {
        item.review(tracked)
            .and_then(|t| t.last_comment())
            .map(|d| format!("{}（{}）", d.note, d.decider_name))
    });
    let (review, can_revise, decided) = context.applications.with_untracked(|tracked| {
        (
            item.review(tracked)
                .map(|t| (t.status, t.slip_number.clone())),
            item.needs_clerk_action(tracked),
            item.decided(tracked),
        )
    });
    // Once decided, the decision is the status a clerk looks for (已核准, 不予核准 …).
    let decided_label = review
        .as_ref()
        .filter(|_| status == ItemStatus::Accepted && decided)
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
                    {move || kind.map(|k| lang.get().pick(k.label_zh(), k.label_en())).unwrap_or("")}
                </span>
                <span class=format!("outbox-status status-{status_name}")>
                    {move || match decided_label {
                        Some(s) => lang.get().pick(s.label_zh(), s.label_en()),
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
                            {move || lang.get().pick(status.label_zh(), status.label_en())}
                            {slip.map(|n| view! { " · " {t(Msg::SlipNumber)} {n} })}
                        </p>
                    }
                })}
            {comment
                .map(|c| {
                    view! {
                        <p class="outbox-comment">{t(Msg::DecisionNote)} "：" {c}</p>
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
            <crate::components::withdraw::Withdraw application_id=item.application_id.clone()/>
        </li>
    }
}
