//! 我的申请: the clerk's applications signed on this computer, newest first, each with its kind,
//! what it asks (category and count, the person, the reason), its status in one word (待同步,
//! 已提交, 主管部门已同意, 已核准, 已退回, 未予核准, 已撤回, 未受理), the server's reason or the
//! slip number, a print view once approved, and — where the list offers it — the revise
//! button.

use domain::payload::ApplicationPayload;
use domain::{ApplicationKind, ApplicationStatus};
use leptos::prelude::*;

use crate::applications::outbox::{self, ItemStatus, OutboxItem};
use crate::i18n::{Lang, Msg, t};
use crate::state::{AppContext, use_app_context};

/// The clerk's applications; with `revise`, a button on each that needs the clerk.
#[component]
pub fn MyApplications(revise: Option<Callback<OutboxItem>>) -> impl IntoView {
    let context = use_app_context();
    let items = move || {
        let signer = context.holder_id();
        let mut mine: Vec<OutboxItem> = context.outbox.with(|items| {
            items
                .iter()
                .filter(|i| Some(&i.signer) == signer.as_ref())
                .cloned()
                .collect()
        });
        crate::order::sort_by(&mut mine, outbox::newest_first());
        mine
    };
    view! {
        <section class="card outbox" id="outbox">
            <h2>{t(Msg::MyApplications)}</h2>
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
                            .map(|item| outbox_row(item, context, revise))
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// What an application asks, in a line: category and count, the person, the reason.
pub fn summary(item: &OutboxItem, lang: Lang) -> String {
    let Some(payload) = item.payload() else {
        return item.summary.clone();
    };
    match payload {
        ApplicationPayload::QuotaUse(r) => format!(
            "{} {} {} · {}",
            lang.pick(r.category.label_zh(), r.category.label_en()),
            r.count.get(),
            Msg::VacancyPosts.text(lang),
            r.reason
        ),
        ApplicationPayload::Onboarding(r) => format!("{} · {}", r.person.name, r.slip_number),
        ApplicationPayload::Offboarding(r) => format!(
            "{} · {} · {}",
            item.summary,
            lang.pick(r.reason.label_zh(), r.reason.label_en()),
            r.left_on
        ),
        ApplicationPayload::RecordChange(r) => {
            let fields: Vec<String> = r
                .changes
                .iter()
                .map(|c| {
                    crate::applications::registration::field_of_record(&c.field)
                        .map_or_else(|| c.field.clone(), |f| f.label().text(lang).to_owned())
                })
                .collect();
            format!("{} · {}", item.summary, fields.join("、"))
        }
    }
}

/// The one status word of an application: what the server said of its envelope until it was
/// accepted, then where the reviewers have it.
fn status_text(status: &ItemStatus, review: Option<ApplicationStatus>, lang: Lang) -> String {
    match (status, review) {
        (ItemStatus::Accepted, Some(s)) => lang.pick(s.label_zh(), s.label_en()).to_owned(),
        (ItemStatus::Pending, _) => Msg::StatusPending.text(lang).to_owned(),
        (ItemStatus::Accepted, None) => Msg::StatusAccepted.text(lang).to_owned(),
        (ItemStatus::Rejected { .. }, _) => Msg::StatusRejected.text(lang).to_owned(),
        (ItemStatus::Held { .. }, _) => Msg::StatusHeld.text(lang).to_owned(),
    }
}

/// One application as the list shows it.
pub fn outbox_row(
    item: OutboxItem,
    context: AppContext,
    revise: Option<Callback<OutboxItem>>,
) -> impl IntoView {
    let lang = context.lang;
    let kind = item.application_kind();
    let status = item.status.clone();
    let status_name = status.name();
    // The server's reason in the interface's language.
    let reason = {
        let status = status.clone();
        move || status.reason(lang.get())
    };
    let (review, can_revise) = context.applications.with_untracked(|tracked| {
        (
            item.review(tracked).cloned(),
            item.needs_clerk_action(tracked),
        )
    });
    let review_status = review.as_ref().map(|r| r.status);
    let review_code = review_status
        .map(ApplicationStatus::code)
        .unwrap_or_default();
    let slip = review.as_ref().and_then(|r| r.slip_number.clone());
    let notice = review.as_ref().and_then(|r| r.notice_number.clone());
    // The issued document's status as of the last sync (voided, used, lapsed …).
    let document_status = review
        .as_ref()
        .and_then(|r| r.document.as_ref())
        .map(|d| d.status.clone())
        .map(|code| {
            let msg = crate::i18n::document_status(&code);
            view! {
                " " <span class=format!("outbox-document-status document-{code}")
                    data-document-status=code.clone()>{msg.map(t)}</span>
            }
        });
    let comment = review
        .as_ref()
        .and_then(|r| r.last_comment())
        .map(|d| (d.note.clone(), d.decider_name.clone()));
    let late = review.as_ref().filter(|r| r.late).map(|r| r.days_overdue);
    let printable = review_status == Some(ApplicationStatus::Approved)
        && kind.is_some_and(|k| k != ApplicationKind::RecordChange);
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
    let line = {
        let item = item.clone();
        move || summary(&item, lang.get())
    };
    let status_line = move || status_text(&status, review_status, lang.get());
    let print_href = format!("/print?application={}", item.application_id);
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
                <span class=format!("outbox-status status-{status_name} review-{review_code}")>
                    {status_line}
                </span>
            </div>
            <p class="outbox-summary">{line}</p>
            {move || reason().map(|r| view! { <p class="outbox-reason">{r}</p> })}
            {comment
                .map(|c| {
                    view! {
                        <p class="outbox-comment">
                            {t(Msg::DeciderComment)} {c.0} " —" {c.1}
                        </p>
                    }
                })}
            {slip
                .map(|n| {
                    view! {
                        <p class="outbox-review">
                            {t(Msg::SlipNumber)} <span class="outbox-slip">{n}</span>
                        </p>
                    }
                })}
            {notice
                .map(|n| {
                    view! {
                        <p class="outbox-review">
                            {t(Msg::NoticeNumber)} <span class="outbox-notice">{n}</span>
                        </p>
                    }
                })}
            {document_status.map(|s| view! { <p class="outbox-review">{t(Msg::DocumentStatusLabel)} {s}</p> })}
            {late
                .map(|days| {
                    view! {
                        <p class="outbox-late">{t(Msg::DeadlineLate)} {days}</p>
                    }
                })}
            <p class="outbox-meta">
                {t(Msg::SignedAt)} " " {crate::clock::beijing_time(&item.signed_at)} " · "
                {t(Msg::ConfirmApplicationId)} " " <code>{item.application_id.clone()}</code>
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
            <div class="button-row">
                {revise_button}
                {printable
                    .then(|| {
                        view! {
                            <a class="button secondary outbox-print" href=print_href>
                                {t(Msg::Print)}
                            </a>
                        }
                    })}
            </div>
            <crate::components::withdraw::Withdraw application_id=item.application_id.clone()/>
        </li>
    }
}
