//! The client's bundles: which pages each one has. Each bundle is a binary of this crate
//! (`src/main.rs`, `src/bin/*.rs`) built by Trunk into a folder of its own and served at its
//! path prefix, so that a holder downloads the pages of their work, not every page (issue 10:
//! each bundle's gzipped size is budgeted in `xtask/src/budget.rs`):
//!
//! - [`MAIN`] at `/` (`dist/`): signing in and enrolment, and the clerk's work — the
//!   certificate, applications, print views;
//! - [`REPORTS`] at `/reports` (`dist/reports/`): the reports and the structure analysis, which
//!   every role opens now and then;
//! - [`REVIEW`] at `/review` (`dist/review/`): the review workspace of supervising departments
//!   and the bureau's reviewers;
//! - [`ADMIN`] at `/admin/` (`dist/admin/`): the bureau's pages.
//!
//! The server answers a path with the shell of the folder its first segment names, if there is
//! one, else the main bundle's (`server/src/static_files.rs`); a link to a page of another
//! bundle is a full page load (`router`). Every bundle shares one store, one session and one
//! sync engine (the same code, the same IndexedDB database and schema version), and one
//! service worker precaches every bundle, so that each role works offline.
//!
//! A page is added to a bundle with one line here (a path under the bundle's prefix; a page of
//! `/admin/…` in [`ADMIN`]). Only what a bundle's table names is linked into its wasm.

use leptos::prelude::*;

use crate::pages::admin::{
    acts::Acts, dashboard::Dashboard, holders::Holders, verification::Verification,
};
use crate::pages::{
    apply::Apply, certificate::CertificatePage, certificate::person::PersonPage, enrol::Enrol,
    print::PrintPage, reports::ReportsPage, review::Review, sign_in::SignIn,
};
use crate::router::Page;

/// The main bundle, at `/`: what every holder opens first, and the clerk's work.
pub const MAIN: &[Page] = &[
    Page::at("/", || view! { <SignIn/> }.into_any()),
    Page::at("/sign-in", || view! { <SignIn/> }.into_any()),
    Page::at("/enrol", || view! { <Enrol/> }.into_any()),
    Page::at("/apply", || view! { <Apply/> }.into_any()),
    Page::at("/certificate", || view! { <CertificatePage/> }.into_any()),
    Page::under("/certificate/", || view! { <CertificatePage/> }.into_any()),
    Page::under("/person/", || view! { <PersonPage/> }.into_any()),
    Page::at("/print", || view! { <PrintPage/> }.into_any()),
];

/// The reports, at `/reports` (`dist/reports/`).
pub const REPORTS: &[Page] = &[Page::at("/reports", || view! { <ReportsPage/> }.into_any())];

/// The review workspace, at `/review` (`dist/review/`).
pub const REVIEW: &[Page] = &[Page::at("/review", || view! { <Review/> }.into_any())];

/// The bureau's pages, at `/admin/` (`dist/admin/`).
pub const ADMIN: &[Page] = &[
    Page::at("/admin/oversight", || view! { <Dashboard/> }.into_any()),
    Page::at("/admin/holders", || view! { <Holders/> }.into_any()),
    Page::at("/admin/acts", || view! { <Acts/> }.into_any()),
    Page::at("/admin/verification", || {
        view! { <Verification/> }.into_any()
    }),
];
