//! The signals of the application form and its confirmation, shared by the parts of the page.

use leptos::prelude::*;

use crate::applications::quota_form::{FieldError, QuotaForm};
use crate::applications::signing::{Prepared, SigningError};

/// Where the form stands.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Edit,
    Confirm,
}

/// The signals of the form and its confirmation.
#[derive(Clone, Copy)]
pub(super) struct FormState {
    pub(super) form: RwSignal<QuotaForm>,
    pub(super) errors: RwSignal<Vec<FieldError>>,
    pub(super) step: RwSignal<Step>,
    pub(super) prepared: RwSignal<Option<Prepared>>,
    pub(super) signing: RwSignal<bool>,
    pub(super) error: RwSignal<Option<SigningError>>,
    pub(super) signed: RwSignal<bool>,
    /// The form holds this application (not accepted) being revised.
    pub(super) revising: RwSignal<Option<String>>,
}

impl FormState {
    pub(super) fn new() -> Self {
        FormState {
            form: RwSignal::new(QuotaForm::default()),
            errors: RwSignal::new(Vec::new()),
            step: RwSignal::new(Step::Edit),
            prepared: RwSignal::new(None),
            signing: RwSignal::new(false),
            error: RwSignal::new(None),
            signed: RwSignal::new(false),
            revising: RwSignal::new(None),
        }
    }
}
