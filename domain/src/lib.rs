//! The rules of establishment control (编制管理), once, for the client and the server.
//!
//! Architecture invariant: this crate depends on no other crate of ours, does no I/O and
//! nothing async, and builds for `wasm32-unknown-unknown` as well as natively.
#![forbid(unsafe_code)]

/// The product's name as the interface shows it.
pub const PRODUCT_NAME_ZH: &str = "电子编制管理证";
