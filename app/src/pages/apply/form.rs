//! The application form of the chosen kind, drawn from one field row and two controls (a text
//! and a list) for every field: its error beside it as the clerk types, hints (the vacancy,
//! the deadline, old → new of a record change); saved as a draft while typed; "next" parses it
//! and prepares the envelope for the confirmation.

use std::sync::Arc;

use domain::ApplicationKind;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::confirmation::Confirmation;
use super::form_state::{FormState, Step};
use crate::applications::form::{FieldError, FormField};
use crate::applications::outbox::ItemStatus;
use crate::applications::registration::{self, PERSON_FIELDS};
use crate::applications::{quota_form, signing};
use crate::i18n::{Lang, Msg, t};
use crate::state::{AppContext, use_app_context};
use crate::store::{self, Draft};

/// The options of a list, in a language: `(code, label)`.
type Options = Arc<dyn Fn(Lang) -> Vec<(String, String)> + Send + Sync>;

/// The error under `field`, if any.
fn field_error(state: FormState, errors: Memo<Vec<FieldError>>, field: FormField) -> AnyView {
    let lang = use_app_context().lang;
    (move || {
        errors
            .with(|errors| state.error_of(errors, field))
            .map(|e| {
                view! {
                    <p
                        class="field-error"
                        id=format!("apply-{}-error", field.name())
                        data-field=field.name()
                        role="alert"
                    >
                        {move || e.text(lang.get())}
                    </p>
                }
            })
    })
    .into_any()
}

/// Sets `field` as typed; a valid 身份证号 fills in 出生日期 and 性别 when they are empty.
fn set(state: FormState, field: FormField, value: String) {
    state.values.update(|v| {
        if field == FormField::IdNumber
            && let Ok(id) = domain::IdNumber::parse(&value)
        {
            if v.get(FormField::BirthDate).is_empty() {
                v.set(FormField::BirthDate, id.birth_date().to_string());
            }
            if v.get(FormField::Sex).is_empty() {
                v.set(FormField::Sex, id.sex().code().to_owned());
            }
        }
        v.set(field, value);
    });
}

/// A text input (or a text area) bound to `field`.
fn text_control(state: FormState, field: FormField, area: bool, hint: Option<Msg>) -> AnyView {
    let id = format!("apply-{}", field.name());
    let value = move || state.values.with(|v| v.get(field).to_owned());
    let on_input = move |ev: leptos::ev::Event| set(state, field, event_target_value(&ev));
    let placeholder = move || hint.map(|m| t(m)()).unwrap_or_default();
    if area {
        view! {
            <textarea id=id name=field.name() rows="3" prop:value=value on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                name=field.name()
                type="text"
                placeholder=placeholder
                prop:value=value
                on:input=on_input
            />
        }
        .into_any()
    }
}

/// A `<select>` of `options` bound to `field`.
fn select_control(state: FormState, field: FormField, options: Options) -> AnyView {
    let lang = use_app_context().lang;
    let on_change = move |ev: leptos::ev::Event| set(state, field, event_target_value(&ev));
    view! {
        <select id=format!("apply-{}", field.name()) name=field.name() on:change=on_change>
            <option value="" prop:selected=move || state.values.with(|v| v.get(field).is_empty())>
                {t(Msg::ChooseOption)}
            </option>
            {move || {
                options(lang.get())
                    .into_iter()
                    .map(|(code, label)| {
                        let selected = {
                            let code = code.clone();
                            move || state.values.with(|v| v.get(field) == code)
                        };
                        view! {
                            <option value=code prop:selected=selected>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
    .into_any()
}

/// The control of `field`: a list for coded fields, else a text.
fn control(state: FormState, field: FormField) -> AnyView {
    let choices = registration::choices_of(field);
    if !choices.is_empty() {
        let options: Options = Arc::new(move |lang: Lang| {
            choices
                .iter()
                .map(|(code, zh, en)| ((*code).to_owned(), lang.pick(zh, en).to_owned()))
                .collect()
        });
        return select_control(state, field, options);
    }
    let hint = match field {
        FormField::BirthDate | FormField::EnrolledOn | FormField::LeftOn | FormField::ChangedOn => {
            Some(Msg::DateHint)
        }
        FormField::StartedWorkOn | FormField::CurrentPostSince | FormField::FoundedOn => {
            Some(Msg::DateHint)
        }
        FormField::ShortName | FormField::CreditCode | FormField::FoundingDocument => {
            Some(Msg::OptionalHint)
        }
        FormField::Document | FormField::ChangeDocument => Some(Msg::FieldDocumentHint),
        FormField::HrDocument | FormField::Position | FormField::Rank | FormField::Division => {
            Some(Msg::OptionalHint)
        }
        _ => None,
    };
    text_control(state, field, field == FormField::Reason, hint)
}

/// One row of the form: label, control, error, hint.
fn row(
    state: FormState,
    errors: Memo<Vec<FieldError>>,
    field: FormField,
    control: AnyView,
    hint: AnyView,
) -> impl IntoView {
    let invalid = move || errors.with(|e| state.error_of(e, field).is_some());
    view! {
        <div class="field" class:invalid=invalid data-field=field.name()>
            <label for=format!("apply-{}", field.name())>{t(field.label())}</label>
            {control}
            {field_error(state, errors, field)}
            {hint}
        </div>
    }
}

/// The hint under a field: the deadline under a date that starts one, old → new in a record
/// change.
fn hint(state: FormState, field: FormField) -> AnyView {
    let lang = use_app_context().lang;
    if matches!(field, FormField::LeftOn | FormField::ChangedOn) {
        return (move || {
            let due = state
                .values
                .with(|v| registration::deadline(field, v.get(field)))?;
            let today = registration::today()?;
            let left = today.days_until(due.due);
            let late = left < 0;
            Some(view! {
                <p class="field-hint deadline" id="apply-deadline" data-days-left=left.to_string() class:late=late>
                    {t(Msg::DeadlineDue)} {due.due.to_string()}
                    {move || {
                        if late {
                            format!(
                                " · {}{} · {}",
                                Msg::DeadlineLate.text(lang.get()),
                                -left,
                                Msg::DeadlineLateNote.text(lang.get()),
                            )
                        } else {
                            format!("{}{left}", Msg::DeadlineLeft.text(lang.get()))
                        }
                    }}
                </p>
            })
        })
        .into_any();
    }
    if !PERSON_FIELDS.contains(&field) && !registration::unit_form_fields().contains(&field) {
        return ().into_any();
    }
    (move || {
        if state.kind.get() != ApplicationKind::RecordChange {
            return None;
        }
        let old = state.local.with(|local| {
            state.values.with(|v| {
                local
                    .subject_values(v.get(FormField::Person))
                    .map(|values| values.get(field).to_owned())
            })
        })?;
        let new = state.values.with(|v| v.get(field).to_owned());
        (old.trim() != new.trim()).then(|| {
            let lang = lang.get();
            let shown = |s: &str| {
                if s.is_empty() {
                    Msg::ConfirmNone.text(lang).to_owned()
                } else {
                    registration::display_value(field, s, lang)
                }
            };
            view! {
                <p class="field-hint field-change" data-field=field.name()>
                    <span class="old">{shown(&old)}</span>
                    " → "
                    <span class="new">{shown(&new)}</span>
                </p>
            }
        })
    })
    .into_any()
}

/// Rows of the plain fields `fields`.
fn rows(state: FormState, errors: Memo<Vec<FieldError>>, fields: &[FormField]) -> AnyView {
    fields
        .iter()
        .map(|&field| {
            row(
                state,
                errors,
                field,
                control(state, field),
                hint(state, field),
            )
        })
        .collect_view()
        .into_any()
}

/// The roster as options: name and masked 身份证号.
fn roster_options(state: FormState) -> Options {
    Arc::new(move |_| {
        state.local.with(|local| {
            local
                .roster
                .iter()
                .map(|p| {
                    let id = p.id_number.as_str().to_owned();
                    let label = format!("{}（{}）", p.name, p.id_number.masked());
                    (id, label)
                })
                .collect()
        })
    })
}

/// The usable slips as options: number, category, posts left, validity.
fn slip_options(state: FormState) -> Options {
    Arc::new(move |lang: Lang| {
        state.local.with(|local| {
            local
                .usable_slips()
                .into_iter()
                .map(|s| {
                    let label = format!(
                        "{} · {} · {} {} · {} {}",
                        s.number,
                        lang.pick(s.category.label_zh(), s.category.label_en()),
                        Msg::SlipOption.text(lang),
                        s.remaining().get(),
                        Msg::SlipValidUntil.text(lang),
                        s.valid_until
                    );
                    (s.number.to_string(), label)
                })
                .collect()
        })
    })
}

/// The fields of the kind being filled in.
fn fields_of_kind(state: FormState, errors: Memo<Vec<FieldError>>) -> AnyView {
    let kind = state.kind.get();
    let none = || ().into_any();
    match kind {
        ApplicationKind::QuotaUse => view! {
            {row(state, errors, FormField::Category, control(state, FormField::Category), vacancy_hint(state))}
            <Show when=move || state.values.with(quota_form::needs_funding)>
                {rows(state, errors, &[FormField::Funding])}
            </Show>
            {rows(
                state,
                errors,
                &[FormField::Count, FormField::Recruitment, FormField::Reason, FormField::Document],
            )}
        }
        .into_any(),
        ApplicationKind::Onboarding => view! {
            <Show when=move || state.local.with(|l| l.usable_slips().is_empty())>
                <p class="notice" id="apply-no-slip">{t(Msg::NoUsableSlip)}</p>
            </Show>
            {row(
                state,
                errors,
                FormField::Slip,
                select_control(state, FormField::Slip, slip_options(state)),
                none(),
            )}
            {rows(state, errors, PERSON_FIELDS)}
            {rows(state, errors, &[FormField::HrDocument])}
        }
        .into_any(),
        ApplicationKind::Offboarding => view! {
            {row(
                state,
                errors,
                FormField::Person,
                select_control(state, FormField::Person, roster_options(state)),
                none(),
            )}
            {rows(
                state,
                errors,
                &[FormField::DepartureReason, FormField::LeftOn, FormField::DepartureDocument],
            )}
        }
        .into_any(),
        ApplicationKind::RecordChange => {
            // Choosing the person fills the form with their record, to change.
            let pick = move |ev: leptos::ev::Event| {
                let id = event_target_value(&ev);
                let mut values = state
                    .local
                    .with_untracked(|l| l.subject_values(&id))
                    .unwrap_or_default();
                state.values.with_untracked(|old| {
                    for keep in [FormField::ChangedOn, FormField::ChangeDocument] {
                        values.set(keep, old.get(keep).to_owned());
                    }
                });
                values.set(FormField::Person, id);
                state.values.set(values);
            };
            let chosen = move || state.values.with(|v| !v.get(FormField::Person).is_empty());
            view! {
                <div class="field" data-field="person">
                    <label for="apply-person">{t(Msg::FieldPerson)}</label>
                    <select id="apply-person" name="person" on:change=pick>
                        <option value="" prop:selected=move || !chosen()>{t(Msg::ChooseOption)}</option>
                        <option
                            value=registration::UNIT_SUBJECT
                            prop:selected=move || state.values.with(|v| v.get(FormField::Person) == registration::UNIT_SUBJECT)
                        >
                            {t(Msg::UnitRecordSubject)}
                        </option>
                        {move || {
                            roster_options(state)(Lang::Zh)
                                .into_iter()
                                .map(|(id, label)| {
                                    let selected = {
                                        let id = id.clone();
                                        move || state.values.with(|v| v.get(FormField::Person) == id)
                                    };
                                    view! { <option value=id prop:selected=selected>{label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    {field_error(state, errors, FormField::Person)}
                </div>
                <Show when=chosen>
                    {rows(state, errors, &[FormField::ChangedOn, FormField::ChangeDocument])}
                    {move || {
                        if state.values.with(|v| v.get(FormField::Person) == registration::UNIT_SUBJECT) {
                            rows(state, errors, &registration::unit_form_fields())
                        } else {
                            rows(state, errors, &registration::changeable_fields())
                        }
                    }}
                    {field_error(state, errors, FormField::Changes)}
                </Show>
            }
            .into_any()
        }
    }
}

/// The confirmed vacancy of the chosen category, under it (a hint: the server decides).
fn vacancy_hint(state: FormState) -> AnyView {
    let context = use_app_context();
    let unit = move || {
        context
            .session
            .with(|s| {
                s.as_ref()
                    .and_then(|s| s.holder.unit().map(ToString::to_string))
            })
            .unwrap_or_default()
    };
    let certificate = LocalResource::new(move || {
        let holder = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        let unit = unit();
        let _ = context.sync.with(|s| s.revision);
        async move {
            match holder {
                Some(holder) if !unit.is_empty() => {
                    store::certificate_without_people(&holder, &unit)
                        .await
                        .ok()
                        .flatten()
                }
                _ => None,
            }
        }
    });
    (move || {
        let category = state.values.with(quota_form::category)?;
        let certificate = certificate.get().flatten()?;
        let n = certificate.ledger.figures(category).vacant().get();
        Some(view! {
            <p class="field-hint" id="apply-vacancy" data-vacant=n.to_string()>
                {t(Msg::VacancyConfirmed)} {n} " " {t(Msg::VacancyPosts)}
            </p>
        })
    })
    .into_any()
}

/// The clerk's unit by its name from the store (its id until the store holds it).
fn unit_name(context: AppContext) -> impl IntoView {
    let name = LocalResource::new(move || {
        let holder = context.holder_id();
        let unit = context.session.with(|s| {
            s.as_ref()
                .and_then(|s| s.holder.unit().map(ToString::to_string))
        });
        let _ = context.sync.with(|s| s.revision);
        async move {
            let unit = unit?;
            let units = match holder {
                Some(holder) => store::units(&holder).await.unwrap_or_default(),
                None => Vec::new(),
            };
            Some(
                units
                    .into_iter()
                    .find(|u| u.unit_id == unit)
                    .map_or(unit, |u| u.name),
            )
        }
    });
    move || name.get().flatten().unwrap_or_default()
}

/// Saves the form as a draft a moment after the last keystroke.
fn save_draft_soon(context: AppContext, state: FormState) {
    let values = state.values.get_untracked();
    if values.is_empty() || state.step.get_untracked() != Step::Edit {
        return;
    }
    let timeout = gloo_timers::callback::Timeout::new(400, move || {
        let Some(holder) = context.holder_id() else {
            return;
        };
        let id = match state.draft.get_untracked() {
            Some(id) => id,
            None => match crate::ids::random_uuid() {
                Ok(id) => {
                    state.draft.set(Some(id.clone()));
                    id
                }
                Err(_) => return,
            },
        };
        let draft = Draft {
            id,
            kind: state.kind.get_untracked().code().to_owned(),
            values: state.values.get_untracked(),
            updated_at: crate::clock::now()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            revises: state.revising.get_untracked(),
        };
        spawn_local(async move {
            if store::save_draft(&holder, &draft).await.is_ok() {
                state.saved_at.set(Some(draft.updated_at.clone()));
                if let Ok(drafts) = store::drafts(&holder).await {
                    state.drafts.set(drafts);
                }
            }
        });
    });
    state.timer.set_value(Some(timeout));
}

/// The application form.
#[component]
pub(super) fn ApplicationForm(state: FormState) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let errors = Memo::new(move |_| state.parse().err().unwrap_or_default());
    // Typing saves the draft (not on the first run: nothing was typed yet).
    Effect::new(move |first: Option<()>| {
        state.values.track();
        if first.is_some() {
            save_draft_soon(context, state);
        }
    });

    let next = move |ev: SubmitEvent| {
        ev.prevent_default();
        state.signed.set(None);
        state.error.set(None);
        state.show_all.set(true);
        let Ok((payload, summary)) = state.local.with_untracked(|local| {
            state.values.with_untracked(|values| {
                super::form_state::parse(state.kind.get_untracked(), values, local)
            })
        }) else {
            return;
        };
        let Some(session) = context.session.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match signing::prepare(&session, payload, summary).await {
                Ok(prepared) => {
                    if state.prepared.try_set(Some(prepared)).is_none() {
                        state.step.set(Step::Confirm);
                    }
                }
                Err(e) => {
                    let _ = state.error.try_set(Some(e));
                }
            }
        });
    };
    let editing = move || state.step.get() == Step::Edit;
    let signed_waiting = move || {
        let id = state.signed.get()?;
        context.outbox.with(|items| {
            items
                .iter()
                .any(|i| i.application_id == id && i.status == ItemStatus::Pending)
                .then_some(())
        })
    };

    view! {
        <form
            id="apply-form"
            class="form"
            class:hidden=move || !editing()
            data-kind=move || state.kind.get().code()
            on:submit=next
            novalidate=true
        >
            <Show when=move || state.revising.with(Option::is_some)>
                <p class="notice" id="apply-revising">{t(Msg::Revising)}</p>
            </Show>
            <p class="form-unit">
                {t(Msg::ApplyUnit)} "：" <span id="apply-unit">{unit_name(context)}</span>
            </p>
            {move || fields_of_kind(state, errors)}
            <Show when=move || state.show_all.get() && errors.with(|e| !e.is_empty())>
                <p class="error" id="apply-form-errors" role="alert">
                    {t(Msg::FormHasErrors)}
                </p>
            </Show>
            <div class="button-row">
                <button type="submit" class="primary" id="apply-next">
                    {t(Msg::ApplyNext)}
                </button>
                {move || {
                    state
                        .saved_at
                        .get()
                        .map(|at| {
                            view! {
                                <span class="muted" id="draft-saved" data-saved-at=at.clone()>
                                    {t(Msg::DraftSaved)} " " {crate::clock::beijing_time(&at)}
                                </span>
                            }
                        })
                }}
            </div>
        </form>
        {move || (state.step.get() == Step::Confirm).then(|| view! { <Confirmation state=state/> })}
        <Show when=move || signed_waiting().is_some()>
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
