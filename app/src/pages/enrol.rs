//! The enrolment page (`/enrol#code=…`): registers the holder's security key with a one-time
//! enrolment code. The code travels in the URL's fragment, which browsers never send to the
//! server (so it cannot end up in request logs), and is removed from the address bar at once.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::identity::Enrolled;

use crate::ceremony;
use crate::i18n::{Msg, t};
use crate::state::use_app_context;

/// 注册安全密钥.
#[component]
pub fn Enrol() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let code = RwSignal::new(take_code_from_fragment());
    let progress = RwSignal::new(None::<Msg>);
    let error = RwSignal::new(None::<String>);
    let code_error = RwSignal::new(false);
    let done = RwSignal::new(None::<Enrolled>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if progress.get_untracked().is_some() {
            return;
        }
        let value = code.get_untracked().trim().to_owned();
        code_error.set(value.is_empty());
        error.set(None);
        if value.is_empty() {
            return;
        }
        spawn_local(async move {
            let outcome = ceremony::enrol(&value, progress).await;
            progress.set(None);
            match outcome {
                Ok(enrolled) => done.set(Some(enrolled)),
                Err(failure) => error.set(Some(failure.text(lang.get_untracked()))),
            }
        });
    };

    let success = move || {
        done.get().map(|enrolled| {
            let href = format!(
                "/sign-in?login={}",
                String::from(js_sys::encode_uri_component(&enrolled.holder.login))
            );
            view! {
                <div class="success" id="enrol-done" role="status">
                    <p>
                        {t(Msg::EnrolDone)} {enrolled.holder.name.clone()} " "
                        {t(Msg::EnrolLoginIs)}
                        <strong id="enrol-login">{enrolled.holder.login.clone()}</strong>
                    </p>
                    <a href=href class="button-link" id="enrol-sign-in-link">
                        {t(Msg::GoToSignIn)}
                    </a>
                </div>
            }
        })
    };

    view! {
        <section class="card sign-in" id="enrol">
            <h1>{t(Msg::EnrolTitle)}</h1>
            <p>{t(Msg::EnrolIntro)}</p>
            <Show when=move || done.with(Option::is_none) fallback=success>
                <form id="enrol-form" class="form" on:submit=submit novalidate=true>
                    <div class="field">
                        <label for="enrol-code">{t(Msg::EnrolCode)}</label>
                        <input
                            id="enrol-code"
                            name="code"
                            type="text"
                            autocomplete="one-time-code"
                            class:invalid=move || code_error.get()
                            prop:value=move || code.get()
                            on:input=move |ev| {
                                code.set(event_target_value(&ev));
                                code_error.set(false);
                            }
                        />
                        <Show when=move || code_error.get()>
                            <p class="field-error" id="enrol-code-error" role="alert">
                                {t(Msg::EnrolCodeEmpty)}
                            </p>
                        </Show>
                    </div>
                    <button
                        type="submit"
                        class="primary"
                        id="enrol-button"
                        disabled=move || progress.get().is_some()
                    >
                        {t(Msg::EnrolButton)}
                    </button>
                </form>
            </Show>
            {move || {
                progress
                    .get()
                    .map(|msg| {
                        view! {
                            <p class="progress" id="enrol-progress" role="status">
                                {move || msg.text(lang.get())}
                            </p>
                        }
                    })
            }}
            {move || {
                error
                    .get()
                    .map(|text| view! { <p class="error" id="enrol-error" role="alert">{text}</p> })
            }}
        </section>
    }
}

/// Reads `code=…` from the URL's fragment and removes the fragment from the address bar.
fn take_code_from_fragment() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let hash = window.location().hash().unwrap_or_default();
    let code = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("code="))
        .map(|code| {
            js_sys::decode_uri_component(code).map_or_else(|_| code.to_owned(), String::from)
        })
        .unwrap_or_default();
    if !code.is_empty()
        && let Ok(history) = window.history()
    {
        let path = window
            .location()
            .pathname()
            .unwrap_or_else(|_| "/enrol".to_owned());
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    code
}
