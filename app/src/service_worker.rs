//! Registers `/sw.js`, which keeps the app shell so the client starts without the server.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Path of the service worker script (at the root, so its scope is the whole app).
pub const SCRIPT: &str = "/sw.js";

/// Registers the service worker in the background; a failure is reported on the console and
/// leaves the app working online.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    let supported =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    if !supported {
        web_sys::console::warn_1(
            &"service workers are unavailable: the app will not start offline".into(),
        );
        return;
    }
    let container = navigator.service_worker();
    let promise = container.register(SCRIPT);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = JsFuture::from(promise).await {
            web_sys::console::warn_2(&"service worker registration failed".into(), &error);
            return;
        }
        // A page still loading when the worker activated is not taken by the worker's
        // `clients.claim()` (seen in Chromium after a full page load from one bundle to
        // another): it asks the active worker to claim it, so that it starts offline from now
        // on rather than from its next load.
        let Ok(ready) = container.ready() else {
            return;
        };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let present = |value: &JsValue| !value.is_null() && !value.is_undefined();
        let get =
            |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key));
        if get(&container, "controller").is_ok_and(|c| present(&c)) {
            return;
        }
        let Ok(active) = get(&registration, "active") else {
            return;
        };
        if let Ok(post) = get(&active, "postMessage").and_then(|f| f.dyn_into::<js_sys::Function>())
            && present(&active)
        {
            let _ = post.call1(&active, &JsValue::from_str(CLAIM));
        }
    });
}

/// The message a page sends the active worker to be claimed (see `public/sw.js`).
pub const CLAIM: &str = "claim";
