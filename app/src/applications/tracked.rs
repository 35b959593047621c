//! An application as the server tracks it, in the holder's scope: the pull's
//! [`Change::Application`] converted at the edge, so that its kind and status are domain values
//! from then on (the store keeps it, the signals hold it, the views read it).

use domain::payload::{
    ApplicationPayload, OffboardingRequest, OnboardingRequest, QuotaUseRequest, RecordChangeRequest,
};
use domain::{ApplicationKind, ApplicationStatus, SignedEnvelope};
use protocol::documents::IssuedSignature;
use protocol::sync::{Change, DecisionRecord, RawJson};
use serde::{Deserialize, Serialize};

/// One application of the confirmed state.
///
/// Its JSON is that of the pull's `Change::Application` (`"type": "application"` included),
/// which is how the store has always kept it: records written by earlier builds still read
/// (the fields the pull gained in issue 11 default to empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "application")]
pub struct TrackedApplication {
    pub application_id: String,
    pub unit_id: String,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    /// RFC 3339, UTC: when the status last changed.
    pub updated_at: String,
    /// The quota-use slip (编制使用单) issued when it was approved.
    pub slip_number: Option<String>,
    /// What the clerk signed: the exact text of the signed envelope (canonical JSON).
    #[serde(default)]
    pub envelope: Option<RawJson>,
    /// Who signed it, with which key (base64url), when; when the server received and verified
    /// it (it tracks an application only once its signature verified).
    #[serde(default)]
    pub signer_id: String,
    #[serde(default)]
    pub signer_name: String,
    #[serde(default)]
    pub credential_id: String,
    #[serde(default)]
    pub signed_at: String,
    #[serde(default)]
    pub received_at: String,
    /// The decisions accepted on it, oldest first, with their comments.
    #[serde(default)]
    pub decisions: Vec<DecisionRecord>,
    /// The notice an approval issued (入编通知单, 出编通知单).
    #[serde(default)]
    pub notice_number: Option<String>,
    /// The filing deadline (YYYY-MM-DD), and whether it was filed after it, by how many days.
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub late: bool,
    #[serde(default)]
    pub days_overdue: u32,
    /// The slip or notice its approval issued, signed by the bureau: its QR content (what the
    /// print view draws), status (current, used, void, lapsed) and a voiding's reason.
    #[serde(default)]
    pub document: Option<IssuedSignature>,
}

/// A pull record whose kind or status this build does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub application_id: String,
    pub code: String,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: unknown code {}", self.application_id, self.code)
    }
}

impl TrackedApplication {
    /// An application with only what every build knows of it (as earlier builds stored it).
    pub fn new(
        application_id: &str,
        unit_id: &str,
        kind: ApplicationKind,
        status: ApplicationStatus,
        updated_at: &str,
    ) -> Self {
        TrackedApplication {
            application_id: application_id.to_owned(),
            unit_id: unit_id.to_owned(),
            kind,
            status,
            updated_at: updated_at.to_owned(),
            slip_number: None,
            envelope: None,
            signer_id: String::new(),
            signer_name: String::new(),
            credential_id: String::new(),
            signed_at: String::new(),
            received_at: String::new(),
            decisions: Vec::new(),
            notice_number: None,
            due_on: None,
            late: false,
            days_overdue: 0,
            document: None,
        }
    }

    /// The signed envelope, when the pull carried it and it reads.
    pub fn signed_envelope(&self) -> Option<SignedEnvelope> {
        serde_json::from_str(self.envelope.as_ref()?.get()).ok()
    }

    /// What the application asks (its signed payload), when the pull carried the document.
    pub fn payload(&self) -> Option<ApplicationPayload> {
        payload_of(self.kind, &self.signed_envelope()?.payload)
    }

    /// The comment of the last accepted decision that gave one (a return's reason reaches the
    /// clerk here).
    pub fn last_comment(&self) -> Option<&DecisionRecord> {
        self.decisions
            .iter()
            .rev()
            .find(|d| !d.note.trim().is_empty())
    }

    /// The application a pull record carries (`None` for a certificate); an unknown kind or
    /// status code is refused here, where the record arrives.
    pub fn from_change(change: &Change) -> Result<Option<Self>, UnknownCode> {
        let Change::Application {
            application_id,
            unit_id,
            kind,
            status,
            updated_at,
            slip_number,
            envelope,
            signer_id,
            signer_name,
            credential_id,
            signed_at,
            received_at,
            decisions,
            notice_number,
            due_on,
            late,
            days_overdue,
            document,
        } = change
        else {
            return Ok(None);
        };
        let unknown = |code: &String| UnknownCode {
            application_id: application_id.clone(),
            code: code.clone(),
        };
        Ok(Some(TrackedApplication {
            application_id: application_id.clone(),
            unit_id: unit_id.clone(),
            kind: ApplicationKind::from_code(kind).ok_or_else(|| unknown(kind))?,
            status: ApplicationStatus::from_code(status).ok_or_else(|| unknown(status))?,
            updated_at: updated_at.clone(),
            slip_number: slip_number.clone(),
            envelope: Some(envelope.clone()),
            signer_id: signer_id.clone(),
            signer_name: signer_name.clone(),
            credential_id: credential_id.clone(),
            signed_at: signed_at.clone(),
            received_at: received_at.clone(),
            decisions: decisions.clone(),
            notice_number: notice_number.clone(),
            due_on: due_on.clone(),
            late: *late,
            days_overdue: *days_overdue,
            document: document.clone(),
        }))
    }
}

/// The payload of `kind` an envelope carries as `payload`; `None` when it is not one. Read from
/// the payload's JSON text (the client's one JSON input path, as `QuotaForm::from_signed`),
/// written by the canonical writer (`Value`'s `Display` would compile serde_json's serialisers
/// of `Value` into the client). The outbox's items and the tracked applications share it.
pub(crate) fn payload_of(
    kind: ApplicationKind,
    payload: &serde_json::Value,
) -> Option<ApplicationPayload> {
    let text = crate::json::value_text(payload).ok()?;
    Some(match kind {
        ApplicationKind::QuotaUse => {
            ApplicationPayload::QuotaUse(serde_json::from_str::<QuotaUseRequest>(&text).ok()?)
        }
        ApplicationKind::Onboarding => ApplicationPayload::Onboarding(Box::new(
            serde_json::from_str::<OnboardingRequest>(&text).ok()?,
        )),
        ApplicationKind::Offboarding => {
            ApplicationPayload::Offboarding(serde_json::from_str::<OffboardingRequest>(&text).ok()?)
        }
        ApplicationKind::RecordChange => ApplicationPayload::RecordChange(
            serde_json::from_str::<RecordChangeRequest>(&text).ok()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn change(kind: &str, status: &str) -> Change {
        Change::Application {
            application_id: "a-1".into(),
            unit_id: "620502-0001".into(),
            kind: kind.into(),
            status: status.into(),
            updated_at: "2026-05-01T08:00:00Z".into(),
            slip_number: Some("天编用〔2026〕0001号".into()),
            envelope: protocol::sync::RawJson::of(&serde_json::json!({})).unwrap(),
            signer_id: "clerk-1".into(),
            signer_name: "张三".into(),
            credential_id: "cred".into(),
            signed_at: "2026-04-30T08:00:00Z".into(),
            received_at: "2026-04-30T08:00:01Z".into(),
            decisions: Vec::new(),
            notice_number: None,
            due_on: None,
            late: false,
            days_overdue: 0,
            document: None,
        }
    }

    #[wasm_bindgen_test]
    fn a_pull_record_becomes_domain_values_and_keeps_its_stored_json() {
        let wire = change("quota_use", "approved");
        let tracked = TrackedApplication::from_change(&wire)
            .expect("known codes")
            .expect("an application");
        assert_eq!(tracked.kind, ApplicationKind::QuotaUse);
        assert_eq!(tracked.status, ApplicationStatus::Approved);
        // The stored form is the wire form's fields it keeps: records kept by earlier builds
        // read back.
        let stored = serde_json::to_value(&tracked).unwrap();
        let mut kept = serde_json::to_value(&wire).unwrap();
        kept.as_object_mut()
            .unwrap()
            .retain(|key, _| stored.get(key).is_some());
        assert_eq!(stored, kept);
        let earlier = serde_json::to_string(&wire).unwrap();
        assert_eq!(
            serde_json::from_str::<TrackedApplication>(&earlier).unwrap(),
            tracked
        );
    }

    #[wasm_bindgen_test]
    fn unknown_codes_are_refused_where_they_arrive() {
        let unknown = |code: &str| UnknownCode {
            application_id: "a-1".into(),
            code: code.into(),
        };
        assert_eq!(
            TrackedApplication::from_change(&change("quota_use", "lost")),
            Err(unknown("lost"))
        );
        assert_eq!(
            TrackedApplication::from_change(&change("adoption", "approved")),
            Err(unknown("adoption"))
        );
        let certificate = Change::Certificate {
            unit_id: "620502-0001".into(),
            certificate: protocol::sync::RawJson::of(&serde_json::json!({})).unwrap(),
        };
        assert_eq!(TrackedApplication::from_change(&certificate), Ok(None));
    }
}
