//! 业务申请: the four applications, their lifecycle as a state machine, and their filing deadlines.
//!
//! ```text
//! draft ──sign──▶ signed ──submit──▶ submitted ──endorse──▶ endorsed      (quota_use only)
//!   ▲                                   │  (other kinds)        │
//!   │                                   ▼                       ▼
//!   └──revise── returned ◀──return── bureau decision: approve ▶ approved, reject ▶ rejected
//! withdraw (by the unit): from draft, signed, submitted, endorsed or returned ▶ withdrawn
//! ```
//! A quota-use request is decided by the bureau only after its supervising department has
//! endorsed it; the department may also return or reject it at `submitted`. Other kinds go from
//! `submitted` straight to the bureau. Approved, rejected and withdrawn are final.

use crate::calendar::HolidayCalendar;
use crate::date::Date;
use crate::role::Role;

labelled_enum! {
    /// The kind of application (业务类型).
    pub enum ApplicationKind {
        QuotaUse => "quota_use", "用编申请", "quota use";
        Onboarding => "onboarding", "入编登记", "onboarding";
        Offboarding => "offboarding", "出编登记", "offboarding";
        RecordChange => "record_change", "实名制信息变更", "record change";
    }
}

labelled_enum! {
    /// Where an application stands (办理状态).
    pub enum ApplicationStatus {
        Draft => "draft", "草稿", "draft";
        Signed => "signed", "已签名", "signed";
        Submitted => "submitted", "已提交", "submitted";
        Endorsed => "endorsed", "主管部门已同意", "endorsed by the supervising department";
        Approved => "approved", "已核准", "approved";
        Returned => "returned", "已退回", "returned for revision";
        Rejected => "rejected", "未予核准", "rejected";
        Withdrawn => "withdrawn", "已撤回", "withdrawn";
    }
}

labelled_enum! {
    /// A step someone takes on an application (操作).
    pub enum Action {
        Sign => "sign", "签名", "sign";
        Submit => "submit", "提交", "submit";
        Endorse => "endorse", "主管部门审核同意", "endorse";
        Approve => "approve", "核准", "approve";
        Return => "return", "退回修改", "return for revision";
        Reject => "reject", "不予核准", "reject";
        Withdraw => "withdraw", "撤回", "withdraw";
        Revise => "revise", "修改", "revise";
        Void => "void", "作废单据", "void the document";
    }
}

impl ApplicationKind {
    /// Whether the supervising department must endorse it before the bureau decides.
    pub fn needs_endorsement(self) -> bool {
        self == ApplicationKind::QuotaUse
    }

    /// Whether its approval issues a document (a slip or a notice), which a reviewer may void.
    pub fn issues_document(self) -> bool {
        self != ApplicationKind::RecordChange
    }
}

impl ApplicationStatus {
    /// Whether it is with the reviewers: filed and not yet decided (`submitted`, `endorsed`).
    /// Approved, rejected, returned and withdrawn ones are decided; drafts and signed ones are
    /// not filed yet.
    pub fn awaits_decision(self) -> bool {
        matches!(self, Self::Submitted | Self::Endorsed)
    }

    /// Whether no further step is possible.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Rejected | Self::Withdrawn)
    }
}

impl Action {
    /// The role that takes this step.
    pub fn allowed_roles(self, kind: ApplicationKind, from: ApplicationStatus) -> &'static [Role] {
        match self {
            Action::Sign | Action::Submit | Action::Withdraw | Action::Revise => &[Role::UnitClerk],
            Action::Endorse => &[Role::Supervisor],
            Action::Return | Action::Reject
                if kind.needs_endorsement() && from == ApplicationStatus::Submitted =>
            {
                &[Role::Supervisor]
            }
            Action::Approve | Action::Return | Action::Reject | Action::Void => {
                &[Role::BureauReviewer]
            }
        }
    }
}

/// An illegal step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The step does not exist from this status for this kind.
    #[error("{kind}: cannot {action} an application that is {from}")]
    NotAllowed {
        kind: ApplicationKind,
        from: ApplicationStatus,
        action: Action,
    },
    /// The step exists but not for this role.
    #[error("{kind}: role {role} may not {action} at {from}")]
    WrongRole {
        kind: ApplicationKind,
        from: ApplicationStatus,
        action: Action,
        role: Role,
    },
}

impl TransitionError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::NotAllowed { kind, from, action } => format!(
                "{}当前状态为“{}”，不能执行“{}”",
                kind.label_zh(),
                from.label_zh(),
                action.label_zh()
            ),
            Self::WrongRole {
                kind,
                from,
                action,
                role,
            } => format!(
                "{}不能对状态为“{}”的{}执行“{}”",
                role.label_zh(),
                from.label_zh(),
                kind.label_zh(),
                action.label_zh()
            ),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::NotAllowed { kind, from, action } => format!(
                "a {} application that is {} cannot be {}",
                kind.label_en(),
                from.label_en(),
                action.label_en()
            ),
            Self::WrongRole {
                kind,
                from,
                action,
                role,
            } => format!(
                "a {} may not {} a {} application that is {}",
                role.label_en(),
                action.label_en(),
                kind.label_en(),
                from.label_en()
            ),
        }
    }
}

/// The status after `action` on an application of `kind` at `from`, ignoring roles.
pub fn next_status(
    kind: ApplicationKind,
    from: ApplicationStatus,
    action: Action,
) -> Result<ApplicationStatus, TransitionError> {
    use Action as A;
    use ApplicationStatus as S;
    let decidable = if kind.needs_endorsement() {
        S::Endorsed
    } else {
        S::Submitted
    };
    let to = match (from, action) {
        (S::Draft, A::Sign) => Some(S::Signed),
        (S::Signed, A::Submit) => Some(S::Submitted),
        (S::Submitted, A::Endorse) if kind.needs_endorsement() => Some(S::Endorsed),
        (s, A::Approve) if s == decidable => Some(S::Approved),
        (s, A::Reject) if s == decidable || s == S::Submitted => Some(S::Rejected),
        (s, A::Return) if s == decidable || s == S::Submitted => Some(S::Returned),
        (S::Returned, A::Revise) => Some(S::Draft),
        (S::Draft | S::Signed | S::Submitted | S::Endorsed | S::Returned, A::Withdraw) => {
            Some(S::Withdrawn)
        }
        // Voiding the slip or notice an approval issued: the application stays approved.
        (S::Approved, A::Void) if kind.issues_document() => Some(S::Approved),
        _ => None,
    };
    to.ok_or(TransitionError::NotAllowed { kind, from, action })
}

/// The status after `role` takes `action`, or why it may not.
pub fn transition(
    kind: ApplicationKind,
    from: ApplicationStatus,
    action: Action,
    role: Role,
) -> Result<ApplicationStatus, TransitionError> {
    let to = next_status(kind, from, action)?;
    if !action.allowed_roles(kind, from).contains(&role) {
        return Err(TransitionError::WrongRole {
            kind,
            from,
            action,
            role,
        });
    }
    Ok(to)
}

/// The lifecycle of one application: its kind, status and the steps taken so far.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lifecycle {
    kind: ApplicationKind,
    status: ApplicationStatus,
    steps: Vec<(Action, Role)>,
}

impl Lifecycle {
    /// A new draft.
    pub fn new(kind: ApplicationKind) -> Lifecycle {
        Lifecycle {
            kind,
            status: ApplicationStatus::Draft,
            steps: Vec::new(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> ApplicationKind {
        self.kind
    }

    /// The current status.
    pub fn status(&self) -> ApplicationStatus {
        self.status
    }

    /// The steps taken, in order.
    pub fn steps(&self) -> &[(Action, Role)] {
        &self.steps
    }

    /// Takes a step; the lifecycle is unchanged when it is refused.
    pub fn apply(
        &mut self,
        action: Action,
        role: Role,
    ) -> Result<ApplicationStatus, TransitionError> {
        self.status = transition(self.kind, self.status, action, role)?;
        self.steps.push((action, role));
        Ok(self.status)
    }
}

/// When an application is due (申报时限) and whether a filing date met it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deadline {
    /// The event the deadline counts from.
    pub event: Date,
    /// The last day to file.
    pub due: Date,
}

impl Deadline {
    /// 出编: by the end of the month in which the event (retirement, death, transfer …) happened.
    pub fn offboarding(event: Date) -> Deadline {
        Deadline {
            event,
            due: event.end_of_month(),
        }
    }

    /// 实名制信息变更: within `working_days` (30 by the rules) working days after the change;
    /// the day of the change is not counted.
    pub fn record_change(
        changed_on: Date,
        calendar: &HolidayCalendar,
        working_days: u32,
    ) -> Deadline {
        let due = calendar
            .add_working_days(changed_on, working_days)
            .unwrap_or(changed_on);
        Deadline {
            event: changed_on,
            due,
        }
    }

    /// Record change with the rule's 30 working days.
    pub fn record_change_30(changed_on: Date, calendar: &HolidayCalendar) -> Deadline {
        Deadline::record_change(changed_on, calendar, 30)
    }

    /// Whether filing on `filed_on` is late.
    pub fn is_late(&self, filed_on: Date) -> bool {
        filed_on > self.due
    }

    /// How many calendar days after the due date `filed_on` is (0 when on time). A late filing
    /// is accepted and flagged, never refused: the bureau sees how late it came.
    pub fn days_overdue(&self, filed_on: Date) -> u32 {
        u32::try_from(self.due.days_until(filed_on).max(0)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use ApplicationKind as K;
    use ApplicationStatus as S;

    #[test]
    fn quota_use_happy_path() {
        let mut l = Lifecycle::new(K::QuotaUse);
        l.apply(A::Sign, Role::UnitClerk).unwrap();
        l.apply(A::Submit, Role::UnitClerk).unwrap();
        assert!(matches!(
            l.apply(A::Approve, Role::BureauReviewer),
            Err(TransitionError::NotAllowed {
                from: S::Submitted,
                ..
            })
        ));
        assert!(matches!(
            l.apply(A::Endorse, Role::UnitClerk),
            Err(TransitionError::WrongRole { .. })
        ));
        l.apply(A::Endorse, Role::Supervisor).unwrap();
        assert!(matches!(
            l.apply(A::Approve, Role::Supervisor),
            Err(TransitionError::WrongRole { .. })
        ));
        assert_eq!(
            l.apply(A::Approve, Role::BureauReviewer).unwrap(),
            S::Approved
        );
        assert!(l.status().is_final());
        assert_eq!(l.steps().len(), 4);
        let e = l.apply(A::Withdraw, Role::UnitClerk).unwrap_err();
        assert_eq!(e.message_zh(), "用编申请当前状态为“已核准”，不能执行“撤回”");
    }

    #[test]
    fn onboarding_skips_endorsement_and_can_be_returned_and_revised() {
        let mut l = Lifecycle::new(K::Onboarding);
        l.apply(A::Sign, Role::UnitClerk).unwrap();
        l.apply(A::Submit, Role::UnitClerk).unwrap();
        assert!(l.apply(A::Endorse, Role::Supervisor).is_err());
        l.apply(A::Return, Role::BureauReviewer).unwrap();
        assert_eq!(l.apply(A::Revise, Role::UnitClerk).unwrap(), S::Draft);
        l.apply(A::Sign, Role::UnitClerk).unwrap();
        l.apply(A::Submit, Role::UnitClerk).unwrap();
        assert_eq!(
            l.apply(A::Reject, Role::BureauReviewer).unwrap(),
            S::Rejected
        );
    }

    #[test]
    fn supervisor_may_turn_back_a_quota_use_request() {
        assert_eq!(
            transition(K::QuotaUse, S::Submitted, A::Return, Role::Supervisor),
            Ok(S::Returned)
        );
        assert!(transition(K::QuotaUse, S::Submitted, A::Reject, Role::BureauReviewer).is_err());
        assert_eq!(
            transition(K::QuotaUse, S::Endorsed, A::Reject, Role::BureauReviewer),
            Ok(S::Rejected)
        );
    }

    #[test]
    fn withdraw_only_before_a_decision() {
        for s in [S::Draft, S::Signed, S::Submitted, S::Endorsed, S::Returned] {
            assert_eq!(
                transition(K::QuotaUse, s, A::Withdraw, Role::UnitClerk),
                Ok(S::Withdrawn)
            );
        }
        for s in [S::Approved, S::Rejected, S::Withdrawn] {
            assert!(transition(K::QuotaUse, s, A::Withdraw, Role::UnitClerk).is_err());
        }
        assert!(
            transition(
                K::RecordChange,
                S::Submitted,
                A::Withdraw,
                Role::BureauReviewer
            )
            .is_err()
        );
    }

    #[test]
    fn final_states_accept_nothing() {
        for k in K::ALL {
            for s in [S::Approved, S::Rejected, S::Withdrawn] {
                for a in A::ALL {
                    // Voiding the document an approval issued leaves the application approved.
                    if s == S::Approved && *a == A::Void && k.issues_document() {
                        assert_eq!(next_status(*k, s, *a), Ok(S::Approved));
                        continue;
                    }
                    assert!(next_status(*k, s, *a).is_err());
                }
            }
        }
        assert!(next_status(K::RecordChange, S::Approved, A::Void).is_err());
        assert!(next_status(K::QuotaUse, S::Endorsed, A::Void).is_err());
        assert!(transition(K::QuotaUse, S::Approved, A::Void, Role::Supervisor).is_err());
        assert_eq!(
            transition(K::Onboarding, S::Approved, A::Void, Role::BureauReviewer),
            Ok(S::Approved)
        );
    }

    #[test]
    fn deadlines() {
        let d = |s: &str| Date::parse(s).unwrap();
        let off = Deadline::offboarding(d("2026-02-03"));
        assert_eq!(off.due, d("2026-02-28"));
        assert!(!off.is_late(d("2026-02-28")));
        assert!(off.is_late(d("2026-03-01")));
        let cal = HolidayCalendar::prc_official();
        // From Thu 2026-09-10: 30 working days, skipping Oct 1-7 and counting Sun Sep 20 and Sat Oct 10.
        let rc = Deadline::record_change_30(d("2026-09-10"), &cal);
        assert_eq!(cal.working_days_between(d("2026-09-10"), rc.due), 30);
        assert_eq!(rc.due, d("2026-10-28"));
        let plain = Deadline::record_change_30(d("2026-09-10"), &HolidayCalendar::weekends_only());
        assert_eq!(plain.due, d("2026-10-22"));
        assert_eq!(off.days_overdue(d("2026-02-28")), 0);
        assert_eq!(off.days_overdue(d("2026-01-01")), 0);
        assert_eq!(off.days_overdue(d("2026-03-03")), 3);
    }

    #[test]
    fn serde_codes() {
        assert_eq!(
            serde_json::to_string(&K::RecordChange).unwrap(),
            "\"record_change\""
        );
        let l = Lifecycle::new(K::Offboarding);
        let back: Lifecycle = serde_json::from_str(&serde_json::to_string(&l).unwrap()).unwrap();
        assert_eq!(back, l);
    }
}
