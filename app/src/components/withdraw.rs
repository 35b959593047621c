//! 撤回: the clerk's withdrawal of an application not yet decided — a button, a confirmation,
//! and a signed decision with action `withdraw` (decider: the clerk) kept in the outbox and
//! sent by the sync, like a reviewer's decision. A small component for the clerk's list.

use domain::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::applications::deciding::{self, DecideError};
use crate::applications::decision::{decided_here, may_withdraw};
use crate::applications::outbox::ItemStatus;
use crate::i18n::{Msg, t};
use crate::state::use_app_context;
use crate::store;

/// The withdraw button of application `application_id`: shown while the confirmed state says
/// it may be withdrawn and no decision on it was signed here; asks before signing.
#[component]
pub fn Withdraw(application_id: String) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let id = StoredValue::new(application_id);
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<DecideError>);
    let application =
        move || id.with_value(|id| context.applications.with(|all| all.get(id).cloned()));
    let signed_here =
        move || id.with_value(|id| context.decisions.with(|d| decided_here(d, id).is_some()));
    // Signed here and not sent yet (once accepted, the status says 已撤回).
    let waiting = move || {
        id.with_value(|id| {
            context.decisions.with(|d| {
                d.iter()
                    .any(|d| &d.application_id == id && d.status == ItemStatus::Pending)
            })
        })
    };
    let offered = move || application().is_some_and(|a| may_withdraw(&a)) && !signed_here();
    let sign = move |_| {
        let (Some(session), Some(application)) = (context.session.get_untracked(), application())
        else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = match deciding::prepare(&session, &application, Action::Withdraw, "") {
                Ok(prepared) => deciding::sign_and_store(&prepared, &session).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match outcome {
                Ok(_) => {
                    asking.set(false);
                    if let Ok(decisions) = store::decisions(&session.holder.id).await {
                        context.decisions.set(decisions);
                    }
                    crate::sync::kick(context);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="withdraw" data-application-id=move || id.get_value()>
            <Show when=waiting>
                <p class="muted withdraw-pending">{t(Msg::WithdrawPending)}</p>
            </Show>
            <Show when=move || offered() && !asking.get()>
                <button type="button" class="secondary withdraw-open" on:click=move |_| asking.set(true)>
                    {t(Msg::Withdraw)}
                </button>
            </Show>
            <Show when=move || offered() && asking.get()>
                <div class="withdraw-confirm" role="alertdialog">
                    <p>{t(Msg::WithdrawConfirm)}</p>
                    <div class="button-row">
                        <button
                            type="button"
                            class="secondary withdraw-cancel"
                            disabled=move || busy.get()
                            on:click=move |_| asking.set(false)
                        >
                            {t(Msg::WithdrawCancel)}
                        </button>
                        <button
                            type="button"
                            class="primary withdraw-sign"
                            disabled=move || busy.get()
                            on:click=sign
                        >
                            {t(Msg::WithdrawSign)}
                        </button>
                    </div>
                    <Show when=move || busy.get()>
                        <p class="progress" role="status">{t(Msg::ProgressTouchKey)}</p>
                    </Show>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{move || e.text(lang.get())}</p> })}
        </div>
    }
}
