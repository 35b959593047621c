//! The one integration-test binary (one binary links once: compile time matters on two cores).
//!
//! Modules:
//! - `acts_browser`: the bureau administrator's signed acts (issue 14, 管理文书) in headless
//!   Chromium — an establishment change raises the clerk's vacancy after a pull, over-filling
//!   refused in the form and by the server (reason shown, nothing typed lost), a merger that
//!   empties the clerk's store of the absorbed unit, a county admin kept to the county's units,
//!   a unit created and leadership posts set; screenshots of every kind in both languages.
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
//! - `authorization`: the authorization matrix — every operation of the OpenAPI document ×
//!   every role in and out of scope, and anonymous, with the exact outcome of each cell.
//! - `browser`: the client in headless Chromium — sign-in page, offline start, reachability,
//!   and the virtual security key.
//! - `identity`: enrol, sign in, sign an application offline and see it accepted after a
//!   restart — in headless Chromium with a virtual security key.
//! - `identity_api`: enrolment, sign-in, sessions, CSRF, scopes, revocation and signed envelopes
//!   over HTTP with a software security key.
//! - `interleavings`: property tests against the server (issue 15) — seeded random
//!   interleavings of applications, decisions, withdrawals, replays and relayed copies; after
//!   every step the stored figures equal a recount, filled + reserved ≤ approved, one ID
//!   number holds one post, and a repeat changes nothing.
//! - `language_api`: the server's messages in both interface languages — verdicts (and their
//!   repeats) and error bodies carry `message` and `message_en`.
//! - `certificate_browser`: the whole certificate offline in headless Chromium (issue 12) —
//!   every section of a unit against the server's certificate, the organisation chart, an
//!   affiliate's certificate, a person's page, a city of 10,000 filtered by name and category;
//!   screenshots in both languages at 1366×768.
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
//! - `documents_api`: documents anyone can check (issue 13) — a slip signed at issuance verifies
//!   with the published keys and with OpenSSL 3's SM2; altered bytes and foreign keys are not
//!   genuine; anonymous checks see no personal data; voiding by a reviewer's signed decision;
//!   the signed audit head, `export-audit` and `verify-audit --file` naming the first broken
//!   entry.
//! - `fuzz`: hostile bytes (issue 15) — the parsers of envelopes, decisions and acts and the
//!   canonical-form check on raw and mutated documents (proptest, fixed seed), and the same
//!   POSTed to the server signed by real keys and as whole bodies: no panic, no 5xx
//!   (`cargo xtask fuzz --seconds N` runs longer).
//! - `hostile_api`: hostile input over HTTP — sign-in assertions with the clientData of a
//!   cross-origin frame, a body over the size limit.
//! - `documents_browser`: documents anyone can check, in headless Chromium — a slip's signed QR
//!   code on the print view (read back from the SVG), the verification page at `/verify/`
//!   online, for anyone and offline (genuine; altered, truncated, forged: not genuine), a
//!   reviewer's voiding in the review pages ("void"), and the auditor's page on an exported
//!   chain (an altered entry named).
//! - `openapi`: the OpenAPI document at `/api/openapi.json` — paths and rejection codes.
//! - `operations`: `server backup` of a running server restored into a fresh data directory
//!   (audit chain and every count kept), damaged, foreign and newer files refused, and the
//!   upgrade of a database made by an earlier release (`tests/fixtures/upgrade/`).
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

mod acts_browser;
mod admin_api;
mod admin_browser;
mod api;
mod approvals_api;
mod authorization;
mod browser;
mod certificate_browser;
mod clerk_browser;
mod cycle_browser;
mod decisions_api;
mod documents_api;
mod documents_browser;
mod fuzz;
mod hostile_api;
mod identity;
mod identity_api;
mod interleavings;
mod language_api;
mod openapi;
mod operations;
mod reports_browser;
mod review_browser;
mod sync_api;
mod sync_browser;
mod verification_browser;
