//! Decisions signed on this computer: a reviewer's endorsement, approval, return or rejection,
//! or a clerk's withdrawal (`domain::SignedDecision`), as the outbox keeps them until the
//! server has judged them, and which decisions a role may take on an application (the
//! domain's lifecycle: `domain::application::transition`, never a table of our own).
//!
//! They live in the same IndexedDB store as the signed applications (`store::outbox`, told
//! apart by their record's `decision_id`), and are pushed after them (`sync::push`).

use domain::application::transition;
use domain::payload::ApplicationPayload;
use domain::person::Person;
use domain::{Action, ApplicationKind, ApplicationStatus, LedgerError, Role, UnitLedger};
use protocol::identity::{DecisionVerdict, SignedSubmission};
use serde::{Deserialize, Serialize};

use crate::applications::outbox::ItemStatus;
use crate::applications::tracked::TrackedApplication;

/// The decisions a reviewer signs, in the order the buttons show them.
pub const REVIEW_ACTIONS: [Action; 4] = [
    Action::Endorse,
    Action::Approve,
    Action::Return,
    Action::Reject,
];

/// One signed decision in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedDecision {
    /// 审批决定标识 (the record's key).
    pub decision_id: String,
    /// The application decided on.
    pub application_id: String,
    /// Its unit and kind, for the lists.
    pub unit_id: String,
    pub kind: ApplicationKind,
    pub action: Action,
    /// 审批意见.
    pub note: String,
    /// The key holder who signed.
    pub signer: String,
    /// When it was signed (RFC 3339, UTC).
    pub signed_at: String,
    /// Its place in this installation's signing order, shared with the applications' sequence
    /// numbers: what is signed with one key is sent in the order it was signed (the server
    /// holds a signature whose counter is below one it has seen).
    #[serde(default)]
    pub sequence: u64,
    /// Decision bytes and assertion, base64url, exactly as they will be sent.
    pub submission: SignedSubmission,
    pub status: ItemStatus,
    /// The application's status after the accepted decision, as the server answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_status: Option<ApplicationStatus>,
    /// The slip or notice number an accepted approval issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

impl QueuedDecision {
    /// This decision with the server's `verdict` recorded.
    pub fn judged(mut self, verdict: &DecisionVerdict) -> Self {
        self.status = ItemStatus::from_verdict(&protocol::identity::Verdict {
            application_id: verdict.application_id.clone(),
            status: verdict.status,
            code: verdict.code.clone(),
            message: verdict.message.clone(),
            message_en: verdict.message_en.clone(),
        });
        self.application_status = verdict
            .application_status
            .as_deref()
            .and_then(ApplicationStatus::from_code);
        self.number = verdict
            .slip_number
            .clone()
            .or_else(|| verdict.notice_number.clone());
        self
    }

    /// Whether the server refused it because the application had already moved on (another
    /// reviewer decided first, or the clerk withdrew it): `already_decided`, or a step the
    /// application's status no longer allows.
    pub fn overtaken(&self) -> bool {
        matches!(
            &self.status,
            ItemStatus::Rejected { code: Some(code), .. }
                if code == "already_decided" || code == "transition_not_allowed"
        )
    }
}

/// The decisions `role` may sign on `application` now, by the domain's lifecycle.
pub fn allowed_actions(role: Role, application: &TrackedApplication) -> Vec<Action> {
    REVIEW_ACTIONS
        .into_iter()
        .filter(|&action| transition(application.kind, application.status, action, role).is_ok())
        .collect()
}

/// Whether `application` waits for a decision of `role` (a supervisor's own department, whose
/// unit it reads but does not supervise, excepted) that this computer has not signed yet: the
/// reviewer's queue.
pub fn awaits(
    role: Role,
    own_department: Option<&str>,
    application: &TrackedApplication,
    decisions: &[QueuedDecision],
) -> bool {
    !allowed_actions(role, application).is_empty()
        && own_department != Some(application.unit_id.as_str())
        && decided_here(decisions, &application.application_id).is_none()
}

/// Whether the clerk may withdraw `application` now: filed, not decided, and the lifecycle
/// allows it.
pub fn may_withdraw(application: &TrackedApplication) -> bool {
    application.status.awaits_decision()
        && transition(
            application.kind,
            application.status,
            Action::Withdraw,
            Role::UnitClerk,
        )
        .is_ok()
}

/// The unit's ledger after `action` on an application asking `payload`: for an approval,
/// `UnitLedger::after_approval` (the domain's). `Ok(None)`: the decision changes no
/// figure; `Err`: it would break the ledger (the server refuses it too).
pub fn ledger_after(
    ledger: &UnitLedger,
    staff: &[Person],
    payload: &ApplicationPayload,
    action: Action,
) -> Result<Option<UnitLedger>, LedgerError> {
    if action != Action::Approve {
        return Ok(None);
    }
    ledger.after_approval(payload, staff)
}

/// Whether `action` must say why (审批意见): return and reject.
pub fn needs_note(action: Action) -> bool {
    matches!(action, Action::Return | Action::Reject | Action::Void)
}

/// Whether `role` may void the document `application`'s approval issued (作废, a signed
/// decision with a reason), by the domain's lifecycle: it has a signed document that is not
/// void already, and no voiding of it waits here. Apart from [`allowed_actions`], so that an
/// approved application never counts as awaiting the reviewer.
pub fn may_void(
    role: Role,
    application: &TrackedApplication,
    decisions: &[QueuedDecision],
) -> bool {
    application
        .document
        .as_ref()
        .is_some_and(|d| d.status != "void")
        && transition(application.kind, application.status, Action::Void, role).is_ok()
        && !decisions.iter().any(|d| {
            d.application_id == application.application_id
                && d.action == Action::Void
                && matches!(d.status, ItemStatus::Pending | ItemStatus::Accepted)
        })
}

/// The decision of `signer` on `application_id` still waiting to be sent or accepted, if any:
/// the application is then out of the signer's queue.
pub fn decided_here<'a>(
    decisions: &'a [QueuedDecision],
    application_id: &str,
) -> Option<&'a QueuedDecision> {
    decisions.iter().rev().find(|d| {
        d.application_id == application_id
            && matches!(d.status, ItemStatus::Pending | ItemStatus::Accepted)
    })
}

/// The pending decisions of `signer`, in the order they were signed (their sequence).
pub fn pending_decisions(decisions: &[QueuedDecision], signer: &str) -> Vec<QueuedDecision> {
    let mut pending: Vec<QueuedDecision> = decisions
        .iter()
        .filter(|d| d.status == ItemStatus::Pending && d.signer == signer)
        .cloned()
        .collect();
    crate::order::sort_by(&mut pending, |a, b| a.sequence.cmp(&b.sequence));
    pending
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::identity::VerdictStatus;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn application(kind: ApplicationKind, status: ApplicationStatus) -> TrackedApplication {
        TrackedApplication::new("a-1", "620502-0012", kind, status, "2026-11-28T08:00:00Z")
    }

    pub(crate) fn queued(status: ItemStatus) -> QueuedDecision {
        QueuedDecision {
            decision_id: "d-1".into(),
            application_id: "a-1".into(),
            unit_id: "620502-0012".into(),
            kind: ApplicationKind::QuotaUse,
            action: Action::Approve,
            note: String::new(),
            signer: "r1".into(),
            signed_at: "2026-11-28T09:00:00Z".into(),
            sequence: 1,
            submission: SignedSubmission {
                envelope: "ZQ".into(),
                credential_id: "Yw".into(),
                client_data_json: "ZA".into(),
                authenticator_data: "YQ".into(),
                signature: "cw".into(),
            },
            status,
            application_status: None,
            number: None,
        }
    }

    #[wasm_bindgen_test]
    fn each_role_gets_the_decisions_the_lifecycle_gives_it() {
        use ApplicationKind as K;
        use ApplicationStatus as S;
        let quota = application(K::QuotaUse, S::Submitted);
        assert_eq!(
            allowed_actions(Role::Supervisor, &quota),
            [Action::Endorse, Action::Return, Action::Reject]
        );
        assert!(allowed_actions(Role::BureauReviewer, &quota).is_empty());
        let endorsed = application(K::QuotaUse, S::Endorsed);
        assert_eq!(
            allowed_actions(Role::BureauReviewer, &endorsed),
            [Action::Approve, Action::Return, Action::Reject]
        );
        assert!(allowed_actions(Role::Supervisor, &endorsed).is_empty());
        let onboarding = application(K::Onboarding, S::Submitted);
        assert_eq!(
            allowed_actions(Role::BureauReviewer, &onboarding),
            [Action::Approve, Action::Return, Action::Reject]
        );
        assert!(allowed_actions(Role::UnitClerk, &onboarding).is_empty());
        assert!(
            allowed_actions(
                Role::BureauReviewer,
                &application(K::Onboarding, S::Approved)
            )
            .is_empty()
        );
        assert!(may_withdraw(&onboarding) && may_withdraw(&endorsed));
        assert!(!may_withdraw(&application(K::QuotaUse, S::Approved)));
        assert!(!may_withdraw(&application(K::QuotaUse, S::Returned)));
    }

    #[wasm_bindgen_test]
    fn a_verdict_is_recorded_and_a_decision_overtaken_says_so() {
        let verdict = DecisionVerdict {
            decision_id: Some("d-1".into()),
            application_id: Some("a-1".into()),
            status: VerdictStatus::Accepted,
            code: None,
            message: None,
            message_en: None,
            application_status: Some("approved".into()),
            slip_number: Some("天编用〔2026〕0001号".into()),
            notice_number: None,
        };
        let accepted = queued(ItemStatus::Pending).judged(&verdict);
        assert_eq!(accepted.status, ItemStatus::Accepted);
        assert_eq!(
            accepted.application_status,
            Some(ApplicationStatus::Approved)
        );
        assert_eq!(accepted.number.as_deref(), Some("天编用〔2026〕0001号"));
        assert!(!accepted.overtaken());
        let late = queued(ItemStatus::Pending).judged(&DecisionVerdict {
            status: VerdictStatus::Rejected,
            code: Some("already_decided".into()),
            message: Some("已核准".into()),
            application_status: None,
            slip_number: None,
            ..verdict
        });
        assert!(late.overtaken());
        // Stored and read back as it was (the outbox record's body).
        let json = serde_json::to_string(&late).unwrap();
        assert_eq!(serde_json::from_str::<QueuedDecision>(&json).unwrap(), late);
    }

    #[wasm_bindgen_test]
    fn the_queue_holds_what_awaits_the_role_and_is_not_decided_here() {
        let endorsed = application(ApplicationKind::QuotaUse, ApplicationStatus::Endorsed);
        assert!(awaits(Role::BureauReviewer, None, &endorsed, &[]));
        assert!(!awaits(Role::Supervisor, None, &endorsed, &[]));
        let submitted = application(ApplicationKind::QuotaUse, ApplicationStatus::Submitted);
        assert!(awaits(
            Role::Supervisor,
            Some("620502-0001"),
            &submitted,
            &[]
        ));
        assert!(!awaits(
            Role::Supervisor,
            Some("620502-0012"),
            &submitted,
            &[]
        ));
        let signed = [queued(ItemStatus::Pending)];
        assert!(!awaits(Role::BureauReviewer, None, &endorsed, &signed));
    }

    #[wasm_bindgen_test]
    fn the_ledger_after_an_approval_is_the_domains_and_a_break_is_told() {
        use domain::payload::QuotaUseRequest;
        use domain::person::EntryForm;
        let city = demo::generate(3, demo::Size::Tiny);
        let (certificate, category, vacant) = city
            .certificates
            .iter()
            .find_map(|c| {
                c.ledger
                    .all_figures()
                    .into_iter()
                    .find(|(_, f)| f.vacant().get() > 0)
                    .map(|(category, f)| (c, category, f.vacant().get()))
            })
            .expect("a unit with a vacancy");
        let request = |count| {
            ApplicationPayload::QuotaUse(QuotaUseRequest {
                category,
                funding_form: category
                    .has_funding_form()
                    .then_some(domain::FundingForm::Full),
                count: domain::Headcount::new(count),
                recruitment: EntryForm::OpenRecruitment,
                reason: "理由".into(),
                request_document: None,
            })
        };
        let (ledger, staff) = (&certificate.ledger, &certificate.staff);
        let after = ledger_after(ledger, staff, &request(1), Action::Approve)
            .unwrap()
            .expect("an approval reserves");
        let (before, later) = (ledger.figures(category), after.figures(category));
        assert_eq!(later.reserved.get(), before.reserved.get() + 1);
        assert_eq!(later.vacant().get(), vacant - 1);
        assert!(ledger_after(ledger, staff, &request(vacant + 1), Action::Approve).is_err());
        assert_eq!(
            ledger_after(ledger, staff, &request(1), Action::Return),
            Ok(None)
        );
    }

    #[wasm_bindgen_test]
    fn a_refused_decision_leaves_the_application_in_the_queue() {
        let decisions = [queued(ItemStatus::Rejected {
            code: Some("transition_not_allowed".into()),
            message: None,
            message_en: None,
        })];
        assert!(decided_here(&decisions, "a-1").is_none());
        let decisions = [queued(ItemStatus::Pending)];
        assert!(decided_here(&decisions, "a-1").is_some());
        assert_eq!(pending_decisions(&decisions, "r1").len(), 1);
        assert!(pending_decisions(&decisions, "r2").is_empty());
    }
}
