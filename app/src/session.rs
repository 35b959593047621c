//! Signing in and out: the signed-in holder in the context's signal and on this computer
//! ([`crate::kept_session`]), checked with the server, followed across tabs, and forgotten at
//! sign-out — on a shared computer together with the data kept for the holder.

use leptos::prelude::*;
use protocol::identity::SessionInfo;

use crate::kept_session;
use crate::state::{AppContext, Session};
use crate::storage_error::StorageError;

/// Sets the signal and storage after a sign-in.
pub fn signed_in(state: RwSignal<Option<Session>>, info: SessionInfo) -> Result<(), StorageError> {
    let kept = kept_session::remember(&info);
    state.set(Some(Session::from(info)));
    kept
}

/// Clears the signal and storage.
pub fn signed_out(state: RwSignal<Option<Session>>) {
    state.set(None);
    // Nothing more can be done if removal fails; the server session is gone either way.
    let _ = kept_session::forget();
}

/// Asks the server who is signed in: an answer refreshes the kept session, a 401 clears it,
/// no answer (offline) keeps what is stored.
pub async fn refresh(state: RwSignal<Option<Session>>) {
    match crate::api::session().await {
        Ok(info) => {
            let _ = signed_in(state, info);
        }
        Err(e) if e.is_unauthorized() => signed_out(state),
        Err(_) => {}
    }
}

/// [`refresh`] in the background.
pub fn refresh_in_background(state: RwSignal<Option<Session>>) {
    leptos::task::spawn_local(refresh(state));
}

/// Signs out: with `clear_data` (a shared computer), first removes this holder's data from
/// this computer except the signed applications still waiting to be sent; then ends the
/// server session and forgets the kept one. When the data could not be removed, nothing else
/// happens (the holder stays signed in, to try again) and the error says why.
pub async fn sign_out(context: AppContext, clear_data: bool) -> Result<(), StorageError> {
    let Some(session) = context.session.get_untracked() else {
        return Ok(());
    };
    if clear_data {
        crate::store::clear_all_but_waiting(&session.holder.id).await?;
    }
    // Offline the server session simply times out; this computer forgets it at once.
    let _ = crate::api::sign_out(&session.csrf_token).await;
    signed_out(context.session);
    context.sync_problem.set(None);
    Ok(())
}

/// Follows sign-ins and sign-outs made in other tabs (the `storage` event of the kept
/// session), so that every tab knows whose store it shows and syncs. Call once.
pub fn watch_other_tabs(state: RwSignal<Option<Session>>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            if event.key().as_deref() == Some(kept_session::STORAGE_KEY) {
                let kept = kept_session::stored().map(Session::from);
                if state.with_untracked(|s| s != &kept) {
                    state.set(kept);
                }
            }
        });
    let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    // For the life of the page.
    listener.forget();
}
