//! The signed-in holder's applications on this computer, newest first, each with its status;
//! one that did not go through can be revised into the form and signed again.

use leptos::prelude::*;

use super::form_state::{FormState, Step};
use crate::applications::outbox::{self, OutboxItem};
use crate::applications::quota_form::QuotaForm;
use crate::components::outbox_item::outbox_row;
use crate::i18n::{Msg, t};
use crate::state::use_app_context;

/// 本机已签名的申请.
#[component]
pub(super) fn OutboxList(state: FormState) -> impl IntoView {
    let context = use_app_context();
    let items = move || {
        let signer = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        let mut mine: Vec<OutboxItem> = context.outbox.with(|items| {
            items
                .iter()
                .filter(|i| Some(&i.signer) == signer.as_ref())
                .cloned()
                .collect()
        });
        mine.sort_by(outbox::newest_first());
        mine
    };
    let revise = Callback::new(move |item: OutboxItem| {
        if let Some(form) = QuotaForm::from_signed(&item) {
            state.form.set(form);
            state.errors.set(Vec::new());
            state.prepared.set(None);
            state.step.set(Step::Edit);
            state.signed.set(false);
            state.revising.set(Some(item.application_id.clone()));
            scroll_to("apply");
        }
    });
    view! {
        <section class="card outbox" id="outbox">
            <h2>{t(Msg::OutboxTitle)}</h2>
            {move || {
                let items = items();
                if items.is_empty() {
                    return view! { <p class="muted" id="outbox-empty">{t(Msg::OutboxEmpty)}</p> }
                        .into_any();
                }
                view! {
                    <ul class="outbox-list">
                        {items
                            .into_iter()
                            .map(|item| outbox_row(item, context, Some(revise)))
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

fn scroll_to(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        element.scroll_into_view();
    }
}
