//! The sign-in page. Security-key sign-in arrives with the identity work; until then the page
//! says plainly that signing in is not possible.

use leptos::prelude::*;

use crate::i18n::{Msg, t};

/// 使用安全密钥登录.
#[component]
pub fn SignIn() -> impl IntoView {
    view! {
        <section class="card sign-in" id="sign-in">
            <h1>{t(Msg::SignInTitle)}</h1>
            <p>{t(Msg::SignInIntro)}</p>
            <button type="button" class="primary" id="sign-in-button" disabled=true>
                {t(Msg::SignInButton)}
            </button>
            <p class="notice" id="sign-in-unavailable">{t(Msg::SignInUnavailable)}</p>
        </section>
    }
}
