//! What an unknown client-side route shows.

use leptos::prelude::*;

use crate::i18n::{Msg, t};

/// 页面不存在, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card" id="not-found">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <a href="/">{t(Msg::NotFoundBack)}</a>
        </section>
    }
}
