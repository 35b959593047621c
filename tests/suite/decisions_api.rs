//! Signed decisions over real HTTP with software security keys: a clerk files a quota-use
//! request, the supervising department endorses it, the bureau approves it with a signed
//! decision — the posts are reserved and a numbered slip is issued — and every refusal has its
//! code: out of scope, the lifecycle, no vacancy, a missing note, another key's signature, a
//! repeat. A quota-use request is already refused at push (`no_vacancy`) when the unit's
//! vacancy, less what its requests awaiting a decision ask for, cannot cover it — also when two
//! clerks push for the last vacant post at the same moment.
//!
//! The scenarios come from the shared harness (`tests::scenario`), schema reads from
//! `tests::schema`.

use domain::{Action, DocumentNumber, EstablishmentCategory, UnitId};
use protocol::identity::{DecisionVerdict, SignedSubmission, VerdictStatus};
use tests::filing::{figures, set_vacancy};
use tests::keys::KeyHolder;
use tests::scenario::{City, ClerkWithVacancy, Review};
use tests::schema::{
    self, Pool, application_status, applications, audit_actions, audit_count, decision_count,
    slip_count,
};

async fn reserved(pool: &Pool, unit: &UnitId, category: EstablishmentCategory) -> u32 {
    figures(pool, unit, category).await.reserved.get()
}

fn code(verdict: &DecisionVerdict) -> Option<&str> {
    verdict.code.as_deref()
}

#[tokio::test]
async fn a_quota_use_request_is_endorsed_approved_and_reserves_its_posts_once() {
    let city = City::start().await;
    let pool = &city.pool;
    let Review {
        unit,
        category,
        vacant,
        mut clerk,
        mut supervisor,
        mut reviewer,
        ..
    } = city.review().await;
    let reserved_before = reserved(pool, &unit, category).await;

    // The clerk asks for every vacant post; the application is tracked as submitted.
    clerk
        .file_quota_use("app-all", &unit, category, vacant)
        .await;
    assert_eq!(application_status(pool, "app-all").await, "submitted");

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
    assert_eq!(application_status(pool, "app-all").await, "endorsed");
    assert_eq!(reserved(pool, &unit, category).await, reserved_before);

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
    assert_eq!(application_status(pool, "app-all").await, "approved");
    assert_eq!(
        reserved(pool, &unit, category).await,
        reserved_before + vacant
    );
    let slip = schema::slip(pool, &number).await;
    assert_eq!(
        (slip.unit_id.as_str(), slip.count, slip.remaining),
        (unit.as_str(), i64::from(vacant), i64::from(vacant))
    );

    // A repeat of the same bytes gets the same verdict, and nothing is applied twice.
    let again = reviewer.send_decision(approval).await;
    assert_eq!(again, approved);
    assert_eq!(
        reserved(pool, &unit, category).await,
        reserved_before + vacant
    );
    assert_eq!(slip_count(pool).await, 1);

    // A new decision on an approved application: decided already, the first one stands.
    let twice = reviewer
        .decide("d-approve-2", "app-all", Action::Approve, "")
        .await;
    assert_eq!(code(&twice), Some("already_decided"), "{twice:?}");
    assert!(twice.message.as_deref().unwrap().contains("已核准"));

    // No vacancy is left: a request for one more post is refused at push already.
    let refused = clerk
        .try_file_quota_use("app-refused", &unit, category, 1)
        .await;
    assert_eq!(refused.status, VerdictStatus::Rejected, "{refused:?}");
    assert_eq!(refused.code.as_deref(), Some("no_vacancy"), "{refused:?}");
    // Defence in depth, at approval: a request filed while a post was vacant (an increase of
    // the establishment), whose post an adjustment took away again before the bureau decided,
    // is endorsed, but the approval is refused and changes nothing; the bureau can still
    // return it with a reason.
    set_vacancy(pool, &unit, category, 1).await;
    clerk
        .file_quota_use("app-one-more", &unit, category, 1)
        .await;
    set_vacancy(pool, &unit, category, 0).await;
    let endorsed = supervisor
        .decide("d-endorse-2", "app-one-more", Action::Endorse, "")
        .await;
    assert_eq!(endorsed.status, VerdictStatus::Accepted, "{endorsed:?}");
    let full = reviewer
        .decide("d-approve-3", "app-one-more", Action::Approve, "")
        .await;
    assert_eq!(code(&full), Some("no_vacancy"), "{full:?}");
    assert!(full.message.as_deref().unwrap().contains("空编不足"));
    assert_eq!(application_status(pool, "app-one-more").await, "endorsed");
    assert_eq!(
        reserved(pool, &unit, category).await,
        reserved_before + vacant
    );
    assert_eq!(slip_count(pool).await, 1);
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
    assert_eq!(decision_count(pool).await, 10);
    let actions = audit_actions(pool).await;
    let accepted = actions.iter().filter(|a| *a == "decision.accept").count();
    let rejected = actions.iter().filter(|a| *a == "decision.reject").count();
    assert_eq!((accepted, rejected), (4, 6), "{actions:?}");
    assert!(matches!(
        server::db::audit::verify(pool).await.unwrap(),
        server::db::audit::ChainReport::Intact { .. }
    ));
}

#[tokio::test]
async fn a_signed_application_is_not_a_decision_and_unknown_applications_are_refused() {
    let city = City::start().await;
    let pool = &city.pool;
    let ClerkWithVacancy {
        unit,
        category,
        mut clerk,
        ..
    } = city.clerk_with_vacancy().await;
    let mut reviewer = city.reviewer("reviewer").await;

    // The clerk's signed application, sent as a decision: refused by its tag.
    clerk.file_quota_use("app-x", &unit, category, 1).await;
    let envelope = schema::envelope_bytes(pool, "app-x").await;
    let signed = clerk.sign(&envelope);
    let verdict = clerk.send_decision(signed).await;
    assert_eq!(code(&verdict), Some("envelope_tag_unknown"), "{verdict:?}");

    let unknown = reviewer
        .decide("d-1", "no-such-application", Action::Reject, "不予核准")
        .await;
    assert_eq!(code(&unknown), Some("application_unknown"), "{unknown:?}");
    assert_eq!(application_status(pool, "app-x").await, "submitted");
}

/// Server authority under concurrency: several reviewers approve, at the same moment, several
/// applications that each ask for every vacant post. Exactly one is approved; the others get
/// `no_vacancy`; the ledger ends with `filled + reserved <= approved` and one slip.
///
/// Push refuses requests beyond the vacancy, so they are filed while an increase of the
/// establishment makes room for all of them, and an adjustment takes it back before the
/// bureau decides (as a 核减 between filing and approval would).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_approvals_for_the_last_vacancy_approve_exactly_one() {
    const RACERS: usize = 4;
    let city = City::start().await;
    let pool = &city.pool;
    let Review {
        unit,
        category,
        vacant,
        mut clerk,
        mut supervisor,
        reviewer,
        ..
    } = city.review().await;
    let reserved_before = reserved(pool, &unit, category).await;
    let slips_before = slip_count(pool).await;
    let mut reviewers = vec![reviewer];
    for i in 1..RACERS {
        reviewers.push(city.reviewer(&format!("race-reviewer-{i}")).await);
    }
    let approved_before = figures(pool, &unit, category).await.approved.get();
    set_vacancy(pool, &unit, category, vacant * RACERS as u32).await;
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
    set_vacancy(pool, &unit, category, vacant).await;
    assert_eq!(
        figures(pool, &unit, category).await.approved.get(),
        approved_before
    );

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
        reserved(pool, &unit, category).await,
        reserved_before + vacant
    );
    assert_eq!(slip_count(pool).await, slips_before + 1);
    let certificate = schema::certificate(pool, &unit).await;
    for (category, figures) in certificate.ledger.all_figures() {
        assert!(figures.holds_invariant(), "{category:?}: {figures:?}");
    }
    let statuses: Vec<String> = applications(pool)
        .await
        .into_iter()
        .filter(|a| a.application_id.starts_with("race-"))
        .map(|a| a.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| *s == "approved").count(),
        1,
        "{statuses:?}"
    );
}

/// The verdict's code and message, asserting it was refused.
fn refused(verdict: &protocol::identity::Verdict) -> (&str, &str) {
    assert_eq!(verdict.status, VerdictStatus::Rejected, "{verdict:?}");
    (
        verdict.code.as_deref().unwrap_or_default(),
        verdict.message.as_deref().unwrap_or_default(),
    )
}

#[tokio::test]
async fn a_quota_use_request_beyond_the_vacancy_is_refused_at_push() {
    let city = City::start().await;
    let pool = &city.pool;
    let ClerkWithVacancy {
        unit,
        category,
        vacant,
        mut clerk,
        ..
    } = city.clerk_with_vacancy().await;
    let label = category.label_zh();

    // One post more than the vacancy.
    let over = clerk
        .try_file_quota_use("app-over", &unit, category, vacant + 1)
        .await;
    assert_eq!(
        refused(&over),
        (
            "no_vacancy",
            format!(
                "空余编制不足：{label}申请使用{}名，空编仅{vacant}名",
                vacant + 1
            )
            .as_str()
        )
    );

    // A category in which the unit has no posts at all.
    let mut empty = None;
    for other in EstablishmentCategory::ALL {
        if figures(pool, &unit, *other).await.approved.get() == 0 {
            empty = Some(*other);
            break;
        }
    }
    let empty = empty.expect("the unit has no posts of some category");
    let none = clerk.try_file_quota_use("app-empty", &unit, empty, 1).await;
    assert_eq!(
        refused(&none),
        (
            "no_vacancy",
            format!("空余编制不足：{}申请使用1名，现无空编", empty.label_zh()).as_str()
        )
    );

    // An adjustment (核减) leaves the unit without a vacant post: even one is refused.
    set_vacancy(pool, &unit, category, 0).await;
    let zero = clerk
        .try_file_quota_use("app-zero", &unit, category, 1)
        .await;
    assert_eq!(
        refused(&zero),
        (
            "no_vacancy",
            format!("空余编制不足：{label}申请使用1名，现无空编").as_str()
        )
    );

    // Refused envelopes are kept with their verdicts and audited; no application is tracked.
    let mut kept = Vec::new();
    for id in ["app-over", "app-empty", "app-zero"] {
        kept.extend(schema::envelopes(pool, id).await);
    }
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(
        kept.iter()
            .all(|e| e.status == "rejected" && e.code.as_deref() == Some("no_vacancy")),
        "{kept:?}"
    );
    assert_eq!(applications(pool).await.len(), 0);
    assert_eq!(audit_count(pool, "envelope.reject").await, 3);

    // Within the vacancy again (核增): accepted.
    set_vacancy(pool, &unit, category, 1).await;
    clerk.file_quota_use("app-within", &unit, category, 1).await;
    assert_eq!(application_status(pool, "app-within").await, "submitted");
}

#[tokio::test]
async fn requests_awaiting_a_decision_hold_the_vacancy_until_the_bureau_decides() {
    let city = City::start().await;
    let pool = &city.pool;
    let Review {
        unit,
        category,
        mut clerk,
        mut supervisor,
        mut reviewer,
        ..
    } = city.review().await;
    let label = category.label_zh();
    set_vacancy(pool, &unit, category, 1).await;

    // One vacant post: the first request for it is accepted, the second refused.
    clerk.file_quota_use("app-1", &unit, category, 1).await;
    let second = clerk.try_file_quota_use("app-2", &unit, category, 1).await;
    assert_eq!(
        refused(&second),
        (
            "no_vacancy",
            format!(
                "空余编制不足：{label}申请使用1名，空编1名已全部被待审批的用编申请占用（待审批共1名）"
            )
            .as_str()
        )
    );

    // Endorsed, the first request still holds the post.
    let endorsed = supervisor
        .decide("d-endorse-1", "app-1", Action::Endorse, "同意上报")
        .await;
    assert_eq!(endorsed.status, VerdictStatus::Accepted, "{endorsed:?}");
    let third = clerk.try_file_quota_use("app-3", &unit, category, 1).await;
    assert_eq!(refused(&third).0, "no_vacancy");

    // The bureau rejects it: the post is free again for a new request.
    let rejected = reviewer
        .decide("d-reject-1", "app-1", Action::Reject, "用编理由不充分")
        .await;
    assert_eq!(rejected.status, VerdictStatus::Accepted, "{rejected:?}");
    assert_eq!(rejected.application_status.as_deref(), Some("rejected"));
    clerk.file_quota_use("app-4", &unit, category, 1).await;

    // Three vacant posts, one of them asked for: two more may be asked for, not three.
    set_vacancy(pool, &unit, category, 3).await;
    let five = clerk.try_file_quota_use("app-5", &unit, category, 3).await;
    assert_eq!(
        refused(&five),
        (
            "no_vacancy",
            format!(
                "空余编制不足：{label}申请使用3名，空编3名，其中1名已有待审批的用编申请占用，尚可申请2名"
            )
            .as_str()
        )
    );
    clerk.file_quota_use("app-6", &unit, category, 2).await;

    // An approved request holds reserved posts in the ledger and is not counted again: after
    // app-4 is approved, two posts are vacant and app-6 asks for both.
    let reserved_before = reserved(pool, &unit, category).await;
    for (id, action) in [
        ("d-endorse-4", Action::Endorse),
        ("d-approve-4", Action::Approve),
    ] {
        let decider = if action == Action::Endorse {
            &mut supervisor
        } else {
            &mut reviewer
        };
        let verdict = decider.decide(id, "app-4", action, "同意").await;
        assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    }
    assert_eq!(reserved(pool, &unit, category).await, reserved_before + 1);
    let seventh = clerk.try_file_quota_use("app-7", &unit, category, 1).await;
    assert_eq!(
        refused(&seventh),
        (
            "no_vacancy",
            format!(
                "空余编制不足：{label}申请使用1名，空编2名已全部被待审批的用编申请占用（待审批共2名）"
            )
            .as_str()
        )
    );
    let statuses = applications(pool).await;
    let statuses: Vec<(&str, &str)> = statuses
        .iter()
        .map(|a| (a.application_id.as_str(), a.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("app-1", "rejected"),
            ("app-4", "approved"),
            ("app-6", "submitted")
        ]
    );
}

/// The vacancy check at push under real concurrency: in each round, two clerks of the same unit
/// (two key holders, two sessions) push at the same moment a request for the unit's last vacant
/// post. Exactly one is accepted and the other gets `no_vacancy`; the accepted one is then
/// approved and the ledger keeps `filled + reserved <= approved`. Ten rounds, each on a fresh
/// unit, so that the two requests meet in different interleavings.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_clerks_pushing_at_once_for_the_last_vacant_post_get_exactly_one_acceptance() {
    const ROUNDS: usize = 10;
    // The small demo city: enough units with a department to endorse their requests; two
    // dozen key holders sign in from this one address.
    let city = City::start_configured(|config| {
        if let Some(demo) = config.demo.as_mut() {
            demo.size = "small".into();
        }
        config.identity.rate_limit_per_minute = 1_000;
    })
    .await;
    let pool = &city.pool;
    let units = schema::units_with_a_department(pool, ROUNDS).await;
    assert_eq!(units.len(), ROUNDS, "{units:?}");
    let mut reviewer = city.reviewer("reviewer").await;
    let mut supervisors: std::collections::BTreeMap<String, KeyHolder> = Default::default();

    for (round, (unit, department)) in units.iter().enumerate() {
        let certificate = schema::certificate(pool, unit).await;
        let (category, _) = certificate.ledger.all_figures()[0];
        set_vacancy(pool, unit, category, 1).await;
        let before = figures(pool, unit, category).await;
        let mut first = city.clerk(&format!("clerk-{round}-a"), unit).await;
        let mut second = city.clerk(&format!("clerk-{round}-b"), unit).await;

        // Signed offline, then pushed at the same moment by both sessions.
        let a = format!("race-{round}-a");
        let b = format!("race-{round}-b");
        let signed_a = first.sign_quota_use(&a, unit, category, 1);
        let signed_b = second.sign_quota_use(&b, unit, category, 1);
        let (mut verdict_a, mut verdict_b) =
            tokio::join!(first.push(vec![signed_a]), second.push(vec![signed_b]));
        let verdicts = [verdict_a.remove(0), verdict_b.remove(0)];
        let accepted: Vec<usize> = (0..2)
            .filter(|&i| verdicts[i].status == VerdictStatus::Accepted)
            .collect();
        assert_eq!(accepted.len(), 1, "round {round}: {verdicts:?}");
        let loser = &verdicts[1 - accepted[0]];
        let (code, message) = refused(loser);
        assert_eq!(code, "no_vacancy", "round {round}: {loser:?}");
        assert!(
            message.contains(category.label_zh()) && message.contains("待审批"),
            "round {round}: {message}"
        );
        let winner = if accepted[0] == 0 { &a } else { &b };
        let tracked: Vec<String> = applications(pool)
            .await
            .into_iter()
            .filter(|a| a.unit_id == unit.as_str())
            .map(|a| a.application_id)
            .collect();
        assert_eq!(
            tracked.as_slice(),
            std::slice::from_ref(winner),
            "round {round}"
        );

        // The accepted request is endorsed and approved: the last post is reserved, no more.
        if !supervisors.contains_key(department) {
            let supervisor = city
                .supervisor(&format!("supervisor-{round}"), department)
                .await;
            supervisors.insert(department.clone(), supervisor);
        }
        let supervisor = supervisors.get_mut(department).unwrap();
        let endorsed = supervisor
            .decide(&format!("endorse-{round}"), winner, Action::Endorse, "")
            .await;
        assert_eq!(endorsed.status, VerdictStatus::Accepted, "{endorsed:?}");
        let approved = reviewer
            .decide(&format!("approve-{round}"), winner, Action::Approve, "")
            .await;
        assert_eq!(approved.status, VerdictStatus::Accepted, "{approved:?}");
        let after = figures(pool, unit, category).await;
        assert_eq!(
            after.reserved.get(),
            before.reserved.get() + 1,
            "round {round}"
        );
        assert!(
            after.filled.get() + after.reserved.get() <= after.approved.get(),
            "round {round}: {after:?}"
        );
        assert_eq!(after.vacant().get(), 0, "round {round}");
        let certificate = schema::certificate(pool, unit).await;
        for (category, figures) in certificate.ledger.all_figures() {
            assert!(figures.holds_invariant(), "{category:?}: {figures:?}");
        }
    }
}

#[tokio::test]
async fn an_envelope_the_server_fails_on_fails_alone_and_is_received_when_sent_again() {
    let city = City::start().await;
    let pool = &city.pool;
    let ClerkWithVacancy {
        unit,
        category,
        mut clerk,
        ..
    } = city.clerk_with_vacancy().await;
    set_vacancy(pool, &unit, category, 3).await;
    // Signed offline in this order (so received in this order, by counter).
    let first = clerk.sign_quota_use("app-first", &unit, category, 1);
    let failing = clerk.sign_quota_use("app-failing", &unit, category, 1);
    let last = clerk.sign_quota_use("app-last", &unit, category, 1);
    let batch = vec![first.clone(), failing.clone(), last.clone()];

    // The server fails on the second envelope (an internal error while recording it, among
    // the statements the batch's envelopes run together).
    schema::fail_recording_application(pool, "app-failing").await;
    let verdicts = clerk.push(batch.clone()).await;
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[0].status, VerdictStatus::Accepted, "{verdicts:?}");
    assert_eq!(verdicts[2].status, VerdictStatus::Accepted, "{verdicts:?}");
    // The failing one: not final, in both languages, and named.
    let failed = &verdicts[1];
    assert_eq!(failed.status, VerdictStatus::Rejected);
    assert_eq!(failed.code.as_deref(), Some(protocol::identity::TRY_LATER));
    assert_eq!(failed.application_id.as_deref(), Some("app-failing"));
    assert!(
        failed
            .message
            .as_deref()
            .is_some_and(|m| m.contains("稍后"))
    );
    assert!(
        failed
            .message_en
            .as_deref()
            .is_some_and(|m| m.contains("later"))
    );
    // The others are received with their applications, audit entries and counters; the
    // failing one left nothing but its counter gap.
    let kept = schema::envelope_statuses(pool).await;
    assert_eq!(
        kept,
        [
            ("app-first".to_owned(), "accepted".to_owned()),
            ("app-last".to_owned(), "accepted".to_owned())
        ]
    );
    assert_eq!(schema::row_count(pool, "application").await, 2);
    assert_eq!(
        schema::audit_actions(pool)
            .await
            .iter()
            .filter(|a| a.starts_with("envelope."))
            .count(),
        2
    );
    let counter = |s: &SignedSubmission| {
        let data = server::signed::verify::decode_b64url("a", &s.authenticator_data).unwrap();
        i64::from(server::signed::verify::assertion_counter(&data).unwrap())
    };
    assert!(counter(&failing) < counter(&last));
    assert_eq!(schema::highest_envelope_counter(pool).await, counter(&last));
    assert_eq!(schema::row_count(pool, "counter_gap").await, 1);

    // While it still fails, sent alone it is answered the same, and nothing else changes.
    let alone = clerk.push(vec![failing.clone()]).await;
    assert_eq!(
        alone[0].code.as_deref(),
        Some(protocol::identity::TRY_LATER)
    );
    assert_eq!(schema::row_count(pool, "envelope").await, 2);

    // Once the server copes, the batch is sent again, with a repeat inside it: the failed
    // envelope is received (below the key's highest counter, in its gap, not held), the
    // others and the repeat get their first verdicts.
    schema::stop_failing(pool).await;
    let mut again = batch;
    again.push(last.clone());
    let verdicts_again = clerk.push(again).await;
    assert_eq!(verdicts_again.len(), 4);
    assert!(
        verdicts_again
            .iter()
            .all(|v| v.status == VerdictStatus::Accepted),
        "{verdicts_again:?}"
    );
    assert_eq!(verdicts_again[0], verdicts[0]);
    assert_eq!(verdicts_again[2], verdicts[2]);
    assert_eq!(verdicts_again[3], verdicts[2]);
    assert_eq!(schema::row_count(pool, "envelope").await, 3);
    assert_eq!(schema::row_count(pool, "application").await, 3);
    assert_eq!(schema::row_count(pool, "counter_gap").await, 0);
    assert_eq!(schema::highest_envelope_counter(pool).await, counter(&last));
    assert!(matches!(
        server::db::audit::verify(pool).await.unwrap(),
        server::db::audit::ChainReport::Intact { .. }
    ));
}

#[tokio::test]
async fn a_decision_the_server_fails_on_is_answered_try_later_and_received_when_sent_again() {
    let city = City::start().await;
    let pool = &city.pool;
    let Review {
        unit,
        category,
        mut clerk,
        mut supervisor,
        ..
    } = city.review().await;
    set_vacancy(pool, &unit, category, 2).await;
    clerk.file_quota_use("app-a", &unit, category, 1).await;
    clerk.file_quota_use("app-b", &unit, category, 1).await;

    // Signed first, failed on by the server (an internal error while recording it).
    let bytes = supervisor.decision_bytes("d-failing", "app-a", Action::Endorse, "");
    let failing = supervisor.sign(&bytes);
    schema::fail_recording_decision(pool, "d-failing").await;
    let failed = supervisor.send_decision(failing.clone()).await;
    assert_eq!(failed.status, VerdictStatus::Rejected, "{failed:?}");
    assert_eq!(code(&failed), Some(protocol::identity::TRY_LATER));
    assert_eq!(failed.decision_id.as_deref(), Some("d-failing"));
    assert_eq!(application_status(pool, "app-a").await, "submitted");
    assert_eq!(decision_count(pool).await, 0);

    // A decision signed after it is received meanwhile, raising the key's counter.
    let other = supervisor
        .decide("d-other", "app-b", Action::Endorse, "")
        .await;
    assert_eq!(other.status, VerdictStatus::Accepted, "{other:?}");

    // Once the server copes, the same bytes are received (in their counter gap, not held).
    schema::stop_failing(pool).await;
    let again = supervisor.send_decision(failing).await;
    assert_eq!(again.status, VerdictStatus::Accepted, "{again:?}");
    assert_eq!(again.application_status.as_deref(), Some("endorsed"));
    assert_eq!(application_status(pool, "app-a").await, "endorsed");
    assert_eq!(schema::row_count(pool, "counter_gap").await, 0);
    assert!(matches!(
        server::db::audit::verify(pool).await.unwrap(),
        server::db::audit::ChainReport::Intact { .. }
    ));
}

#[tokio::test]
async fn a_batch_is_judged_as_if_its_envelopes_came_one_by_one() {
    let city = City::start().await;
    let pool = &city.pool;
    let ClerkWithVacancy {
        unit,
        category,
        mut clerk,
        ..
    } = city.clerk_with_vacancy().await;
    set_vacancy(pool, &unit, category, 3).await;
    // In counter order: two posts taken; five more refused (three vacant, two claimed by the
    // requests before it in the batch); that refused id used again for one post, accepted; one
    // more refused for want of a vacancy (the three before it claim all); an application id
    // accepted before used again by other bytes (two posts), refused.
    let signed = vec![
        clerk.sign_quota_use("app-1", &unit, category, 1),
        clerk.sign_quota_use("app-2", &unit, category, 1),
        clerk.sign_quota_use("app-3", &unit, category, 5),
        clerk.sign_quota_use("app-3", &unit, category, 1),
        clerk.sign_quota_use("app-4", &unit, category, 1),
        clerk.sign_quota_use("app-1", &unit, category, 2),
    ];
    let verdicts = clerk.push(signed).await;
    let codes: Vec<Option<&str>> = verdicts.iter().map(|v| v.code.as_deref()).collect();
    assert_eq!(
        codes,
        [
            None,
            None,
            Some("no_vacancy"),
            None,
            Some("no_vacancy"),
            Some("application_id_reused"),
        ],
        "{verdicts:?}"
    );
    let (_, message) = refused(&verdicts[4]);
    assert!(message.contains("待审批"), "{message}");
    assert_eq!(schema::row_count(pool, "application").await, 3);
    // After the batch, the next push sees the same state.
    let later = clerk.sign_quota_use("app-5", &unit, category, 1);
    let verdict = clerk.push(vec![later]).await.remove(0);
    assert_eq!(refused(&verdict).0, "no_vacancy");
}
