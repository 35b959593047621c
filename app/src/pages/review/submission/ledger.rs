//! The unit's ledger on the submission screen: each category's approved, filled, reserved and
//! vacant posts now and after the chosen decision (`decision::ledger_after`, the domain's
//! arithmetic), and a plain warning when the decision would break the ledger.

use domain::certificate::Certificate;
use domain::{Action, Figures};
use leptos::prelude::*;

use crate::applications::decision::ledger_after;
use crate::applications::tracked::TrackedApplication;
use crate::i18n::{Lang, Msg, t};
use crate::state::AppContext;

/// The ledger section: now → after `action` (approval, when none is chosen yet).
pub(super) fn ledger(
    context: AppContext,
    certificate: Option<Certificate>,
    application: &TrackedApplication,
    action: Option<Action>,
) -> impl IntoView + use<> {
    let lang = context.lang;
    let Some(certificate) = certificate else {
        return view! {
            <section class="submission-ledger" id="submission-ledger">
                <h2>{t(Msg::LedgerTitle)}</h2>
                <p class="muted">{t(Msg::LedgerUnknown)}</p>
            </section>
        }
        .into_any();
    };
    let now = certificate.ledger.clone();
    let after = application.payload().map(|payload| {
        ledger_after(
            &now,
            &certificate.staff,
            &payload,
            action.unwrap_or(Action::Approve),
        )
    });
    let (after, broken) = match after {
        Some(Ok(after)) => (after, None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let rows = now
        .all_figures()
        .into_iter()
        .map(|(category, before)| {
            let later = after.as_ref().map(|l| l.figures(category));
            view! {
                <tr data-category=category.code()>
                    <td>{move || lang.get().pick(category.label_zh(), category.label_en())}</td>
                    {cell(before, later, |f| f.approved.get())}
                    {cell(before, later, |f| f.filled.get())}
                    {cell(before, later, |f| f.reserved.get())}
                    {cell(before, later, |f| f.vacant().get())}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="submission-ledger" id="submission-ledger">
            <h2>{t(Msg::LedgerTitle)}</h2>
            <table class="ledger">
                <thead>
                    <tr>
                        <th>{t(Msg::LedgerCategory)}</th>
                        <th>{t(Msg::LedgerApproved)}</th>
                        <th>{t(Msg::LedgerFilled)}</th>
                        <th>{t(Msg::LedgerReserved)}</th>
                        <th>{t(Msg::LedgerVacant)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {broken
                .map(|e| {
                    view! {
                        <p class="error" id="ledger-breaks" role="alert">
                            {t(Msg::LedgerBreaks)}
                            {move || match lang.get() {
                                Lang::Zh => e.message_zh(),
                                Lang::En => e.message_en(),
                            }}
                        </p>
                    }
                })}
        </section>
    }
    .into_any()
}

/// One figure: now, and `→ after` when the decision changes it.
fn cell(now: Figures, after: Option<Figures>, figure: fn(&Figures) -> u32) -> impl IntoView {
    let before = figure(&now);
    let later = after.map(|a| figure(&a)).filter(|&a| a != before);
    view! {
        <td class="num" class:changes=later.is_some()>
            {before} {later.map(|a| format!(" → {a}"))}
        </td>
    }
}
