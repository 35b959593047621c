//! What each application asks for: the typed payloads carried inside a signed envelope.

use crate::application::ApplicationKind;
use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::establishment::{EstablishmentCategory, FundingForm};
use crate::headcount::Headcount;
use crate::id_number::IdNumber;
use crate::person::{DepartureReason, EntryForm, Person};

/// 编制使用核准申请: posts a unit asks to fill.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuotaUseRequest {
    /// 编制类别.
    pub category: EstablishmentCategory,
    /// 经费形式 (事业编制).
    pub funding_form: Option<FundingForm>,
    /// 申请用编数.
    pub count: Headcount,
    /// 拟补充方式 (考录, 公开招聘, 调入 …).
    pub recruitment: EntryForm,
    /// 用编理由.
    pub reason: String,
    /// 主管部门用编申请文件文号.
    pub request_document: Option<DocumentNumber>,
}

/// 入编登记申请: a recruited person to register against a slip.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OnboardingRequest {
    /// 编制使用单编号.
    pub slip_number: DocumentNumber,
    /// 人员信息.
    pub person: Person,
    /// 组织、人社部门手续文号.
    pub hr_document: Option<DocumentNumber>,
}

/// 出编登记申请: a person who left and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OffboardingRequest {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 出编原因.
    pub reason: DepartureReason,
    /// 事由发生日期.
    pub left_on: Date,
    /// 组织、人社部门文件文号.
    pub document: DocumentNumber,
}

/// What a record change is about (变更对象).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChangeSubject {
    /// 单位信息.
    Unit,
    /// 人员信息.
    Person {
        /// 身份证号.
        id_number: IdNumber,
    },
}

/// One changed field (变更事项).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    /// The field's code name, e.g. `education`.
    pub field: String,
    /// 变更前.
    pub before: Option<String>,
    /// 变更后.
    pub after: Option<String>,
}

/// 实名制信息变更申请.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordChangeRequest {
    /// 变更对象.
    pub subject: ChangeSubject,
    /// 变更发生日期.
    pub changed_on: Date,
    /// 变更事项.
    pub changes: Vec<FieldChange>,
    /// 依据文号.
    pub document: Option<DocumentNumber>,
}

/// The payload of an application, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationPayload {
    /// 编制使用核准.
    QuotaUse(QuotaUseRequest),
    /// 入编登记.
    Onboarding(Box<OnboardingRequest>),
    /// 出编登记.
    Offboarding(OffboardingRequest),
    /// 实名制信息变更.
    RecordChange(RecordChangeRequest),
}

impl ApplicationPayload {
    /// The kind of application it belongs to.
    pub fn kind(&self) -> ApplicationKind {
        match self {
            Self::QuotaUse(_) => ApplicationKind::QuotaUse,
            Self::Onboarding(_) => ApplicationKind::Onboarding,
            Self::Offboarding(_) => ApplicationKind::Offboarding,
            Self::RecordChange(_) => ApplicationKind::RecordChange,
        }
    }

    /// The payload as a JSON value (the form inside the envelope).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Self::QuotaUse(p) => serde_json::to_value(p),
            Self::Onboarding(p) => serde_json::to_value(p),
            Self::Offboarding(p) => serde_json::to_value(p),
            Self::RecordChange(p) => serde_json::to_value(p),
        }
    }

    /// Reads a payload of `kind` from a JSON value (validating every field).
    pub fn from_value(
        kind: ApplicationKind,
        value: &serde_json::Value,
    ) -> Result<Self, serde_json::Error> {
        use serde::Deserialize;
        Ok(match kind {
            ApplicationKind::QuotaUse => Self::QuotaUse(QuotaUseRequest::deserialize(value)?),
            ApplicationKind::Onboarding => {
                Self::Onboarding(Box::new(OnboardingRequest::deserialize(value)?))
            }
            ApplicationKind::Offboarding => {
                Self::Offboarding(OffboardingRequest::deserialize(value)?)
            }
            ApplicationKind::RecordChange => {
                Self::RecordChange(RecordChangeRequest::deserialize(value)?)
            }
        })
    }
}
