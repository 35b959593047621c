//! A person's own page (`/person/<unit>#<身份证号>`): the whole record on one page — the one
//! place the 身份证号 is shown unmasked —, how they left if they did, the slip and notice they
//! came in on (and the documents issued about them), and the history of their record's approved
//! changes (old → new). From the store: offline too.

use domain::IssuedDocumentKind;
use domain::certificate::Certificate;
use domain::person::Person;
use leptos::prelude::*;

use super::sections::{entry, entry_label, or_none};
use crate::applications::registration::change_label;
use crate::components::table::{Cell, Row, Table};
use crate::i18n::{Msg, t};
use crate::state::use_app_context;
use crate::store;

/// The person's page; the route is `/person/…`.
#[component]
pub fn PersonPage() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let path = crate::router::use_path();
    let hash = crate::router::use_hash();
    let unit = Memo::new(move |_| {
        path.with(|p| {
            p.strip_prefix("/person/")
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_owned()
        })
    });
    let id = Memo::new(move |_| hash.with(|h| h.trim_start_matches('#').to_ascii_uppercase()));
    let revision = move || context.sync.with(|s| s.revision);
    let certificate = LocalResource::new(move || {
        let holder = context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.id.clone()));
        let unit = unit.get();
        let _ = revision();
        async move {
            match holder {
                Some(holder) if !unit.is_empty() => store::certificate(&holder, &unit).await,
                _ => Ok(None),
            }
        }
    });
    view! {
        <section class="card person-page" id="person">
            <p class="no-print">
                <a href=move || format!("/certificate/{}/staff", unit.get()) id="person-back">
                    {t(Msg::PersonBack)}
                </a>
            </p>
            {move || match certificate.get() {
                None => view! { <p class="muted">{t(Msg::RosterLoading)}</p> }.into_any(),
                Some(Err(e)) => {
                    view! { <p class="error" role="alert">{move || e.text(lang.get())}</p> }.into_any()
                }
                Some(Ok(c)) => {
                    let id = id.get();
                    match c.as_ref().and_then(|c| find(c, &id)) {
                        Some(view) => view,
                        None => view! {
                            <h1>{t(Msg::PersonTitle)}</h1>
                            <p class="muted empty" id="person-missing">{t(Msg::PersonNotFound)}</p>
                        }
                        .into_any(),
                    }
                }
            }}
        </section>
    }
}

/// The page of the person `id` of `c` (on the staff, else among the departed).
fn find(c: &Certificate, id: &str) -> Option<AnyView> {
    if let Some(p) = c.staff.iter().find(|p| p.id_number.as_str() == id) {
        return Some(page(c, p, None));
    }
    let d = c
        .departed
        .iter()
        .find(|d| d.person.id_number.as_str() == id)?;
    let departure: Vec<AnyView> = vec![
        entry_label(
            "departure-reason",
            Msg::FieldDepartureReason,
            d.reason.label_zh(),
            d.reason.label_en(),
        ),
        entry("left-on", Msg::FieldLeftOn, d.left_on.to_string()),
        entry(
            "departure-document",
            Msg::FieldDepartureDocument,
            d.document.to_string(),
        ),
        entry(
            "approval",
            Msg::FieldApproval,
            or_none(d.approval.as_ref().map(ToString::to_string)),
        ),
    ];
    let left = view! {
        <h2>{t(Msg::PersonDeparted)}</h2>
        <dl class="record" id="person-departure">
            {departure}
        </dl>
    }
    .into_any();
    Some(page(c, &d.person, Some(left)))
}

fn page(c: &Certificate, p: &Person, left: Option<AnyView>) -> AnyView {
    let lang = use_app_context().lang;
    let opt = |v: &Option<String>| or_none(v.clone());
    let date = |d: Option<domain::Date>| or_none(d.map(|d| d.to_string()));
    let doc = |d: &Option<domain::DocumentNumber>| or_none(d.as_ref().map(ToString::to_string));
    // The documents issued about this person, and the slip they came in on.
    let slip = p.slip_number.as_ref().map(ToString::to_string);
    let mut documents: Vec<(IssuedDocumentKind, String, String, String)> = c
        .issued
        .iter()
        .filter(|d| {
            d.person
                .as_ref()
                .is_some_and(|n| n.id_number == p.id_number)
                || slip.as_deref() == Some(d.number.as_str())
        })
        .map(|d| {
            (
                d.kind,
                d.number.to_string(),
                d.issued_on.to_string(),
                d.approver_name.clone(),
            )
        })
        .collect();
    if let Some(slip) = slip
        && !documents.iter().any(|d| d.1 == slip)
    {
        documents.push((
            IssuedDocumentKind::QuotaUseSlip,
            slip,
            String::new(),
            String::new(),
        ));
    }
    let changes: Vec<_> = c
        .record_changes
        .iter()
        .filter(|e| e.is_about(&p.id_number))
        .cloned()
        .collect();
    let change_rows = Signal::derive(move || {
        let lang = lang.get();
        changes
            .iter()
            .flat_map(|e| {
                e.changes.iter().map(move |f| {
                    Row::new(
                        e.application_id.to_string(),
                        vec![
                            Cell::text(e.changed_on.to_string()),
                            Cell::text(change_label(lang, &e.subject, &f.field)),
                            Cell::text(or_none(f.before.clone())),
                            Cell::text(or_none(f.after.clone())),
                            Cell::text(or_none(e.document.as_ref().map(ToString::to_string))),
                            Cell::text(format!("{} {}", e.approved_on, e.approver_name)),
                        ],
                    )
                })
            })
            .collect()
    });
    let documents = Signal::derive(move || {
        let lang = lang.get();
        documents
            .iter()
            .map(|(kind, number, on, by)| {
                Row::new(
                    number.clone(),
                    vec![
                        Cell::text(lang.pick(kind.label_zh(), kind.label_en())),
                        Cell::text(number.clone()),
                        Cell::text(on.clone()),
                        Cell::text(by.clone()),
                    ],
                )
            })
            .collect()
    });
    let record: Vec<AnyView> = vec![
        entry("id-number", Msg::FieldIdNumber, p.id_number.to_string()),
        entry("name", Msg::FieldName, p.name.to_string()),
        entry_label("sex", Msg::FieldSex, p.sex.label_zh(), p.sex.label_en()),
        entry("birth-date", Msg::FieldBirthDate, p.birth_date.to_string()),
        entry("ethnicity", Msg::FieldEthnicity, p.ethnicity.clone()),
        entry(
            "native-place",
            Msg::FieldNativePlace,
            p.native_place.clone(),
        ),
        entry_label(
            "political-status",
            Msg::FieldPoliticalStatus,
            p.political_status.label_zh(),
            p.political_status.label_en(),
        ),
        entry_label(
            "education",
            Msg::FieldEducation,
            p.education.label_zh(),
            p.education.label_en(),
        ),
        entry_label(
            "degree",
            Msg::FieldDegree,
            p.degree.label_zh(),
            p.degree.label_en(),
        ),
        entry(
            "division",
            Msg::FieldDivision,
            or_none(p.division.as_ref().map(ToString::to_string)),
        ),
        entry_label(
            "category",
            Msg::FieldCategory,
            p.category.label_zh(),
            p.category.label_en(),
        ),
        match p.funding_form {
            Some(f) => entry_label("funding", Msg::FieldFunding, f.label_zh(), f.label_en()),
            None => entry("funding", Msg::FieldFunding, "—".into()),
        },
        entry_label(
            "personnel-class",
            Msg::FieldPersonnelClass,
            p.personnel_class.label_zh(),
            p.personnel_class.label_en(),
        ),
        entry("position", Msg::FieldPosition, opt(&p.position)),
        entry("rank", Msg::FieldRank, opt(&p.rank)),
        entry_label(
            "post-category",
            Msg::FieldPostCategory,
            p.post_category.label_zh(),
            p.post_category.label_en(),
        ),
        entry_label(
            "entry-form",
            Msg::FieldEntryForm,
            p.entry_form.label_zh(),
            p.entry_form.label_en(),
        ),
        entry(
            "enrolled-on",
            Msg::FieldEnrolledOn,
            p.enrolled_on.to_string(),
        ),
        entry(
            "enrolment-document",
            Msg::FieldEnrolmentDocument,
            doc(&p.enrolment_document),
        ),
        entry(
            "started-work-on",
            Msg::FieldStartedWorkOn,
            date(p.started_work_on),
        ),
        entry(
            "current-post-since",
            Msg::FieldCurrentPostSince,
            date(p.current_post_since),
        ),
        entry("slip", Msg::FieldSlip, doc(&p.slip_number)),
    ];
    view! {
        <h1 id="person-name">{p.name.to_string()}</h1>
        <p class="muted">{c.unit.name.to_string()}</p>
        <dl class="record" id="person-record" data-id=p.id_number.as_str().to_owned()>
            {record}
        </dl>
        {left}
        <h2>{t(Msg::PersonDocuments)}</h2>
        <Table
            id="person-documents"
            columns=Signal::derive(|| vec![Msg::DocKind, Msg::DocNumberCol, Msg::DocIssuedOn, Msg::PrintDecider])
            rows=documents
            empty=Msg::PersonNoDocuments
        />
        <h2>{t(Msg::PersonHistory)}</h2>
        <Table
            id="person-changes"
            columns=Signal::derive(|| vec![Msg::FieldChangedOn, Msg::FieldChanges, Msg::ChangeBefore, Msg::ChangeAfter, Msg::FieldChangeDocument, Msg::ChangeApproved])
            rows=change_rows
            empty=Msg::PersonNoChanges
        />
    }
    .into_any()
}
