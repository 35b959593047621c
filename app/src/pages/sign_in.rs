//! The sign-in page (`/` and `/sign-in`): login name, then the security key.
//!
//! Begin (the server's request options) → `navigator.credentials.get` → finish (the server
//! sets the session cookie and answers `SessionInfo`) → kept on this computer → the
//! certificate and the clerk's applications (`/certificate`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ceremony::{self, CeremonyError};
use crate::i18n::{Msg, t};
use crate::router::{use_navigate, use_query};
use crate::state::use_app_context;

/// 使用安全密钥登录. `?login=` fills in the login name.
#[component]
pub fn SignIn() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let login = RwSignal::new(use_query("login").unwrap_or_default());
    let progress = RwSignal::new(None::<Msg>);
    let error = RwSignal::new(None::<String>);
    let login_error = RwSignal::new(false);
    let navigate = use_navigate();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if progress.get_untracked().is_some() {
            return;
        }
        let name = login.get_untracked().trim().to_owned();
        login_error.set(name.is_empty());
        error.set(None);
        if name.is_empty() {
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = ceremony::sign_in(&name, progress).await;
            progress.set(None);
            match outcome {
                Ok(info) => match crate::session::signed_in(context.session, info) {
                    Ok(()) => {
                        context.sync_problem.set(None);
                        crate::sync::kick(context);
                        // Each role lands on its own work.
                        let landing = context.session.with_untracked(|s| {
                            s.as_ref().map_or("/apply", |s| s.holder.landing_page())
                        });
                        navigate(landing);
                    }
                    Err(e) => error.set(Some(e.text(lang.get_untracked()))),
                },
                // Without the server: say that signing in needs it, and that signing does not.
                Err(CeremonyError::Api(e)) if e.is_network() => error.set(Some(
                    Msg::SignInNeedsServer.text(lang.get_untracked()).to_owned(),
                )),
                Err(failure) => error.set(Some(failure.text(lang.get_untracked()))),
            }
        });
    };

    let already = move || {
        context.session.get().map(|s| {
            let reviews = s.holder.reviews();
            view! {
                <p class="notice notice-ok" id="sign-in-already">
                    {t(Msg::SignInAlready)} {s.holder.name.clone()} " "
                    <a href=s.holder.landing_page() id="sign-in-go-apply">
                        {t(if reviews { Msg::NavReview } else { Msg::NavCertificate })}
                    </a>
                </p>
            }
        })
    };

    view! {
        <section class="card sign-in" id="sign-in">
            <h1>{t(Msg::SignInTitle)}</h1>
            <p>{t(Msg::SignInIntro)}</p>
            {already}
            <form id="sign-in-form" class="form" on:submit=submit novalidate=true>
                <div class="field">
                    <label for="sign-in-login">{t(Msg::SignInLogin)}</label>
                    <input
                        id="sign-in-login"
                        name="login"
                        type="text"
                        autocomplete="username"
                        class:invalid=move || login_error.get()
                        prop:value=move || login.get()
                        on:input=move |ev| {
                            login.set(event_target_value(&ev));
                            login_error.set(false);
                        }
                    />
                    <Show when=move || login_error.get()>
                        <p class="field-error" id="sign-in-login-error" role="alert">
                            {t(Msg::SignInLoginEmpty)}
                        </p>
                    </Show>
                </div>
                <button
                    type="submit"
                    class="primary"
                    id="sign-in-button"
                    disabled=move || progress.get().is_some()
                >
                    {t(Msg::SignInButton)}
                </button>
            </form>
            {move || {
                progress
                    .get()
                    .map(|msg| {
                        view! {
                            <p class="progress" id="sign-in-progress" role="status">
                                {move || msg.text(lang.get())}
                            </p>
                        }
                    })
            }}
            {move || {
                error
                    .get()
                    .map(|text| view! { <p class="error" id="sign-in-error" role="alert">{text}</p> })
            }}
        </section>
    }
}
