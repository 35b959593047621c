//! The client of the electronic staffing certificate: a Leptos app rendered in the browser.
//!
//! Architecture invariant: only this crate knows web-sys, IndexedDB and WebAuthn in the
//! browser; every HTTP call goes through [`api`]; every string shown goes through [`i18n`].

pub mod api;
pub mod components;
pub mod connectivity;
pub mod i18n;
pub mod pages;
pub mod service_worker;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::pages::{not_found::NotFound, sign_in::SignIn};

/// Starts the client: panic hook, service worker, reachability probe, and the app itself.
pub fn start() {
    console_error_panic_hook::set_once();
    service_worker::register();
    leptos::mount::mount_to_body(|| {
        let context = provide_app_context();
        connectivity::watch(context.connectivity);
        view! { <App/> }
    });
}

/// The signals every page reads: language and reachability of the server.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub lang: RwSignal<i18n::Lang>,
    pub connectivity: RwSignal<connectivity::Connectivity>,
}

/// Creates the app's signals and puts them (and each signal alone) into the context.
pub fn provide_app_context() -> AppContext {
    let context = AppContext {
        lang: i18n::provide_lang(),
        connectivity: RwSignal::new(connectivity::Connectivity::Checking),
    };
    provide_context(context.connectivity);
    provide_context(context);
    context
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
                </Routes>
            </Layout>
        </Router>
    }
}
