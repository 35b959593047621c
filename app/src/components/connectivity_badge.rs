//! The always-visible online/offline indicator.

use leptos::prelude::*;

use crate::connectivity::Connectivity;
use crate::i18n::{Msg, use_lang};

/// A badge reading 在线 / 离线 / 正在检测网络…, with `data-connectivity` for tests.
#[component]
pub fn ConnectivityBadge() -> impl IntoView {
    let lang = use_lang();
    let state = use_context::<RwSignal<Connectivity>>()
        .unwrap_or_else(|| RwSignal::new(Connectivity::Checking));
    let text = move || {
        let msg = match state.get() {
            Connectivity::Online => Msg::ConnectivityOnline,
            Connectivity::Offline => Msg::ConnectivityOffline,
            Connectivity::Checking => Msg::ConnectivityChecking,
        };
        msg.text(lang.get())
    };
    view! {
        <span
            id="connectivity"
            class=move || format!("connectivity connectivity-{}", state.get().name())
            data-connectivity=move || state.get().name()
            role="status"
            aria-live="polite"
        >
            {text}
        </span>
    }
}
