//! The sync-status panel, under the header on every page once a holder is signed in: last
//! successful sync, items waiting (a reviewer's: their signed decisions; a clerk's: their
//! applications), items that did not go through and wait for the clerk (a reviewer's: their
//! decisions the server did not accept)
//! ([`crate::applications::outbox::OutboxItem::needs_clerk_action`]), a snapshot's progress,
//! which tab syncs, what the browser's storage holds, and why syncing stopped if it did (a
//! failed write to the store, an expired session). Online/offline is the badge beside it.

use leptos::prelude::*;

use crate::applications::outbox::ItemStatus;
use crate::i18n::{Msg, t};
use crate::persistence::human_bytes;
use crate::state::{SyncProblem, use_app_context};

/// The panel (nothing while no one is signed in).
#[component]
pub fn SyncStatus() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    // A reviewer's counters are their decisions; a clerk's, their applications.
    let reviews = move || {
        context
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.holder.reviews()))
    };
    let waiting = move || {
        if reviews() {
            return context
                .decisions
                .with(|d| d.iter().filter(|d| d.status == ItemStatus::Pending).count());
        }
        context.outbox.with(|items| {
            items
                .iter()
                .filter(|i| i.status == ItemStatus::Pending)
                .count()
        })
    };
    // Those that did not go through and wait for the clerk: the rule the revise button uses.
    let rejected = move || {
        if reviews() {
            return context.decisions.with(|d| {
                d.iter()
                    .filter(|d| matches!(d.status, ItemStatus::Rejected { .. }))
                    .count()
            });
        }
        context.applications.with(|tracked| {
            context.outbox.with(|items| {
                items
                    .iter()
                    .filter(|i| i.needs_clerk_action(tracked))
                    .count()
            })
        })
    };
    let last_sync = move || context.sync.with(|s| s.last_sync.clone());
    let leader = move || context.sync.with(|s| s.leader);
    let progress = move || context.sync.with(|s| s.progress);
    let busy = move || context.sync.with(|s| s.busy);
    let storage = move || context.storage.get();
    view! {
        <Show when=move || context.session.with(Option::is_some)>
            <section
                class="sync-status"
                id="sync-status"
                aria-label=move || Msg::SyncStatusTitle.text(lang.get())
                data-leader=move || leader().to_string()
                data-waiting=move || waiting().to_string()
                data-rejected=move || rejected().to_string()
                data-last-sync=move || last_sync().unwrap_or_default()
                data-busy=move || busy().to_string()
            >
                <span class="sync-last" id="sync-last">
                    {t(Msg::SyncLastSync)}
                    {move || {
                        last_sync()
                            .map(|s| crate::clock::beijing_time(&s))
                            .unwrap_or_else(|| Msg::SyncNever.text(lang.get()).to_owned())
                    }}
                </span>
                <span class="sync-waiting" id="sync-waiting" class=("has-items", move || waiting() > 0)>
                    {move || {
                        if reviews() { Msg::SyncDecisionsWaiting } else { Msg::SyncWaiting }
                            .text(lang.get())
                    }} {waiting} " " {t(Msg::SyncItems)}
                </span>
                <span class="sync-rejected" id="sync-rejected" class=("has-items", move || rejected() > 0)>
                    {move || {
                        if reviews() { Msg::SyncDecisionsRefused } else { Msg::SyncRejected }
                            .text(lang.get())
                    }} {rejected} " " {t(Msg::SyncItems)}
                </span>
                {move || {
                    progress()
                        .map(|p| {
                            view! {
                                <span class="sync-progress" id="sync-progress">
                                    {t(Msg::SyncProgress)} {p.done_units} " / " {p.total_units} " "
                                    {t(Msg::SyncUnits)}
                                    <progress
                                        max=p.total_units.to_string()
                                        value=p.done_units.to_string()
                                    ></progress>
                                </span>
                            }
                        })
                }}
                <Show when=move || busy() && progress().is_none()>
                    <span class="sync-busy">{t(Msg::SyncBusy)}</span>
                </Show>
                <Show when=move || !leader()>
                    <span class="sync-other-tab muted">{t(Msg::SyncOtherTab)}</span>
                </Show>
                {move || {
                    let info = storage();
                    info.usage
                        .map(|usage| {
                            let quota = info.quota.map(human_bytes);
                            let kept = match info.persisted {
                                Some(true) => Msg::StoragePersisted,
                                _ => Msg::StorageNotPersisted,
                            };
                            view! {
                                <span
                                    class="sync-storage muted"
                                    id="sync-storage"
                                    data-persisted=info.persisted.map(|p| p.to_string()).unwrap_or_default()
                                >
                                    {t(Msg::StorageUsage)}
                                    {human_bytes(usage)}
                                    {quota.map(|q| view! { {t(Msg::StorageOf)} {q} })}
                                    " · "
                                    {t(kept)}
                                </span>
                            }
                        })
                }}
                <SyncNotice/>
            </section>
        </Show>
    }
}

/// Why syncing stopped, when it did (e.g. 请重新登录, or a write to the store that failed).
#[component]
fn SyncNotice() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    move || {
        context.sync_problem.get().map(|problem| {
            let expired = problem == SyncProblem::SessionExpired;
            let login = context
                .session
                .get_untracked()
                .map(|s| s.holder.login)
                .unwrap_or_default();
            let href = format!(
                "/sign-in?login={}",
                String::from(js_sys::encode_uri_component(&login))
            );
            view! {
                <p class="error" id="sync-problem" role="alert">
                    {move || problem.text(lang.get())}
                    {expired
                        .then(|| {
                            view! {
                                " "
                                <a href=href id="sync-sign-in-again">
                                    {t(Msg::GoToSignIn)}
                                </a>
                            }
                        })}
                </p>
            }
        })
    }
}
