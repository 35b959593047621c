//! The frame around every page: title, who is signed in, language switch, reachability,
//! offline banner, sync status, footer.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::connectivity_badge::ConnectivityBadge;
use crate::components::sync_status::SyncStatus;
use crate::connectivity::Connectivity;
use crate::i18n::{Msg, t, use_lang};
use crate::router::use_navigate;
use crate::session;
use crate::state::{SyncProblem, use_app_context};

/// Header, main area with `children`, footer. Must be inside a `<Router>`.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let context = use_app_context();
    let connectivity = context.connectivity;
    let offline = move || connectivity.get() == Connectivity::Offline;
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-title">{t(Msg::AppTitle)}</span>
                <span class="brand-subtitle">{t(Msg::AppSubtitle)}</span>
            </div>
            <div class="header-tools">
                <SessionTools/>
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
        <SyncStatus/>
        <main class="app-main">{children()}</main>
        <footer class="app-footer">
            {t(Msg::FooterVersion)} " " {env!("CARGO_PKG_VERSION")}
        </footer>
    }
}

/// Who is signed in, a link to the application page and a sign-out button (nothing when no
/// one is signed in).
#[component]
fn SessionTools() -> impl IntoView {
    let context = use_app_context();
    let navigate = use_navigate();
    // `clear`: also remove this holder's data from this computer (a shared computer), except
    // signed applications still waiting to be sent (the button's hint says so).
    let sign_out = move |clear: bool| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match session::sign_out(context, clear).await {
                Ok(()) => navigate("/sign-in"),
                // Not cleared: say so, and stay signed in so that it can be tried again.
                Err(e) => context.sync_problem.set(Some(SyncProblem::Storage(e))),
            }
        });
    };
    move || {
        context.session.get().map(|session| {
            let name = session.holder.name.clone();
            let login = session.holder.login.clone();
            view! {
                <nav class="session-tools">
                    <a href="/certificate" id="nav-certificate" class="nav-link">
                        {t(Msg::NavCertificate)}
                    </a>
                    {if session.holder.reviews() {
                        view! {
                            <a href="/review" id="nav-review" class="nav-link">
                                {t(Msg::NavReview)}
                            </a>
                        }
                            .into_any()
                    } else if session.holder.files_applications() {
                        view! {
                            <a href="/apply" id="nav-apply" class="nav-link">
                                {t(Msg::NavApply)}
                            </a>
                        }
                            .into_any()
                    } else {
                        ().into_any()
                    }}
                    <a href="/reports" id="nav-reports" class="nav-link">
                        {t(Msg::NavReports)}
                    </a>
                    {session
                        .holder
                        .role
                        .is_some_and(domain::Role::is_bureau)
                        .then(|| {
                            view! {
                                <a href="/admin/oversight" id="nav-oversight" class="nav-link">
                                    {t(Msg::NavOversight)}
                                </a>
                            }
                        })}
                    {(session.holder.role == Some(domain::Role::BureauAdmin))
                        .then(|| {
                            view! {
                                <a href="/admin/holders" id="nav-holders" class="nav-link">
                                    {t(Msg::NavHolders)}
                                </a>
                                <a href="/admin/acts" id="nav-acts" class="nav-link">
                                    {t(Msg::NavActs)}
                                </a>
                            }
                        })}
                    {session
                        .holder
                        .role
                        .is_some_and(|r| r.is_bureau() || r == domain::Role::UnitClerk)
                        .then(|| {
                            view! {
                                <a href="/admin/verification" id="nav-verification" class="nav-link">
                                    {t(Msg::NavVerification)}
                                </a>
                            }
                        })}
                    <span class="session-holder" id="session-holder" data-login=login>
                        {t(Msg::SignedInAs)}
                        {name}
                    </span>
                    <button
                        type="button"
                        class="sign-out"
                        id="sign-out"
                        on:click={
                            let sign_out = sign_out.clone();
                            move |_| sign_out(false)
                        }
                    >
                        {t(Msg::SignOut)}
                    </button>
                    <button
                        type="button"
                        class="sign-out"
                        id="sign-out-clear"
                        title=move || Msg::SignOutClearHint.text(context.lang.get())
                        on:click={
                            let sign_out = sign_out.clone();
                            move |_| sign_out(true)
                        }
                    >
                        {t(Msg::SignOutClear)}
                    </button>
                </nav>
            }
        })
    }
}
