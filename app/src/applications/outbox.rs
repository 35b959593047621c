//! The outbox: applications signed on this computer and what became of them — the server's
//! verdict on the envelope, and, once accepted, the status it tracks for the application
//! ([`TrackedApplication`]) — and the one rule of which of them need the clerk
//! ([`OutboxItem::needs_clerk_action`]).
//!
//! The items are kept in the holder's IndexedDB store (`store`), apart from the
//! confirmed state; this module is what an item is and how the queue is read.

use std::collections::BTreeMap;

use domain::payload::ApplicationPayload;
use domain::{ApplicationKind, ApplicationStatus};
use protocol::identity::{SignedSubmission, Verdict, VerdictStatus};
use serde::{Deserialize, Serialize};

use crate::applications::tracked::TrackedApplication;
use crate::i18n::Lang;

/// Where a signed application stands. Stored as `{"state": "rejected", "code": …, "message": …}`
/// (internally tagged); read back through [`StatusFields`], which takes the same objects without
/// serde's buffering of internally tagged enums (smaller code in the client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", from = "StatusFields")]
pub enum ItemStatus {
    /// Signed here, not yet answered by the server (待同步).
    Pending,
    /// Verified and recorded by the server (已提交待审核).
    Accepted,
    /// Refused for good (未受理), with the server's code and reason (Chinese, and English
    /// from servers that send it).
    Rejected {
        code: Option<String>,
        message: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_en: Option<String>,
    },
    /// Recorded but held for review (待复核).
    Held {
        message: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_en: Option<String>,
    },
}

impl ItemStatus {
    /// Stable name for `data-status` and CSS.
    pub fn name(&self) -> &'static str {
        match self {
            ItemStatus::Pending => "pending",
            ItemStatus::Accepted => "accepted",
            ItemStatus::Rejected { .. } => "rejected",
            ItemStatus::Held { .. } => "held",
        }
    }

    /// The status a server verdict gives.
    pub fn from_verdict(verdict: &Verdict) -> Self {
        match verdict.status {
            VerdictStatus::Accepted => ItemStatus::Accepted,
            VerdictStatus::Rejected => ItemStatus::Rejected {
                code: verdict.code.clone(),
                message: verdict.message.clone(),
                message_en: verdict.message_en.clone(),
            },
            VerdictStatus::Held => ItemStatus::Held {
                message: verdict.message.clone(),
                message_en: verdict.message_en.clone(),
            },
        }
    }

    /// The server's reason in `lang` — its English one in the English interface when it sent
    /// one, else its Chinese one — or, without a reason, the code.
    pub fn reason(&self, lang: Lang) -> Option<String> {
        let (message, message_en, code) = match self {
            ItemStatus::Rejected {
                code,
                message,
                message_en,
            } => (message, message_en, code.as_ref()),
            ItemStatus::Held {
                message,
                message_en,
            } => (message, message_en, None),
            _ => return None,
        };
        let english = message_en.as_ref().filter(|_| lang == Lang::En);
        english.or(message.as_ref()).or(code).cloned()
    }
}

/// The stored form of an [`ItemStatus`]: the tag and the fields of every variant, flat.
#[derive(Deserialize)]
struct StatusFields {
    state: StateName,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    message_en: Option<String>,
}

/// The `state` tag of an [`ItemStatus`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StateName {
    Pending,
    Accepted,
    Rejected,
    Held,
}

impl From<StatusFields> for ItemStatus {
    fn from(fields: StatusFields) -> Self {
        let StatusFields {
            state,
            code,
            message,
            message_en,
        } = fields;
        match state {
            StateName::Pending => ItemStatus::Pending,
            StateName::Accepted => ItemStatus::Accepted,
            StateName::Rejected => ItemStatus::Rejected {
                code,
                message,
                message_en,
            },
            StateName::Held => ItemStatus::Held {
                message,
                message_en,
            },
        }
    }
}

/// One signed application in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// 申请标识.
    pub application_id: String,
    /// `domain::ApplicationKind` code.
    pub kind: String,
    /// A short description for the list (the 申请理由 as typed, the person's name).
    pub summary: String,
    /// The envelope's sequence number (sending order).
    pub sequence: u64,
    /// The key holder who signed (only their session sends it).
    pub signer: String,
    /// When it was signed (RFC 3339, UTC).
    pub signed_at: String,
    /// Envelope bytes and assertion, base64url, exactly as they will be sent.
    pub submission: SignedSubmission,
    pub status: ItemStatus,
    /// The application that revised this one (after it was not accepted), once signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_by: Option<String>,
}

impl OutboxItem {
    /// The kind of application, if this build knows its code.
    pub fn application_kind(&self) -> Option<ApplicationKind> {
        ApplicationKind::from_code(&self.kind)
    }

    /// The envelope signed, read back from its bytes.
    pub fn envelope(&self) -> Option<domain::SignedEnvelope> {
        let bytes = domain::canonical::base64url_decode(&self.submission.envelope)?;
        // Through `from_str` only: the client's one JSON input path (no second copy of every
        // deserialiser for byte slices or for `&Value`).
        serde_json::from_str(std::str::from_utf8(&bytes).ok()?).ok()
    }

    /// The payload signed (to show it, to revise it); `None` when the bytes hold none.
    pub fn payload(&self) -> Option<ApplicationPayload> {
        let envelope = self.envelope()?;
        crate::applications::tracked::payload_of(envelope.kind, &envelope.payload)
    }

    /// The status the server tracks for this application, with its slip number, once the
    /// confirmed state (`tracked`, by application id) holds it.
    pub fn review<'a>(
        &self,
        tracked: &'a BTreeMap<String, TrackedApplication>,
    ) -> Option<&'a TrackedApplication> {
        tracked.get(&self.application_id)
    }

    /// Whether the server has decided this application (approved, rejected, returned,
    /// withdrawn), by the confirmed state.
    pub fn decided(&self, tracked: &BTreeMap<String, TrackedApplication>) -> bool {
        self.review(tracked)
            .is_some_and(|t| !t.status.awaits_decision())
    }

    /// Whether the clerk has something to do with this application: it did not go through —
    /// the server refused its envelope (未受理), or the reviewers returned it for revision
    /// (已退回) or refused it (未予核准) — and it has not been revised and signed again yet.
    /// The one rule: the sync panel counts these, and each of them offers 修改后重新签名.
    pub fn needs_clerk_action(&self, tracked: &BTreeMap<String, TrackedApplication>) -> bool {
        let refused = matches!(self.status, ItemStatus::Rejected { .. });
        let sent_back = self.review(tracked).is_some_and(|t| {
            matches!(
                t.status,
                ApplicationStatus::Returned | ApplicationStatus::Rejected
            )
        });
        self.revised_by.is_none() && (refused || sent_back)
    }
}

/// The pending items of `signer`, in sequence order (the order they are sent in).
pub fn pending_of(items: &[OutboxItem], signer: &str) -> Vec<OutboxItem> {
    let mut pending: Vec<OutboxItem> = items
        .iter()
        .filter(|i| i.status == ItemStatus::Pending && i.signer == signer)
        .cloned()
        .collect();
    crate::order::sort_by(&mut pending, in_sequence());
    pending
}

/// Sequence order (the sending order), for [`crate::order::sort_by`] (the client's one copy of
/// the stable sort).
pub fn in_sequence() -> fn(&OutboxItem, &OutboxItem) -> std::cmp::Ordering {
    |a, b| a.sequence.cmp(&b.sequence)
}

/// The reverse of [`in_sequence`]: newest first.
pub fn newest_first() -> fn(&OutboxItem, &OutboxItem) -> std::cmp::Ordering {
    |a, b| b.sequence.cmp(&a.sequence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn item(status: ItemStatus) -> OutboxItem {
        OutboxItem {
            application_id: "a-1".into(),
            kind: "quota_use".into(),
            summary: "理由".into(),
            sequence: 1,
            signer: "h1".into(),
            signed_at: "2026-11-27T08:00:00Z".into(),
            submission: SignedSubmission {
                envelope: "ZQ".into(),
                credential_id: "Yw".into(),
                client_data_json: "ZA".into(),
                authenticator_data: "YQ".into(),
                signature: "cw".into(),
            },
            status,
            revised_by: None,
        }
    }

    fn tracked(status: ApplicationStatus) -> BTreeMap<String, TrackedApplication> {
        let application = TrackedApplication::new(
            "a-1",
            "620502-0012",
            ApplicationKind::QuotaUse,
            status,
            "2026-11-28T08:00:00Z",
        );
        BTreeMap::from([("a-1".to_owned(), application)])
    }

    fn refused() -> ItemStatus {
        ItemStatus::Rejected {
            code: Some("no_vacancy".into()),
            message: None,
            message_en: None,
        }
    }

    #[wasm_bindgen_test]
    fn a_status_reads_back_as_it_was_stored() {
        let statuses = [
            ItemStatus::Pending,
            ItemStatus::Accepted,
            refused(),
            ItemStatus::Rejected {
                code: None,
                message: Some("理由".into()),
                message_en: None,
            },
            ItemStatus::Held {
                message: None,
                message_en: None,
            },
            ItemStatus::Held {
                message: Some("待复核".into()),
                message_en: None,
            },
        ];
        let english = ItemStatus::Rejected {
            code: Some("no_vacancy".into()),
            message: Some("空余编制不足".into()),
            message_en: Some("not enough vacant posts".into()),
        };
        assert_eq!(
            english.reason(Lang::En).as_deref(),
            Some("not enough vacant posts")
        );
        assert_eq!(english.reason(Lang::Zh).as_deref(), Some("空余编制不足"));
        // A verdict stored before the server sent English: its Chinese reason, then its code.
        assert_eq!(statuses[3].reason(Lang::En).as_deref(), Some("理由"));
        assert_eq!(refused().reason(Lang::En).as_deref(), Some("no_vacancy"));
        for status in statuses.into_iter().chain([english]) {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(serde_json::from_str::<ItemStatus>(&json).unwrap(), status);
        }
        // What earlier builds wrote (serde's internal tagging, fields in any order).
        assert_eq!(
            serde_json::from_str::<ItemStatus>(r#"{"message":"m","state":"held"}"#).unwrap(),
            ItemStatus::Held {
                message: Some("m".into()),
                message_en: None,
            }
        );
        assert_eq!(
            serde_json::from_str::<ItemStatus>(r#"{"state":"rejected","code":"no_vacancy"}"#)
                .unwrap(),
            refused()
        );
        for bad in [r#"{"state":"lost"}"#, r#"{"code":"x"}"#, r#""pending""#] {
            assert!(serde_json::from_str::<ItemStatus>(bad).is_err(), "{bad}");
        }
    }

    #[wasm_bindgen_test]
    fn the_signed_payload_reads_back_and_garbled_bytes_hold_none() {
        use domain::payload::QuotaUseRequest;
        use domain::{
            ApplicationId, ClientId, CredentialId, EnvelopeHeader, SignedEnvelope, Timestamp,
            UnitId, UserId,
        };
        let request = QuotaUseRequest {
            category: domain::EstablishmentCategory::Administrative,
            funding_form: None,
            count: domain::Headcount::new(2),
            recruitment: domain::person::EntryForm::Examination,
            reason: "科员调出".into(),
            request_document: None,
        };
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse("a-1").unwrap(),
            client_id: ClientId::parse("client-1").unwrap(),
            sequence: 7,
            signer: UserId::parse("h1").unwrap(),
            credential_id: CredentialId::parse("cred_1").unwrap(),
            unit: UnitId::parse("620502-0012").unwrap(),
            created_at: Timestamp::parse("2026-11-27T08:00:00Z").unwrap(),
        };
        let payload = ApplicationPayload::QuotaUse(request);
        let envelope = SignedEnvelope::new(header, &payload).unwrap();
        let mut signed = item(ItemStatus::Accepted);
        signed.submission.envelope =
            domain::canonical::base64url(&envelope.canonical_bytes().unwrap());
        assert_eq!(signed.payload(), Some(payload));
        assert_eq!(signed.envelope().unwrap().unit.as_str(), "620502-0012");
        let mut garbled = signed.clone();
        garbled.submission.envelope = domain::canonical::base64url(b"{\"tag\":1}");
        assert_eq!(garbled.payload(), None);
        garbled.submission.envelope = "not base64!".into();
        assert_eq!(garbled.payload(), None);
    }

    #[wasm_bindgen_test]
    fn an_application_the_bureau_returned_needs_the_clerk() {
        // The bug: the panel counted only envelopes the server refused, while the revise
        // button also appeared for an accepted application the reviewers sent back.
        let accepted = item(ItemStatus::Accepted);
        assert!(accepted.needs_clerk_action(&tracked(ApplicationStatus::Returned)));
        assert!(accepted.needs_clerk_action(&tracked(ApplicationStatus::Rejected)));
        assert!(accepted.decided(&tracked(ApplicationStatus::Returned)));
    }

    #[wasm_bindgen_test]
    fn only_what_did_not_go_through_and_is_not_revised_needs_the_clerk() {
        let none = BTreeMap::new();
        assert!(item(refused()).needs_clerk_action(&none));
        for status in [
            ItemStatus::Pending,
            ItemStatus::Accepted,
            ItemStatus::Held {
                message: None,
                message_en: None,
            },
        ] {
            assert!(!item(status).needs_clerk_action(&none));
        }
        for status in [
            ApplicationStatus::Submitted,
            ApplicationStatus::Endorsed,
            ApplicationStatus::Approved,
            ApplicationStatus::Withdrawn,
        ] {
            assert!(
                !item(ItemStatus::Accepted).needs_clerk_action(&tracked(status)),
                "{status:?}"
            );
        }
        let mut revised = item(ItemStatus::Accepted);
        revised.revised_by = Some("a-2".into());
        assert!(!revised.needs_clerk_action(&tracked(ApplicationStatus::Returned)));
        let mut revised = item(refused());
        revised.revised_by = Some("a-2".into());
        assert!(!revised.needs_clerk_action(&none));
    }
}
