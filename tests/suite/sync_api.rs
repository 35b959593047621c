//! Pull over real HTTP with software security keys: a first sync is a snapshot of exactly the
//! holder's scope (a clerk's unit and its affiliates, a county's units, the whole city over
//! several pages with progress), then a cursor brings just what changed since — an application
//! and the certificate whose ledger its approval changed; an unknown, garbled or foreign cursor
//! starts again from a snapshot; no session, no pull.
//!
//! Key holders, their client and filing come from the shared harness (`tests::keys`,
//! `tests::filing`, set up by `tests::scenario`); schema reads from `tests::schema`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use domain::Action;
use domain::canonical::{base64url, base64url_decode};
use domain::certificate::Certificate;
use protocol::ErrorBody;
use protocol::identity::{DecisionVerdict, VerdictStatus};
use protocol::sync::{Change, PullResponse, SYNC_PULL_PATH};
use tests::filing::vacant_category;
use tests::keys::{ApiClient, KeyHolder};
use tests::scenario::{City, Review};
use tests::schema::{self, audit_details};

type Client = ApiClient;
type Holder = KeyHolder;

/// Pulling, beyond the shared client.
trait Pulling {
    async fn pull_raw(&self, query: &[(&str, &str)]) -> reqwest::Response;
    async fn pull(&self, cursor: Option<&str>) -> PullResponse;
}

impl Pulling for ApiClient {
    /// `GET /api/sync/pull` with these query parameters, as sent.
    async fn pull_raw(&self, query: &[(&str, &str)]) -> reqwest::Response {
        self.with_session(
            self.http
                .get(format!("{}{SYNC_PULL_PATH}", self.base))
                .query(query),
        )
        .send()
        .await
        .unwrap()
    }

    /// One page after `cursor`; asserts success.
    async fn pull(&self, cursor: Option<&str>) -> PullResponse {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        let response = self.pull_raw(&query).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

/// Signs and sends a decision; asserts it was accepted.
async fn decide_accepted(
    holder: &mut Holder,
    id: &str,
    application: &str,
    action: Action,
) -> DecisionVerdict {
    let verdict = holder.decide(id, application, action, "同意").await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    verdict
}

/// What a whole first sync brought.
struct Synced {
    pages: Vec<PullResponse>,
    /// Certificates by unit, each parsed (and so validated) as a `domain` certificate.
    certificates: BTreeMap<String, Certificate>,
    /// How many times each unit's certificate came.
    times: BTreeMap<String, usize>,
    /// Applications by id: (unit, status).
    applications: BTreeMap<String, (String, String)>,
    cursor: String,
}

/// Pulls from `cursor` until `complete`, as the client does.
async fn sync(client: &Client, cursor: Option<&str>) -> Synced {
    sync_by(client, cursor, None).await
}

/// [`sync`] with pages of at most `limit` records.
async fn sync_by(client: &Client, cursor: Option<&str>, limit: Option<&str>) -> Synced {
    let mut synced = Synced {
        pages: Vec::new(),
        certificates: BTreeMap::new(),
        times: BTreeMap::new(),
        applications: BTreeMap::new(),
        cursor: cursor.unwrap_or_default().to_owned(),
    };
    let mut cursor = cursor.map(str::to_owned);
    loop {
        assert!(synced.pages.len() < 1000, "the pull never completes");
        let mut query: Vec<(&str, &str)> = limit.map(|l| ("limit", l)).into_iter().collect();
        query.extend(cursor.as_deref().map(|c| ("cursor", c)));
        let response = client.pull_raw(&query).await;
        assert_eq!(response.status(), 200);
        let page: PullResponse = response.json().await.unwrap();
        for change in &page.changes {
            match change {
                Change::Certificate {
                    unit_id,
                    certificate,
                } => {
                    let certificate: Certificate = serde_json::from_str(certificate.get()).unwrap();
                    assert_eq!(certificate.unit.id.as_str(), unit_id);
                    *synced.times.entry(unit_id.clone()).or_default() += 1;
                    synced.certificates.insert(unit_id.clone(), certificate);
                }
                Change::Application {
                    application_id,
                    unit_id,
                    status,
                    ..
                } => {
                    synced
                        .applications
                        .insert(application_id.clone(), (unit_id.clone(), status.clone()));
                }
                Change::UnitRemoved { unit_id, .. } => {
                    synced.certificates.remove(unit_id);
                }
                Change::Verification { .. } => {}
            }
        }
        cursor = Some(page.cursor.clone());
        let complete = page.complete;
        synced.pages.push(page);
        if complete {
            break;
        }
    }
    synced.cursor = cursor.unwrap_or_default();
    synced
}

/// Every unit's id.
async fn all_units(city: &City) -> BTreeSet<String> {
    city.units().await.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_clerk_pulls_only_their_unit_its_affiliates_and_their_applications() {
    let city = City::start().await;
    let pool = &city.pool;
    // A unit with affiliated institutions, and a unit outside its family with a vacancy.
    let parent = schema::first_unit_with_affiliates(pool).await;
    let family = schema::unit_family(pool, &parent).await;
    assert!(family.len() >= 2, "{family:?}");
    // A unit of another family (not the parent's own parent either).
    let other = schema::unit_outside_family(pool, &parent).await;
    // Push refuses a request the vacancy cannot cover: each unit files in a category with room
    // for what it asks for (the parent one post, the neighbour two).
    let category = vacant_category(pool, &parent, 1).await;
    let neighbour_category = vacant_category(pool, &other, 2).await;

    let mut clerk = city.clerk("clerk", &parent).await;
    let mut neighbour = city.clerk("neighbour", &other).await;
    neighbour
        .file_quota_use("app-neighbour", &other, neighbour_category, 1)
        .await;

    let synced = sync(&clerk.client, None).await;
    assert!(synced.pages[0].reset, "a first pull starts from a snapshot");
    assert_eq!(synced.pages.len(), 1, "a clerk's scope fits one page");
    let got: BTreeSet<String> = synced.certificates.keys().cloned().collect();
    assert_eq!(got, family);
    assert!(synced.times.values().all(|n| *n == 1));
    assert!(synced.applications.is_empty(), "{:?}", synced.applications);
    let progress = synced.pages[0].progress.unwrap();
    assert_eq!(progress.done_units, family.len() as u64);
    assert_eq!(progress.total_units, family.len() as u64);

    // The clerk's own application comes on the next pull; the neighbour's never does.
    clerk.file_quota_use("app-own", &parent, category, 1).await;
    neighbour
        .file_quota_use("app-neighbour-2", &other, neighbour_category, 1)
        .await;
    let next = sync(&clerk.client, Some(&synced.cursor)).await;
    assert!(!next.pages[0].reset);
    assert_eq!(
        next.applications
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["app-own"]
    );
    assert_eq!(next.applications["app-own"].1, "submitted");
    assert!(next.certificates.is_empty());
    // The clerk read its affiliates' personal data: audited, counts only.
    let audits = audit_details(pool, "sync.pull").await;
    assert_eq!(audits.len(), 1, "{audits:?}");
    assert_eq!(audits[0]["certificates"], family.len());
    let keys: BTreeSet<&str> = audits[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "applications",
            "certificates",
            "complete",
            "people",
            "reset"
        ])
    );

    // The neighbour's clerk sees the neighbour's unit and applications, never the clerk's.
    let theirs = sync(&neighbour.client, None).await;
    assert!(theirs.certificates.contains_key(other.as_str()));
    assert!(theirs.applications.contains_key("app-neighbour"));
    assert!(!theirs.applications.contains_key("app-own"));
    assert!(!theirs.certificates.contains_key(parent.as_str()));

    // A snapshot carries the applications of the units in scope.
    let again = sync(&clerk.client, None).await;
    assert!(again.pages[0].reset);
    assert_eq!(
        again
            .applications
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["app-own"]
    );
    assert_eq!(again.applications["app-own"].0, parent.as_str());
}

#[tokio::test]
async fn a_county_reviewer_pulls_exactly_the_units_of_the_county() {
    let city = City::start().await;
    let county = schema::units_in_region(&city.pool, "620502").await;
    let all = all_units(&city).await;
    assert!(!county.is_empty() && county.len() < all.len(), "{county:?}");
    let reviewer = city
        .holder("qinzhou", "bureau_reviewer", "region:620502")
        .await;
    let synced = sync(&reviewer.client, None).await;
    assert!(synced.pages[0].reset);
    assert_eq!(
        synced.certificates.keys().cloned().collect::<BTreeSet<_>>(),
        county
    );
    for certificate in synced.certificates.values() {
        assert_eq!(certificate.unit.region.division_code(), "620502");
    }
    // Every pull page with certificates is audited.
    let audits = audit_details(&city.pool, "sync.pull").await;
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0]["certificates"], county.len());
    assert_eq!(audits[0]["reset"], true);
}

/// A city reviewer's first sync of a city of 3,000 people: several pages, monotone progress,
/// every unit exactly once, everyone on the staff lists there.
#[tokio::test]
async fn a_city_reviewers_first_sync_of_thousands_of_people_completes_over_several_pages() {
    let city = City::start_configured(|c| {
        c.demo = Some(server::config::DemoConfig {
            size: "small".into(),
            seed: 7,
        });
    })
    .await;
    let all = all_units(&city).await;
    let people = schema::staff_count(&city.pool).await;
    assert!(people >= 2_000, "{people}");
    let reviewer = city.reviewer("city").await;

    let started = Instant::now();
    let synced = sync(&reviewer.client, None).await;
    let took = started.elapsed();
    let pages = synced.pages.len();
    eprintln!(
        "first pull of {} units and {people} people: {pages} pages in {took:?}",
        all.len()
    );
    assert!(pages >= 2, "{pages} page(s)");
    assert!(synced.pages[0].reset);
    assert!(synced.pages[1..].iter().all(|p| !p.reset));
    assert!(synced.pages.iter().all(|p| p.changes.len() <= 2_000 + 1));
    let mut last = 0;
    for page in &synced.pages {
        if let Some(progress) = page.progress {
            assert_eq!(progress.total_units, all.len() as u64);
            assert!(progress.done_units > last, "progress goes forward");
            last = progress.done_units;
        }
    }
    assert_eq!(last, all.len() as u64);
    assert_eq!(
        synced.certificates.keys().cloned().collect::<BTreeSet<_>>(),
        all
    );
    assert!(synced.times.values().all(|n| *n == 1), "each unit once");
    let staff: usize = synced.certificates.values().map(|c| c.staff.len()).sum();
    assert_eq!(staff as i64, people);
    assert_eq!(audit_details(&city.pool, "sync.pull").await.len(), pages);
    assert!(took < Duration::from_secs(60), "{took:?}");

    // Smaller pages: more of them, the same result.
    let small = sync_by(&reviewer.client, None, Some("400")).await;
    assert!(
        small.pages.len() >= 3000 / 400,
        "{} pages",
        small.pages.len()
    );
    let progress: Vec<u64> = small
        .pages
        .iter()
        .filter_map(|p| p.progress.map(|p| p.done_units))
        .collect();
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
    assert_eq!(small.certificates, synced.certificates);
    assert!(small.times.values().all(|n| *n == 1));
}

#[tokio::test]
async fn the_previous_cursor_brings_just_the_new_application_and_the_changed_ledger() {
    let city = City::start().await;
    let Review {
        unit,
        category,
        mut clerk,
        mut supervisor,
        mut reviewer,
        ..
    } = city.review().await;
    let before = sync(&reviewer.client, None).await;
    let clerk_before = sync(&clerk.client, None).await;
    let reserved_before = before.certificates[unit.as_str()]
        .ledger
        .figures(category)
        .reserved
        .get();
    // Caught up: the same cursor again brings nothing.
    let idle = reviewer.client.pull(Some(&before.cursor)).await;
    assert!(!idle.reset && idle.complete && idle.changes.is_empty());
    assert_eq!(
        idle.holder_id, reviewer.id,
        "a page names whose scope it is"
    );

    clerk.file_quota_use("app-sync", &unit, category, 1).await;
    decide_accepted(&mut supervisor, "d-endorse", "app-sync", Action::Endorse).await;
    let approved = decide_accepted(&mut reviewer, "d-approve", "app-sync", Action::Approve).await;
    let slip = approved.slip_number.clone().expect("a slip");

    for (who, cursor) in [
        ("reviewer", &before.cursor),
        ("clerk", &clerk_before.cursor),
    ] {
        let client = if who == "reviewer" {
            &reviewer.client
        } else {
            &clerk.client
        };
        let page = client.pull(Some(cursor)).await;
        assert!(!page.reset && page.complete, "{who}");
        assert!(page.progress.is_none(), "{who}");
        assert_eq!(page.changes.len(), 2, "{who}: {:?}", page.changes);
        let mut saw_application = false;
        let mut saw_certificate = false;
        for change in &page.changes {
            match change {
                Change::Application {
                    application_id,
                    unit_id,
                    kind,
                    status,
                    slip_number,
                    ..
                } => {
                    assert_eq!(application_id, "app-sync");
                    assert_eq!(unit_id, unit.as_str());
                    assert_eq!(kind, "quota_use");
                    assert_eq!(status, "approved", "the current state, once");
                    assert_eq!(slip_number.as_deref(), Some(slip.as_str()));
                    saw_application = true;
                }
                Change::Certificate {
                    unit_id,
                    certificate,
                } => {
                    assert_eq!(unit_id, unit.as_str());
                    let certificate: Certificate = serde_json::from_str(certificate.get()).unwrap();
                    assert_eq!(
                        certificate.ledger.figures(category).reserved.get(),
                        reserved_before + 1
                    );
                    saw_certificate = true;
                }
                other => panic!("{who}: unexpected {other:?}"),
            }
        }
        assert!(saw_application && saw_certificate, "{who}");
        // And after it, nothing more.
        let after = client.pull(Some(&page.cursor)).await;
        assert!(after.complete && after.changes.is_empty(), "{who}");
    }
}

/// Decodes a cursor's JSON, lets `edit` change it, encodes it again.
fn tampered(cursor: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut json: serde_json::Value =
        serde_json::from_slice(&base64url_decode(cursor).unwrap()).unwrap();
    edit(&mut json);
    base64url(&serde_json::to_vec(&json).unwrap())
}

#[tokio::test]
async fn unknown_garbled_foreign_and_future_cursors_start_again_from_a_snapshot() {
    let city = City::start().await;
    let other_city = City::start().await;
    let reviewer = city
        .holder("reviewer", "bureau_reviewer", "region:620502")
        .await;
    let synced = sync(&reviewer.client, None).await;
    let good = synced.cursor.clone();
    assert!(!reviewer.client.pull(Some(&good)).await.reset);

    let mut bad = vec![
        "garbage!".to_owned(),
        "Zm9v".to_owned(), // "foo"
        base64url(b"{\"v\":1}"),
        format!("{good}="),
        "A".repeat(5000),
    ];
    bad.push(tampered(&good, |j| j["v"] = 9.into()));
    bad.push(tampered(&good, |j| {
        j["phase"]["log"]["version"] = 1_000_000.into()
    }));
    bad.push(tampered(&good, |j| j["scope"] = "region:620500".into()));
    bad.push(tampered(&good, |j| j["epoch"] = "00".repeat(16).into()));
    for cursor in &bad {
        let page = reviewer.client.pull(Some(cursor)).await;
        assert!(page.reset, "{cursor}");
        assert!(page.progress.is_some(), "{cursor}");
        assert!(!page.changes.is_empty(), "{cursor}");
    }

    // The same city, the same scope, another database: its cursors are unknown here.
    let elsewhere = other_city
        .holder("reviewer", "bureau_reviewer", "region:620502")
        .await;
    let page = elsewhere.client.pull(Some(&good)).await;
    assert!(page.reset);
    // A holder of another scope on the same database cannot continue this cursor either.
    let city_reviewer = city.reviewer("city").await;
    assert!(city_reviewer.client.pull(Some(&good)).await.reset);

    // A bad limit is a bad request; a large one is lowered.
    for limit in ["0", "-1", "many"] {
        let response = reviewer.client.pull_raw(&[("limit", limit)]).await;
        assert_eq!(response.status(), 400, "{limit}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "bad_request");
    }
    let response = reviewer.client.pull_raw(&[("limit", "999999999")]).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn pulling_needs_a_session() {
    let city = City::start().await;
    let anonymous = Client::new(&city.server);
    let response = anonymous.pull_raw(&[]).await;
    assert_eq!(response.status(), 401);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, "unauthenticated");
    let mut stale = Client::new(&city.server);
    stale.cookie = Some("dzbz_session=not-a-session".into());
    assert_eq!(stale.pull_raw(&[]).await.status(), 401);
}
