//! The frame around every page: title, language switch, reachability, offline banner, footer.

use leptos::prelude::*;

use crate::components::connectivity_badge::ConnectivityBadge;
use crate::connectivity::Connectivity;
use crate::i18n::{Msg, t, use_lang};

/// Header, main area with `children`, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let connectivity = use_context::<RwSignal<Connectivity>>()
        .unwrap_or_else(|| RwSignal::new(Connectivity::Checking));
    let offline = move || connectivity.get() == Connectivity::Offline;
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-title">{t(Msg::AppTitle)}</span>
                <span class="brand-subtitle">{t(Msg::AppSubtitle)}</span>
            </div>
            <div class="header-tools">
                <ConnectivityBadge/>
                <button
                    type="button"
                    class="lang-switch"
                    id="lang-switch"
                    title=t(Msg::SwitchLanguageLabel)
                    on:click=move |_| lang.update(|l| *l = l.other())
                >
                    {t(Msg::SwitchLanguage)}
                </button>
            </div>
        </header>
        <Show when=offline>
            <div class="offline-banner" role="status">{t(Msg::OfflineBanner)}</div>
        </Show>
        <main class="app-main">{children()}</main>
        <footer class="app-footer">
            {t(Msg::FooterVersion)} " " {env!("CARGO_PKG_VERSION")}
        </footer>
    }
}
