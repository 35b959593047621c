//! Syncing with the server, done by one tab per holder.
//!
//! - [`engine`] — when a round runs (asked for, polled, backed off) and what it does: push
//!   the queue ([`push`]), then pull the confirmed state ([`pull`]); how a failure ends a
//!   round ([`outcome`]).
//! - [`tabs`] — which tab syncs (Web Locks) and what tabs tell each other (BroadcastChannel).
//! - [`reload`] — the store read into the context's signals (after a sync, another tab's
//!   change, a new holder).

pub mod engine;
pub mod outcome;
pub mod pull;
pub mod push;
pub mod reload;
pub mod tabs;

pub use engine::kick;
