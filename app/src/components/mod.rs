//! Pieces of the interface shared by pages.

pub mod connectivity_badge;
pub mod layout;
pub mod outbox_item;
pub mod sync_status;
pub mod withdraw;
