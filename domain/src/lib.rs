//! The rules of establishment control (编制管理), once, for the client and the server.
//!
//! Architecture invariant: this crate depends on no other crate of ours, does no I/O and
//! nothing async, and builds for `wasm32-unknown-unknown` as well as natively.
//!
//! Code map:
//! - values that cannot be invalid: [`date`] (`Date`, `Timestamp`), [`id_number`] (居民身份证号),
//!   [`credit_code`] (统一社会信用代码), [`headcount`], [`document_number`] (文号), [`ids`];
//!   [`error`] holds `ValidationError` with its Chinese and English messages.
//! - the certificate model: [`unit`](mod@unit), [`person`], [`establishment`], [`region`], [`role`],
//!   [`certificate`].
//! - the rules: [`ledger`] (编制台帐 arithmetic), [`registry`] (one person, one post), [`slip`]
//!   (numbering and validity), [`application`] (lifecycle and deadlines), [`calendar`] (working
//!   days), [`book`] (the effects of approvals on one unit, all-or-nothing), [`issued`] (the
//!   documents approvals issue and the history of record changes), [`record_change`] (applying
//!   an approved record change, keeping the old values).
//! - access: [`access`] (what a role with its scope may read and do).
//! - the bureau's signed acts: [`act`] (establishment, units, leadership posts, roster import,
//!   verification), with the rules that need no database; [`roster`] (the roster file of the
//!   data-verification phase: its columns, every cell checked, the digest an import signs).
//! - signing: [`payload`] (what each application asks), [`envelope`] (the signed envelope),
//!   [`decision`] (a reviewer's signed decision on an application), [`canonical`] (RFC 8785
//!   canonical bytes, SHA-256, base64url).
#![forbid(unsafe_code)]

#[macro_use]
mod macros;

pub mod access;
pub mod act;
pub mod application;
pub mod book;
pub mod calendar;
pub mod canonical;
pub mod certificate;
pub mod credit_code;
pub mod date;
pub mod decision;
pub mod document_number;
pub mod envelope;
pub mod error;
pub mod establishment;
#[cfg(test)]
mod fixtures;
pub mod headcount;
pub mod id_number;
pub mod ids;
pub mod issued;
pub mod ledger;
pub mod payload;
pub mod person;
#[cfg(test)]
mod properties;
pub mod record_change;
pub mod region;
pub mod registry;
pub mod role;
pub mod roster;
pub mod slip;
pub mod unit;

pub use access::{Grant, Scope};
pub use application::{
    Action, ApplicationKind, ApplicationStatus, Deadline, Lifecycle, TransitionError,
};
pub use book::{ApprovalError, UnitBook};
pub use calendar::HolidayCalendar;
pub use certificate::Certificate;
pub use credit_code::CreditCode;
pub use date::{Date, Timestamp, Weekday};
pub use decision::{DecisionError, DecisionHeader, SignedDecision};
pub use document_number::DocumentNumber;
pub use envelope::{EnvelopeError, EnvelopeHeader, SignedEnvelope, TimeWindow};
pub use error::{Field, ValidationError};
pub use establishment::{EstablishmentCategory, FundingForm};
pub use headcount::{Headcount, HeadcountDelta};
pub use id_number::{IdNumber, Sex};
pub use ids::{ApplicationId, ClientId, CredentialId, DecisionId, Name, UnitId, UserId};
pub use issued::{IssuedDocument, NoticePerson, RecordChangeEntry};
pub use ledger::{Figures, LedgerError, LedgerRow, UnitLedger};
pub use payload::ApplicationPayload;
pub use record_change::RecordChangeError;
pub use region::{Bureau, Region};
pub use registry::{PostHolding, PostRegistry, RegistryError};
pub use role::Role;
pub use slip::{
    IssuedDocumentKind, Numbering, NumberingScheme, QuotaUseSlip, SlipError, SlipState,
    SlipValidity,
};

/// The product's name as the interface shows it.
pub const PRODUCT_NAME_ZH: &str = "电子编制管理证";
