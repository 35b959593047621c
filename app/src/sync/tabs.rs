//! One syncing tab per holder: the leader, chosen with the Web Locks API, sends the queue and
//! pulls; the other tabs learn of every change through a `BroadcastChannel` and re-read the
//! store.
//!
//! The lock `staffing.sync.<holder>` is requested when a holder is known; the browser grants
//! it to one tab at a time and gives it to a waiting tab as soon as the leader's tab closes
//! (or crashes). A tab that the browser freezes (Page Lifecycle `freeze`) lets go of the lock
//! first, so that a frozen leader is replaced too, and asks again on `resume`. Without Web
//! Locks (an old browser) every tab syncs; the server's replay of recorded verdicts keeps that
//! safe, only less economical.
//!
//! This module only elects and carries messages; what a tab does with them is the sync
//! engine's, which it is told as [`TabEvent`]s.

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::state::AppContext;

/// What tabs tell each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The store changed (queue or confirmed state): re-read it.
    Changed,
    /// A new item was queued: the leader should send it.
    Queued,
    /// A pull reached the end without changes: only the time of the last sync moved.
    Synced,
}

impl Notice {
    fn code(self) -> &'static str {
        match self {
            Notice::Changed => "changed",
            Notice::Queued => "queued",
            Notice::Synced => "synced",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        match code {
            "changed" => Some(Notice::Changed),
            "queued" => Some(Notice::Queued),
            "synced" => Some(Notice::Synced),
            _ => None,
        }
    }
}

/// What the election and the channel report to the sync engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabEvent {
    /// Another tab of this holder said something.
    Notice(Notice),
    /// This tab now syncs.
    Elected,
    /// This tab was frozen and runs again.
    Resumed,
}

/// Who is told of [`TabEvent`]s (the sync engine).
pub type OnEvent = fn(AppContext, TabEvent);

/// The election and channel of the current holder.
struct Tab {
    holder: String,
    /// Bumped by every request and step-down: a grant for an older request is let go.
    generation: u64,
    channel: Option<web_sys::BroadcastChannel>,
    /// Resolves the promise that holds the lock (set while this tab leads).
    release: Option<Function>,
    /// Cancels a lock request still waiting.
    abort: Option<web_sys::AbortController>,
    _on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

thread_local! {
    static TAB: RefCell<Option<Tab>> = const { RefCell::new(None) };
}

fn lock_name(holder: &str) -> String {
    format!("staffing.sync.{holder}")
}

fn channel_name(holder: &str) -> String {
    format!("staffing.{holder}")
}

/// Follows the signed-in holder: joins the election and channel of each new holder, leaves
/// them on sign-out; tells `on_event` what happens. Call once.
pub fn watch(context: AppContext, on_event: OnEvent) {
    Effect::new(move |previous: Option<Option<String>>| {
        let holder = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        if previous.as_ref() != Some(&holder) {
            leave(context);
            if let Some(holder) = &holder {
                join(context, holder, on_event);
            }
        }
        holder
    });
    watch_lifecycle(context, on_event);
}

/// Tells the other tabs of this holder.
pub fn announce(notice: Notice) {
    TAB.with(|t| {
        if let Some(channel) = t.borrow().as_ref().and_then(|t| t.channel.as_ref()) {
            let _ = channel.post_message(&JsValue::from_str(notice.code()));
        }
    });
}

fn join(context: AppContext, holder: &str, on_event: OnEvent) {
    let channel = web_sys::BroadcastChannel::new(&channel_name(holder)).ok();
    let on_message = channel.as_ref().map(|channel| {
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                if let Some(notice) = event.data().as_string().and_then(|c| Notice::from_code(&c)) {
                    on_event(context, TabEvent::Notice(notice));
                }
            },
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message
    });
    TAB.with(|t| {
        *t.borrow_mut() = Some(Tab {
            holder: holder.to_owned(),
            generation: 0,
            channel,
            release: None,
            abort: None,
            _on_message: on_message,
        });
    });
    request(context, on_event);
}

/// Leaves the election and channel (sign-out, another holder).
fn leave(context: AppContext) {
    step_down(context);
    if let Some(tab) = TAB.with(|t| t.borrow_mut().take())
        && let Some(channel) = tab.channel
    {
        channel.set_onmessage(None);
        channel.close();
    }
}

/// Gives up the lock (or the wait for it), staying in the channel.
fn step_down(context: AppContext) {
    TAB.with(|t| {
        if let Some(tab) = t.borrow_mut().as_mut() {
            tab.generation += 1;
            if let Some(abort) = tab.abort.take() {
                abort.abort();
            }
            if let Some(release) = tab.release.take() {
                let _ = release.call0(&JsValue::NULL);
            }
        }
    });
    context.sync.update(|s| s.leader = false);
}

/// Asks for the lock; when it is granted this tab leads until [`step_down`].
fn request(context: AppContext, on_event: OnEvent) {
    let Some((holder, generation)) = TAB.with(|t| {
        t.borrow_mut().as_mut().map(|t| {
            t.generation += 1;
            (t.holder.clone(), t.generation)
        })
    }) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let locks = Reflect::get(&window.navigator(), &JsValue::from_str("locks"))
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request_fn = locks.as_ref().and_then(|l| {
        Reflect::get(l, &JsValue::from_str("request"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
    });
    let (Some(locks), Some(request_fn)) = (locks, request_fn) else {
        // No Web Locks: this tab syncs on its own.
        become_leader(context, on_event);
        return;
    };
    let abort = web_sys::AbortController::new().ok();
    let options = js_sys::Object::new();
    if let Some(abort) = &abort {
        let _ = Reflect::set(&options, &JsValue::from_str("signal"), &abort.signal());
    }
    let lock = lock_name(&holder);
    let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let mut release = None;
        let held = Promise::new(&mut |resolve, _reject| release = Some(resolve));
        let still_wanted = TAB.with(|t| match t.borrow_mut().as_mut() {
            Some(tab) if tab.holder == holder && tab.generation == generation => {
                tab.abort = None;
                tab.release = release.take();
                true
            }
            _ => false,
        });
        if still_wanted {
            become_leader(context, on_event);
        } else if let Some(release) = release {
            let _ = release.call0(&JsValue::NULL);
        }
        held.into()
    });
    match request_fn.call3(&locks, &JsValue::from_str(&lock), &options, &granted) {
        Ok(promise) => {
            // An aborted wait rejects: expected, not an error to report.
            if let Ok(catch) = Reflect::get(&promise, &JsValue::from_str("catch"))
                .and_then(|c| c.dyn_into::<Function>())
            {
                let _ = catch.call1(&promise, &Closure::once_into_js(|_: JsValue| {}));
            }
            TAB.with(|t| {
                if let Some(tab) = t.borrow_mut().as_mut() {
                    tab.abort = abort;
                }
            });
        }
        Err(_) => become_leader(context, on_event),
    }
}

fn become_leader(context: AppContext, on_event: OnEvent) {
    context.sync.update(|s| s.leader = true);
    on_event(context, TabEvent::Elected);
}

/// A frozen tab lets go of the lock, and asks again when it resumes.
fn watch_lifecycle(context: AppContext, on_event: OnEvent) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_freeze = Closure::<dyn FnMut()>::new(move || step_down(context));
    let on_resume = Closure::<dyn FnMut()>::new(move || {
        on_event(context, TabEvent::Resumed);
        request(context, on_event);
    });
    let _ = document.add_event_listener_with_callback("freeze", on_freeze.as_ref().unchecked_ref());
    let _ = document.add_event_listener_with_callback("resume", on_resume.as_ref().unchecked_ref());
    // For the life of the page.
    on_freeze.forget();
    on_resume.forget();
}
