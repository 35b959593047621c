//! 机构信息 and the other sections of a certificate that describe the unit itself.

use crate::credit_code::CreditCode;
use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::error::{Field, ValidationError};
use crate::establishment::FundingShare;
use crate::headcount::Headcount;
use crate::ids::{Name, UnitId};
use crate::region::Region;

labelled_enum! {
    /// Kind of unit (单位类别).
    pub enum UnitKind {
        Organ => "organ", "机关", "government or party organ";
        PublicInstitution => "public_institution", "事业单位", "public institution";
        MassOrganisation => "mass_organisation", "群团", "mass organisation";
        DemocraticParty => "democratic_party", "民主党派", "democratic party";
        Other => "other", "其他", "other";
    }
}

labelled_enum! {
    /// Administrative level of a unit (机构规格).
    pub enum UnitLevel {
        BureauFull => "bureau_full", "正厅级", "department (full)";
        BureauDeputy => "bureau_deputy", "副厅级", "department (deputy)";
        DivisionFull => "division_full", "正处级", "division (full)";
        DivisionDeputy => "division_deputy", "副处级", "division (deputy)";
        SectionFull => "section_full", "正科级", "section (full)";
        SectionDeputy => "section_deputy", "副科级", "section (deputy)";
        StockFull => "stock_full", "正股级", "sub-section (full)";
        StockDeputy => "stock_deputy", "副股级", "sub-section (deputy)";
        Unranked => "unranked", "未定级", "unranked";
    }
}

labelled_enum! {
    /// Category of a public institution (事业单位分类).
    pub enum InstitutionCategory {
        Administrative => "administrative", "行政类", "administrative functions";
        PublicWelfareOne => "public_welfare_one", "公益一类", "public welfare, class one";
        PublicWelfareTwo => "public_welfare_two", "公益二类", "public welfare, class two";
        Commercial => "commercial", "经营类", "commercial";
    }
}

labelled_enum! {
    /// Category of a power in the powers and duties list (权力类别).
    pub enum PowerCategory {
        Licensing => "licensing", "行政许可", "administrative licensing";
        Penalty => "penalty", "行政处罚", "administrative penalty";
        Enforcement => "enforcement", "行政强制", "administrative enforcement";
        Levy => "levy", "行政征收", "administrative levy";
        Payment => "payment", "行政给付", "administrative payment";
        Inspection => "inspection", "行政检查", "administrative inspection";
        Confirmation => "confirmation", "行政确认", "administrative confirmation";
        Reward => "reward", "行政奖励", "administrative reward";
        Adjudication => "adjudication", "行政裁决", "administrative adjudication";
        Other => "other", "其他行政权力", "other administrative power";
    }
}

labelled_enum! {
    /// Whether a body is internal (内设机构) or subordinate (下设机构).
    pub enum DivisionKind {
        Internal => "internal", "内设机构", "internal division";
        Subordinate => "subordinate", "下设机构", "subordinate body";
    }
}

labelled_enum! {
    /// Level of a leadership post (领导职数级别).
    pub enum LeadershipLevel {
        UnitPrincipal => "unit_principal", "单位正职", "head of unit";
        UnitDeputy => "unit_deputy", "单位副职", "deputy head of unit";
        DivisionPrincipal => "division_principal", "内设机构正职", "head of division";
        DivisionDeputy => "division_deputy", "内设机构副职", "deputy head of division";
    }
}

/// The institution record (机构信息).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnitRecord {
    /// 单位标识.
    pub id: UnitId,
    /// 单位名称.
    pub name: Name,
    /// 简称.
    pub short_name: Option<Name>,
    /// 统一社会信用代码.
    pub credit_code: Option<CreditCode>,
    /// 单位类别.
    pub kind: UnitKind,
    /// 机构规格.
    pub level: UnitLevel,
    /// 事业单位分类 (only for public institutions).
    pub institution_category: Option<InstitutionCategory>,
    /// 所在区划.
    pub region: Region,
    /// 主管部门.
    pub supervising_department: Option<UnitId>,
    /// 上级单位 (the unit this one is affiliated to).
    pub parent: Option<UnitId>,
    /// 成立时间.
    pub founded_on: Option<Date>,
    /// 成立文号.
    pub founding_document: Option<DocumentNumber>,
    /// 经费形式 (several forms, each with a count).
    pub funding: Vec<FundingShare>,
}

/// A main function (主要职责).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MainFunction {
    /// 职责内容.
    pub text: String,
}

/// An item of the powers and duties list (权责清单事项).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PowerItem {
    /// 事项编码, if the list numbers them.
    pub code: Option<String>,
    /// 事项名称.
    pub name: Name,
    /// 权力类别.
    pub category: PowerCategory,
    /// 设定依据.
    pub legal_basis: String,
}

/// An internal or subordinate body (内（下）设机构).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Division {
    /// 机构名称.
    pub name: Name,
    /// 内设 or 下设.
    pub kind: DivisionKind,
    /// 职责.
    pub functions: Vec<String>,
}

/// An affiliated public institution (所属事业单位): a unit whose parent is this unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Affiliate {
    /// 单位标识.
    pub unit: UnitId,
    /// 单位名称.
    pub name: Name,
}

/// A dated event of the unit's history (历史沿革), with the document that decided it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryEvent {
    /// 日期.
    pub date: Date,
    /// 文号.
    pub document: Option<DocumentNumber>,
    /// 沿革内容.
    pub description: String,
}

/// Leadership posts of one level (领导职数): approved and filled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeadershipPosts {
    /// 级别.
    pub level: LeadershipLevel,
    /// 核定职数.
    pub approved: Headcount,
    /// 实有职数.
    pub filled: Headcount,
}

impl LeadershipPosts {
    /// Filled beyond approved (超职数配备).
    pub fn over(&self) -> Headcount {
        self.filled.saturating_sub(self.approved)
    }
}

impl UnitRecord {
    /// Cross-field checks: a public-institution category exactly for 事业单位; not its own parent
    /// or supervising department; each funding form at most once.
    pub fn check(&self) -> Result<(), ValidationError> {
        let is_institution = self.kind == UnitKind::PublicInstitution;
        match (is_institution, self.institution_category) {
            (true, None) => {
                return Err(ValidationError::Empty {
                    field: Field::InstitutionCategory,
                });
            }
            (false, Some(c)) => {
                return Err(ValidationError::Disagrees {
                    field: Field::InstitutionCategory,
                    other: Field::UnitKind,
                    expected: self.kind.label_zh().to_owned(),
                    found: c.label_zh().to_owned(),
                });
            }
            _ => {}
        }
        if self.parent.as_ref() == Some(&self.id)
            || self.supervising_department.as_ref() == Some(&self.id)
        {
            return Err(ValidationError::Disagrees {
                field: Field::ParentUnit,
                other: Field::UnitId,
                expected: self.id.to_string(),
                found: self.id.to_string(),
            });
        }
        for (i, share) in self.funding.iter().enumerate() {
            if self.funding[..i].iter().any(|s| s.form == share.form) {
                return Err(ValidationError::Format {
                    field: Field::FundingForm,
                    expected: "每种经费形式只填一次",
                });
            }
        }
        Ok(())
    }

    /// The total of the funding shares.
    pub fn funded_total(&self) -> Option<Headcount> {
        self.funding
            .iter()
            .try_fold(Headcount::ZERO, |acc, s| acc.checked_add(s.count))
    }
}
