//! Whether the server can be reached, from real requests rather than `navigator.onLine` alone.
//!
//! A probe of `/api/health` runs at start, then every [`ONLINE_INTERVAL_MS`] while online and
//! every [`OFFLINE_INTERVAL_MS`] while offline, so the indicator returns to online soon after
//! the server does, without a reload. The browser's `offline` event marks the app offline at
//! once; its `online` event triggers a probe. A sync request that gets no answer marks the
//! app offline too ([`mark_unreachable`]), at once: the badge never says 在线 beside a push
//! that just failed, and the next probe comes within [`OFFLINE_INTERVAL_MS`].

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Probe interval while the server answers.
pub const ONLINE_INTERVAL_MS: u32 = 15_000;
/// Probe interval while it does not: short, so recovery shows quickly.
pub const OFFLINE_INTERVAL_MS: u32 = 2_000;

/// Reachability of the server as the interface shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connectivity {
    /// No probe has finished yet.
    Checking,
    Online,
    Offline,
}

impl Connectivity {
    /// Stable name, used as a CSS class suffix and a `data-` attribute for tests.
    pub fn name(self) -> &'static str {
        match self {
            Connectivity::Checking => "checking",
            Connectivity::Online => "online",
            Connectivity::Offline => "offline",
        }
    }

    /// The state after a probe that succeeded (`true`) or failed.
    pub fn after_probe(reached: bool) -> Self {
        if reached {
            Connectivity::Online
        } else {
            Connectivity::Offline
        }
    }

    /// How long to wait before the next probe.
    pub fn next_probe_in_ms(self) -> u32 {
        match self {
            Connectivity::Online => ONLINE_INTERVAL_MS,
            Connectivity::Checking | Connectivity::Offline => OFFLINE_INTERVAL_MS,
        }
    }
}

/// One probe: is the server there and healthy?
pub async fn probe() -> bool {
    crate::api::health().await.is_ok()
}

/// A request to the server got no answer: offline until a probe says otherwise.
pub fn mark_unreachable(state: RwSignal<Connectivity>) {
    if state.get_untracked() != Connectivity::Offline {
        state.set(Connectivity::Offline);
    }
}

/// Starts the probe loop and the browser-event listeners for the life of the page.
pub fn watch(state: RwSignal<Connectivity>) {
    spawn_local(async move {
        loop {
            state.set(Connectivity::after_probe(probe().await));
            // The wait follows the state shown, which a failed sync may change meanwhile.
            let started = crate::clock::now_ms();
            loop {
                gloo_timers::future::TimeoutFuture::new(OFFLINE_INTERVAL_MS).await;
                let waited = crate::clock::now_ms() - started;
                if waited >= f64::from(state.get_untracked().next_probe_in_ms()) {
                    break;
                }
            }
        }
    });
    // The handles are dropped on purpose: the listeners live as long as the page.
    let _ = window_event_listener(ev::offline, move |_| state.set(Connectivity::Offline));
    let _ = window_event_listener(ev::online, move |_| {
        spawn_local(async move { state.set(Connectivity::after_probe(probe().await)) });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn offline_probes_more_often_than_online() {
        assert!(Connectivity::Offline.next_probe_in_ms() < Connectivity::Online.next_probe_in_ms());
        assert_eq!(Connectivity::after_probe(true), Connectivity::Online);
        assert_eq!(Connectivity::after_probe(false), Connectivity::Offline);
    }
}
