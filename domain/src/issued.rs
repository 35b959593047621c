//! What approvals leave in a unit's certificate besides its staff: the numbered documents the
//! bureau issued ([`IssuedDocument`]: 编制使用单, 入编通知单, 出编通知单) with who approved them, and
//! the history of record changes ([`RecordChangeEntry`]: the old values, kept with the approval).

use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::id_number::IdNumber;
use crate::ids::{ApplicationId, Name, UnitId, UserId};
use crate::payload::{ChangeSubject, FieldChange};
use crate::region::Bureau;
use crate::slip::IssuedDocumentKind;

/// The person a notice is about (入编 or 出编).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoticePerson {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 姓名.
    pub name: Name,
}

/// A document the bureau issued to a unit on approving one of its applications, numbered by
/// the approver's bureau ([`crate::Numbering`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuedDocument {
    /// 编号, e.g. `天编入〔2026〕0001号`.
    pub number: DocumentNumber,
    /// 单据种类.
    pub kind: IssuedDocumentKind,
    /// 出具单位: the bureau whose numbering it carries.
    pub bureau: Bureau,
    /// 用编单位.
    pub unit: UnitId,
    /// 出具日期 (the approval's date, Beijing time).
    pub issued_on: Date,
    /// The application approved.
    pub application_id: ApplicationId,
    /// 审核人: the reviewer who signed the approval, and their name.
    pub approver: UserId,
    pub approver_name: String,
    /// The person of a notice (none for a quota-use slip).
    pub person: Option<NoticePerson>,
    /// The quota-use slip an onboarding used.
    pub slip_number: Option<DocumentNumber>,
}

/// One approved record change (实名制信息变更) as the certificate's history keeps it: each changed
/// field with its old value (`before`) and new one (`after`), and the approval.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordChangeEntry {
    /// The unit's record, or a person on its staff.
    pub subject: ChangeSubject,
    /// 变更发生日期.
    pub changed_on: Date,
    /// 变更事项: old and new values as the record held them.
    pub changes: Vec<FieldChange>,
    /// 依据文号.
    pub document: Option<DocumentNumber>,
    /// The application approved.
    pub application_id: ApplicationId,
    /// 核准日期 and 审核人.
    pub approved_on: Date,
    pub approver: UserId,
    pub approver_name: String,
}

impl RecordChangeEntry {
    /// Whether this change is about the person with `id`.
    pub fn is_about(&self, id: &IdNumber) -> bool {
        matches!(&self.subject, ChangeSubject::Person { id_number } if id_number == id)
    }
}
