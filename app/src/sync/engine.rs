//! When the leader tab ([`super::tabs`]) syncs, and what a round does: send the queue
//! ([`super::push`]), then pull the confirmed state ([`super::pull`]).
//!
//! **When**: right away when asked ([`kick`]: after signing, on becoming leader, on regained
//! connectivity), every [`POLL_INTERVAL_MS`] after a success, and after a failure with a
//! backoff from [`RETRY_MIN_MS`] doubling to [`RETRY_MAX_MS`]; a kick during a round runs
//! another right after it.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::outcome::Outcome;
use super::pull::pull;
use super::push::push;
use super::reload::{load_from_store, reload, reload_last_sync};
use super::tabs::{self, Notice, TabEvent};
use crate::clock::now_ms;
use crate::connectivity::Connectivity;
use crate::state::AppContext;

/// First retry after a failure.
pub const RETRY_MIN_MS: f64 = 2_000.0;
/// Longest wait between retries.
pub const RETRY_MAX_MS: f64 = 60_000.0;
/// Pull again this long after a success.
pub const POLL_INTERVAL_MS: f64 = 30_000.0;
/// How often the scheduler looks whether a round is due.
const TICK_MS: u32 = 500;

thread_local! {
    /// Whether a round is under way (one at a time).
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    /// When the next round is due (`Date.now()` milliseconds).
    static DUE: Cell<f64> = const { Cell::new(0.0) };
    /// The current backoff.
    static BACKOFF: Cell<f64> = const { Cell::new(RETRY_MIN_MS) };
    /// A round was asked for while one ran: run again as soon as it ends.
    static AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// Asks for a round as soon as possible.
pub fn kick(context: AppContext) {
    DUE.with(|d| d.set(0.0));
    if RUNNING.with(Cell::get) {
        AGAIN.with(|a| a.set(true));
    }
    spawn_local(round(context));
}

/// One round — push, then pull — unless one is running or this tab does not lead.
pub async fn round(context: AppContext) {
    if !context.sync.with_untracked(|s| s.leader) || RUNNING.with(|r| r.replace(true)) {
        return;
    }
    context.sync.update(|s| s.busy = true);
    let outcome = run(context).await;
    context.sync.update(|s| {
        s.busy = false;
        s.progress = None;
    });
    let wait = match outcome {
        Outcome::Done => {
            // Only a round that went through clears what an earlier one reported.
            context.sync_problem.set(None);
            BACKOFF.with(|b| b.set(RETRY_MIN_MS));
            POLL_INTERVAL_MS
        }
        Outcome::Retry | Outcome::ServerFailed => BACKOFF.with(|b| {
            let wait = b.get();
            b.set((wait * 2.0).min(RETRY_MAX_MS));
            wait
        }),
        Outcome::Stop => RETRY_MAX_MS,
    };
    let again = AGAIN.with(|a| a.replace(false));
    DUE.with(|d| d.set(if again { 0.0 } else { now_ms() + wait }));
    RUNNING.with(|r| r.set(false));
}

async fn run(context: AppContext) -> Outcome {
    let Some(session) = context.session.get_untracked() else {
        return Outcome::Stop;
    };
    let holder = session.holder.id.clone();
    match push(context, &holder, &session.csrf_token).await {
        Outcome::Done => pull(context, &holder).await,
        // An envelope the server fails on must not starve the pull; the round still counts as
        // failed (backoff), and the problem stays on screen.
        Outcome::ServerFailed => {
            let _ = pull(context, &holder).await;
            Outcome::ServerFailed
        }
        other => other,
    }
}

/// What this tab does when the other tabs tell it something, when it is elected to sync,
/// and when it wakes up.
fn on_tab_event(context: AppContext, event: TabEvent) {
    match event {
        TabEvent::Notice(Notice::Changed) | TabEvent::Resumed => reload(context),
        TabEvent::Notice(Notice::Synced) => reload_last_sync(context),
        TabEvent::Notice(Notice::Queued) => {
            reload(context);
            if context.sync.with_untracked(|s| s.leader) {
                kick(context);
            }
        }
        TabEvent::Elected => kick(context),
    }
}

/// Runs rounds when due, on regained connectivity, loads each new holder's store, and joins
/// the election of the syncing tab ([`tabs::watch`]), for the life of the page. Call once.
pub fn watch(context: AppContext) {
    Effect::new(move |was_online: Option<bool>| {
        let online = context.connectivity.get() == Connectivity::Online;
        if online && was_online != Some(true) {
            BACKOFF.with(|b| b.set(RETRY_MIN_MS));
            kick(context);
        }
        online
    });
    Effect::new(move |previous: Option<Option<String>>| {
        let holder = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        if previous.as_ref() != Some(&holder) {
            context.outbox.set(Vec::new());
            context.decisions.set(Vec::new());
            context.applications.set(Default::default());
            context.sync.update(|s| {
                s.last_sync = None;
                s.revision += 1;
            });
            if let Some(holder) = holder.clone() {
                spawn_local(async move {
                    load_from_store(context, &holder).await;
                    crate::persistence::refresh(context.storage);
                });
            }
        }
        holder
    });
    spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(TICK_MS).await;
            let due = DUE.with(|d| d.get()) <= now_ms();
            let offline = context.connectivity.get_untracked() == Connectivity::Offline;
            if due && !offline {
                round(context).await;
            }
        }
    });
    tabs::watch(context, on_tab_event);
}
