//! 确认签名内容: exactly what will be signed, as a readable form (the canonical JSON behind a
//! toggle), then signing with the security key and keeping the result in the outbox (no server
//! needed).

use domain::payload::{ApplicationPayload, ChangeSubject};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form_state::{FormState, Step};
use crate::applications::form::{FormField, Values};
use crate::applications::outbox::OutboxItem;
use crate::applications::registration::{self, LocalCopy, PERSON_FIELDS};
use crate::applications::signing;
use crate::i18n::{Lang, Msg, t};
use crate::state::{AppContext, use_app_context};
use crate::store;

/// One row of what is signed: its `data-field`, label and value.
pub(crate) struct Row {
    pub(crate) name: &'static str,
    pub(crate) label: String,
    pub(crate) value: String,
}

fn field_row(field: FormField, values: &Values, lang: Lang) -> Row {
    let value = values.get(field);
    Row {
        name: field.name(),
        label: field.label().text(lang).to_owned(),
        value: if value.is_empty() {
            Msg::ConfirmNone.text(lang).to_owned()
        } else {
            registration::display_value(field, value, lang)
        },
    }
}

/// The payload as rows of a form, in `lang`: every field it carries. A 身份证号 is masked
/// (`IdNumber::masked`) but one the clerk typed into this form when `typed_whole` (the
/// confirmation before signing, which shows what is signed).
pub(crate) fn payload_rows(
    payload: &ApplicationPayload,
    local: &LocalCopy,
    lang: Lang,
    typed_whole: bool,
) -> Vec<Row> {
    let values = super::form_state::values_of(payload, local);
    let fields: Vec<FormField> = match payload {
        ApplicationPayload::QuotaUse(_) => vec![
            FormField::Category,
            FormField::Funding,
            FormField::Count,
            FormField::Recruitment,
            FormField::Reason,
            FormField::Document,
        ],
        ApplicationPayload::Onboarding(request) => {
            let mut rows = vec![field_row(FormField::Slip, &values, lang)];
            let category = request.person.category;
            rows.push(Row {
                name: "category",
                label: FormField::Category.label().text(lang).to_owned(),
                value: lang
                    .pick(category.label_zh(), category.label_en())
                    .to_owned(),
            });
            rows.extend(PERSON_FIELDS.iter().map(|f| {
                let mut row = field_row(*f, &values, lang);
                if *f == FormField::IdNumber && !typed_whole {
                    row.value = request.person.id_number.masked();
                }
                row
            }));
            rows.push(field_row(FormField::HrDocument, &values, lang));
            return rows;
        }
        ApplicationPayload::Offboarding(_) => vec![
            FormField::Person,
            FormField::DepartureReason,
            FormField::LeftOn,
            FormField::DepartureDocument,
        ],
        ApplicationPayload::RecordChange(request) => {
            let mut rows = vec![
                person_row(&request.subject, local, lang),
                field_row(FormField::ChangedOn, &values, lang),
                field_row(FormField::ChangeDocument, &values, lang),
            ];
            rows.extend(request.changes.iter().map(|change| {
                let field = registration::field_of_change(&request.subject, &change.field);
                let shown = |v: &Option<String>| match (v, field) {
                    (None, _) => Msg::ConfirmNone.text(lang).to_owned(),
                    (Some(v), Some(f)) => registration::display_value(f, v, lang),
                    (Some(v), None) => v.clone(),
                };
                Row {
                    name: "change",
                    label: field
                        .map_or_else(|| change.field.clone(), |f| f.label().text(lang).to_owned()),
                    value: format!("{} → {}", shown(&change.before), shown(&change.after)),
                }
            }));
            return rows;
        }
    };
    fields
        .into_iter()
        .map(|f| {
            if f == FormField::Person {
                let id = values.get(f);
                return person_row(
                    &ChangeSubject::Person {
                        id_number: match domain::IdNumber::parse(id) {
                            Ok(id) => id,
                            Err(_) => return field_row(f, &values, lang),
                        },
                    },
                    local,
                    lang,
                );
            }
            field_row(f, &values, lang)
        })
        .collect()
}

fn person_row(subject: &ChangeSubject, local: &LocalCopy, lang: Lang) -> Row {
    let value = match subject {
        ChangeSubject::Unit => Msg::UnitRecordSubject.text(lang).to_owned(),
        ChangeSubject::Person { id_number } => match local.person(id_number.as_str()) {
            Some(p) => format!("{}（{}）", p.name, id_number.masked()),
            None => id_number.masked(),
        },
    };
    let label = match subject {
        ChangeSubject::Unit => Msg::DocSubject,
        ChangeSubject::Person { .. } => FormField::Person.label(),
    };
    Row {
        name: "person",
        label: label.text(lang).to_owned(),
        value,
    }
}

/// The rows as a definition list.
pub(crate) fn rows_view(rows: Vec<Row>) -> impl IntoView {
    rows.into_iter()
        .map(|r| {
            view! {
                <div class="confirm-row" data-field=r.name>
                    <dt>{r.label}</dt>
                    <dd>{r.value}</dd>
                </div>
            }
        })
        .collect_view()
}

/// 确认签名内容: every field that will be signed, and the canonical text itself.
#[component]
pub(super) fn Confirmation(state: FormState) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let Some(prepared) = state.prepared.get_untracked() else {
        return ().into_any();
    };
    let envelope = prepared.envelope.clone();
    let signer = context
        .session
        .get_untracked()
        .map(|s| format!("{}（{}）", s.holder.name, s.holder.login))
        .unwrap_or_else(|| envelope.signer.to_string());
    let kind = envelope.kind;
    let unit_id = envelope.unit.to_string();
    let unit_name = LocalResource::new(move || {
        let holder = context.holder_id();
        let unit_id = unit_id.clone();
        async move {
            let units = store::units(&holder?).await.ok()?;
            units
                .into_iter()
                .find(|u| u.unit_id == unit_id)
                .map(|u| u.name)
        }
    });
    let created = crate::clock::beijing_time(&envelope.created_at.to_string());
    let application_id = envelope.application_id.to_string();
    let payload = prepared.payload.clone();
    let rows = move || {
        let lang = lang.get();
        let mut rows = vec![
            Row {
                name: "unit",
                label: Msg::ApplyUnit.text(lang).to_owned(),
                value: unit_name
                    .get()
                    .flatten()
                    .unwrap_or_else(|| envelope.unit.to_string()),
            },
            Row {
                name: "kind",
                label: Msg::ConfirmKind.text(lang).to_owned(),
                value: lang.pick(kind.label_zh(), kind.label_en()).to_owned(),
            },
        ];
        rows.extend(
            state
                .local
                .with(|local| payload_rows(&payload, local, lang, true)),
        );
        rows.extend([
            Row {
                name: "created-at",
                label: Msg::ConfirmCreatedAt.text(lang).to_owned(),
                value: created.clone(),
            },
            Row {
                name: "application-id",
                label: Msg::ConfirmApplicationId.text(lang).to_owned(),
                value: application_id.clone(),
            },
            Row {
                name: "signer",
                label: Msg::ConfirmSigner.text(lang).to_owned(),
                value: signer.clone(),
            },
        ]);
        rows_view(rows)
    };

    let sign = move |_| {
        if state.signing.get_untracked() {
            return;
        }
        let (Some(prepared), Some(session)) = (
            state.prepared.get_untracked(),
            context.session.get_untracked(),
        ) else {
            return;
        };
        state.signing.set(true);
        state.error.set(None);
        spawn_local(async move {
            let revises = state.revising.get_untracked();
            let outcome = signing::sign_and_store(&prepared, &session, revises.as_deref()).await;
            // The page may be gone by now: what was signed is stored all the same.
            let gone = state.signing.try_set(false).is_some();
            match outcome {
                Ok(items) => {
                    let id = prepared.envelope.application_id.to_string();
                    signed(context, state, items, id, gone).await;
                }
                Err(e) => {
                    let _ = state.error.try_set(Some(e));
                }
            }
        });
    };

    view! {
        <section class="confirm" id="confirm">
            <h2>{t(Msg::ConfirmTitle)}</h2>
            <p>{t(Msg::ConfirmIntro)}</p>
            <dl class="confirm-fields">{rows}</dl>
            <details class="canonical-toggle">
                <summary>{t(Msg::ConfirmCanonical)}</summary>
                <pre class="canonical" id="confirm-canonical">{prepared.text()}</pre>
            </details>
            <div class="button-row">
                <button
                    type="button"
                    class="secondary"
                    id="confirm-back"
                    disabled=move || state.signing.get()
                    on:click=move |_| {
                        state.step.set(Step::Edit);
                        state.prepared.set(None);
                        state.error.set(None);
                    }
                >
                    {t(Msg::ConfirmBack)}
                </button>
                <button
                    type="button"
                    class="primary"
                    id="confirm-sign"
                    disabled=move || state.signing.get()
                    on:click=sign
                >
                    {t(Msg::ConfirmSign)}
                </button>
            </div>
            <Show when=move || state.signing.get()>
                <p class="progress" id="sign-progress" role="status">
                    {t(Msg::ProgressTouchKey)}
                </p>
            </Show>
        </section>
    }
    .into_any()
}

/// After a signature was stored: the draft goes, the list shows it, a new form of the same
/// kind starts, the queue is sent.
async fn signed(
    context: AppContext,
    state: FormState,
    items: Vec<OutboxItem>,
    id: String,
    gone: bool,
) {
    context.outbox.set(items);
    crate::sync::kick(context);
    if gone {
        return;
    }
    let draft = state.draft.get_untracked();
    state.start(state.kind.get_untracked());
    state.signed.set(Some(id));
    if let (Some(holder), Some(draft)) = (context.holder_id(), draft) {
        let _ = store::discard_draft(&holder, &draft).await;
        if let Ok(drafts) = store::drafts(&holder).await {
            let _ = state.drafts.try_set(drafts);
        }
    }
}
