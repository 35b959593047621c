//! The staffing-certificate server: library plus a thin `main`.
//!
//! Architecture invariant: only this crate talks to the database, all of it through [`db`], and
//! knows webauthn-rs. It is the authority on every figure of the ledger.
#![forbid(unsafe_code)]

pub mod clock;
pub mod config;
pub mod db;
pub mod demo_data;
pub mod error;
pub mod identity;
pub mod openapi;
pub mod roster;
pub mod routes;
pub mod signed;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod sync;
pub mod telemetry;
