//! The outbox: applications signed on this computer and what became of them.
//!
//! Kept in `localStorage` under [`STORAGE_KEY`] for now; an IndexedDB store replaces it in the
//! next issue behind the same functions ([`load`], [`save`], [`add`], [`update`]). Every write
//! reports failure: the interface never says "saved" when it was not.
//!
//! The client id ([`CLIENT_ID_KEY`]) and the sequence counter ([`SEQUENCE_KEY`]) that
//! envelopes carry live here too, since they belong to the queue.

use protocol::identity::{SignedSubmission, Verdict, VerdictStatus};
use serde::{Deserialize, Serialize};

use crate::local::{self, StorageError};

/// Key of the outbox in `localStorage`.
pub const STORAGE_KEY: &str = "staffing.outbox";
/// Key of this installation's client id.
pub const CLIENT_ID_KEY: &str = "staffing.client_id";
/// Key of the last sequence number used.
pub const SEQUENCE_KEY: &str = "staffing.sequence";

/// Where a signed application stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemStatus {
    /// Signed here, not yet answered by the server (待同步).
    Pending,
    /// Verified and recorded by the server (已提交待审核).
    Accepted,
    /// Refused for good (已退回), with the server's code and reason.
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
}

/// Every item, oldest first.
pub fn load() -> Result<Vec<OutboxItem>, StorageError> {
    Ok(local::get_json(STORAGE_KEY)?.unwrap_or_default())
}

/// Replaces the stored outbox with `items`.
pub fn save(items: &[OutboxItem]) -> Result<(), StorageError> {
    local::set_json(STORAGE_KEY, &items)
}

/// Appends `item` (replacing one with the same application id); returns the new outbox.
pub fn add(item: OutboxItem) -> Result<Vec<OutboxItem>, StorageError> {
    let mut items = load()?;
    items.retain(|i| i.application_id != item.application_id);
    items.push(item);
    save(&items)?;
    Ok(items)
}

/// Sets the status of the items named in `changes`; returns the new outbox.
pub fn update(changes: &[(String, ItemStatus)]) -> Result<Vec<OutboxItem>, StorageError> {
    let mut items = load()?;
    for (id, status) in changes {
        if let Some(item) = items.iter_mut().find(|i| &i.application_id == id) {
            item.status = status.clone();
        }
    }
    save(&items)?;
    Ok(items)
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

/// This installation's client id, created (a random UUID) and stored on first use.
pub fn client_id() -> Result<String, StorageError> {
    if let Some(id) = local::get(CLIENT_ID_KEY)?.filter(|id| !id.is_empty()) {
        return Ok(id);
    }
    let id = random_uuid()?;
    local::set(CLIENT_ID_KEY, &id)?;
    Ok(id)
}

/// Reserves the next sequence number (the stored counter plus one) and stores it, so that no
/// number is used twice even if signing is abandoned.
pub fn next_sequence() -> Result<u64, StorageError> {
    let last = match local::get(SEQUENCE_KEY)? {
        None => 0,
        Some(text) => text
            .parse::<u64>()
            .map_err(|e| StorageError::Corrupt(e.to_string()))?,
    };
    let next = last + 1;
    local::set(SEQUENCE_KEY, &next.to_string())?;
    Ok(next)
}

/// A random UUID from the browser's cryptographic generator.
pub fn random_uuid() -> Result<String, StorageError> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .ok_or(StorageError::Unavailable)
}
