//! Registers `/sw.js`, which keeps the app shell so the client starts without the server.

use wasm_bindgen::JsValue;
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
    let promise = navigator.service_worker().register(SCRIPT);
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = JsFuture::from(promise).await {
            web_sys::console::warn_2(&"service worker registration failed".into(), &error);
        }
    });
}
