//! Applications and decisions that a test files through the real API: a quota-use request
//! signed offline by a clerk's key, a decision signed by a reviewer's or a department's key.

use std::collections::BTreeSet;

use domain::envelope::EnvelopeHeader;
use domain::ids::{ApplicationId, ClientId, CredentialId, DecisionId};
use domain::payload::{ApplicationPayload, QuotaUseRequest};
use domain::person::EntryForm;
use domain::{
    Action, DecisionHeader, EstablishmentCategory, FundingForm, Headcount, SignedDecision,
    SignedEnvelope, Timestamp, UnitId, UserId,
};
use protocol::identity::{
    DecideRequest, DecisionVerdict, SignedSubmission, SubmitRequest, SubmitResponse, VerdictStatus,
};

use crate::keys::KeyHolder;

/// An hour before now: inside the offline window, not in the future.
pub fn an_hour_ago() -> Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    let now = i64::try_from(now).expect("seconds fit");
    Timestamp::from_unix_seconds(now - 3600).expect("a valid timestamp")
}

impl KeyHolder {
    /// Files a quota-use request for `count` posts of `category`; asserts it was accepted.
    pub async fn file_quota_use(
        &mut self,
        application: &str,
        unit: &UnitId,
        category: EstablishmentCategory,
        count: u32,
    ) {
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse(application).expect("an application id"),
            client_id: ClientId::parse("client-test").expect("a client id"),
            sequence: 1,
            signer: UserId::parse(&self.id).expect("a user id"),
            credential_id: CredentialId::parse(&self.credential_id).expect("a credential id"),
            unit: unit.clone(),
            created_at: an_hour_ago(),
        };
        let payload = ApplicationPayload::QuotaUse(QuotaUseRequest {
            category,
            funding_form: category.has_funding_form().then_some(FundingForm::Full),
            count: Headcount::new(count),
            recruitment: EntryForm::OpenRecruitment,
            reason: "业务量增加，申请使用空编".into(),
            request_document: None,
        });
        let envelope = SignedEnvelope::new(header, &payload).expect("an envelope");
        let signed = self.sign(&envelope.canonical_bytes().expect("canonical bytes"));
        let response = self
            .client
            .post(
                "/api/envelopes",
                &SubmitRequest {
                    submissions: vec![signed],
                },
            )
            .await;
        assert_eq!(response.status(), 200);
        let verdicts: SubmitResponse = response.json().await.expect("verdicts");
        assert_eq!(
            verdicts.verdicts[0].status,
            VerdictStatus::Accepted,
            "{:?}",
            verdicts.verdicts[0]
        );
    }

    /// The canonical bytes of this holder's decision.
    pub fn decision_bytes(
        &self,
        id: &str,
        application: &str,
        action: Action,
        note: &str,
    ) -> Vec<u8> {
        let header = DecisionHeader {
            decision_id: DecisionId::parse(id).expect("a decision id"),
            application_id: ApplicationId::parse(application).expect("an application id"),
            decider: UserId::parse(&self.id).expect("a user id"),
            credential_id: CredentialId::parse(&self.credential_id).expect("a credential id"),
            created_at: an_hour_ago(),
        };
        SignedDecision::new(header, action, note)
            .expect("a decision")
            .canonical_bytes()
            .expect("canonical bytes")
    }

    /// Sends a signed decision; the verdict, whatever it is.
    pub async fn send_decision(&self, submission: SignedSubmission) -> DecisionVerdict {
        let response = self
            .client
            .post("/api/decisions", &DecideRequest { submission })
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("a verdict")
    }

    /// Signs and sends a decision.
    pub async fn decide(
        &mut self,
        id: &str,
        application: &str,
        action: Action,
        note: &str,
    ) -> DecisionVerdict {
        let bytes = self.decision_bytes(id, application, action, note);
        let signed = self.sign(&bytes);
        self.send_decision(signed).await
    }
}

/// A unit with a supervising department and a category with vacant posts, in the demo city,
/// not one of `except`: (unit, department, category, vacant posts).
pub async fn unit_with_vacancy(
    pool: &sqlx::SqlitePool,
    except: &BTreeSet<String>,
) -> (UnitId, UnitId, EstablishmentCategory, u32) {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM unit ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("unit ids");
    for id in ids.into_iter().filter(|id| !except.contains(id)) {
        let unit = UnitId::parse(&id).expect("a unit id");
        let certificate = server::db::certificates::read(pool, &unit)
            .await
            .expect("a certificate")
            .expect("the unit exists");
        let Some(department) = certificate.unit.supervising_department.clone() else {
            continue;
        };
        if let Some((category, figures)) = certificate
            .ledger
            .all_figures()
            .into_iter()
            .find(|(_, f)| f.vacant().get() >= 1)
        {
            return (unit, department, category, figures.vacant().get());
        }
    }
    panic!("the demo city should have a supervised unit with a vacancy");
}
