//! The quota-use form: every field, its error beside it, the confirmed vacancy of the chosen
//! category as a hint; "next" parses it and prepares the envelope for the confirmation.

use domain::person::EntryForm;
use domain::{EstablishmentCategory, FundingForm};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::confirmation::Confirmation;
use super::form_state::{FormState, Step};
use crate::applications::quota_form::{FormField, QuotaForm};
use crate::applications::signing;
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;

/// The error under `field`, if any.
fn field_error(state: FormState, lang: RwSignal<Lang>, field: FormField) -> impl IntoView {
    move || {
        state.errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                let problem = e.problem.clone();
                view! {
                    <p
                        class="field-error"
                        id=format!("apply-{}-error", field.name())
                        data-field=field.name()
                        role="alert"
                    >
                        {move || problem.text(lang.get())}
                    </p>
                }
            })
        })
    }
}

fn has_error(state: FormState, field: FormField) -> impl Fn() -> bool + Copy {
    move || {
        state
            .errors
            .with(|errors| errors.iter().any(|e| e.field == field))
    }
}

/// A `<select>` of labelled codes bound to one field of the form.
fn select(
    state: FormState,
    lang: RwSignal<Lang>,
    field: FormField,
    options: Vec<(&'static str, &'static str, &'static str)>,
    get: fn(&QuotaForm) -> &String,
    set: fn(&mut QuotaForm, String),
) -> impl IntoView {
    let id = format!("apply-{}", field.name());
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        state.form.update(|f| set(f, value));
    };
    view! {
        <select
            id=id.clone()
            name=field.name()
            class:invalid=has_error(state, field)
            on:change=on_change
            on:input=on_change
        >
            <option value="" prop:selected=move || state.form.with(|f| get(f).is_empty())>
                {t(Msg::ChooseOption)}
            </option>
            {options
                .into_iter()
                .map(|(code, zh, en)| {
                    view! {
                        <option
                            value=code
                            prop:selected=move || state.form.with(|f| get(f) == code)
                        >
                            {move || lang.get().pick(zh, en)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// 编制使用申请表.
#[component]
pub(super) fn QuotaUseForm(state: FormState) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;

    let next = move |ev: SubmitEvent| {
        ev.prevent_default();
        state.signed.set(false);
        state.error.set(None);
        match state.form.with_untracked(QuotaForm::parse) {
            Err(errors) => state.errors.set(errors),
            Ok(request) => {
                state.errors.set(Vec::new());
                let Some(session) = context.session.get_untracked() else {
                    return;
                };
                spawn_local(async move {
                    match signing::prepare(&session, request).await {
                        Ok(prepared) => {
                            state.prepared.set(Some(prepared));
                            state.step.set(Step::Confirm);
                        }
                        Err(e) => state.error.set(Some(e)),
                    }
                });
            }
        }
    };

    let categories = EstablishmentCategory::ALL
        .iter()
        .map(|c| (c.code(), c.label_zh(), c.label_en()))
        .collect();
    let fundings: Vec<_> = FundingForm::ALL
        .iter()
        .map(|c| (c.code(), c.label_zh(), c.label_en()))
        .collect();
    let entries = EntryForm::ALL
        .iter()
        .map(|c| (c.code(), c.label_zh(), c.label_en()))
        .collect();
    let unit = move || {
        context
            .session
            .with(|s| {
                s.as_ref()
                    .and_then(|s| s.holder.unit().map(ToString::to_string))
            })
            .unwrap_or_default()
    };
    let editing = move || state.step.get() == Step::Edit;
    // The unit's confirmed certificate, for the vacancy of the chosen category (a hint: the
    // server decides with its own figures).
    let certificate = LocalResource::new(move || {
        let holder = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        let unit = unit();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) if !unit.is_empty() => {
                    crate::store::certificate_without_people(&holder, &unit)
                        .await
                        .ok()
                        .flatten()
                }
                _ => None,
            }
        }
    });
    let vacancy = move || {
        let category = state.form.with(QuotaForm::category)?;
        let certificate = certificate.get().flatten()?;
        Some(certificate.ledger.figures(category).vacant().get())
    };

    view! {
        <form
            id="apply-form"
            class="form"
            class:hidden=move || !editing()
            on:submit=next
            novalidate=true
        >
            <Show when=move || state.revising.with(Option::is_some)>
                <p class="notice" id="apply-revising">{t(Msg::Revising)}</p>
            </Show>
            <p class="form-unit">
                {t(Msg::ApplyUnit)} "：" <span id="apply-unit">{unit}</span>
            </p>
            <div class="field">
                <label for="apply-category">{t(Msg::FieldCategory)}</label>
                {select(
                    state,
                    lang,
                    FormField::Category,
                    categories,
                    |f| &f.category,
                    |f, v| f.category = v,
                )}
                {field_error(state, lang, FormField::Category)}
                {move || {
                    vacancy()
                        .map(|n| {
                            view! {
                                <p class="field-hint" id="apply-vacancy" data-vacant=n.to_string()>
                                    {t(Msg::VacancyConfirmed)} {n} " " {t(Msg::VacancyPosts)}
                                </p>
                            }
                        })
                }}
            </div>
            <Show when=move || state.form.with(QuotaForm::needs_funding)>
                <div class="field">
                    <label for="apply-funding">{t(Msg::FieldFunding)}</label>
                    {select(
                        state,
                        lang,
                        FormField::Funding,
                        fundings.clone(),
                        |f| &f.funding,
                        |f, v| f.funding = v,
                    )}
                    {field_error(state, lang, FormField::Funding)}
                </div>
            </Show>
            <div class="field">
                <label for="apply-count">{t(Msg::FieldCount)}</label>
                <input
                    id="apply-count"
                    name="count"
                    type="text"
                    inputmode="numeric"
                    class:invalid=has_error(state, FormField::Count)
                    prop:value=move || state.form.with(|f| f.count.clone())
                    on:input=move |ev| state.form.update(|f| f.count = event_target_value(&ev))
                />
                {field_error(state, lang, FormField::Count)}
            </div>
            <div class="field">
                <label for="apply-recruitment">{t(Msg::FieldRecruitment)}</label>
                {select(
                    state,
                    lang,
                    FormField::Recruitment,
                    entries,
                    |f| &f.recruitment,
                    |f, v| f.recruitment = v,
                )}
                {field_error(state, lang, FormField::Recruitment)}
            </div>
            <div class="field">
                <label for="apply-reason">{t(Msg::FieldReason)}</label>
                <textarea
                    id="apply-reason"
                    name="reason"
                    rows="4"
                    class:invalid=has_error(state, FormField::Reason)
                    prop:value=move || state.form.with(|f| f.reason.clone())
                    on:input=move |ev| state.form.update(|f| f.reason = event_target_value(&ev))
                ></textarea>
                {field_error(state, lang, FormField::Reason)}
            </div>
            <div class="field">
                <label for="apply-document">{t(Msg::FieldDocument)}</label>
                <input
                    id="apply-document"
                    name="document"
                    type="text"
                    placeholder=t(Msg::FieldDocumentHint)
                    class:invalid=has_error(state, FormField::Document)
                    prop:value=move || state.form.with(|f| f.document.clone())
                    on:input=move |ev| state.form.update(|f| f.document = event_target_value(&ev))
                />
                {field_error(state, lang, FormField::Document)}
            </div>
            <Show when=move || state.errors.with(|e| !e.is_empty())>
                <p class="error" id="apply-form-errors" role="alert">
                    {t(Msg::FormHasErrors)}
                </p>
            </Show>
            <button type="submit" class="primary" id="apply-next">
                {t(Msg::ApplyNext)}
            </button>
        </form>
        {move || (state.step.get() == Step::Confirm).then(|| view! { <Confirmation state=state/> })}
        <Show when=move || state.signed.get()>
            <p class="success" id="apply-signed" role="status">{t(Msg::Signed)}</p>
        </Show>
        {move || {
            state
                .error
                .get()
                .map(|e| {
                    view! {
                        <p class="error" id="sign-error" role="alert">
                            {move || e.text(lang.get())}
                        </p>
                    }
                })
        }}
    }
}
