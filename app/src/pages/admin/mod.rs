//! The bureau's pages (`/admin/…`), kept in this folder alone so that a later change can move
//! them into a bundle of their own: the oversight dashboard ([`dashboard`], its figures in
//! [`oversight`]), the key holders' register (使用人员备案, [`holders`]) and the
//! data-verification phase (数据核实, [`verification`]); [`sign_act`] signs and sends an act.

pub mod dashboard;
pub mod holders;
pub mod oversight;
pub mod sign_act;
pub mod verification;
