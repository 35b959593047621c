//! The bureau's pages (`/admin/…`), kept in this folder alone so that a later change can move
//! them into a bundle of their own: the oversight dashboard ([`dashboard`], its figures in
//! [`oversight`]), the key holders' register (使用人员备案, [`holders`]), the signed acts on
//! establishment and units (管理文书, [`acts`]) and the data-verification phase (数据核实,
//! [`verification`]); acts are built and signed by `applications::acting`.

pub mod acts;
pub mod dashboard;
pub mod holders;
pub mod oversight;
pub mod verification;
