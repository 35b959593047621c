//! The outbox: applications signed on this computer and what became of them.
//!
//! The items are kept in the holder's IndexedDB store ([`crate::store`]), apart from the
//! confirmed state; this module is what an item is and how the queue is read.

use protocol::identity::{SignedSubmission, Verdict, VerdictStatus};
use serde::{Deserialize, Serialize};

use crate::local::StorageError;

/// Where a signed application stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemStatus {
    /// Signed here, not yet answered by the server (待同步).
    Pending,
    /// Verified and recorded by the server (已提交待审核).
    Accepted,
    /// Refused for good (未受理), with the server's code and reason.
    Rejected {
        code: Option<String>,
        message: Option<String>,
    },
    /// Recorded but held for review (待复核).
    Held { message: Option<String> },
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
            },
            VerdictStatus::Held => ItemStatus::Held {
                message: verdict.message.clone(),
            },
        }
    }
}

/// One signed application in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// 申报标识.
    pub application_id: String,
    /// `domain::ApplicationKind` code.
    pub kind: String,
    /// A short description for the list (the 申请理由 as typed).
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
    /// Not accepted, and not yet revised: the clerk has something to do.
    pub fn needs_revision(&self) -> bool {
        matches!(self.status, ItemStatus::Rejected { .. }) && self.revised_by.is_none()
    }
}

/// The pending items of `signer`, in sequence order (the order they are sent in).
pub fn pending_of(items: &[OutboxItem], signer: &str) -> Vec<OutboxItem> {
    let mut pending: Vec<OutboxItem> = items
        .iter()
        .filter(|i| i.status == ItemStatus::Pending && i.signer == signer)
        .cloned()
        .collect();
    pending.sort_by_key(|i| i.sequence);
    pending
}

/// A random UUID from the browser's cryptographic generator.
pub fn random_uuid() -> Result<String, StorageError> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .ok_or(StorageError::Unavailable)
}
