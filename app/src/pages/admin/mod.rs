//! The bureau's pages (`/admin/…`), kept in this folder alone so that a later change can move
//! them into a bundle of their own: the oversight dashboard ([`dashboard`], its figures in
//! [`oversight`]) and the key holders' register (使用人员备案, [`holders`]).

pub mod dashboard;
pub mod holders;
pub mod oversight;
