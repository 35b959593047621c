//! The signals of the application form and its confirmation, shared by the parts of the page,
//! and what they derive: the errors of the values as typed, from the kind's parser.

use domain::ApplicationKind;
use domain::payload::ApplicationPayload;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use crate::applications::form::{FieldError, FormField, Values};
use crate::applications::registration::{self, LocalCopy};
use crate::applications::signing::{Prepared, SigningError};
use crate::applications::{outbox::OutboxItem, quota_form};
use crate::store::Draft;

/// Where the form stands.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Edit,
    Confirm,
}

/// The signals of the form and its confirmation.
#[derive(Clone, Copy)]
pub(super) struct FormState {
    pub(super) kind: RwSignal<ApplicationKind>,
    pub(super) values: RwSignal<Values>,
    /// The draft the form is saved as (once something was typed).
    pub(super) draft: RwSignal<Option<String>>,
    /// Show every error, typed or not (after "next").
    pub(super) show_all: RwSignal<bool>,
    pub(super) step: RwSignal<Step>,
    pub(super) prepared: RwSignal<Option<Prepared>>,
    pub(super) signing: RwSignal<bool>,
    pub(super) error: RwSignal<Option<SigningError>>,
    /// The application just signed (the success message shows while it waits to be sent).
    pub(super) signed: RwSignal<Option<String>>,
    /// The form holds this application (not accepted, or returned) being revised.
    pub(super) revising: RwSignal<Option<String>>,
    /// What the local copy holds that the forms need.
    pub(super) local: RwSignal<LocalCopy>,
    /// The holder's drafts, newest first.
    pub(super) drafts: RwSignal<Vec<Draft>>,
    /// When the form's draft was last saved (RFC 3339).
    pub(super) saved_at: RwSignal<Option<String>>,
    /// The pending save of the draft (typing restarts it).
    pub(super) timer: StoredValue<Option<Timeout>, LocalStorage>,
}

impl FormState {
    pub(super) fn new() -> Self {
        FormState {
            kind: RwSignal::new(ApplicationKind::QuotaUse),
            values: RwSignal::new(Values::default()),
            draft: RwSignal::new(None),
            show_all: RwSignal::new(false),
            step: RwSignal::new(Step::Edit),
            prepared: RwSignal::new(None),
            signing: RwSignal::new(false),
            error: RwSignal::new(None),
            signed: RwSignal::new(None),
            revising: RwSignal::new(None),
            local: RwSignal::new(LocalCopy::default()),
            drafts: RwSignal::new(Vec::new()),
            saved_at: RwSignal::new(None),
            timer: StoredValue::new_local(None),
        }
    }

    /// The payload and summary the values make, or every error (tracked).
    pub(super) fn parse(&self) -> Result<(ApplicationPayload, String), Vec<FieldError>> {
        let kind = self.kind.get();
        self.local
            .with(|local| self.values.with(|values| parse(kind, values, local)))
    }

    /// The error of `field` to show now: once something is typed in it, or after "next".
    pub(super) fn error_of(&self, errors: &[FieldError], field: FormField) -> Option<FieldError> {
        let typed = self.values.with(|v| !v.get(field).is_empty());
        let always = field == FormField::Changes;
        errors
            .iter()
            .find(|e| e.field == field)
            .filter(|_| typed || always || self.show_all.get())
            .cloned()
    }

    /// An empty form of `kind` (what was typed before stays in its draft).
    pub(super) fn start(&self, kind: ApplicationKind) {
        self.timer.set_value(None);
        self.saved_at.set(None);
        self.kind.set(kind);
        self.values.set(Values::default());
        self.draft.set(None);
        self.reset_flow();
        self.revising.set(None);
    }

    /// Back to editing, nothing prepared, no error shown.
    pub(super) fn reset_flow(&self) {
        self.show_all.set(false);
        self.prepared.set(None);
        self.step.set(Step::Edit);
        self.error.set(None);
        self.signed.set(None);
    }

    /// The form filled from `item`'s signed payload, to revise it and sign again.
    pub(super) fn revise(&self, item: &OutboxItem) -> bool {
        let Some(payload) = item.payload() else {
            return false;
        };
        let values = self
            .local
            .with_untracked(|local| values_of(&payload, local));
        self.start(payload.kind());
        self.values.set(values);
        self.revising.set(Some(item.application_id.clone()));
        true
    }
}

/// The payload (and the summary the lists show) of a form of `kind`, or every error.
pub(super) fn parse(
    kind: ApplicationKind,
    values: &Values,
    local: &LocalCopy,
) -> Result<(ApplicationPayload, String), Vec<FieldError>> {
    let name = |id: &domain::IdNumber| {
        local
            .person(id.as_str())
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    };
    Ok(match kind {
        ApplicationKind::QuotaUse => {
            let request = quota_form::parse(values)?;
            let summary = request.reason.clone();
            (ApplicationPayload::QuotaUse(request), summary)
        }
        ApplicationKind::Onboarding => {
            let request = registration::parse_onboarding(values, local)?;
            let summary = request.person.name.to_string();
            (ApplicationPayload::Onboarding(Box::new(request)), summary)
        }
        ApplicationKind::Offboarding => {
            let request = registration::parse_offboarding(values, local)?;
            let summary = name(&request.id_number);
            (ApplicationPayload::Offboarding(request), summary)
        }
        ApplicationKind::RecordChange => {
            let request = registration::parse_record_change(values, local)?;
            let summary = match &request.subject {
                domain::payload::ChangeSubject::Person { id_number } => name(id_number),
                domain::payload::ChangeSubject::Unit => local
                    .unit_record
                    .as_ref()
                    .map(|u| u.name.to_string())
                    .unwrap_or_default(),
            };
            (ApplicationPayload::RecordChange(request), summary)
        }
    })
}

/// The form that signs `payload` again (what a revision starts from).
pub(super) fn values_of(payload: &ApplicationPayload, local: &LocalCopy) -> Values {
    match payload {
        ApplicationPayload::QuotaUse(request) => quota_form::values(request),
        ApplicationPayload::Onboarding(request) => {
            let mut values = registration::person_values(&request.person);
            values.set(FormField::Slip, request.slip_number.to_string());
            values.set(
                FormField::HrDocument,
                registration::document_text(request.hr_document.as_ref()),
            );
            values
        }
        ApplicationPayload::Offboarding(request) => {
            let mut values = Values::of(&[
                (FormField::Person, request.id_number.as_str()),
                (FormField::DepartureReason, request.reason.code()),
                (FormField::DepartureDocument, request.document.as_str()),
            ]);
            values.set(FormField::LeftOn, request.left_on.to_string());
            values
        }
        ApplicationPayload::RecordChange(request) => {
            let subject = match &request.subject {
                domain::payload::ChangeSubject::Person { id_number } => id_number.to_string(),
                domain::payload::ChangeSubject::Unit => registration::UNIT_SUBJECT.to_owned(),
            };
            let mut values = local.subject_values(&subject).unwrap_or_default();
            for change in &request.changes {
                if let Some(field) = registration::field_of_change(&request.subject, &change.field)
                {
                    values.set(field, change.after.clone().unwrap_or_default());
                }
            }
            values.set(FormField::Person, subject);
            values.set(FormField::ChangedOn, request.changed_on.to_string());
            values.set(
                FormField::ChangeDocument,
                registration::document_text(request.document.as_ref()),
            );
            values
        }
    }
}
