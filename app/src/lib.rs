//! The client of the electronic staffing certificate: a Leptos app rendered in the browser.
//!
//! Architecture invariant: only this crate knows web-sys, IndexedDB and WebAuthn in the
//! browser; every HTTP call goes through [`api`]; every WebAuthn call through [`webauthn`];
//! every string shown goes through [`i18n`].

pub mod api;
pub mod components;
pub mod connectivity;
pub mod i18n;
pub mod local;
pub mod outbox;
pub mod pages;
pub mod quota_form;
pub mod service_worker;
pub mod session;
pub mod signing;
pub mod storage;
pub mod store;
pub mod sync;
pub mod tabs;
pub mod webauthn;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use protocol::identity::SessionInfo;
use protocol::sync::Change;

use crate::components::layout::Layout;
use crate::outbox::OutboxItem;
use crate::pages::{
    apply::Apply, certificate::CertificatePage, enrol::Enrol, not_found::NotFound, sign_in::SignIn,
};

/// Starts the client: panic hook, service worker, reachability probe, session check, the
/// sync scheduler, the election of the syncing tab, and the app itself.
pub fn start() {
    console_error_panic_hook::set_once();
    service_worker::register();
    leptos::mount::mount_to_body(|| {
        let context = provide_app_context();
        connectivity::watch(context.connectivity);
        spawn_local(session::refresh(context.session));
        session::watch_other_tabs(context.session);
        sync::watch(context);
        tabs::watch(context);
        view! { <App/> }
    });
}

/// The signals every page reads.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub lang: RwSignal<i18n::Lang>,
    pub connectivity: RwSignal<connectivity::Connectivity>,
    /// Who is signed in (kept on this computer, so known offline too).
    pub session: RwSignal<Option<SessionInfo>>,
    /// Applications signed on this computer by the signed-in holder (from the store).
    pub outbox: RwSignal<Vec<OutboxItem>>,
    /// The applications the server tracks in the holder's scope (confirmed state).
    pub applications: RwSignal<BTreeMap<String, Change>>,
    /// Leader, last sync, progress, revision of the confirmed state.
    pub sync: RwSignal<sync::SyncState>,
    /// Persistence and usage of the browser's storage.
    pub storage: RwSignal<storage::StorageInfo>,
    /// Why the outbox could not be sent or stored, if it could not.
    pub sync_problem: RwSignal<Option<sync::SyncProblem>>,
}

/// Creates the app's signals and puts them (and the language and reachability signals alone)
/// into the context. The store is read once the holder is known ([`sync::watch`]).
pub fn provide_app_context() -> AppContext {
    let context = AppContext {
        lang: i18n::provide_lang(),
        connectivity: RwSignal::new(connectivity::Connectivity::Checking),
        session: RwSignal::new(session::stored()),
        outbox: RwSignal::new(Vec::new()),
        applications: RwSignal::new(BTreeMap::new()),
        sync: RwSignal::new(sync::SyncState::default()),
        storage: RwSignal::new(storage::StorageInfo::default()),
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

/// The app: layout around the routed pages. Expects [`provide_app_context`] to have run.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=SignIn/>
                    <Route path=path!("/sign-in") view=SignIn/>
                    <Route path=path!("/enrol") view=Enrol/>
                    <Route path=path!("/apply") view=Apply/>
                    <Route path=path!("/certificate") view=CertificatePage/>
                </Routes>
            </Layout>
        </Router>
    }
}
