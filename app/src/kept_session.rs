//! The session kept on this computer (`localStorage`), so that after a reload — even offline —
//! the app knows the holder, their unit, the RP id and the credential ids it needs to sign.
//! Kept as the server sent it (`SessionInfo`); `state::Session` reads it.

use protocol::identity::SessionInfo;

use crate::local_storage;
use crate::storage_error::StorageError;

/// Key of the session in `localStorage`.
pub const STORAGE_KEY: &str = "staffing.session";

/// The session kept on this computer, if any (an unreadable one counts as none).
pub fn stored() -> Option<SessionInfo> {
    local_storage::get_json(STORAGE_KEY).ok().flatten()
}

/// Keeps `info` on this computer.
pub fn remember(info: &SessionInfo) -> Result<(), StorageError> {
    local_storage::set_json(STORAGE_KEY, info)
}

/// Forgets the session kept on this computer.
pub fn forget() -> Result<(), StorageError> {
    local_storage::remove(STORAGE_KEY)
}
