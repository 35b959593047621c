//! The browser's `localStorage`, with failures as values: a write that did not happen is an
//! error the caller must show, never a silent success.

/// Why reading or writing local storage failed.
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

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

fn js_error_text(value: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(value, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The string stored under `key`, if any.
pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|e| StorageError::Corrupt(js_error_text(&e)))
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?
        .set_item(key, value)
        .map_err(|e| StorageError::Write(js_error_text(&e)))
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    storage()?
        .remove_item(key)
        .map_err(|e| StorageError::Write(js_error_text(&e)))
}

/// The JSON value stored under `key`, if any.
pub fn get_json<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    match get(key)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StorageError::Corrupt(e.to_string())),
    }
}

/// Stores `value` as JSON under `key`.
pub fn set_json<T: serde::Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    let text = serde_json::to_string(value).map_err(|e| StorageError::Write(e.to_string()))?;
    set(key, &text)
}

/// The message the interface shows for `error`.
pub fn storage_text(error: &StorageError, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Msg;
    match error {
        StorageError::Unavailable => Msg::StorageUnavailable.text(lang).to_owned(),
        StorageError::Write(_) => Msg::StorageWriteFailed.text(lang).to_owned(),
        StorageError::Corrupt(_) => Msg::StorageCorrupt.text(lang).to_owned(),
        StorageError::Outdated => Msg::StorageOutdated.text(lang).to_owned(),
        StorageError::Undecodable(record) => {
            format!("{}{record}", Msg::StorageUndecodable.text(lang))
        }
    }
}
