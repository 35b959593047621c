//! The client of the electronic staffing certificate: a Leptos app rendered in the browser.
//!
//! Imports run one way: [`pages`] and [`components`] → the context ([`state`]) and the
//! services ([`session`], [`ceremony`], [`sync`], [`applications::signing`]) → the store
//! ([`store`], IndexedDB) and the browser's other facilities → `protocol` and `domain`. Only
//! this file, which starts the app and routes, sees them all.
//!
//! Architecture invariant: only this crate knows web-sys, IndexedDB and WebAuthn in the
//! browser; every HTTP call goes through [`api`]; every WebAuthn call through [`webauthn`];
//! every string shown goes through [`i18n`].

pub mod api;
pub mod applications;
pub mod ceremony;
pub mod clock;
pub mod components;
pub mod connectivity;
pub mod export;
pub mod i18n;
pub mod ids;
pub mod json;
pub mod kept_session;
pub mod local_storage;
pub mod order;
pub mod pages;
pub mod persistence;
pub mod qr;
pub mod router;
pub mod service_worker;
pub mod session;
pub mod state;
pub mod storage_error;
pub mod store;
pub mod sync;
pub mod webauthn;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The allocator: Talc, smaller and faster in WASM than the default dlmalloc (issue 10).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::layout::Layout;
use crate::pages::admin::{acts::Acts, dashboard::Dashboard, holders::Holders};
use crate::pages::{
    apply::Apply, certificate::CertificatePage, certificate::person::PersonPage, enrol::Enrol,
    not_found::NotFound, print::PrintPage, reports::ReportsPage, review::Review, sign_in::SignIn,
};
use crate::router::{Router, routes};

pub use crate::state::{AppContext, provide_app_context, use_app_context};

/// Starts the client: panic hook, service worker, reachability probe, session check, the
/// sync scheduler with the election of the syncing tab, and the app itself.
pub fn start() {
    console_error_panic_hook::set_once();
    service_worker::register();
    leptos::mount::mount_to_body(|| {
        let context = provide_app_context();
        connectivity::watch(context.connectivity);
        spawn_local(session::refresh(context.session));
        session::watch_other_tabs(context.session);
        sync::engine::watch(context);
        view! { <App/> }
    });
}

/// The app: layout around the routed pages. Expects [`provide_app_context`] to have run.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Layout>{routes(route, page)}</Layout>
        </Router>
    }
}

/// The app's routes (a trailing `/` is accepted, as by the routes before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Root,
    SignIn,
    Enrol,
    Apply,
    Certificate,
    Review,
    Print,
    Reports,
    Person,
    Oversight,
    Holders,
    Acts,
    Verification,
    NotFound,
}

fn route(path: &str) -> Route {
    match path {
        "/" => Route::Root,
        "/sign-in" | "/sign-in/" => Route::SignIn,
        "/enrol" | "/enrol/" => Route::Enrol,
        "/apply" | "/apply/" => Route::Apply,
        "/certificate" | "/certificate/" => Route::Certificate,
        "/review" | "/review/" => Route::Review,
        "/print" | "/print/" => Route::Print,
        "/reports" | "/reports/" => Route::Reports,
        p if p.starts_with("/certificate/") => Route::Certificate,
        p if p.starts_with("/person/") => Route::Person,
        "/admin/oversight" | "/admin/oversight/" => Route::Oversight,
        "/admin/holders" | "/admin/holders/" => Route::Holders,
        "/admin/acts" | "/admin/acts/" => Route::Acts,
        "/admin/verification" | "/admin/verification/" => Route::Verification,
        _ => Route::NotFound,
    }
}

fn page(route: Route) -> AnyView {
    match route {
        Route::Root | Route::SignIn => view! { <SignIn/> }.into_any(),
        Route::Enrol => view! { <Enrol/> }.into_any(),
        Route::Apply => view! { <Apply/> }.into_any(),
        Route::Certificate => view! { <CertificatePage/> }.into_any(),
        Route::Review => view! { <Review/> }.into_any(),
        Route::Print => view! { <PrintPage/> }.into_any(),
        Route::Reports => view! { <ReportsPage/> }.into_any(),
        Route::Person => view! { <PersonPage/> }.into_any(),
        Route::Oversight => view! { <Dashboard/> }.into_any(),
        Route::Holders => view! { <Holders/> }.into_any(),
        Route::Acts => view! { <Acts/> }.into_any(),
        Route::Verification => view! { <pages::admin::verification::Verification/> }.into_any(),
        Route::NotFound => view! { <NotFound/> }.into_any(),
    }
}
