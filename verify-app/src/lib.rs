//! The verification page at `/verify/`, a small web app of its own apart from the clerk's client:
//! anyone holding an issued document — the organisation, HR and finance departments, who have
//! no account — checks here whether it is genuine, and an auditor checks an exported audit
//! chain against the server's signed head. No sign-in; a same-origin session, when there is
//! one, adds the document's current status.
//!
//! Modules: [`i18n`] every text in both languages; [`api`] the only HTTP calls; [`keys`] the
//! published document keys kept on this computer; [`check`] QR content or a number to a verdict
//! (the `documents` crate's verification); [`document`] and [`audit`] the two pages; [`scan`]
//! the camera.

pub mod api;
pub mod audit;
pub mod check;
pub mod document;
pub mod i18n;
pub mod keys;
pub mod scan;

/// The allocator: Talc, smaller than the default dlmalloc (as the main client).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use leptos::prelude::*;

use crate::i18n::{Lang, Msg, STORAGE_KEY, t};

/// Path of this app's service worker (its scope is `/verify/`).
pub const SERVICE_WORKER: &str = "/verify/sw.js";

/// Starts the page: panic hook, service worker, the app.
pub fn start() {
    console_error_panic_hook::set_once();
    register_service_worker();
    leptos::mount::mount_to_body(App);
}

/// Registers [`SERVICE_WORKER`], which keeps this page for offline use; a failure leaves the
/// page working online.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let supported = js_sys::Reflect::has(
        &navigator,
        &wasm_bindgen::JsValue::from_str("serviceWorker"),
    )
    .unwrap_or(false);
    if !supported {
        return;
    }
    let promise = navigator.service_worker().register(SERVICE_WORKER);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = wasm_bindgen_futures::JsFuture::from(promise).await {
            web_sys::console::warn_2(&"service worker registration failed".into(), &error);
        }
    });
}

/// Which of the two pages is shown (`#audit` in the address: the auditor's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Document,
    Audit,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language kept in `localStorage` (the main app's key), Chinese when none.
fn stored_lang() -> Lang {
    local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

fn initial_tab() -> Tab {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash == "#audit" {
        Tab::Audit
    } else {
        Tab::Document
    }
}

/// The page: header with the language switch, the two tabs, the footer.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(stored_lang());
    provide_context(lang);
    Effect::new(move || {
        let tag = lang.get().tag();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", tag);
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!(
                "{} · {}",
                Msg::Title.text(lang.get()),
                if lang.get() == Lang::Zh {
                    "电子编制管理证"
                } else {
                    "Electronic Staffing Certificate"
                }
            ));
        }
    });
    let tab = RwSignal::new(initial_tab());
    let switch = move |_| {
        let next = lang.get().other();
        lang.set(next);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, next.tag());
        }
    };
    let show = move |to: Tab| {
        move |_| {
            tab.set(to);
            if let Some(window) = web_sys::window() {
                let _ = window
                    .location()
                    .set_hash(if to == Tab::Audit { "audit" } else { "" });
            }
        }
    };
    view! {
        <header class="verify-header">
            <div class="brand">
                <span class="brand-title" id="verify-title">{t(Msg::Title)}</span>
                <span class="brand-subtitle">{t(Msg::Subtitle)}</span>
            </div>
            <button type="button" class="lang-switch" id="lang-switch"
                aria-label=t(Msg::SwitchLanguageLabel) on:click=switch>
                {t(Msg::SwitchLanguage)}
            </button>
        </header>
        <nav class="verify-tabs">
            <button type="button" id="tab-document"
                class=move || if tab.get() == Tab::Document { "tab active" } else { "tab" }
                on:click=show(Tab::Document)>{t(Msg::TabDocument)}</button>
            <button type="button" id="tab-audit"
                class=move || if tab.get() == Tab::Audit { "tab active" } else { "tab" }
                on:click=show(Tab::Audit)>{t(Msg::TabAudit)}</button>
        </nav>
        <main class="verify-main">
            {move || match tab.get() {
                Tab::Document => view! { <document::DocumentPage/> }.into_any(),
                Tab::Audit => view! { <audit::AuditPage/> }.into_any(),
            }}
        </main>
        <footer class="verify-footer">{t(Msg::Footer)}</footer>
    }
}
