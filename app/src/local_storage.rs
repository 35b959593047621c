//! The browser's `localStorage` — small values kept across reloads (the kept session, what the
//! first version kept before IndexedDB) — with failures as values: a write that did not happen
//! is an error the caller must show, never a silent success.

use crate::storage_error::StorageError;

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
