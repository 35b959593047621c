//! The 编制使用申请 form as typed, and its conversion to a `domain::payload::QuotaUseRequest`
//! with an error per field that names it; back again, from a signed application, to revise it.

use domain::payload::QuotaUseRequest;
use domain::person::EntryForm;
use domain::{
    ApplicationKind, DocumentNumber, EstablishmentCategory, FundingForm, Headcount, ValidationError,
};

use crate::applications::outbox::OutboxItem;
use crate::i18n::{Lang, Msg};

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Category,
    Funding,
    Count,
    Recruitment,
    Reason,
    Document,
}

impl FormField {
    /// Stable name: element ids are `apply-<name>` and `apply-<name>-error`.
    pub fn name(self) -> &'static str {
        match self {
            FormField::Category => "category",
            FormField::Funding => "funding",
            FormField::Count => "count",
            FormField::Recruitment => "recruitment",
            FormField::Reason => "reason",
            FormField::Document => "document",
        }
    }

    /// The field's label.
    pub fn label(self) -> Msg {
        match self {
            FormField::Category => Msg::FieldCategory,
            FormField::Funding => Msg::FieldFunding,
            FormField::Count => Msg::FieldCount,
            FormField::Recruitment => Msg::FieldRecruitment,
            FormField::Reason => Msg::FieldReason,
            FormField::Document => Msg::FieldDocument,
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// One of our messages.
    Msg(Msg),
    /// A rule of the domain, with its own message.
    Domain(ValidationError),
}

impl Problem {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Problem::Msg(msg) => msg.text(lang).to_owned(),
            Problem::Domain(e) => match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            },
        }
    }
}

/// One error of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: FormField,
    pub problem: Problem,
}

/// The form as typed: codes of the chosen options and the raw text of the inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaForm {
    /// `EstablishmentCategory` code, or empty.
    pub category: String,
    /// `FundingForm` code, or empty.
    pub funding: String,
    pub count: String,
    /// `EntryForm` code, or empty.
    pub recruitment: String,
    pub reason: String,
    pub document: String,
}

impl QuotaForm {
    /// The chosen category, if any.
    pub fn category(&self) -> Option<EstablishmentCategory> {
        EstablishmentCategory::from_code(&self.category)
    }

    /// Whether the 经费形式 field applies (事业编制 only).
    pub fn needs_funding(&self) -> bool {
        self.category()
            .is_some_and(EstablishmentCategory::has_funding_form)
    }

    /// The form filled from the request `item` signed (to revise one that did not go
    /// through); `None` when its envelope does not hold a quota-use request.
    pub fn from_signed(item: &OutboxItem) -> Option<QuotaForm> {
        let bytes = domain::canonical::base64url_decode(&item.submission.envelope)?;
        // Through `from_str` only, and only the quota-use payload: the client's one JSON input
        // path (no second copy of every deserialiser for byte slices, for `&Value` or for the
        // other kinds). The payload is read from its JSON text, as `deserialize(&Value)` would.
        let text = std::str::from_utf8(&bytes).ok()?;
        let envelope: domain::SignedEnvelope = serde_json::from_str(text).ok()?;
        if envelope.kind != ApplicationKind::QuotaUse {
            return None;
        }
        let payload = crate::json::value_text(&envelope.payload).ok()?;
        let request: QuotaUseRequest = serde_json::from_str(&payload).ok()?;
        Some(QuotaForm {
            category: request.category.code().to_owned(),
            funding: request
                .funding_form
                .map(|f| f.code().to_owned())
                .unwrap_or_default(),
            count: request.count.get().to_string(),
            recruitment: request.recruitment.code().to_owned(),
            reason: request.reason,
            document: request
                .request_document
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
        })
    }

    /// The request, or every error at once (in the order of the form).
    pub fn parse(&self) -> Result<QuotaUseRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });

        let category = self.category();
        if category.is_none() {
            fail(FormField::Category, Problem::Msg(Msg::ErrCategory));
        }
        // The rules of the request are the domain's (the server checks them again).
        let funding_form = if self.needs_funding() {
            FundingForm::from_code(&self.funding)
        } else {
            None
        };
        if let Some(category) = category
            && let Err(e) = QuotaUseRequest::check_funding(category, funding_form)
        {
            fail(FormField::Funding, Problem::Domain(e));
        }
        let count = match self.count.trim().parse::<u32>() {
            Ok(n) => match QuotaUseRequest::check_count(Headcount::new(n)) {
                Ok(()) => Some(Headcount::new(n)),
                Err(e) => {
                    fail(FormField::Count, Problem::Domain(e));
                    None
                }
            },
            Err(_) => {
                fail(FormField::Count, Problem::Msg(Msg::ErrCount));
                None
            }
        };
        let recruitment = EntryForm::from_code(&self.recruitment);
        if recruitment.is_none() {
            fail(FormField::Recruitment, Problem::Msg(Msg::ErrRecruitment));
        }
        let reason = self.reason.trim();
        if let Err(e) = QuotaUseRequest::check_reason(reason) {
            fail(FormField::Reason, Problem::Domain(e));
        }
        let document = self.document.trim();
        let request_document = if document.is_empty() {
            None
        } else {
            match DocumentNumber::parse(document) {
                Ok(d) => Some(d),
                Err(e) => {
                    fail(FormField::Document, Problem::Domain(e));
                    None
                }
            }
        };

        match (category, count, recruitment) {
            (Some(category), Some(count), Some(recruitment)) if errors.is_empty() => {
                Ok(QuotaUseRequest {
                    category,
                    funding_form,
                    count,
                    recruitment,
                    reason: reason.to_owned(),
                    request_document,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::payload::ApplicationPayload;
    use domain::{
        ApplicationId, ClientId, CredentialId, EnvelopeHeader, SignedEnvelope, Timestamp, UnitId,
        UserId,
    };
    use protocol::identity::SignedSubmission;
    use wasm_bindgen_test::wasm_bindgen_test;

    use crate::applications::outbox::ItemStatus;

    /// An outbox item holding `envelope`'s canonical bytes.
    fn item(envelope: &SignedEnvelope) -> OutboxItem {
        OutboxItem {
            application_id: envelope.application_id.to_string(),
            kind: envelope.kind.code().into(),
            summary: "理由".into(),
            sequence: envelope.sequence,
            signer: envelope.signer.to_string(),
            signed_at: envelope.created_at.to_string(),
            submission: SignedSubmission {
                envelope: domain::canonical::base64url(&envelope.canonical_bytes().unwrap()),
                credential_id: "Yw".into(),
                client_data_json: "ZA".into(),
                authenticator_data: "YQ".into(),
                signature: "cw".into(),
            },
            status: ItemStatus::Rejected {
                code: None,
                message: None,
            },
            revised_by: None,
        }
    }

    fn envelope(request: QuotaUseRequest) -> SignedEnvelope {
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse("app-1").unwrap(),
            client_id: ClientId::parse("client-1").unwrap(),
            sequence: 7,
            signer: UserId::parse("clerk-1").unwrap(),
            credential_id: CredentialId::parse("cred_1").unwrap(),
            unit: UnitId::parse("620502-0012").unwrap(),
            created_at: Timestamp::parse("2026-11-27T08:00:00Z").unwrap(),
        };
        SignedEnvelope::new(header, &ApplicationPayload::QuotaUse(request)).unwrap()
    }

    #[wasm_bindgen_test]
    fn a_signed_request_fills_the_form_again_and_nothing_else_does() {
        let signed = envelope(good().parse().unwrap());
        let form = QuotaForm::from_signed(&item(&signed)).unwrap();
        assert_eq!(
            form,
            QuotaForm {
                count: "2".into(),
                reason: "教师退休出现空缺".into(),
                ..good()
            }
        );
        let admin = envelope(
            QuotaForm {
                category: "administrative".into(),
                document: String::new(),
                ..good()
            }
            .parse()
            .unwrap(),
        );
        let form = QuotaForm::from_signed(&item(&admin)).unwrap();
        assert_eq!((form.funding.as_str(), form.document.as_str()), ("", ""));
        // Another kind of application, or bytes that are no envelope: nothing to revise here.
        let mut other = signed.clone();
        other.kind = ApplicationKind::Offboarding;
        assert_eq!(QuotaForm::from_signed(&item(&other)), None);
        let mut garbled = item(&signed);
        garbled.submission.envelope = domain::canonical::base64url(b"{\"tag\":1}");
        assert_eq!(QuotaForm::from_signed(&garbled), None);
        garbled.submission.envelope = "not base64!".into();
        assert_eq!(QuotaForm::from_signed(&garbled), None);
    }

    fn good() -> QuotaForm {
        QuotaForm {
            category: "public_institution".into(),
            funding: "full".into(),
            count: " 2 ".into(),
            recruitment: "open_recruitment".into(),
            reason: " 教师退休出现空缺 ".into(),
            document: "天教发〔2026〕12号".into(),
        }
    }

    #[wasm_bindgen_test]
    fn a_good_form_parses_and_trims() {
        let r = good().parse().unwrap();
        assert_eq!(r.count.get(), 2);
        assert_eq!(r.funding_form, Some(FundingForm::Full));
        assert_eq!(r.reason, "教师退休出现空缺");
        assert!(r.request_document.is_some());
        let admin = QuotaForm {
            category: "administrative".into(),
            funding: "full".into(),
            document: String::new(),
            ..good()
        };
        let r = admin.parse().unwrap();
        assert_eq!(r.funding_form, None, "only 事业编制 carries a funding form");
        assert_eq!(r.request_document, None);
    }

    #[wasm_bindgen_test]
    fn every_bad_field_is_named() {
        let bad = QuotaForm {
            category: "public_institution".into(),
            funding: String::new(),
            count: "0".into(),
            recruitment: String::new(),
            reason: "  ".into(),
            document: "天教发2026".into(),
        };
        let errors = bad.parse().unwrap_err();
        let fields: Vec<FormField> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                FormField::Funding,
                FormField::Count,
                FormField::Recruitment,
                FormField::Reason,
                FormField::Document
            ]
        );
        for e in &errors {
            let label = e.field.label().text(Lang::Zh);
            let text = e.problem.text(Lang::Zh);
            let named =
                text.contains(label) || (e.field == FormField::Document && text.contains("文号"));
            assert!(named, "{text} does not name {label}");
        }
        for count in ["-1", "1.5", "abc", "10000"] {
            let f = QuotaForm {
                count: count.into(),
                ..good()
            };
            assert_eq!(f.parse().unwrap_err()[0].field, FormField::Count, "{count}");
        }
    }
}
