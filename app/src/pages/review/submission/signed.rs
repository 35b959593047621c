//! What the clerk signed, on the submission screen: the application as a form (each field of
//! its payload with its label — for an onboarding the slip it uses, for an offboarding or a
//! record change the person's current record beside the change), who signed with which key
//! and when, that the server verified the signature, the late flag, the decisions so far; the
//! canonical JSON behind a toggle.

use domain::certificate::Certificate;
use domain::payload::{ApplicationPayload, ChangeSubject};
use domain::person::Person;
use domain::{Action, Role};
use leptos::prelude::*;

use crate::applications::registration;
use crate::applications::tracked::TrackedApplication;
use crate::clock::beijing_time as local_time;
use crate::i18n::{Lang, Msg, t};
use crate::state::AppContext;

/// One labelled value.
fn field(name: &'static str, label: Msg, value: String) -> AnyView {
    view! {
        <div class="confirm-row" data-field=name>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
    .into_any()
}

/// One labelled value in both languages (a domain label).
fn labelled(
    name: &'static str,
    label: Msg,
    lang: RwSignal<Lang>,
    zh: &'static str,
    en: &'static str,
) -> AnyView {
    view! {
        <div class="confirm-row" data-field=name>
            <dt>{t(label)}</dt>
            <dd>{move || lang.get().pick(zh, en)}</dd>
        </div>
    }
    .into_any()
}

fn or_none(value: Option<String>) -> String {
    value.unwrap_or_else(|| "—".to_owned())
}

/// The signed document section; `certificate`: the unit's, with its people, if stored.
pub(super) fn signed_document(
    context: AppContext,
    application: &TrackedApplication,
    certificate: Option<Certificate>,
) -> impl IntoView + use<> {
    let lang = context.lang;
    let Some(text) = application.envelope.as_ref().map(|e| e.get().to_owned()) else {
        return view! {
            <section class="signed-document" id="signed-document">
                <p class="muted">{t(Msg::SubmissionNoDocument)}</p>
            </section>
        }
        .into_any();
    };
    let show_json = RwSignal::new(false);
    let staff: &[Person] = certificate.as_ref().map_or(&[], |c| &c.staff);
    let fields: Vec<AnyView> = match application.payload() {
        Some(payload) => payload_fields(lang, &payload, staff, certificate.as_ref()),
        None => Vec::new(),
    };
    let key = application
        .credential_id
        .chars()
        .take(16)
        .collect::<String>();
    let verified = !application.received_at.is_empty();
    let late = application.late.then(|| {
        let days = application.days_overdue;
        let due = application.due_on.clone().unwrap_or_default();
        view! {
            <p class="late" id="submission-late" data-days-overdue=days.to_string()>
                {t(Msg::DocLate)} {days} " " {t(Msg::DocDays)} " (" {t(Msg::DocDueOn)} {due} ")"
            </p>
        }
    });
    let history = application
        .decisions
        .iter()
        .map(|d| {
            let action = Action::from_code(&d.action);
            let role = Role::from_code(&d.decider_role);
            let line = format!("{} · {}", local_time(&d.signed_at), d.decider_name);
            let note = d.note.clone();
            view! {
                <li data-action=d.action.clone()>
                    {move || action.map(|a| lang.get().pick(a.label_zh(), a.label_en())).unwrap_or_default()}
                    " · " {move || role.map(|r| lang.get().pick(r.label_zh(), r.label_en())).unwrap_or_default()}
                    " " {line} {(!note.is_empty()).then(|| format!(" · {note}"))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="signed-document" id="signed-document">
            <h2>{t(Msg::DocTitle)}</h2>
            {late}
            <dl class="confirm-fields" id="signed-fields">
                {fields}
                {field("signer", Msg::ConfirmSigner, format!("{} ({})", application.signer_name, application.signer_id))}
                {field("key", Msg::DocKey, format!("{key}…"))}
                {field("signed-at", Msg::SignedAt, local_time(&application.signed_at))}
                <div class="confirm-row" data-field="verified">
                    <dt>{t(Msg::DocReceived)}</dt>
                    <dd>
                        {local_time(&application.received_at)} " "
                        {verified.then(|| view! { <span class="verified" id="signature-verified">{t(Msg::DocVerified)}</span> })}
                    </dd>
                </div>
            </dl>
            {(!application.decisions.is_empty())
                .then(|| {
                    view! {
                        <h3>{t(Msg::DocDecisions)}</h3>
                        <ul class="decision-list" id="decision-history">{history}</ul>
                    }
                })}
            <button
                type="button"
                class="secondary"
                id="signed-json-toggle"
                on:click=move |_| show_json.update(|s| *s = !*s)
            >
                {move || if show_json.get() { Msg::HideJson } else { Msg::ShowJson }.text(lang.get())}
            </button>
            <Show when=move || show_json.get()>
                <pre class="canonical" id="signed-json">{text.clone()}</pre>
            </Show>
        </section>
    }
    .into_any()
}

/// The payload's fields, in the order of its form.
fn payload_fields(
    lang: RwSignal<Lang>,
    payload: &ApplicationPayload,
    staff: &[Person],
    certificate: Option<&Certificate>,
) -> Vec<AnyView> {
    match payload {
        ApplicationPayload::QuotaUse(r) => {
            let mut out = vec![labelled(
                "category",
                Msg::FieldCategory,
                lang,
                r.category.label_zh(),
                r.category.label_en(),
            )];
            if let Some(f) = r.funding_form {
                out.push(labelled(
                    "funding",
                    Msg::FieldFunding,
                    lang,
                    f.label_zh(),
                    f.label_en(),
                ));
            }
            out.push(field("count", Msg::FieldCount, r.count.get().to_string()));
            out.push(labelled(
                "recruitment",
                Msg::FieldRecruitment,
                lang,
                r.recruitment.label_zh(),
                r.recruitment.label_en(),
            ));
            out.push(field("reason", Msg::FieldReason, r.reason.clone()));
            out.push(field(
                "document",
                Msg::FieldDocument,
                or_none(r.request_document.as_ref().map(ToString::to_string)),
            ));
            out
        }
        ApplicationPayload::Onboarding(r) => {
            let slip = certificate.and_then(|c| c.slips.iter().find(|s| s.number == r.slip_number));
            let mut out = vec![field(
                "slip",
                Msg::DocSlip,
                match slip {
                    Some(s) => format!(
                        "{} · {} · {} {}/{} · {} {}",
                        s.number,
                        lang.get_untracked()
                            .pick(s.category.label_zh(), s.category.label_en()),
                        Msg::DocSlipLeft.text(lang.get_untracked()),
                        s.remaining().get(),
                        s.count.get(),
                        Msg::DocValidUntil.text(lang.get_untracked()),
                        s.valid_until
                    ),
                    None => r.slip_number.to_string(),
                },
            )];
            out.extend(person_fields(lang, &r.person));
            out.push(field(
                "hr-document",
                Msg::DocHrDocument,
                or_none(r.hr_document.as_ref().map(ToString::to_string)),
            ));
            out
        }
        ApplicationPayload::Offboarding(r) => {
            let mut out = vec![
                field("id-number", Msg::DocIdNumber, r.id_number.masked()),
                labelled(
                    "reason",
                    Msg::DocDepartureReason,
                    lang,
                    r.reason.label_zh(),
                    r.reason.label_en(),
                ),
                field("left-on", Msg::DocLeftOn, r.left_on.to_string()),
                field("document", Msg::FieldDocument, r.document.to_string()),
            ];
            out.push(current_record(
                lang,
                staff.iter().find(|p| p.id_number == r.id_number),
            ));
            out
        }
        ApplicationPayload::RecordChange(r) => {
            let mut out = Vec::new();
            let person = match &r.subject {
                ChangeSubject::Unit => {
                    out.push(field(
                        "subject",
                        Msg::DocSubject,
                        Msg::DocSubjectUnit.text(lang.get_untracked()).to_owned(),
                    ));
                    None
                }
                ChangeSubject::Person { id_number } => {
                    out.push(field("subject", Msg::DocSubject, id_number.masked()));
                    Some(staff.iter().find(|p| &p.id_number == id_number))
                }
            };
            out.push(field(
                "changed-on",
                Msg::DocChangedOn,
                r.changed_on.to_string(),
            ));
            for change in &r.changes {
                out.push(field(
                    "change",
                    Msg::DocChange,
                    format!(
                        "{}: {} → {}",
                        registration::change_label(lang.get_untracked(), &r.subject, &change.field),
                        or_none(change.before.clone()),
                        or_none(change.after.clone())
                    ),
                ));
            }
            out.push(field(
                "document",
                Msg::FieldDocument,
                or_none(r.document.as_ref().map(ToString::to_string)),
            ));
            if let Some(person) = person {
                out.push(current_record(lang, person));
            }
            out
        }
    }
}

/// A person's particulars as signed (onboarding).
fn person_fields(lang: RwSignal<Lang>, p: &Person) -> Vec<AnyView> {
    let mut out = vec![
        field("name", Msg::RosterName, p.name.to_string()),
        labelled(
            "sex",
            Msg::RosterSex,
            lang,
            p.sex.label_zh(),
            p.sex.label_en(),
        ),
        field("id-number", Msg::DocIdNumber, p.id_number.masked()),
        field("birth-date", Msg::DocBirthDate, p.birth_date.to_string()),
        labelled(
            "category",
            Msg::RosterCategory,
            lang,
            p.category.label_zh(),
            p.category.label_en(),
        ),
    ];
    if let Some(f) = p.funding_form {
        out.push(labelled(
            "funding",
            Msg::FieldFunding,
            lang,
            f.label_zh(),
            f.label_en(),
        ));
    }
    out.push(field(
        "division",
        Msg::RosterDivision,
        or_none(p.division.as_ref().map(ToString::to_string)),
    ));
    out.push(field(
        "position",
        Msg::RosterPosition,
        or_none(p.position.clone()),
    ));
    out.push(labelled(
        "entry-form",
        Msg::DocEntryForm,
        lang,
        p.entry_form.label_zh(),
        p.entry_form.label_en(),
    ));
    out.push(field(
        "enrolled-on",
        Msg::DocEnrolledOn,
        p.enrolled_on.to_string(),
    ));
    out
}

/// The person's current record, beside the change (offboarding, record change).
fn current_record(lang: RwSignal<Lang>, person: Option<&Person>) -> AnyView {
    let text = match person {
        None => Msg::DocNotOnStaff.text(lang.get_untracked()).to_owned(),
        Some(p) => format!(
            "{} · {} · {} · {} · {}",
            p.name,
            lang.get_untracked()
                .pick(p.category.label_zh(), p.category.label_en()),
            p.division
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            p.position.clone().unwrap_or_default(),
            p.enrolled_on
        ),
    };
    field("current-record", Msg::DocCurrentRecord, text)
}
