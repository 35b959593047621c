//! The client's components rendered in a real browser (wasm-bindgen-test in headless Chromium).

use std::cell::Cell;
use std::rc::Rc;

use app::AppContext;
use app::components::layout::Layout;
use app::connectivity::Connectivity;
use app::i18n::{Lang, STORAGE_KEY};
use app::pages::sign_in::SignIn;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mounts the layout around the sign-in page into a fresh element; returns the element,
/// the app's signals and the handle that keeps it mounted.
fn mount() -> (web_sys::HtmlElement, AppContext, impl Drop) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let slot: Rc<Cell<Option<AppContext>>> = Rc::new(Cell::new(None));
    let out = slot.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        out.set(Some(app::provide_app_context()));
        view! { <Layout><SignIn/></Layout> }
    });
    (host, slot.get().unwrap(), handle)
}

/// Lets effects and DOM updates run.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

fn text(host: &web_sys::HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is not rendered"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn sign_in_is_chinese_by_default_and_says_it_is_not_available_yet() {
    storage().remove_item(STORAGE_KEY).unwrap();
    let (host, _context, _mounted) = mount();
    settle().await;
    assert_eq!(text(&host, ".brand-title"), "电子编制管理证");
    assert_eq!(text(&host, "#sign-in h1"), "使用安全密钥登录");
    assert!(text(&host, "#sign-in-unavailable").contains("尚未开放"));
    let button = host.query_selector("#sign-in-button").unwrap().unwrap();
    assert!(button.has_attribute("disabled"));
    host.remove();
}

#[wasm_bindgen_test]
async fn switching_to_english_rerenders_and_is_remembered() {
    storage().remove_item(STORAGE_KEY).unwrap();
    let (host, context, _mounted) = mount();
    settle().await;
    let switch: web_sys::HtmlElement = host
        .query_selector("#lang-switch")
        .unwrap()
        .unwrap()
        .unchecked_into();
    switch.click();
    settle().await;
    assert_eq!(context.lang.get_untracked(), Lang::En);
    assert_eq!(text(&host, "#sign-in h1"), "Sign in with your security key");
    assert_eq!(
        storage().get_item(STORAGE_KEY).unwrap().as_deref(),
        Some("en")
    );
    let html = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    host.remove();

    // A new start reads the stored choice.
    let (again, _context, _mounted) = mount();
    settle().await;
    assert_eq!(
        text(&again, "#sign-in h1"),
        "Sign in with your security key"
    );
    again.remove();
    storage().remove_item(STORAGE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn the_indicator_and_banner_follow_reachability() {
    storage().remove_item(STORAGE_KEY).unwrap();
    let (host, context, _mounted) = mount();
    settle().await;
    let state = |host: &web_sys::HtmlElement| {
        host.query_selector("#connectivity")
            .unwrap()
            .unwrap()
            .get_attribute("data-connectivity")
            .unwrap_or_default()
    };
    assert_eq!(state(&host), "checking");
    assert!(host.query_selector(".offline-banner").unwrap().is_none());

    context.connectivity.set(Connectivity::Offline);
    settle().await;
    assert_eq!(state(&host), "offline");
    assert_eq!(text(&host, "#connectivity"), "离线");
    assert!(text(&host, ".offline-banner").contains("离线"));

    context.connectivity.set(Connectivity::Online);
    settle().await;
    assert_eq!(state(&host), "online");
    assert_eq!(text(&host, "#connectivity"), "在线");
    assert!(host.query_selector(".offline-banner").unwrap().is_none());
    host.remove();
}
