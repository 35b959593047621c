//! Persistent storage for this site: asking the browser to keep it
//! (`navigator.storage.persist()`, so that signed applications are not evicted under storage
//! pressure) and how much of its quota is used, for the sync-status panel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// What the panel shows about storage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StorageInfo {
    /// Whether the browser promised to keep the data (`None`: not known).
    pub persisted: Option<bool>,
    /// Bytes used by this site.
    pub usage: Option<f64>,
    /// Bytes this site may use.
    pub quota: Option<f64>,
}

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // `navigator.storage` is missing outside secure contexts.
    let storage = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    if storage.is_undefined() {
        return None;
    }
    Some(navigator.storage())
}

async fn read() -> StorageInfo {
    let Some(manager) = manager() else {
        return StorageInfo::default();
    };
    // Asked only while not granted (some browsers ask the user each time).
    let granted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let persisted = match granted {
        Some(true) => Some(true),
        _ => match manager.persist() {
            Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
            Err(_) => granted,
        },
    };
    let (usage, quota) = match manager.estimate() {
        Ok(promise) => match JsFuture::from(promise).await {
            Ok(estimate) => {
                let number = |name: &str| {
                    js_sys::Reflect::get(&estimate, &JsValue::from_str(name))
                        .ok()
                        .and_then(|v| v.as_f64())
                };
                (number("usage"), number("quota"))
            }
            Err(_) => (None, None),
        },
        Err(_) => (None, None),
    };
    StorageInfo {
        persisted,
        usage,
        quota,
    }
}

/// Asks for persistence and re-reads the usage into `info`, in the background.
pub fn refresh(info: RwSignal<StorageInfo>) {
    spawn_local(async move {
        info.set(read().await);
    });
}

/// `bytes` for people: 12.3 MB.
pub fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
