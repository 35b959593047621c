//! The data-verification phase (数据核实) as the last pull said it, for the bureau's pages offline:
//! each unit's verification state (the pull's `Change::Verification`) and the server's
//! oversight thresholds (`PullResponse.oversight`). Both are small named values of the
//! [`PULL`] store — written by `confirmed::apply_page` in the page's transaction, cleared with
//! the confirmed state on a reset, a unit's state deleted with its tombstone — so no schema
//! change was needed.

use std::collections::BTreeMap;

use indexed_db_futures::KeyRange;
use protocol::admin::{OversightSettings, VerificationState};
use serde::{Deserialize, Serialize};

use super::connection::open;
use super::db::{PULL, all, from_json, read_error, reading};
use super::records::meta_get;
use crate::storage_error::StorageError;

/// Pull key of the server's oversight thresholds.
pub(super) const OVERSIGHT: &str = "oversight";
/// Pull keys of the units' states: this prefix, then the unit id.
const PREFIX: &str = "verification.";
/// The first key after every key with [`PREFIX`] (`/` follows `.`).
const PREFIX_END: &str = "verification/";

/// The key of `unit_id`'s state.
pub(super) fn key(unit_id: &str) -> String {
    format!("{PREFIX}{unit_id}")
}

/// A unit's state as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptVerification {
    pub unit_id: String,
    pub state: VerificationState,
    /// RFC 3339: when the state was reached.
    pub updated_at: String,
}

/// Every unit's kept state (units without one have not started), by unit id.
pub async fn verification_states(
    holder: &str,
) -> Result<BTreeMap<String, KeptVerification>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, PULL)?;
    let pull = tx.object_store(PULL).map_err(read_error)?;
    let range = KeyRange::Bound(PREFIX.to_owned(), false, PREFIX_END.to_owned(), true);
    let mut states = BTreeMap::new();
    for value in all(&pull, Some(range)).await? {
        let text = value
            .as_string()
            .ok_or_else(|| StorageError::Corrupt("a verification state".to_owned()))?;
        let kept: KeptVerification = from_json(&text)?;
        states.insert(kept.unit_id.clone(), kept);
    }
    Ok(states)
}

/// The server's oversight thresholds as of the last pull (its defaults before any).
pub async fn oversight_settings(holder: &str) -> Result<OversightSettings, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, PULL)?;
    let pull = tx.object_store(PULL).map_err(read_error)?;
    Ok(meta_get(&pull, OVERSIGHT).await?.unwrap_or_default())
}
