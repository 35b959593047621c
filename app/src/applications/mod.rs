//! Applications as the client knows them: the ones signed here (the outbox) and their fate,
//! the ones the server tracks (converted from the pull at the edge), the quota-use form, and
//! signing an application into the outbox; decisions signed into the same outbox
//! ([`decision`], [`deciding`]).

pub mod acting;
pub mod deciding;
pub mod decision;

pub mod form;
pub mod outbox;
pub mod quota_form;
pub mod registration;
pub mod signing;
pub mod tracked;
