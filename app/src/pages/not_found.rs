//! What an unknown client-side route shows.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Msg, t};

/// 页面不存在, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card" id="not-found">
            <h1>{t(Msg::NotFoundTitle)}</h1>
            <A href="/">{t(Msg::NotFoundBack)}</A>
        </section>
    }
}
