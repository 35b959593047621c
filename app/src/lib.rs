//! The client of the electronic staffing certificate: a Leptos app rendered in the browser.
//!
//! Imports run one way: [`pages`] and [`components`] → the context ([`state`]) and the
//! services ([`session`], [`ceremony`], [`sync`], [`applications::signing`]) → the store
//! ([`store`], IndexedDB) and the browser's other facilities → `protocol` and `domain`. Only
//! this file, which starts the app, and [`bundles`], which says which pages each bundle
//! has, see them all.
//!
//! Architecture invariant: only this crate knows web-sys, IndexedDB and WebAuthn in the
//! browser; every HTTP call goes through [`api`]; every WebAuthn call through [`webauthn`];
//! every string shown goes through [`i18n`].

pub mod api;
pub mod applications;
pub mod bundles;
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
use crate::pages::not_found::NotFound;
use crate::router::{Page, Router, page_of, routes};

pub use crate::state::{AppContext, provide_app_context, use_app_context};

/// Starts a bundle of the client (`bundles`: its pages): panic hook, service worker,
/// reachability probe, session check, the sync scheduler with the election of the syncing
/// tab, and the app itself.
pub fn start(pages: &'static [Page]) {
    console_error_panic_hook::set_once();
    service_worker::register();
    leptos::mount::mount_to_body(move || {
        let context = provide_app_context();
        connectivity::watch(context.connectivity);
        spawn_local(session::refresh(context.session));
        session::watch_other_tabs(context.session);
        sync::engine::watch(context);
        view! { <App pages/> }
    });
}

/// The app: layout around the page of the address among `pages` (not found: a path the
/// server sent this bundle's shell for, but which it has no page for). Expects
/// [`provide_app_context`] to have run.
#[component]
pub fn App(pages: &'static [Page]) -> impl IntoView {
    view! {
        <Router pages>
            <Layout>
                {routes(
                    move |path| page_of(pages, path),
                    move |page| match page.and_then(|i| pages.get(i)) {
                        Some(page) => (page.view)(),
                        None => view! { <NotFound/> }.into_any(),
                    },
                )}
            </Layout>
        </Router>
    }
}
