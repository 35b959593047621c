//! An application as the server tracks it, in the holder's scope: the pull's
//! [`Change::Application`] converted at the edge, so that its kind and status are domain values
//! from then on (the store keeps it, the signals hold it, the views read it).

use domain::{ApplicationKind, ApplicationStatus};
use protocol::sync::Change;
use serde::{Deserialize, Serialize};

/// One application of the confirmed state.
///
/// Its JSON is that of the pull's `Change::Application` (`"type": "application"` included),
/// which is how the store has always kept it: records written by earlier builds still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The notice (入编通知单, 出编通知单) issued when it was approved.
    #[serde(default)]
    pub notice_number: Option<String>,
    /// Filed after its deadline (accepted, flagged for the bureau), by so many days.
    #[serde(default)]
    pub late: bool,
    #[serde(default)]
    pub days_overdue: u32,
    /// The last decision that said something (审核意见), for the clerk to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Comment>,
}

/// A decider's comment on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// The `domain::Action` code of the decision.
    pub action: String,
    pub decider_name: String,
    pub note: String,
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
            notice_number,
            late,
            days_overdue,
            decisions,
            ..
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
            notice_number: notice_number.clone(),
            late: *late,
            days_overdue: *days_overdue,
            comment: decisions
                .iter()
                .rev()
                .find(|d| !d.note.trim().is_empty())
                .map(|d| Comment {
                    action: d.action.clone(),
                    decider_name: d.decider_name.clone(),
                    note: d.note.clone(),
                }),
        }))
    }
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
