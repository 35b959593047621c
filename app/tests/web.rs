//! The client's components rendered in a real browser (wasm-bindgen-test in headless Chromium):
//! the sign-in page, language and reachability, the application form with its validation and
//! confirmation, the IndexedDB store (queue, pull pages, the move from `localStorage`) and the
//! outbox list.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use app::AppContext;
use app::applications::decision::QueuedDecision;
use app::applications::outbox::{self, ItemStatus, OutboxItem};
use app::components::layout::Layout;
use app::connectivity::Connectivity;
use app::i18n::{Lang, STORAGE_KEY};
use app::pages::apply::Apply;
use app::pages::review::Review;
use app::pages::sign_in::SignIn;
use app::router::Router;
use app::store;
use leptos::prelude::*;
use protocol::identity::{HolderInfo, SessionInfo, SignedSubmission, Verdict, VerdictStatus};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Holders the tests use: their databases are deleted between tests.
const HOLDERS: [&str; 7] = [
    "holder-7",
    "h1",
    "h2",
    "h-upgrade",
    "h-v1",
    "h-v2",
    "reviewer-3",
];

fn clear_local_storage() {
    for key in [
        STORAGE_KEY,
        app::kept_session::STORAGE_KEY,
        store::LEGACY_OUTBOX,
        store::LEGACY_CLIENT_ID,
        store::LEGACY_SEQUENCE,
    ] {
        storage().remove_item(key).unwrap();
    }
}

/// Empties `localStorage` and deletes the test holders' databases.
async fn clear_storage() {
    clear_local_storage();
    for holder in HOLDERS {
        store::close(holder);
        let request = web_sys::window()
            .unwrap()
            .indexed_db()
            .unwrap()
            .unwrap()
            .delete_database(&store::db_name(holder))
            .unwrap();
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            // (`blocked` is not an error: a page just unmounted may still be finishing a read,
            // whose connection closes on the deletion's `versionchange`, and then it succeeds.)
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
        });
        wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
    }
}

/// Waits (up to 5 s) until `selector` is rendered.
async fn wait_for(host: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..250 {
        if let Some(e) = host.query_selector(selector).unwrap() {
            return e;
        }
        settle().await;
    }
    panic!("{selector} did not appear");
}

/// Which page to mount inside the layout.
#[derive(Clone, Copy)]
enum Page {
    SignIn,
    Apply,
    Review,
}

/// Mounts the layout around `page` (inside a router) into a fresh element; returns the
/// element, the app's signals and the handle that keeps it mounted.
fn mount(page: Page) -> (web_sys::HtmlElement, AppContext, impl Drop) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let slot: Rc<Cell<Option<AppContext>>> = Rc::new(Cell::new(None));
    let out = slot.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        out.set(Some(app::provide_app_context()));
        match page {
            Page::SignIn => view! { <Router><Layout><SignIn/></Layout></Router> }.into_any(),
            Page::Apply => view! { <Router><Layout><Apply/></Layout></Router> }.into_any(),
            Page::Review => view! { <Router><Layout><Review/></Layout></Router> }.into_any(),
        }
    });
    (host, slot.get().unwrap(), handle)
}

/// Lets effects and DOM updates run.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

fn element(host: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is not rendered"))
}

fn text(host: &web_sys::HtmlElement, selector: &str) -> String {
    element(host, selector).text_content().unwrap_or_default()
}

fn click(host: &web_sys::HtmlElement, selector: &str) {
    element(host, selector)
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

fn value(host: &web_sys::HtmlElement, selector: &str) -> String {
    js_sys::Reflect::get(&element(host, selector), &"value".into())
        .unwrap()
        .as_string()
        .unwrap()
}

/// Sets a form control's value as typing or choosing would, with `input` and `change` events.
fn set_value(host: &web_sys::HtmlElement, selector: &str, value: &str) {
    let e = element(host, selector);
    js_sys::Reflect::set(&e, &"value".into(), &value.into()).unwrap();
    for name in ["input", "change"] {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
        e.dispatch_event(&event).unwrap();
    }
}

fn clerk_session() -> SessionInfo {
    SessionInfo {
        holder: HolderInfo {
            id: "holder-7".into(),
            login: "qz-edu".into(),
            name: "王敏".into(),
            role: "unit_clerk".into(),
            scope: "unit:620502-0012".into(),
        },
        csrf_token: "csrf".into(),
        credential_ids: vec!["Y3JlZC0x".into()],
        rp_id: "localhost".into(),
    }
}

#[wasm_bindgen_test]
async fn sign_in_is_chinese_by_default_and_asks_for_the_login_name() {
    clear_storage().await;
    let (host, _context, _mounted) = mount(Page::SignIn);
    settle().await;
    assert_eq!(text(&host, ".brand-title"), "电子编制管理证");
    assert_eq!(text(&host, "#sign-in h1"), "使用安全密钥登录");
    assert!(text(&host, "label[for=sign-in-login]").contains("登录名"));
    let button = element(&host, "#sign-in-button");
    assert!(!button.has_attribute("disabled"), "sign-in is available");
    assert!(host.query_selector("#session-holder").unwrap().is_none());

    // An empty login name is refused before anything is sent.
    click(&host, "#sign-in-button");
    settle().await;
    assert!(text(&host, "#sign-in-login-error").contains("登录名"));
    assert!(host.query_selector("#sign-in-progress").unwrap().is_none());
    host.remove();
}

#[wasm_bindgen_test]
async fn switching_to_english_rerenders_and_is_remembered() {
    clear_storage().await;
    let (host, context, _mounted) = mount(Page::SignIn);
    settle().await;
    click(&host, "#lang-switch");
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
    let (again, _context, _mounted) = mount(Page::SignIn);
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
    clear_storage().await;
    let (host, context, _mounted) = mount(Page::SignIn);
    settle().await;
    let state = |host: &web_sys::HtmlElement| {
        element(host, "#connectivity")
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

#[wasm_bindgen_test]
async fn a_kept_session_shows_who_is_signed_in_and_the_apply_page_needs_one() {
    clear_storage().await;
    let (host, _context, _mounted) = mount(Page::Apply);
    settle().await;
    assert!(text(&host, "#apply-needs-sign-in").contains("请先"));
    host.remove();

    app::kept_session::remember(&clerk_session()).unwrap();
    let (host, _context, _mounted) = mount(Page::Apply);
    settle().await;
    assert!(text(&host, "#session-holder").contains("王敏"));
    // The unit by its name from the store, by its id while the store has none (read async).
    for _ in 0..100 {
        if !text(&host, "#apply-unit").is_empty() {
            break;
        }
        settle().await;
    }
    assert_eq!(text(&host, "#apply-unit"), "620502-0012");
    assert!(text(&host, "#outbox-empty").contains("暂无"));
    host.remove();
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn the_form_names_every_bad_field_and_keeps_what_was_typed() {
    clear_storage().await;
    app::kept_session::remember(&clerk_session()).unwrap();
    let (host, _context, _mounted) = mount(Page::Apply);
    settle().await;

    set_value(&host, "#apply-count", "0");
    set_value(&host, "#apply-reason", "   ");
    set_value(&host, "#apply-document", "天教发2026");
    click(&host, "#apply-next");
    settle().await;

    assert!(text(&host, "#apply-category-error").contains("编制类别"));
    assert!(text(&host, "#apply-count-error").contains("申请数量"));
    assert!(text(&host, "#apply-recruitment-error").contains("补充方式"));
    assert!(text(&host, "#apply-reason-error").contains("申请理由"));
    assert!(text(&host, "#apply-document-error").contains("文号"));
    assert!(text(&host, "#apply-form-errors").contains("保留"));
    assert!(host.query_selector("#confirm").unwrap().is_none());
    // Nothing typed is lost.
    assert_eq!(value(&host, "#apply-count"), "0");
    assert_eq!(value(&host, "#apply-document"), "天教发2026");

    // 经费形式 appears for 事业编制 only, and is then required.
    assert!(host.query_selector("#apply-funding").unwrap().is_none());
    set_value(&host, "#apply-category", "public_institution");
    settle().await;
    click(&host, "#apply-next");
    settle().await;
    assert!(text(&host, "#apply-funding-error").contains("经费形式"));
    assert!(
        host.query_selector("#apply-category-error")
            .unwrap()
            .is_none()
    );
    host.remove();
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn the_confirmation_shows_exactly_what_will_be_signed() {
    clear_storage().await;
    app::kept_session::remember(&clerk_session()).unwrap();
    let (host, _context, _mounted) = mount(Page::Apply);
    settle().await;

    set_value(&host, "#apply-category", "public_institution");
    settle().await;
    set_value(&host, "#apply-funding", "full");
    set_value(&host, "#apply-count", "2");
    set_value(&host, "#apply-recruitment", "open_recruitment");
    set_value(&host, "#apply-reason", "两名教师退休，需公开招聘补充");
    set_value(&host, "#apply-document", "天教发〔2026〕12号");
    click(&host, "#apply-next");
    // The client id and sequence number come from the store.
    wait_for(&host, "#confirm").await;

    let row = |field: &str| text(&host, &format!("#confirm [data-field={field}] dd"));
    assert_eq!(row("unit"), "620502-0012");
    assert_eq!(row("kind"), "用编申请");
    assert_eq!(row("category"), "事业编制");
    assert_eq!(row("funding"), "全额拨款");
    assert_eq!(row("count"), "2");
    assert_eq!(row("recruitment"), "公开招聘");
    assert_eq!(row("reason"), "两名教师退休，需公开招聘补充");
    assert_eq!(row("document"), "天教发〔2026〕12号");
    assert!(row("signer").contains("王敏"));
    let id = row("application-id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    // Beijing time as people read it, not raw UTC.
    let created = row("created-at");
    assert!(created.len() == 16 && !created.contains('T'), "{created}");

    // The canonical text is the envelope, and is what the challenge is computed over.
    let canonical = text(&host, "#confirm-canonical");
    let (envelope, _challenge) =
        domain::SignedEnvelope::from_signed_bytes(canonical.as_bytes()).expect("canonical");
    assert_eq!(envelope.application_id.as_str(), id);
    assert_eq!(envelope.signer.as_str(), "holder-7");
    assert_eq!(envelope.credential_id.as_str(), "Y3JlZC0x");
    assert_eq!(envelope.unit.as_str(), "620502-0012");
    assert_eq!(envelope.sequence, 1);
    assert!(canonical.contains("\"kind\":\"quota_use\""));
    assert_eq!(
        store::client_id("holder-7").await.unwrap(),
        envelope.client_id.as_str()
    );
    assert!(text(&host, "#confirm-sign").contains("使用安全密钥签名"));

    // 返回修改: the form is as it was typed.
    click(&host, "#confirm-back");
    settle().await;
    assert!(host.query_selector("#confirm").unwrap().is_none());
    assert_eq!(
        value(&host, "#apply-reason"),
        "两名教师退休，需公开招聘补充"
    );
    assert_eq!(value(&host, "#apply-count"), "2");
    assert_eq!(value(&host, "#apply-category"), "public_institution");
    assert_eq!(value(&host, "#apply-funding"), "full");
    assert_eq!(value(&host, "#apply-document"), "天教发〔2026〕12号");
    host.remove();
    clear_storage().await;
}

fn item(id: &str, sequence: u64, signer: &str) -> OutboxItem {
    OutboxItem {
        application_id: id.into(),
        kind: "quota_use".into(),
        summary: "理由".into(),
        sequence,
        signer: signer.into(),
        signed_at: "2026-11-27T08:00:00Z".into(),
        submission: SignedSubmission {
            envelope: "ZQ".into(),
            credential_id: "Yw".into(),
            client_data_json: "ZA".into(),
            authenticator_data: "YQ".into(),
            signature: "cw".into(),
        },
        status: ItemStatus::Pending,
        revised_by: None,
    }
}

#[wasm_bindgen_test]
async fn the_store_keeps_the_queue_apart_and_records_verdicts() {
    clear_storage().await;
    assert!(store::outbox("h1").await.unwrap().is_empty());
    store::add_to_outbox("h1", &item("a-2", 2, "h1"))
        .await
        .unwrap();
    store::add_to_outbox("h1", &item("a-1", 1, "h1"))
        .await
        .unwrap();
    store::add_to_outbox("h2", &item("b-1", 1, "h2"))
        .await
        .unwrap();
    store::add_to_outbox("h1", &item("a-1", 1, "h1"))
        .await
        .unwrap();
    let items = store::outbox("h1").await.unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i.application_id.as_str())
            .collect::<Vec<_>>(),
        ["a-1", "a-2"],
        "in sequence order; adding the same application again replaces it; one holder's store"
    );
    let pending: Vec<String> = outbox::pending_of(&items, "h1")
        .into_iter()
        .map(|i| i.application_id)
        .collect();
    assert_eq!(pending, ["a-1", "a-2"], "sent in sequence order");

    let rejected = Verdict {
        application_id: Some("a-2".into()),
        status: VerdictStatus::Rejected,
        code: Some("no_vacancy".into()),
        message: Some("空余编制不足".into()),
        message_en: Some("not enough vacant posts".into()),
    };
    let accepted = Verdict {
        application_id: Some("a-1".into()),
        status: VerdictStatus::Accepted,
        code: None,
        message: None,
        message_en: None,
    };
    store::record_verdicts(
        "h1",
        &[
            ("a-1".into(), ItemStatus::from_verdict(&accepted)),
            ("a-2".into(), ItemStatus::from_verdict(&rejected)),
        ],
    )
    .await
    .unwrap();
    // Read back through a fresh connection: what was committed, not what is cached.
    store::close("h1");
    let reloaded = store::outbox("h1").await.unwrap();
    assert_eq!(reloaded[0].status, ItemStatus::Accepted);
    assert_eq!(
        reloaded[1].status,
        ItemStatus::Rejected {
            code: Some("no_vacancy".into()),
            message: Some("空余编制不足".into()),
            message_en: Some("not enough vacant posts".into()),
        }
    );
    // Shown in the interface's language.
    assert_eq!(
        reloaded[1].status.reason(Lang::En).as_deref(),
        Some("not enough vacant posts")
    );
    assert_eq!(
        reloaded[1].status.reason(Lang::Zh).as_deref(),
        Some("空余编制不足")
    );
    assert!(outbox::pending_of(&reloaded, "h1").is_empty());
    assert_eq!(
        store::outbox("h2").await.unwrap()[0].status,
        ItemStatus::Pending
    );

    // Sequence numbers only go up; the client id stays.
    assert_eq!(store::next_sequence("h1").await.unwrap(), 1);
    assert_eq!(store::next_sequence("h1").await.unwrap(), 2);
    let id = store::client_id("h1").await.unwrap();
    assert_eq!(store::client_id("h1").await.unwrap(), id);
    assert_ne!(store::client_id("h2").await.unwrap(), id);
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn drafts_are_kept_until_discarded_and_apart_from_the_queue() {
    use app::applications::form::{FormField, Values};
    clear_storage().await;
    let draft = |id: &str, at: &str, name: &str| store::Draft {
        id: id.into(),
        kind: "onboarding".into(),
        values: Values::of(&[
            (FormField::Name, name),
            (FormField::IdNumber, "110105194912310"),
        ]),
        updated_at: at.into(),
        revises: None,
    };
    store::save_draft("h1", &draft("d-1", "2026-12-01T08:00:00Z", "张三"))
        .await
        .unwrap();
    store::save_draft("h1", &draft("d-2", "2026-12-01T09:00:00Z", "李四"))
        .await
        .unwrap();
    // Typing again replaces the draft, and it becomes the newest.
    store::save_draft("h1", &draft("d-1", "2026-12-01T10:00:00Z", "张三丰"))
        .await
        .unwrap();
    // What was committed, through a fresh connection (as after a reload).
    store::close("h1");
    let drafts = store::drafts("h1").await.unwrap();
    let ids: Vec<&str> = drafts.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d-1", "d-2"], "newest first");
    assert_eq!(drafts[0].values.get(FormField::Name), "张三丰");
    assert_eq!(
        drafts[0].values.get(FormField::IdNumber),
        "110105194912310",
        "kept as typed, invalid or not"
    );
    assert!(
        store::outbox("h1").await.unwrap().is_empty(),
        "a draft is not an application"
    );
    assert!(
        store::drafts("h2").await.unwrap().is_empty(),
        "one holder's store"
    );
    store::discard_draft("h1", "d-1").await.unwrap();
    assert_eq!(store::drafts("h1").await.unwrap().len(), 1);
    // Signing out of a shared computer takes the drafts too (they hold personal data).
    store::clear_all_but_waiting("h1").await.unwrap();
    assert!(store::drafts("h1").await.unwrap().is_empty());
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn a_write_that_fails_is_an_error_never_a_success() {
    clear_storage().await;
    let db = store::open("h1").await.unwrap();
    // Storage lost under the app (the connection closed by the browser): the write fails,
    // and says so.
    db.close();
    let outcome = store::add_to_outbox("h1", &item("a-1", 1, "h1")).await;
    assert!(
        matches!(outcome, Err(app::storage_error::StorageError::Write(_))),
        "{outcome:?}"
    );
    store::close("h1");
    assert!(
        store::outbox("h1").await.unwrap().is_empty(),
        "nothing was saved"
    );
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn a_newer_build_upgrading_the_store_is_not_blocked_and_this_page_is_told_to_reload() {
    clear_storage().await;
    store::add_to_outbox("h-upgrade", &item("a-1", 1, "h-upgrade"))
        .await
        .unwrap();
    // A newer build, in another tab, opens the same database at the next version.
    let request = web_sys::window()
        .unwrap()
        .indexed_db()
        .unwrap()
        .unwrap()
        .open_with_u32(&store::db_name("h-upgrade"), store::DB_VERSION + 1)
        .unwrap();
    let opened = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let timeout = js_sys::Promise::new(&mut |_, reject| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&reject, 5_000)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(
        &opened, &timeout,
    )))
    .await
    .expect("this page let go of its connection: the upgrade was not blocked");
    request
        .result()
        .unwrap()
        .unchecked_into::<web_sys::IdbDatabase>()
        .close();
    assert_eq!(
        store::outbox("h-upgrade").await,
        Err(app::storage_error::StorageError::Outdated),
        "this page's code is out of date for that database: it says so"
    );
}

#[wasm_bindgen_test]
async fn the_first_versions_local_storage_outbox_moves_into_the_store() {
    clear_storage().await;
    // What the localStorage version left behind: two holders' items, the client id, the
    // counter.
    let old = vec![
        item("a-1", 1, "h1"),
        item("b-1", 2, "h2"),
        item("a-3", 3, "h1"),
    ];
    storage()
        .set_item(store::LEGACY_OUTBOX, &serde_json::to_string(&old).unwrap())
        .unwrap();
    storage()
        .set_item(
            store::LEGACY_CLIENT_ID,
            "6f1c3a52-8d7e-4b0a-9c1d-2e3f4a5b6c7d",
        )
        .unwrap();
    storage().set_item(store::LEGACY_SEQUENCE, "3").unwrap();

    let mine = store::outbox("h1").await.unwrap();
    assert_eq!(
        mine.iter()
            .map(|i| i.application_id.as_str())
            .collect::<Vec<_>>(),
        ["a-1", "a-3"]
    );
    assert_eq!(
        store::client_id("h1").await.unwrap(),
        "6f1c3a52-8d7e-4b0a-9c1d-2e3f4a5b6c7d"
    );
    assert_eq!(
        store::next_sequence("h1").await.unwrap(),
        4,
        "no sequence number is used twice"
    );
    // The other holder's item waits in localStorage for them.
    let left: Vec<OutboxItem> =
        serde_json::from_str(&storage().get_item(store::LEGACY_OUTBOX).unwrap().unwrap()).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(store::outbox("h2").await.unwrap()[0].application_id, "b-1");
    assert!(storage().get_item(store::LEGACY_OUTBOX).unwrap().is_none());
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn pull_pages_are_applied_with_their_cursor_and_a_reset_keeps_the_queue() {
    use protocol::sync::{Change, PullResponse, RawJson};
    clear_storage().await;
    let city = demo::generate(7, demo::Size::Tiny);
    let certificates: Vec<Change> = city
        .certificates
        .iter()
        .map(|c| Change::Certificate {
            unit_id: c.unit.id.to_string(),
            certificate: RawJson::of(c).unwrap(),
        })
        .collect();
    let staff: u64 = city.certificates.iter().map(|c| c.staff.len() as u64).sum();
    store::add_to_outbox("h1", &item("a-1", 1, "h1"))
        .await
        .unwrap();
    let (first, rest) = certificates.split_at(certificates.len() / 2);
    let page = |changes: &[Change], reset, cursor: &str, complete| PullResponse {
        holder_id: "h1".into(),
        reset,
        changes: changes.to_vec(),
        cursor: cursor.into(),
        complete,
        progress: None,
        document_keys: Vec::new(),
        oversight: None,
    };
    store::apply_page(
        "h1",
        &page(first, true, "c1", false),
        "2026-11-27T08:00:00Z",
    )
    .await
    .unwrap();
    assert_eq!(store::cursor("h1").await.unwrap().as_deref(), Some("c1"));
    assert_eq!(
        store::last_sync("h1").await.unwrap(),
        None,
        "not complete yet"
    );
    let mut rest = rest.to_vec();
    rest.push(Change::Application {
        application_id: "a-1".into(),
        unit_id: city.certificates[0].unit.id.to_string(),
        kind: "quota_use".into(),
        status: "submitted".into(),
        updated_at: "2026-11-27T08:00:00Z".into(),
        slip_number: None,
        envelope: protocol::sync::RawJson::of(&serde_json::json!({})).unwrap(),
        signer_id: "clerk-1".into(),
        signer_name: "张三".into(),
        credential_id: "cred".into(),
        signed_at: "2026-11-27T07:59:00Z".into(),
        received_at: "2026-11-27T08:00:00Z".into(),
        decisions: Vec::new(),
        notice_number: None,
        due_on: None,
        late: false,
        days_overdue: 0,
        document: None,
    });
    store::apply_page(
        "h1",
        &page(&rest, false, "c2", true),
        "2026-11-27T08:01:00Z",
    )
    .await
    .unwrap();
    assert_eq!(store::cursor("h1").await.unwrap().as_deref(), Some("c2"));
    assert_eq!(
        store::last_sync("h1").await.unwrap().as_deref(),
        Some("2026-11-27T08:01:00Z")
    );
    assert_eq!(
        store::units("h1").await.unwrap().len(),
        city.certificates.len()
    );
    assert_eq!(store::staff_count("h1").await.unwrap(), staff);
    // A certificate comes back whole: people and all, in order.
    let sample = &city.certificates[city.certificates.len() - 1];
    let stored = store::certificate("h1", sample.unit.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&stored, sample);
    assert!(store::applications("h1").await.unwrap().contains_key("a-1"));

    // A tombstone (a unit merged away) drops its certificate, people and applications, never
    // the queue.
    let merged = city.certificates[0].unit.id.to_string();
    let tombstone = Change::UnitRemoved {
        unit_id: merged.clone(),
        reason: "merged".into(),
        merged_into: Some(city.certificates[1].unit.id.to_string()),
        document: "天编发〔2026〕3号".into(),
    };
    store::apply_page(
        "h1",
        &page(&[tombstone], false, "c2", true),
        "2026-11-27T08:02:00Z",
    )
    .await
    .unwrap();
    assert_eq!(
        store::units("h1").await.unwrap().len(),
        city.certificates.len() - 1
    );
    assert!(store::certificate("h1", &merged).await.unwrap().is_none());
    assert_eq!(
        store::staff_count("h1").await.unwrap(),
        staff - city.certificates[0].staff.len() as u64
    );
    assert!(!store::applications("h1").await.unwrap().contains_key("a-1"));
    assert_eq!(store::outbox("h1").await.unwrap().len(), 1);

    // A page that does not decode changes nothing, the cursor included.
    let bad = Change::Certificate {
        unit_id: "x".into(),
        certificate: RawJson::of(&serde_json::json!({"unit": 1})).unwrap(),
    };
    assert!(matches!(
        store::apply_page("h1", &page(&[bad], false, "c3", true), "now").await,
        Err(app::storage_error::StorageError::Undecodable(unit)) if unit.starts_with("x: ")
    ));
    assert_eq!(store::cursor("h1").await.unwrap().as_deref(), Some("c2"));

    // A reset drops the confirmed state, not the queue.
    store::apply_page(
        "h1",
        &page(&certificates[..1], true, "c4", true),
        "2026-11-27T09:00:00Z",
    )
    .await
    .unwrap();
    assert_eq!(store::units("h1").await.unwrap().len(), 1);
    assert!(store::applications("h1").await.unwrap().is_empty());
    assert_eq!(store::outbox("h1").await.unwrap().len(), 1);
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn verification_states_and_the_servers_thresholds_are_kept_until_a_tombstone_or_reset() {
    use protocol::admin::{OversightSettings, VerificationState};
    use protocol::sync::{Change, PullResponse};
    clear_storage().await;
    let page = |changes: Vec<Change>, reset, oversight| PullResponse {
        holder_id: "h1".into(),
        reset,
        changes,
        cursor: "c".into(),
        complete: true,
        progress: None,
        document_keys: Vec::new(),
        oversight,
    };
    let state = |unit: &str, state| Change::Verification {
        unit_id: unit.into(),
        state,
        updated_at: "2026-11-27T08:00:00Z".into(),
    };
    // Before any pull: the server's defaults.
    assert_eq!(
        store::oversight_settings("h1").await.unwrap(),
        OversightSettings::default()
    );
    let settings = OversightSettings {
        waiting_days: 3,
        lapse_warning_days: 5,
    };
    store::apply_page(
        "h1",
        &page(
            vec![
                state("620502-0001", VerificationState::Imported),
                state("620502-0002", VerificationState::ConfirmedByUnit),
            ],
            true,
            Some(settings),
        ),
        "now",
    )
    .await
    .unwrap();
    // A later page moves one on; a page without settings keeps them.
    store::apply_page(
        "h1",
        &page(
            vec![state("620502-0002", VerificationState::ConfirmedByBureau)],
            false,
            None,
        ),
        "now",
    )
    .await
    .unwrap();
    let states = store::verification_states("h1").await.unwrap();
    let codes: Vec<(&str, VerificationState)> = states
        .iter()
        .map(|(unit, kept)| (unit.as_str(), kept.state))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("620502-0001", VerificationState::Imported),
            ("620502-0002", VerificationState::ConfirmedByBureau)
        ]
    );
    assert_eq!(store::oversight_settings("h1").await.unwrap(), settings);
    assert_eq!(store::cursor("h1").await.unwrap().as_deref(), Some("c"));
    // A tombstone drops its unit's state.
    let tombstone = Change::UnitRemoved {
        unit_id: "620502-0001".into(),
        reason: "abolished".into(),
        merged_into: None,
        document: "天编发〔2026〕4号".into(),
    };
    store::apply_page("h1", &page(vec![tombstone], false, None), "now")
        .await
        .unwrap();
    let states = store::verification_states("h1").await.unwrap();
    assert_eq!(states.keys().collect::<Vec<_>>(), vec!["620502-0002"]);
    // A reset clears them with the rest of the confirmed state.
    store::apply_page("h1", &page(Vec::new(), true, None), "now")
        .await
        .unwrap();
    assert!(store::verification_states("h1").await.unwrap().is_empty());
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn a_version_2_store_keeps_everything_and_gains_drafts() {
    clear_storage().await;
    let item = item("a-1", 4, "h-v2");
    let outbox = serde_json::json!({
        "application_id": "a-1",
        "sequence": 4,
        "state": "pending",
        "body": serde_json::to_string(&item).unwrap(),
    });
    let script = format!(
        "new Promise((ok, fail) => {{ \
           const r = indexedDB.open('{name}', 2); \
           r.onupgradeneeded = () => {{ \
             const db = r.result; \
             for (const s of ['outbox', 'meta', 'units', 'people', 'applications', 'pull']) db.createObjectStore(s); \
             const tx = r.transaction; \
             tx.objectStore('outbox').put({outbox}, 'a-1'); \
             tx.objectStore('meta').put('\"client-9\"', 'client_id'); \
             tx.objectStore('pull').put('\"c-kept\"', 'cursor'); \
             tx.objectStore('units').put({{unit_id: 'u', name: '天水市第一中学', staff: 3, body: new Uint8Array()}}, 'u'); \
           }}; \
           r.onsuccess = () => {{ r.result.close(); ok(); }}; r.onerror = () => fail(r.error); }})",
        name = store::db_name("h-v2"),
    );
    let made: js_sys::Promise = js_sys::eval(&script).unwrap().unchecked_into();
    wasm_bindgen_futures::JsFuture::from(made).await.unwrap();

    // Later versions only add the drafts: the queue, the client id, the pull position and the
    // confirmed state are all still there.
    assert_eq!(store::outbox("h-v2").await.unwrap(), vec![item]);
    assert_eq!(store::client_id("h-v2").await.unwrap(), "client-9");
    assert_eq!(
        store::cursor("h-v2").await.unwrap().as_deref(),
        Some("c-kept")
    );
    let units = store::units("h-v2").await.unwrap();
    assert_eq!((units.len(), units[0].staff), (1, 3));
    assert!(store::drafts("h-v2").await.unwrap().is_empty());
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn a_version_1_store_keeps_its_queue_and_pulls_its_confirmed_state_again() {
    clear_storage().await;
    // A database as schema version 1 left it: a waiting application, the client id and
    // counter, a pull position, a unit and one person record per person.
    let item = item("a-1", 4, "h-v1");
    let outbox = serde_json::json!({
        "application_id": "a-1",
        "sequence": 4,
        "state": "pending",
        "body": serde_json::to_string(&item).unwrap(),
    });
    let script = format!(
        "new Promise((ok, fail) => {{ \
           const r = indexedDB.open('{name}', 1); \
           r.onupgradeneeded = () => {{ \
             const db = r.result; \
             for (const s of ['outbox', 'meta', 'units', 'people', 'applications']) db.createObjectStore(s); \
             const tx = r.transaction; \
             tx.objectStore('outbox').put({outbox}, 'a-1'); \
             const meta = tx.objectStore('meta'); \
             meta.put('\"client-9\"', 'client_id'); meta.put('\"4\"', 'sequence'); \
             meta.put('\"c-old\"', 'cursor'); meta.put('\"2026-11-27T08:00:00Z\"', 'last_sync'); \
             tx.objectStore('units').put({{unit_id: 'u', name: 'n', staff: 1, body: '{{}}'}}, 'u'); \
             tx.objectStore('people').put({{unit_id: 'u', list: 'staff', body: '{{}}'}}, 'u/s000000'); \
           }}; \
           r.onsuccess = () => {{ r.result.close(); ok(); }}; r.onerror = () => fail(r.error); }})",
        name = store::db_name("h-v1"),
    );
    let made: js_sys::Promise = js_sys::eval(&script).unwrap().unchecked_into();
    wasm_bindgen_futures::JsFuture::from(made).await.unwrap();

    // This build opens it: the queue, the client id and the counter are kept…
    assert_eq!(store::outbox("h-v1").await.unwrap(), vec![item]);
    assert_eq!(store::client_id("h-v1").await.unwrap(), "client-9");
    assert_eq!(store::next_sequence("h-v1").await.unwrap(), 5);
    // …and the confirmed state starts over: the next pull is a whole snapshot.
    assert_eq!(store::cursor("h-v1").await.unwrap(), None);
    assert_eq!(store::last_sync("h-v1").await.unwrap(), None);
    assert!(store::units("h-v1").await.unwrap().is_empty());
    assert_eq!(store::certificate("h-v1", "u").await.unwrap(), None);
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn a_stored_outbox_is_listed_with_each_status() {
    clear_storage().await;
    app::kept_session::remember(&clerk_session()).unwrap();
    let mut rejected = item("a-2", 2, "holder-7");
    rejected.status = ItemStatus::Rejected {
        code: Some("out_of_scope".into()),
        message: Some("单位不在管理范围内".into()),
        message_en: None,
    };
    let mut held = item("a-3", 3, "holder-7");
    held.status = ItemStatus::Held {
        message: None,
        message_en: None,
    };
    let mut accepted = item("a-4", 4, "holder-7");
    accepted.status = ItemStatus::Accepted;
    let (host, context, _mounted) = mount(Page::Apply);
    context.outbox.set(vec![
        item("a-1", 1, "holder-7"),
        rejected,
        held,
        accepted,
        item("other", 5, "someone-else"),
    ]);
    settle().await;
    let status = |id: &str| {
        text(
            &host,
            &format!("[data-application-id='{id}'] .outbox-status"),
        )
    };
    assert_eq!(status("a-1"), "待同步");
    assert_eq!(status("a-2"), "未受理");
    assert_eq!(status("a-3"), "待复核");
    assert_eq!(status("a-4"), "已提交");
    assert!(text(&host, "[data-application-id='a-2'] .outbox-reason").contains("管理范围"));
    assert!(
        host.query_selector("[data-application-id='other']")
            .unwrap()
            .is_none(),
        "only the signed-in holder's applications"
    );
    host.remove();
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn an_expired_session_asks_to_sign_in_again_and_keeps_the_items() {
    clear_storage().await;
    app::kept_session::remember(&clerk_session()).unwrap();
    let (host, context, _mounted) = mount(Page::Apply);
    context.outbox.set(vec![item("a-1", 1, "holder-7")]);
    settle().await;
    assert!(host.query_selector("#sync-problem").unwrap().is_none());
    context
        .sync_problem
        .set(Some(app::state::SyncProblem::SessionExpired));
    settle().await;
    assert!(text(&host, "#sync-problem").contains("请重新登录"));
    let link = element(&host, "#sync-sign-in-again");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/sign-in?login=qz-edu")
    );
    assert_eq!(
        text(&host, "[data-application-id='a-1'] .outbox-status"),
        "待同步"
    );
    host.remove();
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn an_application_the_bureau_returned_is_counted_and_offers_the_revise_button() {
    use app::applications::tracked::TrackedApplication;
    use domain::{ApplicationKind, ApplicationStatus};
    clear_storage().await;
    app::kept_session::remember(&clerk_session()).unwrap();
    let (host, context, _mounted) = mount(Page::Apply);
    let tracked = |id: &str, status| {
        let mut application = TrackedApplication::new(
            id,
            "620502-0012",
            ApplicationKind::QuotaUse,
            status,
            "2026-11-28T08:00:00Z",
        );
        if status == ApplicationStatus::Returned {
            application.decisions.push(protocol::sync::DecisionRecord {
                decision_id: "d-1".into(),
                action: "return".into(),
                decider_id: "reviewer-1".into(),
                decider_name: "李审核".into(),
                decider_role: "bureau_reviewer".into(),
                note: "请补充请示文号".into(),
                signed_at: "2026-11-28T07:59:00Z".into(),
                received_at: "2026-11-28T08:00:00Z".into(),
            });
        }
        application
    };
    // Accepted by the server, then sent back by the reviewers (a-1) or still with them (a-2).
    context.applications.set(
        [
            (
                "a-1".to_owned(),
                tracked("a-1", ApplicationStatus::Returned),
            ),
            (
                "a-2".to_owned(),
                tracked("a-2", ApplicationStatus::Submitted),
            ),
        ]
        .into(),
    );
    let mut returned = item("a-1", 1, "holder-7");
    returned.status = ItemStatus::Accepted;
    let mut waiting = item("a-2", 2, "holder-7");
    waiting.status = ItemStatus::Accepted;
    context.outbox.set(vec![returned, waiting]);
    settle().await;
    let row = |id: &str| format!("[data-application-id='{id}']");
    assert_eq!(
        element(&host, &row("a-1"))
            .get_attribute("data-review")
            .as_deref(),
        Some("returned")
    );
    // One status word, and the reviewer's comment reaches the clerk.
    assert_eq!(
        text(&host, &format!("{} .outbox-status", row("a-1"))),
        "已退回"
    );
    assert_eq!(
        text(&host, &format!("{} .outbox-status", row("a-2"))),
        "已提交"
    );
    let comment = text(&host, &format!("{} .outbox-comment", row("a-1")));
    assert!(
        comment.contains("请补充请示文号") && comment.contains("李审核"),
        "{comment}"
    );
    // The button and the panel answer alike: one application needs the clerk.
    assert!(
        host.query_selector(&format!("{} .outbox-revise", row("a-1")))
            .unwrap()
            .is_some()
    );
    assert!(
        host.query_selector(&format!("{} .outbox-revise", row("a-2")))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        element(&host, "#sync-status")
            .get_attribute("data-rejected")
            .as_deref(),
        Some("1")
    );
    host.remove();
    clear_storage().await;
}

/// Routes of the router test: two pages and the rest.
fn test_route(path: &str) -> &'static str {
    match path {
        "/router-a" => "a",
        "/router-b" | "/router-b/" => "b",
        _ => "none",
    }
}

fn test_page(route: &'static str) -> AnyView {
    match route {
        "a" => view! {
            <p id="router-page-a">
                <a id="router-to-b" href="/router-b?login=x%2541">"b"</a>
            </p>
        }
        .into_any(),
        // `?login=`, read as the sign-in page reads it (decoded once more, as before).
        "b" => view! { <p id="router-page-b">{app::router::use_query("login")}</p> }.into_any(),
        _ => view! { <p id="router-page-none">"none"</p> }.into_any(),
    }
}

#[wasm_bindgen_test]
async fn links_navigate_and_back_returns_without_reloading() {
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let location = window.location();
    let started_at = location.href().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/router-a"))
        .unwrap();
    let entries = history.length().unwrap();
    let document = window.document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    type Navigate = Box<dyn Fn(&str) + Send + Sync>;
    let navigate: Arc<Mutex<Option<Navigate>>> = Arc::new(Mutex::new(None));
    let n = navigate.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <app::router::Router>
                {
                    let n = n.clone();
                    move || *n.lock().unwrap() = Some(Box::new(app::router::use_navigate()))
                }
                {app::router::routes(test_route, test_page)}
            </app::router::Router>
        }
    });
    wait_for(&host, "#router-page-a").await;

    // A link of this origin: the page changes, one history entry is added, nothing reloads.
    click(&host, "#router-to-b");
    wait_for(&host, "#router-page-b").await;
    assert_eq!(location.pathname().unwrap(), "/router-b");
    assert_eq!(location.search().unwrap(), "?login=x%2541");
    assert_eq!(history.length().unwrap(), entries + 1);
    assert!(host.query_selector("#router-page-a").unwrap().is_none());
    assert_eq!(text(&host, "#router-page-b"), "xA");

    // Back: the first page again, from the browser's history.
    history.back().unwrap();
    wait_for(&host, "#router-page-a").await;
    assert_eq!(location.pathname().unwrap(), "/router-a");

    // `navigate`, to an unknown path and then with a trailing slash.
    let go = navigate.lock().unwrap().take().unwrap();
    go("/router-nowhere");
    wait_for(&host, "#router-page-none").await;
    assert_eq!(location.pathname().unwrap(), "/router-nowhere");
    go("/router-b/");
    wait_for(&host, "#router-page-b").await;

    drop(handle);
    host.remove();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&started_at))
        .unwrap();
}

/// A bundle of the router test: two pages; the rest is another bundle's.
const BUNDLE_PAGES: &[app::router::Page] = &[
    app::router::Page::at("/router-a", || {
        view! {
            <p id="bundle-page-a">
                <a id="bundle-to-b" href="/router-b/2">"b"</a>
                <a id="bundle-to-other" href="/router-other">"other"</a>
            </p>
        }
        .into_any()
    }),
    app::router::Page::under("/router-b/", || {
        view! { <p id="bundle-page-b">"b"</p> }.into_any()
    }),
];

#[wasm_bindgen_test]
fn a_bundle_draws_the_paths_of_its_pages_only() {
    use app::router::page_of;
    assert_eq!(page_of(BUNDLE_PAGES, "/router-a"), Some(0));
    assert_eq!(page_of(BUNDLE_PAGES, "/router-a/"), Some(0));
    assert_eq!(page_of(BUNDLE_PAGES, "/router-a/x"), None);
    assert_eq!(page_of(BUNDLE_PAGES, "/router-b/2"), Some(1));
    assert_eq!(page_of(BUNDLE_PAGES, "/router-b"), None);
    assert_eq!(page_of(BUNDLE_PAGES, "/router-other"), None);
    // Every page of the main bundle is its own, and none of the others' (a path is drawn by one
    // bundle: the one whose shell the server sends for it).
    let bundles = [
        app::bundles::MAIN,
        app::bundles::REVIEW,
        app::bundles::REPORTS,
        app::bundles::ADMIN,
    ];
    for path in [
        "/",
        "/sign-in",
        "/enrol",
        "/apply",
        "/certificate",
        "/certificate/620502-0012/staff",
        "/person/620502-0012",
        "/print",
        "/reports",
        "/review",
        "/review/",
        "/admin/oversight",
        "/admin/holders",
    ] {
        let drawn = bundles
            .iter()
            .filter(|pages| page_of(pages, path).is_some())
            .count();
        assert_eq!(drawn, 1, "{path} is drawn by {drawn} bundles");
    }
    for page in app::bundles::REVIEW {
        assert!(matches!(page.at, app::router::At::Path(p) if p.starts_with("/review")));
    }
    for page in app::bundles::REPORTS {
        assert!(matches!(page.at, app::router::At::Path(p) if p.starts_with("/reports")));
    }
    for page in app::bundles::ADMIN {
        let at = match page.at {
            app::router::At::Path(p) | app::router::At::Under(p) => p,
        };
        assert!(at.starts_with("/admin/"), "{at} is not under /admin/");
    }
}

#[wasm_bindgen_test]
async fn a_link_to_another_bundle_is_left_to_the_browser() {
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let location = window.location();
    let started_at = location.href().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/router-a"))
        .unwrap();
    let document = window.document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <app::router::Router pages=BUNDLE_PAGES>
                {app::router::routes(
                    |path| app::router::page_of(BUNDLE_PAGES, path),
                    |page| page.map_or_else(|| ().into_any(), |i| (BUNDLE_PAGES[i].view)()),
                )}
            </app::router::Router>
        }
    });
    wait_for(&host, "#bundle-page-a").await;
    // After the router's listener: whether it took the click over, then no navigation at all
    // (the test page must stay).
    let prevented: Rc<Cell<Option<bool>>> = Rc::new(Cell::new(None));
    let seen = prevented.clone();
    let listener = window_event_listener(leptos::ev::click, move |ev| {
        seen.set(Some(ev.default_prevented()));
        ev.prevent_default();
    });

    click(&host, "#bundle-to-other");
    assert_eq!(
        prevented.take(),
        Some(false),
        "another bundle's link was taken over"
    );
    assert_eq!(location.pathname().unwrap(), "/router-a");

    click(&host, "#bundle-to-b");
    assert_eq!(
        prevented.take(),
        Some(true),
        "the bundle's own link was left to the browser"
    );
    wait_for(&host, "#bundle-page-b").await;
    assert_eq!(location.pathname().unwrap(), "/router-b/2");

    listener.remove();
    drop(handle);
    host.remove();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&started_at))
        .unwrap();
}

fn queued_decision(id: &str, application: &str, status: ItemStatus) -> QueuedDecision {
    QueuedDecision {
        decision_id: id.into(),
        application_id: application.into(),
        unit_id: "620502-0012".into(),
        kind: domain::ApplicationKind::QuotaUse,
        action: domain::Action::Approve,
        note: String::new(),
        signer: "h-v2".into(),
        signed_at: "2026-11-28T09:00:00Z".into(),
        sequence: id[2..].parse().unwrap(),
        submission: SignedSubmission {
            envelope: "ZQ".into(),
            credential_id: "Yw".into(),
            client_data_json: "ZA".into(),
            authenticator_data: "YQ".into(),
            signature: "cw".into(),
        },
        status,
        application_status: None,
        number: None,
    }
}

#[wasm_bindgen_test]
async fn a_version_2_store_keeps_its_queue_and_decisions_join_it() {
    clear_storage().await;
    // A database as schema version 2 left it, with a waiting application.
    let item = item("a-1", 4, "h-v2");
    let outbox = serde_json::json!({
        "application_id": "a-1",
        "sequence": 4,
        "state": "pending",
        "body": serde_json::to_string(&item).unwrap(),
    });
    let script = format!(
        "new Promise((ok, fail) => {{ \
           const r = indexedDB.open('{name}', 2); \
           r.onupgradeneeded = () => {{ \
             const db = r.result; \
             for (const s of ['outbox', 'meta', 'units', 'people', 'applications', 'pull']) db.createObjectStore(s); \
             r.transaction.objectStore('outbox').put({outbox}, 'a-1'); \
           }}; \
           r.onsuccess = () => {{ r.result.close(); ok(); }}; r.onerror = () => fail(r.error); }})",
        name = store::db_name("h-v2"),
    );
    let made: js_sys::Promise = js_sys::eval(&script).unwrap().unchecked_into();
    wasm_bindgen_futures::JsFuture::from(made).await.unwrap();

    // Version 3 keeps the queued application…
    assert_eq!(store::outbox("h-v2").await.unwrap(), vec![item.clone()]);
    assert!(store::decisions("h-v2").await.unwrap().is_empty());
    // …and decisions share its store without being read as applications.
    let pending = queued_decision("d-1", "a-9", ItemStatus::Pending);
    let judged = queued_decision("d-2", "a-8", ItemStatus::Accepted);
    store::add_decision("h-v2", &pending).await.unwrap();
    store::add_decision("h-v2", &judged).await.unwrap();
    assert_eq!(store::outbox("h-v2").await.unwrap(), vec![item.clone()]);
    assert_eq!(
        store::decisions("h-v2").await.unwrap(),
        vec![pending.clone(), judged.clone()]
    );
    // A verdict replaces the record by its decision id.
    let refused = QueuedDecision {
        status: ItemStatus::Rejected {
            code: Some("transition_not_allowed".into()),
            message: Some("已核准".into()),
            message_en: None,
        },
        ..pending.clone()
    };
    store::add_decision("h-v2", &refused).await.unwrap();
    assert_eq!(store::decisions("h-v2").await.unwrap()[0], refused);
    // Leaving a shared computer keeps what waits: the application, and a waiting decision.
    let waiting = queued_decision("d-3", "a-7", ItemStatus::Pending);
    store::add_decision("h-v2", &waiting).await.unwrap();
    assert_eq!(store::clear_all_but_waiting("h-v2").await.unwrap(), 2);
    assert_eq!(store::outbox("h-v2").await.unwrap(), vec![item]);
    assert_eq!(store::decisions("h-v2").await.unwrap(), vec![waiting]);
    clear_storage().await;
}

fn reviewer_session() -> SessionInfo {
    SessionInfo {
        holder: HolderInfo {
            id: "reviewer-3".into(),
            login: "ts-bb".into(),
            name: "李审".into(),
            role: "bureau_reviewer".into(),
            scope: "region:620500".into(),
        },
        csrf_token: "csrf".into(),
        credential_ids: vec!["Y3JlZC0x".into()],
        rp_id: "localhost".into(),
    }
}

#[wasm_bindgen_test]
async fn a_reviewer_sees_the_queue_filters_it_and_counts_their_decisions() {
    use app::applications::tracked::TrackedApplication;
    use domain::{ApplicationKind as K, ApplicationStatus as S};
    clear_storage().await;
    app::kept_session::remember(&reviewer_session()).unwrap();
    let (host, context, _mounted) = mount(Page::Review);
    let tracked = |id: &str, kind, status, at: &str| {
        (
            id.to_owned(),
            TrackedApplication::new(id, "620502-0012", kind, status, at),
        )
    };
    context.applications.set(
        [
            tracked("a-1", K::QuotaUse, S::Endorsed, "2026-11-20T08:00:00Z"),
            tracked("a-2", K::Onboarding, S::Submitted, "2026-11-10T08:00:00Z"),
            tracked("a-3", K::QuotaUse, S::Submitted, "2026-11-25T08:00:00Z"),
            tracked("a-4", K::Offboarding, S::Approved, "2026-11-01T08:00:00Z"),
        ]
        .into_iter()
        .collect(),
    );
    wait_for(&host, "#review-queue").await;
    settle().await;
    // Awaiting this reviewer (the bureau): the endorsed request and the onboarding, oldest
    // first; not the request the department has not endorsed, nor the decided one.
    let rows = |_host: &web_sys::HtmlElement| {
        let ids = js_sys::eval(
            "Array.from(document.querySelectorAll('#review-queue tbody tr'))\
             .map(e => e.dataset.applicationId).join(',')",
        )
        .unwrap()
        .as_string()
        .unwrap();
        ids.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&host), ["a-2", "a-1"]);
    assert_eq!(
        element(&host, "#review-counts")
            .get_attribute("data-mine")
            .unwrap(),
        "2"
    );
    // Only the routine onboarding can be chosen for batch approval.
    assert!(
        host.query_selector("tr[data-application-id='a-2'] .batch-choose")
            .unwrap()
            .is_some()
    );
    assert!(
        host.query_selector("tr[data-application-id='a-1'] .batch-choose")
            .unwrap()
            .is_none()
    );
    // Filters: kind, then every status.
    set_value(&host, "#filter-kind", "quota_use");
    settle().await;
    assert_eq!(rows(&host), ["a-1"]);
    set_value(&host, "#filter-status", "all");
    settle().await;
    assert_eq!(rows(&host), ["a-1", "a-3"]);
    set_value(&host, "#filter-kind", "");
    set_value(&host, "#filter-status", "decided");
    settle().await;
    assert_eq!(rows(&host), ["a-4"]);
    // A decision signed here leaves the queue and is counted on the panel as the reviewer's.
    context.decisions.set(vec![QueuedDecision {
        signer: "reviewer-3".into(),
        ..queued_decision("d-1", "a-1", ItemStatus::Pending)
    }]);
    set_value(&host, "#filter-status", "mine");
    settle().await;
    assert_eq!(rows(&host), ["a-2"]);
    assert_eq!(
        element(&host, "#sync-status")
            .get_attribute("data-waiting")
            .unwrap(),
        "1"
    );
    assert!(text(&host, "#sync-waiting").contains("待同步审批决定"));
    assert!(text(&host, "#my-decisions").contains("已签名，待同步"));
    // Routine onboardings: chosen, then all confirmed on one screen.
    click(&host, "tr[data-application-id='a-2'] .batch-choose");
    wait_for(&host, "#batch-approve").await;
    click(&host, "#batch-approve");
    let listed = wait_for(&host, "#confirm-decisions").await;
    assert_eq!(listed.get_attribute("data-count").unwrap(), "1");
    assert!(
        host.query_selector(
            "#confirm-decisions li[data-application-id='a-2'][data-action='approve']"
        )
        .unwrap()
        .is_some()
    );
    click(&host, "#confirm-decision-back");
    wait_for(&host, "#review-queue").await;
    // Opening one shows it on its own screen, with the reviewer's decisions.
    click(&host, "tr[data-application-id='a-2'] .review-open");
    wait_for(&host, "#submission").await;
    assert!(host.query_selector("#decide-approve").unwrap().is_some());
    assert!(host.query_selector("#decide-endorse").unwrap().is_none());
    clear_storage().await;
}

#[wasm_bindgen_test]
async fn a_page_leaving_for_another_bundle_lets_its_databases_settle_first() {
    use app::store::connection::{opening, settle, stay};
    let holder = "settle";
    // A first opening (it creates the stores) under way when the page is to be left…
    let opened = Rc::new(Cell::new(false));
    let first = opened.clone();
    leptos::task::spawn_local(async move {
        first.set(store::open(holder).await.is_ok());
    });
    // One turn of the microtasks: the task starts its opening, which cannot finish that soon.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .unwrap();
    assert!(opening(), "the first opening is under way");
    assert!(!opened.get());
    // …is waited for, and every connection closed.
    settle().await;
    assert!(opened.get(), "the opening finished before the page is left");
    assert!(!opening());
    // Until the page has gone, nothing is opened again.
    let again = Rc::new(Cell::new(false));
    let second = again.clone();
    leptos::task::spawn_local(async move {
        second.set(store::open(holder).await.is_ok());
    });
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(!again.get(), "a database opened while the page was leaving");
    // The page stays after all: it opens again.
    stay();
    for _ in 0..100 {
        if again.get() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    assert!(again.get(), "the database opens again once the page stays");
    store::close(holder);
}
