//! Who is signed in: the server's `SessionInfo`, kept in a signal and in `localStorage` so
//! that after a reload, even offline, the app knows the holder, their unit, the RP id and the
//! credential ids it needs to sign.

use std::str::FromStr;

use leptos::prelude::*;
use protocol::identity::{HolderInfo, SessionInfo};

use crate::local::{self, StorageError};

/// Key of the session in `localStorage`.
pub const STORAGE_KEY: &str = "staffing.session";

/// The session kept on this computer, if any (an unreadable one counts as none).
pub fn stored() -> Option<SessionInfo> {
    local::get_json(STORAGE_KEY).ok().flatten()
}

/// Keeps `info` on this computer.
pub fn remember(info: &SessionInfo) -> Result<(), StorageError> {
    local::set_json(STORAGE_KEY, info)
}

/// Forgets the session kept on this computer.
pub fn forget() -> Result<(), StorageError> {
    local::remove(STORAGE_KEY)
}

/// Sets the signal and storage after a sign-in.
pub fn signed_in(
    state: RwSignal<Option<SessionInfo>>,
    info: SessionInfo,
) -> Result<(), StorageError> {
    let kept = remember(&info);
    state.set(Some(info));
    kept
}

/// Clears the signal and storage.
pub fn signed_out(state: RwSignal<Option<SessionInfo>>) {
    state.set(None);
    // Nothing more can be done if removal fails; the server session is gone either way.
    let _ = forget();
}

/// Asks the server who is signed in: an answer refreshes the kept session, a 401 clears it,
/// no answer (offline) keeps what is stored.
pub async fn refresh(state: RwSignal<Option<SessionInfo>>) {
    match crate::api::session().await {
        Ok(info) => {
            let _ = signed_in(state, info);
        }
        Err(e) if e.is_unauthorized() => signed_out(state),
        Err(_) => {}
    }
}

/// [`refresh`] in the background.
pub fn refresh_in_background(state: RwSignal<Option<SessionInfo>>) {
    leptos::task::spawn_local(refresh(state));
}

/// Follows sign-ins and sign-outs made in other tabs (the `storage` event of the kept
/// session), so that every tab knows whose store it shows and syncs. Call once.
pub fn watch_other_tabs(state: RwSignal<Option<SessionInfo>>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            if event.key().as_deref() == Some(STORAGE_KEY) {
                let kept = stored();
                if state.with_untracked(|s| s != &kept) {
                    state.set(kept);
                }
            }
        });
    let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    // For the life of the page.
    listener.forget();
}

/// The unit a holder's scope names (`unit:<id>`), for unit clerks.
pub fn unit_of(holder: &HolderInfo) -> Option<domain::UnitId> {
    match domain::Scope::from_str(&holder.scope) {
        Ok(domain::Scope::Unit(id)) => Some(id),
        _ => None,
    }
}

/// Whether the holder may file applications (a unit clerk with a unit scope).
pub fn files_applications(holder: &HolderInfo) -> bool {
    domain::Role::from_code(&holder.role).is_some_and(domain::Role::files_applications)
        && unit_of(holder).is_some()
}
