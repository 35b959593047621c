//! Why keeping something on this computer failed — in `localStorage` (`local_storage`)
//! or in the IndexedDB store (`store`): one error, shown to the user, never a silent
//! success.

use crate::i18n::{Lang, Msg};

/// Why reading or writing the browser's storage failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// No `localStorage` (private mode, disabled, not a browser).
    Unavailable,
    /// The browser refused the write (quota exceeded, storage blocked).
    Write(String),
    /// What is stored cannot be read back (written by another version, or damaged).
    Corrupt(String),
    /// A newer version of the app, open in another tab, upgraded the store: reload this page.
    Outdated,
    /// What the server sent does not decode with this version's rules (the record named):
    /// nothing of it was stored.
    Undecodable(String),
}

impl StorageError {
    /// The message the interface shows, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            StorageError::Unavailable => Msg::StorageUnavailable.text(lang).to_owned(),
            StorageError::Write(_) => Msg::StorageWriteFailed.text(lang).to_owned(),
            StorageError::Corrupt(_) => Msg::StorageCorrupt.text(lang).to_owned(),
            StorageError::Outdated => Msg::StorageOutdated.text(lang).to_owned(),
            StorageError::Undecodable(record) => {
                format!("{}{record}", Msg::StorageUndecodable.text(lang))
            }
        }
    }
}
