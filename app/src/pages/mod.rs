//! One module per routed page.

pub mod admin;
pub mod apply;
pub mod certificate;
pub mod enrol;
pub mod not_found;
pub mod review;

pub mod print;
pub mod reports;
pub mod sign_in;
