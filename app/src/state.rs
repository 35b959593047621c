//! What the client holds while it runs — who is signed in, the outbox, the applications the
//! server tracks, how syncing goes, the browser's storage — as signals in one [`AppContext`]
//! that every page and service reads.
//!
//! Wire values are converted where they arrive: the session's role and scope become
//! `domain::Role` and `domain::Scope` here ([`Session::from`]), the pull's applications
//! become [`TrackedApplication`]s in the store. Nothing below re-parses a code.

use std::collections::BTreeMap;
use std::str::FromStr;

use domain::{Role, Scope, UnitId};
use leptos::prelude::*;
use protocol::identity::{HolderInfo, SessionInfo};
use protocol::sync::Progress;

use crate::applications::decision::QueuedDecision;
use crate::applications::outbox::OutboxItem;
use crate::applications::tracked::TrackedApplication;
use crate::connectivity::Connectivity;
use crate::i18n::{self, Lang, Msg};
use crate::kept_session;
use crate::persistence::StorageInfo;
use crate::storage_error::StorageError;

/// The signals every page reads.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub lang: RwSignal<Lang>,
    pub connectivity: RwSignal<Connectivity>,
    /// Who is signed in (kept on this computer, so known offline too).
    pub session: RwSignal<Option<Session>>,
    /// Applications signed on this computer by the signed-in holder (from the store).
    pub outbox: RwSignal<Vec<OutboxItem>>,
    /// Decisions signed on this computer by the signed-in holder (from the store).
    pub decisions: RwSignal<Vec<QueuedDecision>>,
    /// The applications the server tracks in the holder's scope (confirmed state), by id.
    pub applications: RwSignal<BTreeMap<String, TrackedApplication>>,
    /// Leader, last sync, progress, revision of the confirmed state.
    pub sync: RwSignal<SyncState>,
    /// Persistence and usage of the browser's storage.
    pub storage: RwSignal<StorageInfo>,
    /// Why the outbox could not be sent or stored, if it could not.
    pub sync_problem: RwSignal<Option<SyncProblem>>,
}

/// Creates the app's signals (the session from the one kept on this computer) and puts them
/// (and the language and reachability signals alone) into the context. The store is read
/// once the holder is known (`sync::engine::watch`).
pub fn provide_app_context() -> AppContext {
    let context = AppContext {
        lang: i18n::provide_lang(),
        connectivity: RwSignal::new(Connectivity::Checking),
        session: RwSignal::new(kept_session::stored().map(Session::from)),
        outbox: RwSignal::new(Vec::new()),
        decisions: RwSignal::new(Vec::new()),
        applications: RwSignal::new(BTreeMap::new()),
        sync: RwSignal::new(SyncState::default()),
        storage: RwSignal::new(StorageInfo::default()),
        sync_problem: RwSignal::new(None),
    };
    provide_context(context.connectivity);
    provide_context(context);
    context
}

/// The app context; outside an app (a component rendered alone), fresh signals.
pub fn use_app_context() -> AppContext {
    use_context::<AppContext>().unwrap_or_else(provide_app_context)
}

impl AppContext {
    /// The id of the holder signed in now (not tracked).
    pub fn holder_id(&self) -> Option<String> {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.holder.id.clone()))
    }
}

/// The signed-in key holder's session: the server's `SessionInfo`, its role and scope
/// converted to domain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub holder: Holder,
    /// Sent back in the CSRF header on every state-changing request.
    pub csrf_token: String,
    /// The holder's usable credential ids (base64url), so that signing works offline.
    pub credential_ids: Vec<String>,
    /// The WebAuthn relying-party id to sign for.
    pub rp_id: String,
}

/// Who holds the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: String,
    pub login: String,
    pub name: String,
    /// `None`: a role this build does not know (it then files nothing).
    pub role: Option<Role>,
    /// `None`: a scope this build cannot read.
    pub scope: Option<Scope>,
}

impl From<SessionInfo> for Session {
    fn from(info: SessionInfo) -> Self {
        Session {
            holder: Holder::from(info.holder),
            csrf_token: info.csrf_token,
            credential_ids: info.credential_ids,
            rp_id: info.rp_id,
        }
    }
}

impl From<HolderInfo> for Holder {
    fn from(info: HolderInfo) -> Self {
        Holder {
            role: Role::from_code(&info.role),
            scope: Scope::from_str(&info.scope).ok(),
            id: info.id,
            login: info.login,
            name: info.name,
        }
    }
}

impl Holder {
    /// The unit the holder's scope names (`unit:<id>`), for unit clerks.
    pub fn unit(&self) -> Option<&UnitId> {
        match &self.scope {
            Some(Scope::Unit(id)) => Some(id),
            _ => None,
        }
    }

    /// Whether the holder reviews applications (a supervising department or a bureau reviewer):
    /// their work is the review queue.
    pub fn reviews(&self) -> bool {
        matches!(self.role, Some(Role::Supervisor | Role::BureauReviewer))
    }

    /// Where the holder's work is, the page they land on: a bureau administrator's key
    /// holders, a reviewer's queue, else the certificate (a clerk's roster and applications).
    pub fn landing_page(&self) -> &'static str {
        if self.role == Some(Role::BureauAdmin) {
            "/admin/holders"
        } else if self.reviews() {
            "/review"
        } else {
            "/certificate"
        }
    }

    /// Whether the holder may file applications (a unit clerk with a unit scope).
    pub fn files_applications(&self) -> bool {
        self.role.is_some_and(Role::files_applications) && self.unit().is_some()
    }
}

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
            SyncProblem::Storage(e) => e.text(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn info(role: &str, scope: &str) -> SessionInfo {
        SessionInfo {
            holder: HolderInfo {
                id: "holder-7".into(),
                login: "qz-edu".into(),
                name: "王敏".into(),
                role: role.into(),
                scope: scope.into(),
            },
            csrf_token: "csrf".into(),
            credential_ids: vec!["Y3JlZC0x".into()],
            rp_id: "localhost".into(),
        }
    }

    #[wasm_bindgen_test]
    fn the_role_and_scope_are_read_once_when_the_session_arrives() {
        let clerk = Session::from(info("unit_clerk", "unit:620502-0012"));
        assert_eq!(clerk.holder.role, Some(Role::UnitClerk));
        assert_eq!(clerk.holder.unit().map(UnitId::as_str), Some("620502-0012"));
        assert!(clerk.holder.files_applications());

        let supervisor = Session::from(info("supervisor", "department:620502-0001"));
        assert_eq!(supervisor.holder.unit(), None);
        assert!(!supervisor.holder.files_applications());

        let unknown = Session::from(info("astronaut", "moon:1"));
        assert_eq!((unknown.holder.role, &unknown.holder.scope), (None, &None));
        assert!(!unknown.holder.files_applications());
    }
}
