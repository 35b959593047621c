//! The one integration-test binary (one binary links once: compile time matters on two cores).
//!
//! Modules:
//! - `admin_api`: the bureau runs the system (issue 14) — key holders registered, enrolled with
//!   their own code, revoked, suspended; demo keys in production; signed establishment changes,
//!   a merger's tombstone, abolition refused, verification confirmed, a county admin's limits.
//! - `admin_browser`: the bureau's pages (issue 14) in headless Chromium — the oversight
//!   dashboard offline: a unit over establishment and a late offboarding among the alerts, the
//!   ledger by region with its drill-down, the .xlsx export read back; screenshots.
//! - `api`: the HTTP surface without a browser — health, errors, headers, caching.
//! - `approvals_api`: what approvals do (issue 11) — onboarding, offboarding, record change,
//!   withdrawal, two reviewers at once, slips that lapse, late filings, approvals left unapplied
//!   settled at start, and what the pull carries of them.
//! - `browser`: the client in headless Chromium — sign-in page, offline start, reachability,
//!   and the virtual security key.
//! - `identity`: enrol, sign in, sign an application offline and see it accepted after a
//!   restart — in headless Chromium with a virtual security key.
//! - `identity_api`: enrolment, sign-in, sessions, CSRF, scopes, revocation and signed envelopes
//!   over HTTP with a software security key.
//! - `clerk_browser`: the clerk's pages in headless Chromium — an onboarding filed against an
//!   approved slip (printed), an offboarding, a record change with old → new, a draft across a
//!   reload, a bad ID number named with everything typed kept; screenshots in both languages.
//! - `cycle_browser`: the whole cycle with three virtual security keys (clerk, supervisor,
//!   bureau reviewer), every decision in the browser — quota use filed offline, endorsed,
//!   approved, printed; onboarding, offboarding, record change approved with their effects on
//!   the certificate; a return revised and approved; a slip that lapses when the server's
//!   clock passes its validity (已失效, its post released, no longer offered to an onboarding);
//!   an onboarding with a 身份证号 in a post elsewhere, refused at the reviewer's approval.
//! - `decisions_api`: signed decisions (endorse, approve, return, reject) over HTTP with software
//!   security keys — the lifecycle, scopes, the ledger reservation and the numbered slip — and
//!   the vacancy a pushed quota-use request needs, with two clerks racing for the last post.
//! - `openapi`: the OpenAPI document at `/api/openapi.json` — paths and rejection codes.
//! - `reports_browser`: the reports and the structure analysis offline in headless Chromium —
//!   each on screen, exported as .xlsx (read back with calamine) and .csv, compared with the
//!   server's certificates; screenshots in both languages.
//! - `review_browser`: the supervising department and the bureau in headless Chromium — the
//!   review queue, one submission on one screen, decisions signed (offline too) and pushed,
//!   a return's comment reaching the clerk, two reviewers deciding the same application.
//! - `sync_browser`: offline-first sync in headless Chromium — the IndexedDB queue across a
//!   reload, a push of 200 cut by killing the server process, rejections and revision, two
//!   clerks filing for the last vacancy, a large pull shown in the roster, one syncing tab,
//!   a sign-in in another tab that switches every tab without mixing two holders' stores, an
//!   envelope the server fails on that holds up only itself, a full disk told and nothing
//!   reported as saved, signing out on a shared computer that clears all but what waits.
//! - `sync_api`: pull over HTTP — snapshots of exactly the holder's scope, paging with progress,
//!   changes after a cursor, resets on unknown or foreign cursors.

mod admin_api;
mod admin_browser;
mod api;
mod approvals_api;
mod browser;
mod clerk_browser;
mod cycle_browser;
mod decisions_api;
mod identity;
mod identity_api;
mod openapi;
mod reports_browser;
mod review_browser;
mod sync_api;
mod sync_browser;
