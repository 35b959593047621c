//! What approvals do, over real HTTP with software security keys (issue 11): an onboarding on
//! an approved slip puts the person on the staff, fills a reserved post, uses the slip and
//! issues a numbered notice (a 身份证号 that holds a post elsewhere, and a used-up slip, are
//! refused); an offboarding moves the person to the departed staff and frees the post, flagged
//! late when filed after the month's end; a record change keeps the old value in the history
//! (one that changes nothing, starts from a stale value or touches the category is refused);
//! the clerk withdraws with a signed decision; of two reviewers the first decision stands; a
//! slip lapses when the clock passes its validity; approvals an earlier server left
//! unapplied are applied or reopened at start; and every effect reaches the pull — the signed
//! payload, the decisions with their notes, the notice, the certificate's slips, notices and
//! history.

use std::collections::BTreeMap;

use domain::certificate::Certificate;
use domain::payload::{
    ApplicationPayload, ChangeSubject, FieldChange, OffboardingRequest, OnboardingRequest,
    QuotaUseRequest, RecordChangeRequest,
};
use domain::person::{DepartureReason, Person};
use domain::{
    Action, Date, DocumentNumber, EstablishmentCategory, Headcount, IdNumber, IssuedDocumentKind,
    SignedEnvelope, SlipState, UnitId,
};
use protocol::identity::{DecisionVerdict, VerdictStatus};
use protocol::sync::{Change, PullResponse, SYNC_PULL_PATH};
use tests::filing::{an_hour_ago, days_ahead, figures, new_person, set_vacancy};
use tests::keys::KeyHolder;
use tests::scenario::{City, Review};
use tests::schema::{self, Pool, application_status, audit_count};

fn code(verdict: &DecisionVerdict) -> Option<&str> {
    verdict.code.as_deref()
}

fn accepted(verdict: &DecisionVerdict) {
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
}

fn today() -> Date {
    an_hour_ago().date_in_china()
}

fn onboarding(slip: &str, person: Person) -> ApplicationPayload {
    ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
        slip_number: DocumentNumber::parse(slip).unwrap(),
        person,
        hr_document: None,
    }))
}

fn offboarding(person: &Person, left_on: Date) -> ApplicationPayload {
    ApplicationPayload::Offboarding(OffboardingRequest {
        id_number: person.id_number.clone(),
        reason: DepartureReason::Retirement,
        left_on,
        document: DocumentNumber::parse("天人社发〔2026〕9号").unwrap(),
    })
}

fn record_change(person: &Person, field: &str, before: &str, after: &str) -> ApplicationPayload {
    ApplicationPayload::RecordChange(RecordChangeRequest {
        subject: ChangeSubject::Person {
            id_number: person.id_number.clone(),
        },
        changed_on: today(),
        changes: vec![FieldChange {
            field: field.into(),
            before: Some(before.into()),
            after: Some(after.into()),
        }],
        document: None,
    })
}

/// Files `payload`; asserts it was accepted.
async fn file(clerk: &mut KeyHolder, id: &str, unit: &UnitId, payload: &ApplicationPayload) {
    let verdict = clerk.file(id, unit, payload).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{id}: {verdict:?}");
}

/// A person who holds no post, born on `born`, for `category`.
async fn newcomer(pool: &Pool, born: &str, category: EstablishmentCategory) -> Person {
    for sequence in 990..999 {
        let person = new_person(born, sequence, category);
        if !schema::holds_post(pool, person.id_number.as_str()).await {
            return person;
        }
    }
    panic!("no free ID number");
}

/// A quota-use request for `count` posts, endorsed and approved: the slip's number.
async fn approved_slip(review: &mut Review, id: &str, count: u32) -> String {
    let (unit, category) = (review.unit.clone(), review.category);
    review
        .clerk
        .file_quota_use(id, &unit, category, count)
        .await;
    accepted(
        &review
            .supervisor
            .decide(&format!("{id}-e"), id, Action::Endorse, "同意上报")
            .await,
    );
    let approved = review
        .reviewer
        .decide(&format!("{id}-a"), id, Action::Approve, "同意")
        .await;
    accepted(&approved);
    approved.slip_number.expect("a slip")
}

/// Pulls from a snapshot until complete: the last state of every record, by key.
async fn pull_all(holder: &KeyHolder) -> BTreeMap<String, Change> {
    let mut records = BTreeMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let query: Vec<(&str, &str)> = cursor.iter().map(|c| ("cursor", c.as_str())).collect();
        let response = holder
            .client
            .with_session(
                holder
                    .client
                    .http
                    .get(format!("{}{SYNC_PULL_PATH}", holder.client.base))
                    .query(&query),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page: PullResponse = response.json().await.unwrap();
        for change in page.changes {
            let key = match &change {
                Change::Certificate { unit_id, .. } => format!("unit:{unit_id}"),
                Change::Application { application_id, .. } => {
                    format!("application:{application_id}")
                }
                Change::UnitRemoved { unit_id, .. } => format!("removed:{unit_id}"),
                Change::Verification { unit_id, .. } => format!("verification:{unit_id}"),
            };
            records.insert(key, change);
        }
        cursor = Some(page.cursor);
        if page.complete {
            return records;
        }
    }
    panic!("the pull never completes");
}

fn certificate_of(records: &BTreeMap<String, Change>, unit: &UnitId) -> Certificate {
    match records.get(&format!("unit:{unit}")) {
        Some(Change::Certificate { certificate, .. }) => {
            serde_json::from_str(certificate.get()).unwrap()
        }
        other => panic!("no certificate of {unit}: {other:?}"),
    }
}

#[tokio::test]
async fn an_onboarding_fills_a_reserved_post_uses_the_slip_and_issues_a_notice() {
    let city = City::start().await;
    let pool = &city.pool;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    set_vacancy(pool, &unit, category, 1).await;
    let slip = approved_slip(&mut review, "q-1", 1).await;
    let before = figures(pool, &unit, category).await;
    assert_eq!(before.vacant().get(), 0);

    // A 身份证号 that holds a post in another unit: accepted at push, refused at approval.
    let (elsewhere, held) = schema::someone_elsewhere(pool, &unit).await;
    let held = IdNumber::parse(&held).unwrap();
    let mut twin = newcomer(pool, "1998-03-04", category).await;
    (twin.birth_date, twin.sex, twin.id_number) = (held.birth_date(), held.sex(), held.clone());
    file(
        &mut review.clerk,
        "on-twin",
        &unit,
        &onboarding(&slip, twin),
    )
    .await;
    let refused = review
        .reviewer
        .decide("d-twin", "on-twin", Action::Approve, "")
        .await;
    assert_eq!(code(&refused), Some("id_number_holds_post"), "{refused:?}");
    let message = refused.message.unwrap();
    assert!(
        message.starts_with("身份证号：") && message.contains(elsewhere.as_str()),
        "{message}"
    );
    assert_eq!(figures(pool, &unit, category).await, before);

    // A slip the unit does not have.
    let stray = newcomer(pool, "1998-03-04", category).await;
    file(
        &mut review.clerk,
        "on-stray",
        &unit,
        &onboarding("天编用〔2026〕9999号", stray),
    )
    .await;
    let unknown = review
        .reviewer
        .decide("d-stray", "on-stray", Action::Approve, "")
        .await;
    assert_eq!(code(&unknown), Some("slip_not_usable"), "{unknown:?}");

    // A newcomer: on the staff, a reserved post filled, the slip used up, a notice numbered.
    let person = newcomer(pool, "1998-03-04", category).await;
    file(
        &mut review.clerk,
        "on-1",
        &unit,
        &onboarding(&slip, person.clone()),
    )
    .await;
    let approved = review
        .reviewer
        .decide("d-on-1", "on-1", Action::Approve, "同意入编")
        .await;
    accepted(&approved);
    let notice = approved.notice_number.clone().expect("a notice number");
    assert!(notice.starts_with("天编入〔"), "{notice}");
    let after = figures(pool, &unit, category).await;
    assert_eq!(after.filled.get(), before.filled.get() + 1);
    assert_eq!(after.reserved.get(), before.reserved.get() - 1);
    assert_eq!(schema::slip(pool, &slip).await.remaining, 0);
    let certificate = schema::certificate(pool, &unit).await;
    let entered = certificate
        .staff
        .iter()
        .find(|p| p.id_number == person.id_number)
        .expect("the person is on the staff");
    assert_eq!(entered.slip_number.as_ref().unwrap().as_str(), slip);
    assert_eq!(
        entered.enrolment_document.as_ref().unwrap().as_str(),
        notice
    );

    // The slip is used up: another newcomer on it is refused, naming the slip.
    let late = newcomer(pool, "1999-05-06", category).await;
    file(&mut review.clerk, "on-2", &unit, &onboarding(&slip, late)).await;
    let used_up = review
        .reviewer
        .decide("d-on-2", "on-2", Action::Approve, "")
        .await;
    assert_eq!(code(&used_up), Some("slip_used_up"), "{used_up:?}");
    assert!(used_up.message.unwrap().contains(&slip));

    // Everything reaches the clerk's pull: the certificate's slip, notice and staff, the
    // application's signed payload, decision and notice number.
    let records = pull_all(&review.clerk).await;
    let pulled = certificate_of(&records, &unit);
    let pulled_slip = pulled
        .slips
        .iter()
        .find(|s| s.number.as_str() == slip)
        .unwrap();
    assert_eq!(pulled_slip.used, Headcount::ONE);
    assert_eq!(pulled_slip.state(today()), SlipState::UsedUp);
    let issued = pulled
        .issued
        .iter()
        .find(|d| d.number.as_str() == notice)
        .expect("the notice is in the certificate");
    assert_eq!(issued.kind, IssuedDocumentKind::OnboardingNotice);
    assert_eq!(issued.person.as_ref().unwrap().id_number, person.id_number);
    assert_eq!(issued.approver.as_str(), review.reviewer.id);
    assert_eq!(issued.slip_number.as_ref().unwrap().as_str(), slip);
    assert!(
        pulled
            .issued
            .iter()
            .any(|d| d.kind == IssuedDocumentKind::QuotaUseSlip && d.number.as_str() == slip)
    );
    let Some(Change::Application {
        envelope,
        signer_id,
        decisions,
        notice_number,
        status,
        late,
        ..
    }) = records.get("application:on-1")
    else {
        panic!("the onboarding is pulled");
    };
    assert_eq!(status, "approved");
    assert_eq!(notice_number.as_deref(), Some(notice.as_str()));
    assert_eq!(signer_id, &review.clerk.id);
    assert!(!late);
    let (signed, _) = SignedEnvelope::from_signed_bytes(envelope.get().as_bytes()).unwrap();
    let Ok(ApplicationPayload::Onboarding(payload)) = signed.decode_payload() else {
        panic!("an onboarding payload");
    };
    assert_eq!(payload.person.id_number, person.id_number);
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].action, "approve");
    assert_eq!(decisions[0].note, "同意入编");
    assert_eq!(decisions[0].decider_id, review.reviewer.id);
    assert_eq!(decisions[0].decider_role, "bureau_reviewer");
    assert_eq!(decisions[0].decider_name, "测试人员");

    // The supervising department pulls the quota-use request it decides on, with its payload
    // and both decisions.
    let records = pull_all(&review.supervisor).await;
    let Some(Change::Application {
        envelope,
        decisions,
        slip_number,
        ..
    }) = records.get("application:q-1")
    else {
        panic!("the supervisor pulls the request of its unit");
    };
    let (signed, _) = SignedEnvelope::from_signed_bytes(envelope.get().as_bytes()).unwrap();
    assert!(matches!(
        signed.decode_payload(),
        Ok(ApplicationPayload::QuotaUse(QuotaUseRequest { count, .. })) if count == Headcount::ONE
    ));
    let actions: Vec<&str> = decisions.iter().map(|d| d.action.as_str()).collect();
    assert_eq!(actions, ["endorse", "approve"]);
    assert_eq!(slip_number.as_deref(), Some(slip.as_str()));
    // The bureau's reviewer pulls the onboardings it decides on.
    let records = pull_all(&review.reviewer).await;
    assert!(records.contains_key("application:on-2"));
}

#[tokio::test]
async fn an_offboarding_frees_the_post_and_a_late_one_is_flagged() {
    let city = City::start().await;
    let pool = &city.pool;
    let mut review = city.review().await;
    let unit = review.unit.clone();
    let certificate = schema::certificate(pool, &unit).await;
    assert!(certificate.staff.len() >= 2, "the unit has staff");
    let leaving = certificate.staff[0].clone();
    let staying = certificate.staff[1].clone();
    let before = figures(pool, &unit, leaving.category).await;

    // Left a hundred days ago: after the month's end, accepted and flagged late.
    let long_ago = today().add_days(-100).unwrap();
    file(
        &mut review.clerk,
        "off-late",
        &unit,
        &offboarding(&leaving, long_ago),
    )
    .await;
    let (due, overdue) = schema::lateness(pool, "off-late").await;
    assert_eq!(due, Some(long_ago.end_of_month().to_string()));
    assert_eq!(
        overdue,
        long_ago.end_of_month().days_until(today()),
        "calendar days after the due date"
    );
    assert!(overdue > 0);
    // Leaving today: on time.
    file(
        &mut review.clerk,
        "off-now",
        &unit,
        &offboarding(&staying, today()),
    )
    .await;
    assert_eq!(schema::lateness(pool, "off-now").await.1, 0);
    let records = pull_all(&review.reviewer).await;
    let Some(Change::Application {
        late,
        days_overdue,
        due_on,
        ..
    }) = records.get("application:off-late")
    else {
        panic!("the reviewer pulls the offboarding");
    };
    assert!(*late && i64::from(*days_overdue) == overdue, "{due_on:?}");

    let approved = review
        .reviewer
        .decide("d-off", "off-late", Action::Approve, "")
        .await;
    accepted(&approved);
    let notice = approved.notice_number.expect("a notice");
    assert!(notice.starts_with("天编出〔"), "{notice}");
    let after = figures(pool, &unit, leaving.category).await;
    assert_eq!(after.filled.get(), before.filled.get() - 1);
    assert_eq!(after.vacant().get(), before.vacant().get() + 1);
    let certificate = schema::certificate(pool, &unit).await;
    assert!(
        !certificate
            .staff
            .iter()
            .any(|p| p.id_number == leaving.id_number)
    );
    let departed = certificate
        .departed
        .iter()
        .find(|d| d.person.id_number == leaving.id_number)
        .expect("the person is among the departed");
    assert_eq!(departed.approval.as_ref().unwrap().as_str(), notice);
    assert_eq!(departed.reason, DepartureReason::Retirement);
    assert_eq!(departed.left_on, long_ago);

    // The same person again: no longer on the staff.
    file(
        &mut review.clerk,
        "off-again",
        &unit,
        &offboarding(&leaving, today()),
    )
    .await;
    let again = review
        .reviewer
        .decide("d-off-again", "off-again", Action::Approve, "")
        .await;
    assert_eq!(code(&again), Some("person_not_in_unit"), "{again:?}");

    // The clerk withdraws the other one; the clerk of another unit and the reviewer may not.
    let other_unit = schema::first_unit_except(pool, &unit).await;
    let mut stranger = city.clerk("stranger", &other_unit).await;
    let by_stranger = stranger
        .decide("w-stranger", "off-now", Action::Withdraw, "")
        .await;
    assert_eq!(code(&by_stranger), Some("out_of_scope"), "{by_stranger:?}");
    let by_reviewer = review
        .reviewer
        .decide("w-reviewer", "off-now", Action::Withdraw, "")
        .await;
    assert_eq!(code(&by_reviewer), Some("out_of_scope"), "{by_reviewer:?}");
    let withdrawn = review
        .clerk
        .decide("w-clerk", "off-now", Action::Withdraw, "")
        .await;
    accepted(&withdrawn);
    assert_eq!(withdrawn.application_status.as_deref(), Some("withdrawn"));
    assert_eq!(application_status(pool, "off-now").await, "withdrawn");
    // Deciding a withdrawn application: already decided, by whom.
    let late_decision = review
        .reviewer
        .decide("d-off-now", "off-now", Action::Approve, "")
        .await;
    assert_eq!(code(&late_decision), Some("already_decided"));
    let message = late_decision.message.unwrap();
    assert!(
        message.contains("测试人员") && message.contains("已撤回"),
        "{message}"
    );
    assert!(
        schema::certificate(pool, &unit)
            .await
            .staff
            .iter()
            .any(|p| p.id_number == staying.id_number)
    );
}

#[tokio::test]
async fn a_record_change_keeps_the_old_value_and_the_first_of_two_decisions_stands() {
    let city = City::start().await;
    let pool = &city.pool;
    let mut review = city.review().await;
    let unit = review.unit.clone();
    let person = schema::certificate(pool, &unit).await.staff[0].clone();
    let old = person.education.code();
    let new = if old == "postgraduate" {
        "undergraduate"
    } else {
        "postgraduate"
    };

    file(
        &mut review.clerk,
        "rc-1",
        &unit,
        &record_change(&person, "education", old, new),
    )
    .await;
    // Two reviewers decide offline; the approval arrives first and stands.
    let mut second = city.reviewer("reviewer-2").await;
    let rejection = second.decision_bytes("d-rc-reject", "rc-1", Action::Reject, "学历证明不全");
    let rejection = second.sign(&rejection);
    accepted(
        &review
            .reviewer
            .decide("d-rc-approve", "rc-1", Action::Approve, "")
            .await,
    );
    let refused = second.send_decision(rejection).await;
    assert_eq!(code(&refused), Some("already_decided"), "{refused:?}");
    assert!(refused.message.unwrap().contains("已核准"));
    assert_eq!(application_status(pool, "rc-1").await, "approved");
    // Two supervisors' returns of one quota-use request: the second is told it came late.
    let mut other = city.supervisor("supervisor-2", &review.department).await;
    review
        .clerk
        .file_quota_use("q-twice", &unit, review.category, 1)
        .await;
    accepted(
        &review
            .supervisor
            .decide("d-q-return", "q-twice", Action::Return, "请补充理由")
            .await,
    );
    let late_return = other
        .decide("d-q-return-2", "q-twice", Action::Return, "理由不足")
        .await;
    assert_eq!(
        code(&late_return),
        Some("already_decided"),
        "{late_return:?}"
    );
    assert!(late_return.message.unwrap().contains("已退回"));

    let certificate = schema::certificate(pool, &unit).await;
    let changed = certificate
        .staff
        .iter()
        .find(|p| p.id_number == person.id_number)
        .unwrap();
    assert_eq!(changed.education.code(), new);
    let entry = certificate
        .record_changes
        .iter()
        .find(|e| e.is_about(&person.id_number))
        .expect("the change is in the history");
    assert_eq!(entry.changes[0].before.as_deref(), Some(old));
    assert_eq!(entry.changes[0].after.as_deref(), Some(new));
    assert_eq!(entry.approver.as_str(), review.reviewer.id);

    // The unit's own record: a new short name, the old one kept.
    let old_short = certificate
        .unit
        .short_name
        .as_ref()
        .map(|n| n.as_str().to_owned());
    let rename = ApplicationPayload::RecordChange(RecordChangeRequest {
        subject: ChangeSubject::Unit,
        changed_on: today(),
        changes: vec![FieldChange {
            field: "short_name".into(),
            before: old_short.clone(),
            after: Some("新简称".into()),
        }],
        document: None,
    });
    file(&mut review.clerk, "rc-unit", &unit, &rename).await;
    accepted(
        &review
            .reviewer
            .decide("d-rc-unit", "rc-unit", Action::Approve, "")
            .await,
    );
    let certificate = schema::certificate(pool, &unit).await;
    assert_eq!(certificate.unit.short_name.unwrap().as_str(), "新简称");
    let entry = certificate
        .record_changes
        .iter()
        .find(|e| e.subject == ChangeSubject::Unit)
        .expect("the unit's change is in the history");
    assert_eq!(entry.changes[0].before, old_short);

    // Filed 100 days after the change: past the 30 working days, accepted and flagged late.
    let mut late = record_change(&person, "rank", "x", "y");
    if let ApplicationPayload::RecordChange(request) = &mut late {
        request.changed_on = today().add_days(-100).unwrap();
    }
    file(&mut review.clerk, "rc-late", &unit, &late).await;
    let (due, overdue) = schema::lateness(pool, "rc-late").await;
    assert!(overdue > 0, "{due:?}");

    // Refused at approval, each naming the field and the rule.
    for (id, payload, expected) in [
        (
            "rc-same",
            record_change(&person, "ethnicity", &person.ethnicity, &person.ethnicity),
            "record_change_empty",
        ),
        (
            "rc-stale",
            record_change(&person, "education", old, new),
            "record_change_stale",
        ),
        (
            "rc-category",
            record_change(&person, "category", person.category.code(), "logistics"),
            "field_not_changeable",
        ),
    ] {
        file(&mut review.clerk, id, &unit, &payload).await;
        let verdict = review
            .reviewer
            .decide(&format!("d-{id}"), id, Action::Approve, "")
            .await;
        assert_eq!(code(&verdict), Some(expected), "{verdict:?}");
        assert!(verdict.message.unwrap().starts_with("变更事项："));
        assert_eq!(application_status(pool, id).await, "submitted");
    }
}

#[tokio::test]
async fn a_slip_lapses_when_its_validity_ends_and_its_posts_are_released() {
    let city = City::start().await;
    let pool = &city.pool;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    let before = figures(pool, &unit, category).await;
    let slip = approved_slip(&mut review, "q-lapse", 1).await;
    assert_eq!(
        figures(pool, &unit, category).await.reserved.get(),
        before.reserved.get() + 1
    );
    let person = newcomer(pool, "1997-07-08", category).await;
    file(
        &mut review.clerk,
        "on-lapse",
        &unit,
        &onboarding(&slip, person),
    )
    .await;

    // Ninety-two days on: the slip (valid 90 days) lapsed; a pull releases its post.
    city.server.clock().advance_days(92);
    let records = pull_all(&review.clerk).await;
    let pulled = certificate_of(&records, &unit);
    assert_eq!(pulled.ledger.figures(category).reserved, before.reserved);
    let lapsed = pulled
        .slips
        .iter()
        .find(|s| s.number.as_str() == slip)
        .unwrap();
    assert!(lapsed.released);
    assert_eq!(lapsed.state(today()), SlipState::Lapsed);
    assert_eq!(audit_count(pool, "slip.lapse").await, 1);

    // The onboarding filed on it is refused when decided after.
    let refused = review
        .reviewer
        .decide_at("d-lapse", "on-lapse", Action::Approve, "", days_ahead(92))
        .await;
    assert_eq!(code(&refused), Some("slip_lapsed"), "{refused:?}");
    assert!(refused.message.unwrap().starts_with("编制使用单编号："));
    assert_eq!(figures(pool, &unit, category).await, before);
}

#[tokio::test]
async fn approvals_an_earlier_server_left_unapplied_are_applied_or_reopened_at_start() {
    let mut city = City::start().await;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    set_vacancy(&city.pool, &unit, category, 1).await;
    let slip = approved_slip(&mut review, "q-old", 1).await;
    let person = newcomer(&city.pool, "1996-01-02", category).await;
    file(
        &mut review.clerk,
        "on-old",
        &unit,
        &onboarding(&slip, person.clone()),
    )
    .await;
    // An offboarding of someone not on the staff: the rules no longer allow it.
    let stranger = newcomer(&city.pool, "1995-01-02", category).await;
    file(
        &mut review.clerk,
        "off-old",
        &unit,
        &offboarding(&stranger, today()),
    )
    .await;
    for id in ["on-old", "off-old"] {
        schema::mark_approved_status_only(&city.pool, id, &review.reviewer.id).await;
    }
    // And a slip issued before issued documents were recorded.
    schema::forget_issued_document(&city.pool, &slip).await;

    city.server.stop().await.unwrap();
    city.server.start_again().await.unwrap();
    let pool = &city.pool;
    assert!(schema::holds_post(pool, person.id_number.as_str()).await);
    let entered = schema::certificate(pool, &unit)
        .await
        .staff
        .into_iter()
        .find(|p| p.id_number == person.id_number)
        .unwrap();
    assert!(
        entered
            .enrolment_document
            .unwrap()
            .as_str()
            .starts_with("天编入〔")
    );
    assert_eq!(application_status(pool, "on-old").await, "approved");
    assert_eq!(application_status(pool, "off-old").await, "submitted");
    assert_eq!(audit_count(pool, "application.applied_late").await, 1);
    assert_eq!(audit_count(pool, "application.reopened").await, 1);
    let reopened = schema::audit_details(pool, "application.reopened").await;
    assert_eq!(reopened[0]["code"], "person_not_in_unit");
    let issued = schema::certificate(pool, &unit).await.issued;
    let recorded = issued
        .iter()
        .find(|d| d.number.as_str() == slip)
        .expect("the old slip's document is recorded again");
    assert_eq!(recorded.approver.as_str(), review.reviewer.id);
    assert!(
        issued
            .iter()
            .any(|d| d.kind == IssuedDocumentKind::OnboardingNotice)
    );
    // Restarting again changes nothing more.
    city.server.stop().await.unwrap();
    city.server.start_again().await.unwrap();
    assert_eq!(audit_count(&city.pool, "application.applied_late").await, 1);
}
