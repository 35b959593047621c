//! Syncing with the server, done by the leader tab ([`crate::tabs`]): send the queue, then pull
//! the confirmed state.
//!
//! **Push**: the signed-in holder's pending items, in sequence order, in batches of at most
//! [`protocol::identity::MAX_SUBMISSIONS`], with the session's CSRF token. Every verdict is
//! stored (one transaction per batch) before the next batch goes; a rejection is a verdict like
//! any other and never holds the queue, and a batch the server fails on (500) is sent again
//! one envelope at a time, so that only the envelope it cannot handle waits. No answer keeps the items pending (the server answers a
//! repeat with its first verdict, so sending again is safe); a 401 means the session expired:
//! the items stay and the interface asks the holder to sign in again.
//!
//! **Pull**: pages after the stored cursor until `complete`, each applied with its cursor in
//! one transaction ([`store::apply_page`]); progress is shown while a snapshot arrives.
//!
//! **When**: right away when asked ([`kick`]: after signing, on becoming leader, on regained
//! connectivity), every [`POLL_INTERVAL_MS`] after a success, and after a failure with a
//! backoff from [`RETRY_MIN_MS`] doubling to [`RETRY_MAX_MS`].

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::identity::SubmitRequest;
use protocol::sync::Progress;

use crate::AppContext;
use crate::connectivity::Connectivity;
use crate::i18n::{Lang, Msg};
use crate::local::StorageError;
use crate::outbox::{self, ItemStatus};
use crate::store;
use crate::tabs::{self, Notice};

/// First retry after a failure.
pub const RETRY_MIN_MS: f64 = 2_000.0;
/// Longest wait between retries.
pub const RETRY_MAX_MS: f64 = 60_000.0;
/// Pull again this long after a success.
pub const POLL_INTERVAL_MS: f64 = 30_000.0;
/// How often the scheduler looks whether a round is due.
const TICK_MS: u32 = 500;

/// What the sync-status panel shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncState {
    /// This tab is the one that syncs.
    pub leader: bool,
    /// A round is running.
    pub busy: bool,
    /// When a pull last reached the end (RFC 3339), from the store.
    pub last_sync: Option<String>,
    /// While a snapshot arrives.
    pub progress: Option<Progress>,
    /// Bumped whenever the confirmed state in the store changed: pages re-read it.
    pub revision: u64,
}

/// Why the last attempt to sync did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncProblem {
    /// HTTP 401: sign in again; the items are kept.
    SessionExpired,
    /// The server refused the request (its message).
    Server(String),
    /// The store could not be read or written: nothing is reported as saved.
    Storage(StorageError),
}

impl SyncProblem {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SyncProblem::SessionExpired => Msg::SessionExpired.text(lang).to_owned(),
            SyncProblem::Server(message) => format!("{}{message}", Msg::SyncServer.text(lang)),
            // What failed is storing what the server sent; the signed applications are safe.
            SyncProblem::Storage(StorageError::Write(_)) => {
                Msg::SyncStorageWriteFailed.text(lang).to_owned()
            }
            SyncProblem::Storage(e) => crate::local::storage_text(e, lang),
        }
    }
}

/// How a round ended.
enum Outcome {
    Done,
    /// Unreachable, or a transient refusal: retry with backoff.
    Retry,
    /// The server failed on the request itself (500): retry with backoff, and a batch is
    /// first split, so that one envelope the server cannot handle holds up only itself.
    ServerFailed,
    /// Nothing to retry until the holder acts (sign in again).
    Stop,
}

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

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Asks for a round as soon as possible.
pub fn kick(context: AppContext) {
    DUE.with(|d| d.set(0.0));
    if RUNNING.with(Cell::get) {
        AGAIN.with(|a| a.set(true));
    }
    spawn_local(round(context));
}

/// Re-reads the store into the signals (another tab changed it, or this one did).
pub fn reload(context: AppContext) {
    spawn_local(async move {
        let Some(holder) = holder(context) else {
            return;
        };
        load_from_store(context, &holder).await;
    });
}

/// Re-reads only the time of the last sync (the leader pulled and nothing changed).
pub fn reload_last_sync(context: AppContext) {
    spawn_local(async move {
        let Some(holder) = holder(context) else {
            return;
        };
        match store::last_sync(&holder).await {
            Ok(last) => context.sync.update(|s| s.last_sync = last),
            Err(e) => context.sync_problem.set(Some(SyncProblem::Storage(e))),
        }
    });
}

fn holder(context: AppContext) -> Option<String> {
    context
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.holder.id.clone()))
}

/// Whether `holder` is still the one signed in: a round, or a read of the store, that began
/// for one holder never writes into another's store or signals.
fn still(context: AppContext, holder: &str) -> bool {
    context
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.holder.id == holder))
}

/// Reads the queue, the applications and the last sync of `holder` into the signals.
pub async fn load_from_store(context: AppContext, holder: &str) {
    let loaded = async {
        let items = store::outbox(holder).await?;
        let applications = store::applications(holder).await?;
        let last_sync = store::last_sync(holder).await?;
        Ok::<_, StorageError>((items, applications, last_sync))
    }
    .await;
    if !still(context, holder) {
        return;
    }
    match loaded {
        Ok((items, applications, last_sync)) => {
            context.outbox.set(items);
            context.applications.set(applications);
            context.sync.update(|s| {
                s.last_sync = last_sync;
                s.revision += 1;
            });
        }
        Err(e) => context.sync_problem.set(Some(SyncProblem::Storage(e))),
    }
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

async fn push(context: AppContext, holder: &str, csrf_token: &str) -> Outcome {
    let items = match store::outbox(holder).await {
        Ok(items) => items,
        Err(e) => return storage_failed(context, e),
    };
    let pending = outbox::pending_of(&items, holder);
    let mut outcome = Outcome::Done;
    for batch in pending.chunks(protocol::identity::MAX_SUBMISSIONS) {
        match send_batch(context, holder, csrf_token, batch).await {
            Outcome::Done => {}
            Outcome::ServerFailed if batch.len() > 1 => {
                // One at a time, in order: the others go through, the failing one waits.
                for item in batch {
                    match send_batch(context, holder, csrf_token, std::slice::from_ref(item)).await
                    {
                        Outcome::Done => {}
                        Outcome::ServerFailed => outcome = Outcome::ServerFailed,
                        other => return other,
                    }
                }
            }
            other => return other,
        }
    }
    outcome
}

fn storage_failed(context: AppContext, e: StorageError) -> Outcome {
    context.sync_problem.set(Some(SyncProblem::Storage(e)));
    Outcome::Retry
}

fn api_failed(context: AppContext, e: crate::api::ApiError) -> Outcome {
    if e.is_csrf_refused() {
        // Signed in again in another tab: a new session, a new token.
        crate::session::refresh_in_background(context.session);
        Outcome::Retry
    } else if e.is_unauthorized() {
        context.sync_problem.set(Some(SyncProblem::SessionExpired));
        Outcome::Stop
    } else if e.is_network() {
        // Nothing to tell beyond the connectivity badge.
        Outcome::Retry
    } else {
        context.sync_problem.set(Some(SyncProblem::Server(
            e.text(context.lang.get_untracked()),
        )));
        if e.is_server_failure() {
            Outcome::ServerFailed
        } else {
            Outcome::Retry
        }
    }
}

/// Sends one batch and stores its verdicts.
async fn send_batch(
    context: AppContext,
    holder: &str,
    csrf_token: &str,
    batch: &[outbox::OutboxItem],
) -> Outcome {
    let request = SubmitRequest {
        submissions: batch.iter().map(|i| i.submission.clone()).collect(),
    };
    let response = match crate::api::submit(csrf_token, &request).await {
        Ok(response) => response,
        Err(e) => return api_failed(context, e),
    };
    if !still(context, holder) {
        // Signed out (or another holder signed in) meanwhile: the verdicts are the server's
        // and come back on a repeat; nothing is written for someone else.
        return Outcome::Stop;
    }
    let mut changes = Vec::new();
    for (index, verdict) in response.verdicts.iter().enumerate() {
        let item = verdict
            .application_id
            .as_ref()
            .and_then(|id| batch.iter().find(|i| &i.application_id == id))
            .or_else(|| batch.get(index));
        if let Some(item) = item {
            changes.push((
                item.application_id.clone(),
                ItemStatus::from_verdict(verdict),
            ));
        }
    }
    if let Err(e) = store::record_verdicts(holder, &changes).await {
        return storage_failed(context, e);
    }
    if !still(context, holder) {
        return Outcome::Stop;
    }
    match store::outbox(holder).await {
        Ok(items) => context.outbox.set(items),
        Err(e) => return storage_failed(context, e),
    }
    tabs::announce(Notice::Changed);
    Outcome::Done
}

async fn pull(context: AppContext, holder: &str) -> Outcome {
    let mut cursor = match store::cursor(holder).await {
        Ok(cursor) => cursor,
        Err(e) => return storage_failed(context, e),
    };
    let first = cursor.is_none();
    if first {
        mark("staffing.pull.start");
    }
    let mut changed = false;
    loop {
        let page = match crate::api::pull(cursor.as_deref()).await {
            Ok(page) => page,
            Err(e) => return api_failed(context, e),
        };
        if page.holder_id != holder || !still(context, holder) {
            // The browser's session is another holder's (changed in another tab): learn who is
            // signed in; this holder's store is left as it was.
            crate::session::refresh_in_background(context.session);
            return Outcome::Stop;
        }
        if !page.complete || page.progress.is_some() {
            context.sync.update(|s| s.progress = page.progress);
        }
        let now = crate::signing::now()
            .map(|t| t.to_string())
            .unwrap_or_default();
        if let Err(e) = store::apply_page(holder, &page, &now).await {
            return storage_failed(context, e);
        }
        changed |= page.reset || !page.changes.is_empty();
        cursor = Some(page.cursor);
        if page.complete {
            break;
        }
    }
    if first {
        // A first pull, for `cargo xtask bench` (`performance.getEntriesByName`).
        mark("staffing.pull.end");
    }
    if changed {
        load_from_store(context, holder).await;
        tabs::announce(Notice::Changed);
        crate::storage::refresh(context);
    } else {
        // Only the time of the last sync moved.
        match store::last_sync(holder).await {
            Ok(last) => context.sync.update(|s| s.last_sync = last),
            Err(e) => return storage_failed(context, e),
        }
        tabs::announce(Notice::Synced);
    }
    Outcome::Done
}

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Runs rounds when due, on regained connectivity, and loads each new holder's store, for
/// the life of the page.
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
            context.applications.set(Default::default());
            context.sync.update(|s| {
                s.last_sync = None;
                s.revision += 1;
            });
            if let Some(holder) = holder.clone() {
                spawn_local(async move {
                    load_from_store(context, &holder).await;
                    crate::storage::refresh(context);
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
}
