//! Applications and decisions that a test files through the real API: a quota-use request
//! signed offline by a clerk's key, a decision signed by a reviewer's or a department's key;
//! and the ledger figures around them — a unit's vacancy read, or set by an adjustment written
//! straight to the database (`set_vacancy`).

use std::collections::BTreeSet;

use domain::envelope::EnvelopeHeader;
use domain::ids::{ApplicationId, ClientId, CredentialId, DecisionId};
use domain::payload::{ApplicationPayload, QuotaUseRequest};
use domain::person::{
    Degree, Education, EntryForm, Person, PersonnelClass, PoliticalStatus, PostCategory,
};
use domain::{
    Action, Date, DecisionHeader, DocumentNumber, EstablishmentCategory, Figures, FundingForm,
    Headcount, HeadcountDelta, IdNumber, LedgerRow, Name, SignedDecision, SignedEnvelope,
    Timestamp, UnitId, UserId,
};
use protocol::identity::{
    DecideRequest, DecisionVerdict, SignedSubmission, SubmitRequest, SubmitResponse, Verdict,
    VerdictStatus,
};

use protocol::admin::{ActRequest, ActVerdict};

use crate::keys::KeyHolder;
use crate::schema::{self, Pool};

/// An hour before now: inside the offline window, not in the future.
pub fn an_hour_ago() -> Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    let now = i64::try_from(now).expect("seconds fit");
    Timestamp::from_unix_seconds(now - 3600).expect("a valid timestamp")
}

/// `days` days after [`an_hour_ago`]: a creation time for a server whose clock a test set
/// forward by `days` days.
pub fn days_ahead(days: i64) -> Timestamp {
    Timestamp::from_unix_seconds(an_hour_ago().unix_seconds() + days * 86_400)
        .expect("a valid timestamp")
}

/// A new person for an onboarding into `category`: a 身份证号 of 秦州区 born on `born`
/// (`YYYY-MM-DD`) with sequence `sequence`, and a full record that agrees with it.
pub fn new_person(born: &str, sequence: u16, category: EstablishmentCategory) -> Person {
    let birth = Date::parse(born).expect("a birth date");
    let id_number = IdNumber::compose(620502, birth, sequence).expect("an ID number");
    Person {
        birth_date: id_number.birth_date(),
        sex: id_number.sex(),
        id_number,
        name: Name::parse("王新").expect("a name"),
        ethnicity: "汉族".into(),
        native_place: "甘肃天水".into(),
        political_status: PoliticalStatus::Masses,
        education: Education::Undergraduate,
        degree: Degree::Bachelor,
        division: None,
        category,
        funding_form: category.has_funding_form().then_some(FundingForm::Full),
        personnel_class: PersonnelClass::NonLeader,
        position: None,
        rank: None,
        post_category: PostCategory::Management,
        entry_form: EntryForm::OpenRecruitment,
        enrolled_on: Date::parse("2026-09-01").expect("a date"),
        enrolment_document: None,
        started_work_on: Some(Date::parse("2026-09-01").expect("a date")),
        current_post_since: None,
        slip_number: None,
    }
}

impl KeyHolder {
    /// Signs an application with `payload` for `unit`, created at `created_at` (not sent).
    pub fn sign_application_at(
        &mut self,
        application: &str,
        unit: &UnitId,
        payload: &ApplicationPayload,
        created_at: Timestamp,
    ) -> SignedSubmission {
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse(application).expect("an application id"),
            client_id: ClientId::parse("client-test").expect("a client id"),
            sequence: 1,
            signer: UserId::parse(&self.id).expect("a user id"),
            credential_id: CredentialId::parse(&self.credential_id).expect("a credential id"),
            unit: unit.clone(),
            created_at,
        };
        let envelope = SignedEnvelope::new(header, payload).expect("an envelope");
        self.sign(&envelope.canonical_bytes().expect("canonical bytes"))
    }

    /// Signs and sends an application with `payload`; the verdict, whatever it is.
    pub async fn file(
        &mut self,
        application: &str,
        unit: &UnitId,
        payload: &ApplicationPayload,
    ) -> Verdict {
        let signed = self.sign_application_at(application, unit, payload, an_hour_ago());
        let mut verdicts = self.push(vec![signed]).await;
        assert_eq!(verdicts.len(), 1);
        verdicts.remove(0)
    }

    /// Signs and sends a decision created at `created_at` (a server whose clock was set
    /// forward).
    pub async fn decide_at(
        &mut self,
        id: &str,
        application: &str,
        action: Action,
        note: &str,
        created_at: Timestamp,
    ) -> DecisionVerdict {
        let header = DecisionHeader {
            decision_id: DecisionId::parse(id).expect("a decision id"),
            application_id: ApplicationId::parse(application).expect("an application id"),
            decider: UserId::parse(&self.id).expect("a user id"),
            credential_id: CredentialId::parse(&self.credential_id).expect("a credential id"),
            created_at,
        };
        let bytes = SignedDecision::new(header, action, note)
            .expect("a decision")
            .canonical_bytes()
            .expect("canonical bytes");
        let signed = self.sign(&bytes);
        self.send_decision(signed).await
    }

    /// Files a quota-use request for `count` posts of `category`; asserts it was accepted.
    pub async fn file_quota_use(
        &mut self,
        application: &str,
        unit: &UnitId,
        category: EstablishmentCategory,
        count: u32,
    ) {
        let verdict = self
            .try_file_quota_use(application, unit, category, count)
            .await;
        assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    }

    /// Files a quota-use request for `count` posts of `category`; the verdict, whatever it is.
    pub async fn try_file_quota_use(
        &mut self,
        application: &str,
        unit: &UnitId,
        category: EstablishmentCategory,
        count: u32,
    ) -> Verdict {
        let signed = self.sign_quota_use(application, unit, category, count);
        let mut verdicts = self.push(vec![signed]).await;
        assert_eq!(verdicts.len(), 1);
        verdicts.remove(0)
    }

    /// A quota-use request for `count` posts of `category`, signed offline (not sent).
    pub fn sign_quota_use(
        &mut self,
        application: &str,
        unit: &UnitId,
        category: EstablishmentCategory,
        count: u32,
    ) -> SignedSubmission {
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
        self.sign(&envelope.canonical_bytes().expect("canonical bytes"))
    }

    /// Sends signed applications in one request; the verdicts, in order.
    pub async fn push(&self, submissions: Vec<SignedSubmission>) -> Vec<Verdict> {
        let response = self
            .client
            .post("/api/envelopes", &SubmitRequest { submissions })
            .await;
        assert_eq!(response.status(), 200);
        let verdicts: SubmitResponse = response.json().await.expect("verdicts");
        verdicts.verdicts
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
    pool: &Pool,
    except: &BTreeSet<String>,
) -> (UnitId, UnitId, EstablishmentCategory, u32) {
    for unit in schema::unit_ids(pool)
        .await
        .into_iter()
        .filter(|unit| !except.contains(unit.as_str()))
    {
        let certificate = schema::certificate(pool, &unit).await;
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

/// The figures of `category` in `unit`'s ledger, as the server reads them.
pub async fn figures(pool: &Pool, unit: &UnitId, category: EstablishmentCategory) -> Figures {
    schema::certificate(pool, unit)
        .await
        .ledger
        .figures(category)
}

/// A category of `unit` with at least `posts` vacant posts (the demo city's own figures).
pub async fn vacant_category(pool: &Pool, unit: &UnitId, posts: u32) -> EstablishmentCategory {
    schema::certificate(pool, unit)
        .await
        .ledger
        .all_figures()
        .into_iter()
        .find(|(_, f)| f.vacant().get() >= posts)
        .map(|(category, _)| category)
        .unwrap_or_else(|| panic!("{unit} should have {posts} vacant posts in some category"))
}

/// Simulates an establishment decision (核增 or 核减) so that `category` of `unit` has exactly
/// `vacant` vacant posts: a ledger row is appended straight to the database (there is no
/// endpoint for establishment changes yet), as the bureau's adjustment would.
pub async fn set_vacancy(pool: &Pool, unit: &UnitId, category: EstablishmentCategory, vacant: u32) {
    let f = figures(pool, unit, category).await;
    let wanted = i64::from(f.filled.get()) + i64::from(f.reserved.get()) + i64::from(vacant);
    let delta = wanted - i64::from(f.approved.get());
    if delta == 0 {
        return;
    }
    let position = schema::next_ledger_position(pool, unit).await;
    let row = LedgerRow {
        document: DocumentNumber::parse(&format!("天机编发〔2026〕{}号", 100 + position))
            .expect("a document number"),
        date: Date::parse("2026-01-05").expect("a date"),
        title: if delta > 0 {
            "关于核增编制的批复"
        } else {
            "关于核减编制的批复"
        }
        .into(),
        changes: [(
            category,
            HeadcountDelta::new(i32::try_from(delta).expect("a small change")),
        )]
        .into(),
        note: Some("测试：编制调整".into()),
    };
    schema::insert_ledger_row(pool, unit, position, &row).await;
    assert_eq!(figures(pool, unit, category).await.vacant().get(), vacant);
}

impl KeyHolder {
    /// Signs and sends a bureau act (`POST /api/acts`) with id `id`; the verdict, whatever it is.
    pub async fn act(&mut self, id: &str, payload: &domain::act::ActPayload) -> ActVerdict {
        let bytes = domain::act::SignedAct::new(
            DecisionId::parse(id).expect("an act id"),
            UserId::parse(&self.id).expect("a user id"),
            CredentialId::parse(&self.credential_id).expect("a credential id"),
            an_hour_ago(),
            payload,
        )
        .expect("an act")
        .canonical_bytes()
        .expect("canonical bytes");
        let submission = self.sign(&bytes);
        let response = self
            .client
            .post("/api/acts", &ActRequest { submission })
            .await;
        assert_eq!(response.status(), 200, "POST /api/acts");
        response.json().await.expect("an act verdict")
    }
}
