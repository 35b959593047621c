//! Pieces of the interface shared by pages.

pub mod connectivity_badge;
pub mod layout;
pub mod my_applications;
pub mod sync_status;
pub mod table;
pub mod withdraw;
