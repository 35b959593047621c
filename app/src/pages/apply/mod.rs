//! The 编制使用申请 page (`/apply`): the form ([`form`]), the confirmation of exactly what will
//! be signed and signing with the security key, offline too ([`confirmation`]), and the
//! applications signed on this computer ([`outbox_list`]); what they share: [`form_state`].

mod confirmation;
mod form;
mod form_state;
mod outbox_list;

use leptos::prelude::*;

use crate::i18n::{Msg, t};
use crate::state::use_app_context;
use form::QuotaUseForm;
use form_state::FormState;
use outbox_list::OutboxList;

/// What the page can show the current user.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    NeedsSignIn,
    NotClerk,
    Clerk,
}

/// 编制使用申请.
#[component]
pub fn Apply() -> impl IntoView {
    let context = use_app_context();
    // A memo, so that a refreshed but unchanged session does not rebuild the form.
    let mode = Memo::new(move |_| match context.session.get() {
        None => Mode::NeedsSignIn,
        Some(s) if s.holder.files_applications() => Mode::Clerk,
        Some(_) => Mode::NotClerk,
    });
    // Outside the view, so that what was typed survives any re-render.
    let state = FormState::new();
    view! {
        <section class="card apply" id="apply">
            <h1>{t(Msg::ApplyTitle)}</h1>
            {move || match mode.get() {
                Mode::NeedsSignIn => {
                    view! {
                        <p class="notice" id="apply-needs-sign-in">
                            {t(Msg::ApplyNeedsSignIn)} " "
                            <a href="/sign-in">{t(Msg::GoToSignIn)}</a>
                        </p>
                    }
                        .into_any()
                }
                Mode::NotClerk => {
                    view! {
                        <p class="notice" id="apply-not-clerk">
                            {t(Msg::ApplyNotClerk)} " "
                            <a href="/review" id="apply-go-review">{t(Msg::NavReview)}</a>
                        </p>
                    }
                        .into_any()
                }
                Mode::Clerk => view! { <QuotaUseForm state=state/> }.into_any(),
            }}
        </section>
        <Show when=move || mode.get() == Mode::Clerk>
            <OutboxList state=state/>
        </Show>
    }
}
