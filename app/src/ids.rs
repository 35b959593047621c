//! New identifiers (application ids, this installation's client id): random UUIDs from the
//! browser's cryptographic generator.

use crate::storage_error::StorageError;

/// A random UUID (version 4) from `crypto.randomUUID()`.
pub fn random_uuid() -> Result<String, StorageError> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .ok_or(StorageError::Unavailable)
}
