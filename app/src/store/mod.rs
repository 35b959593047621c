//! The local store: one IndexedDB database per key holder on this computer.
//!
//! Two halves that never mix:
//! - **confirmed state** ([`confirmed`]) — what the server last said: the certificate of every
//!   unit in the holder's scope ([`UNITS`], and its people in one record per unit: [`PEOPLE`]),
//!   the applications it tracks ([`APPLICATIONS`]), and the pull cursor with the time of the
//!   last complete sync ([`PULL`], read through [`meta`]). A pull page and its cursor are
//!   written in one transaction ([`apply_page`]), so the cursor never runs ahead of the data.
//! - **drafts** ([`drafts`], [`DRAFTS`], version 4) — forms being filled in, saved as the
//!   clerk types; not applications, never sent; kept across resets, cleared at sign-out on a
//!   shared computer.
//! - **the queue** ([`outbox`]) — applications and decisions signed here ([`OUTBOX`]), with
//!   what the server answered, and this installation's client id and sequence ([`META`]). A
//!   pull never touches them; a reset, or a schema upgrade, drops the confirmed state only.
//!
//! Every record is `{ …fields the store must look at…, body }`: the keys and the few fields
//! shown in lists stay readable, and everything personal is in `body` (JSON: text, or for the
//! large records of units and people its UTF-8 bytes, stored as the server sent them), so that
//! `body` alone can later be encrypted at rest with a key derived from the security key
//! (`docs/DESIGN.md` §2) without changing the schema's keys. People are keyed by their unit,
//! never by 身份证号.
//!
//! Every write is awaited to its transaction's commit: a failure (quota exceeded, storage
//! lost) comes back as a [`StorageError`] for the interface to show, never as success.
//!
//! Schema versions: [`DB_VERSION`]; `db::upgrade` runs every step from the stored version up
//! ([`db`]). Connections, and a newer build's upgrade in another tab: [`connection`]. Before
//! IndexedDB the outbox lived in `localStorage`, and [`migrate_local_storage`] ([`legacy`])
//! moves it (with the client id and sequence) into the store the first time a holder's
//! database is opened. At sign-out on a shared computer: [`clear_all_but_waiting`] ([`clear`]).
//!
//! Callers use the functions re-exported here, named for what they do; the modules below
//! share the plumbing of [`db`].

pub mod clear;
pub mod confirmed;
pub mod connection;
pub mod db;
pub mod drafts;
pub mod legacy;
pub mod meta;
pub mod outbox;
mod records;
pub mod scope;
pub mod verification;

pub use crate::storage_error::StorageError;
pub use clear::clear_all_but_waiting;
pub use confirmed::{
    UnitSummary, applications, apply_page, certificate, certificate_without_people, posts,
    staff_count, staff_of, unit_records, units,
};
pub use connection::{close, db_name, open};
pub use db::{APPLICATIONS, DB_VERSION, DRAFTS, META, OUTBOX, PEOPLE, PULL, UNITS};
pub use drafts::{Draft, discard_draft, drafts, save_draft};
pub use legacy::{LEGACY_CLIENT_ID, LEGACY_OUTBOX, LEGACY_SEQUENCE, migrate_local_storage};
pub use meta::{client_id, cursor, last_sync, next_sequence};
pub use outbox::{add_decision, add_revision, add_to_outbox, decisions, outbox, record_verdicts};
pub use verification::{KeptVerification, oversight_settings, verification_states};
