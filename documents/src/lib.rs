//! Documents anyone can check: the issued slips and notices in their one signed form, the
//! bureaus' SM2 keys, the QR content and its verdict, and the audit chain's signed head and
//! export. Pure Rust with no I/O: the server signs with it, the browser client (wasm32) and
//! any third party verify with it, offline.
//!
//! - [`form`]: [`DocumentForm`], the canonical form (RFC 8785 JSON) of a quota-use slip,
//!   onboarding or offboarding notice;
//! - [`key`]: SM2 with SM3 and signer ID `1234567812345678`, DER signatures, key ids,
//!   [`PublishedKey`];
//! - [`qr`]: the QR content `DZ1.<document>.<key id>.<signature>`, [`qr::verify`] → [`Verdict`]
//!   naming what failed;
//! - [`status`]: [`DocumentStatus`] (current, used, void, lapsed);
//! - [`audit`]: entry hashes, the signed head, the export file and [`audit::verify_export`],
//!   which names the first broken entry.
#![forbid(unsafe_code)]

pub mod audit;
pub mod form;
pub mod key;
pub mod qr;
pub mod status;

pub use form::{DocumentForm, MaskedPerson, Particulars};
pub use key::{DocumentSigningKey, KeyId, PublishedKey, SIGNER_ID};
pub use qr::{Failure, SignedDocument, Verdict};
pub use status::DocumentStatus;
