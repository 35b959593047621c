//! Pieces of the interface shared by pages.

pub mod connectivity_badge;
pub mod layout;
pub mod sync_status;
