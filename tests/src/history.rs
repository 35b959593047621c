//! A demo city with a little history, the same every time: what the backup test restores and
//! what the upgrade fixture (`tests/fixtures/upgrade/`) is made of — units and people from the
//! tiny demo city, key holders of every deciding role, and applications with their decisions:
//! a quota-use request endorsed and approved (its one-post slip then used by an approved
//! onboarding, so nothing lapses later), one rejected with a note, one endorsed and waiting, and
//! an onboarding waiting.

use domain::payload::{ApplicationPayload, OnboardingRequest};
use domain::{Action, DocumentNumber, EstablishmentCategory};
use protocol::identity::VerdictStatus;

use crate::filing::new_person;
use crate::scenario::{City, Review};
use crate::schema;

/// The applications [`make`] leaves, with the status each ends in.
pub const APPLICATIONS: [(&str, &str); 5] = [
    ("hist-q1", "approved"),
    ("hist-on1", "approved"),
    ("hist-q2", "rejected"),
    ("hist-q3", "endorsed"),
    ("hist-on2", "submitted"),
];

/// Makes the history in `city` (its `review` scenario): see the module documentation.
pub async fn make(city: &City) -> Review {
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    let accepted = |status: VerdictStatus, what: &str| {
        assert_eq!(status, VerdictStatus::Accepted, "{what}");
    };
    // A quota-use request endorsed and approved: a slip of one post.
    review
        .clerk
        .file_quota_use("hist-q1", &unit, category, 1)
        .await;
    let v = review
        .supervisor
        .decide("hist-q1-e", "hist-q1", Action::Endorse, "同意上报")
        .await;
    accepted(v.status, "endorse hist-q1");
    let v = review
        .reviewer
        .decide("hist-q1-a", "hist-q1", Action::Approve, "同意")
        .await;
    accepted(v.status, "approve hist-q1");
    let slip = v.slip_number.expect("a slip");
    // An onboarding on it, approved: the slip is used up.
    let person = newcomer(city, category, 990).await;
    let onboarding = |person| {
        ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
            slip_number: DocumentNumber::parse(&slip).expect("a slip number"),
            person,
            hr_document: None,
        }))
    };
    let v = review
        .clerk
        .file("hist-on1", &unit, &onboarding(person))
        .await;
    accepted(v.status, "file hist-on1");
    let v = review
        .reviewer
        .decide("hist-on1-a", "hist-on1", Action::Approve, "")
        .await;
    accepted(v.status, "approve hist-on1");
    // One rejected with a note, one endorsed and waiting.
    review
        .clerk
        .file_quota_use("hist-q2", &unit, category, 1)
        .await;
    let v = review
        .supervisor
        .decide("hist-q2-r", "hist-q2", Action::Reject, "编制已满，不予上报")
        .await;
    accepted(v.status, "reject hist-q2");
    review
        .clerk
        .file_quota_use("hist-q3", &unit, category, 1)
        .await;
    let v = review
        .supervisor
        .decide("hist-q3-e", "hist-q3", Action::Endorse, "同意上报")
        .await;
    accepted(v.status, "endorse hist-q3");
    // An onboarding waiting (its slip is used up: the reviewer would refuse it).
    let person = newcomer(city, category, 991).await;
    let v = review
        .clerk
        .file("hist-on2", &unit, &onboarding(person))
        .await;
    accepted(v.status, "file hist-on2");
    for (id, status) in APPLICATIONS {
        assert_eq!(
            schema::application_status(&city.pool, id).await,
            status,
            "{id}"
        );
    }
    review
}

/// A person of `category` holding no post, with an ID number from `sequence` on.
async fn newcomer(
    city: &City,
    category: EstablishmentCategory,
    sequence: u16,
) -> domain::person::Person {
    for sequence in sequence..sequence + 20 {
        let person = new_person("1990-05-01", sequence, category);
        if !schema::holds_post(&city.pool, person.id_number.as_str()).await {
            return person;
        }
    }
    panic!("no free ID number");
}
