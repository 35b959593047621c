//! Signed decisions over real HTTP with software security keys: a clerk files a quota-use
//! request, the supervising department endorses it, the bureau approves it with a signed
//! decision — the posts are reserved and a numbered slip is issued — and every refusal has its
//! code: out of scope, the lifecycle, no vacancy, a missing note, another key's signature, a
//! repeat.
//!
//! Key holders and their HTTP client come from the shared harness (`tests::keys`).

use std::collections::BTreeSet;

use domain::{Action, DocumentNumber, EstablishmentCategory, UnitId};
use protocol::identity::{DecisionVerdict, SignedSubmission, VerdictStatus};
use tests::filing::unit_with_vacancy;
use tests::keys::KeyHolder;
use tests::server::TestServer;

type Holder = KeyHolder;

async fn holder(server: &TestServer, login: &str, role: &str, scope: &str) -> Holder {
    KeyHolder::signed_in(server, login, role, scope).await
}

async fn reserved(pool: &sqlx::SqlitePool, unit: &UnitId, category: EstablishmentCategory) -> u32 {
    let certificate = server::db::certificates::read(pool, unit)
        .await
        .unwrap()
        .unwrap();
    certificate.ledger.figures(category).reserved.get()
}

async fn application_status(pool: &sqlx::SqlitePool, id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM application WHERE application_id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn count(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

fn code(verdict: &DecisionVerdict) -> Option<&str> {
    verdict.code.as_deref()
}

#[tokio::test]
async fn a_quota_use_request_is_endorsed_approved_and_reserves_its_posts_once() {
    let server = TestServer::start_with_demo().await.unwrap();
    let pool = server.database().await.unwrap();
    let (unit, department, category, vacant) = unit_with_vacancy(&pool, &BTreeSet::new()).await;
    let mut clerk = holder(&server, "clerk", "unit_clerk", &format!("unit:{unit}")).await;
    let mut supervisor = holder(
        &server,
        "supervisor",
        "supervisor",
        &format!("department:{department}"),
    )
    .await;
    let mut reviewer = holder(&server, "reviewer", "bureau_reviewer", "region:620500").await;
    let reserved_before = reserved(&pool, &unit, category).await;

    // The clerk asks for every vacant post; the application is tracked as submitted.
    clerk
        .file_quota_use("app-all", &unit, category, vacant)
        .await;
    assert_eq!(application_status(&pool, "app-all").await, "submitted");

    // The domain's lifecycle: a quota-use request reaches the bureau only once endorsed.
    let early = reviewer
        .decide("d-early", "app-all", Action::Approve, "")
        .await;
    assert_eq!(early.status, VerdictStatus::Rejected);
    assert_eq!(code(&early), Some("transition_not_allowed"), "{early:?}");

    // A clerk's key cannot decide.
    let by_clerk = clerk
        .decide("d-clerk", "app-all", Action::Approve, "")
        .await;
    assert_eq!(code(&by_clerk), Some("out_of_scope"), "{by_clerk:?}");

    // The supervising department endorses.
    let endorsed = supervisor
        .decide("d-endorse", "app-all", Action::Endorse, "同意上报")
        .await;
    assert_eq!(endorsed.status, VerdictStatus::Accepted, "{endorsed:?}");
    assert_eq!(endorsed.application_status.as_deref(), Some("endorsed"));
    assert_eq!(endorsed.slip_number, None);

    // A return needs a reason: a note-less return, signed as it is, is refused.
    let mut note_less: serde_json::Value = serde_json::from_slice(&reviewer.decision_bytes(
        "d-return",
        "app-all",
        Action::Approve,
        "",
    ))
    .unwrap();
    note_less["action"] = "return".into();
    let note_less = domain::canonical::canonicalize(&note_less).unwrap();
    let signed = reviewer.sign(&note_less);
    let refused = reviewer.send_decision(signed).await;
    assert_eq!(code(&refused), Some("note_required"), "{refused:?}");

    // A decision naming the reviewer's key but signed by another key.
    let bytes = reviewer.decision_bytes("d-forged", "app-all", Action::Approve, "");
    let mut forged = supervisor.sign(&bytes);
    forged.credential_id = reviewer.credential_id.clone();
    let forged = reviewer.send_decision(forged).await;
    assert_eq!(code(&forged), Some("signature_invalid"), "{forged:?}");
    assert_eq!(application_status(&pool, "app-all").await, "endorsed");
    assert_eq!(reserved(&pool, &unit, category).await, reserved_before);

    // The bureau approves: the posts are reserved and a numbered slip is issued.
    let bytes = reviewer.decision_bytes("d-approve", "app-all", Action::Approve, "同意");
    let approval = reviewer.sign(&bytes);
    let approved = reviewer.send_decision(approval.clone()).await;
    assert_eq!(approved.status, VerdictStatus::Accepted, "{approved:?}");
    assert_eq!(approved.application_status.as_deref(), Some("approved"));
    let number = approved.slip_number.clone().expect("a slip number");
    let parsed = DocumentNumber::parse(&number).unwrap();
    assert_eq!(parsed.issuer(), "天编用", "{number}");
    assert!(
        number.starts_with("天编用〔") && number.ends_with("号"),
        "{number}"
    );
    assert_eq!(application_status(&pool, "app-all").await, "approved");
    assert_eq!(
        reserved(&pool, &unit, category).await,
        reserved_before + vacant
    );
    let (slip_unit, slip_count, remaining): (String, i64, i64) =
        sqlx::query_as("SELECT unit_id, count, remaining FROM slip WHERE number = ?")
            .bind(&number)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (slip_unit.as_str(), slip_count, remaining),
        (unit.as_str(), i64::from(vacant), i64::from(vacant))
    );

    // A repeat of the same bytes gets the same verdict, and nothing is applied twice.
    let again = reviewer.send_decision(approval).await;
    assert_eq!(again, approved);
    assert_eq!(
        reserved(&pool, &unit, category).await,
        reserved_before + vacant
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM slip").await, 1);

    // A new decision on an approved application: the lifecycle refuses it.
    let twice = reviewer
        .decide("d-approve-2", "app-all", Action::Approve, "")
        .await;
    assert_eq!(code(&twice), Some("transition_not_allowed"), "{twice:?}");
    assert!(twice.message.as_deref().unwrap().contains("已核准"));

    // No vacancy is left: the next request is endorsed, but the approval is refused and
    // changes nothing; the bureau can still return it with a reason.
    clerk
        .file_quota_use("app-one-more", &unit, category, 1)
        .await;
    let endorsed = supervisor
        .decide("d-endorse-2", "app-one-more", Action::Endorse, "")
        .await;
    assert_eq!(endorsed.status, VerdictStatus::Accepted, "{endorsed:?}");
    let full = reviewer
        .decide("d-approve-3", "app-one-more", Action::Approve, "")
        .await;
    assert_eq!(code(&full), Some("no_vacancy"), "{full:?}");
    assert!(full.message.as_deref().unwrap().contains("空编不足"));
    assert_eq!(application_status(&pool, "app-one-more").await, "endorsed");
    assert_eq!(
        reserved(&pool, &unit, category).await,
        reserved_before + vacant
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM slip").await, 1);
    let returned = reviewer
        .decide(
            "d-return-2",
            "app-one-more",
            Action::Return,
            "本单位已无空编",
        )
        .await;
    assert_eq!(returned.application_status.as_deref(), Some("returned"));

    // Every verdict is kept with its bytes and audited in an intact chain.
    assert_eq!(count(&pool, "SELECT count(*) FROM decision").await, 10);
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(&pool)
        .await
        .unwrap();
    let accepted = actions.iter().filter(|a| *a == "decision.accept").count();
    let rejected = actions.iter().filter(|a| *a == "decision.reject").count();
    assert_eq!((accepted, rejected), (4, 6), "{actions:?}");
    assert!(matches!(
        server::audit::verify(&pool).await.unwrap(),
        server::audit::ChainReport::Intact { .. }
    ));
}

#[tokio::test]
async fn a_signed_application_is_not_a_decision_and_unknown_applications_are_refused() {
    let server = TestServer::start_with_demo().await.unwrap();
    let pool = server.database().await.unwrap();
    let (unit, _department, category, _vacant) = unit_with_vacancy(&pool, &BTreeSet::new()).await;
    let mut clerk = holder(&server, "clerk", "unit_clerk", &format!("unit:{unit}")).await;
    let mut reviewer = holder(&server, "reviewer", "bureau_reviewer", "region:620500").await;

    // The clerk's signed application, sent as a decision: refused by its tag.
    clerk.file_quota_use("app-x", &unit, category, 1).await;
    let envelope: Vec<u8> =
        sqlx::query_scalar("SELECT bytes FROM envelope WHERE application_id = 'app-x'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let signed = clerk.sign(&envelope);
    let verdict = clerk.send_decision(signed).await;
    assert_eq!(code(&verdict), Some("envelope_tag_unknown"), "{verdict:?}");

    let unknown = reviewer
        .decide("d-1", "no-such-application", Action::Reject, "不予核准")
        .await;
    assert_eq!(code(&unknown), Some("application_unknown"), "{unknown:?}");
    assert_eq!(application_status(&pool, "app-x").await, "submitted");
}

/// Server authority under concurrency: several reviewers approve, at the same moment, several
/// applications that each ask for every vacant post. Exactly one is approved; the others get
/// `no_vacancy`; the ledger ends with `filled + reserved <= approved` and one slip.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_for_the_last_vacancy_approve_exactly_one() {
    const RACERS: usize = 4;
    let server = TestServer::start_with_demo().await.unwrap();
    let pool = server.database().await.unwrap();
    let (unit, department, category, vacant) = unit_with_vacancy(&pool, &BTreeSet::new()).await;
    let reserved_before = reserved(&pool, &unit, category).await;
    let slips_before = count(&pool, "SELECT count(*) FROM slip").await;
    let mut clerk = holder(&server, "race-clerk", "unit_clerk", &format!("unit:{unit}")).await;
    let mut supervisor = holder(
        &server,
        "race-supervisor",
        "supervisor",
        &format!("department:{department}"),
    )
    .await;
    let mut reviewers = Vec::new();
    for i in 0..RACERS {
        reviewers.push(
            holder(
                &server,
                &format!("race-reviewer-{i}"),
                "bureau_reviewer",
                "region:620500",
            )
            .await,
        );
    }
    for i in 0..RACERS {
        let application = format!("race-{i}");
        clerk
            .file_quota_use(&application, &unit, category, vacant)
            .await;
        let endorsed = supervisor
            .decide(
                &format!("race-endorse-{i}"),
                &application,
                Action::Endorse,
                "",
            )
            .await;
        assert_eq!(endorsed.status, VerdictStatus::Accepted, "{endorsed:?}");
    }

    // Sign first (the keys are local), then send every approval at once.
    let signed: Vec<SignedSubmission> = reviewers
        .iter_mut()
        .enumerate()
        .map(|(i, reviewer)| {
            let bytes = reviewer.decision_bytes(
                &format!("race-approve-{i}"),
                &format!("race-{i}"),
                Action::Approve,
                "",
            );
            reviewer.sign(&bytes)
        })
        .collect();
    let verdicts = futures::future::join_all(
        reviewers
            .iter()
            .zip(signed)
            .map(|(reviewer, submission)| reviewer.send_decision(submission)),
    )
    .await;

    let approved: Vec<&DecisionVerdict> = verdicts
        .iter()
        .filter(|v| v.status == VerdictStatus::Accepted)
        .collect();
    assert_eq!(approved.len(), 1, "exactly one approval wins: {verdicts:?}");
    for lost in verdicts
        .iter()
        .filter(|v| v.status != VerdictStatus::Accepted)
    {
        assert_eq!(code(lost), Some("no_vacancy"), "{lost:?}");
    }
    assert_eq!(
        reserved(&pool, &unit, category).await,
        reserved_before + vacant
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM slip").await,
        slips_before + 1
    );
    let certificate = server::db::certificates::read(&pool, &unit)
        .await
        .unwrap()
        .unwrap();
    for (category, figures) in certificate.ledger.all_figures() {
        assert!(figures.holds_invariant(), "{category:?}: {figures:?}");
    }
    let statuses: Vec<String> = sqlx::query_scalar(
        "SELECT status FROM application WHERE application_id LIKE 'race-%' ORDER BY application_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        statuses.iter().filter(|s| *s == "approved").count(),
        1,
        "{statuses:?}"
    );
}
