//! 电子编制管理证: the whole certificate of one unit, section by section (基本信息).

use crate::ids::Name;
use crate::issued::{IssuedDocument, RecordChangeEntry};
use crate::ledger::UnitLedger;
use crate::person::{DepartedPerson, Person};
use crate::slip::QuotaUseSlip;
use crate::unit::{
    Affiliate, Division, HistoryEvent, LeadershipPosts, MainFunction, PowerItem, UnitRecord,
};

/// The certificate of one unit (电子编制管理证基本信息).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Certificate {
    /// 机构信息.
    pub unit: UnitRecord,
    /// 主要职责.
    pub functions: Vec<MainFunction>,
    /// 权责清单.
    pub power_list: Vec<PowerItem>,
    /// 内（下）设机构.
    pub divisions: Vec<Division>,
    /// 所属事业单位.
    pub affiliates: Vec<Affiliate>,
    /// 历史沿革.
    pub history: Vec<HistoryEvent>,
    /// 编制台帐.
    pub ledger: UnitLedger,
    /// 领导职数.
    pub leadership_posts: Vec<LeadershipPosts>,
    /// 编制使用单: the quota-use slips issued to the unit, with their use (`used` of `count`;
    /// [`QuotaUseSlip::state`] says whether one is open, used up or lapsed).
    #[serde(default)]
    pub slips: Vec<QuotaUseSlip>,
    /// The documents the bureau issued to the unit (slips and notices), oldest first.
    #[serde(default)]
    pub issued: Vec<IssuedDocument>,
    /// 变更记录: approved record changes of the unit and its people, oldest first.
    #[serde(default)]
    pub record_changes: Vec<RecordChangeEntry>,
    /// 在编人员信息 (the last two fields: a server splices them in as stored).
    pub staff: Vec<Person>,
    /// 减少人员信息.
    pub departed: Vec<DepartedPerson>,
}

/// A node of the organisation chart (组织机构图).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrgChartNode {
    /// 名称.
    pub name: Name,
    /// What the node is: the unit, a division or an affiliate.
    pub kind: OrgChartNodeKind,
    /// Children.
    pub children: Vec<OrgChartNode>,
}

labelled_enum! {
    /// The kind of a node of the organisation chart.
    pub enum OrgChartNodeKind {
        Unit => "unit", "本单位", "this unit";
        InternalDivision => "internal_division", "内设机构", "internal division";
        SubordinateBody => "subordinate_body", "下设机构", "subordinate body";
        Affiliate => "affiliate", "所属事业单位", "affiliated institution";
    }
}

impl Certificate {
    /// The organisation chart: the unit, its divisions, then its affiliates.
    pub fn org_chart(&self) -> OrgChartNode {
        use crate::unit::DivisionKind;
        let divisions = self.divisions.iter().map(|d| OrgChartNode {
            name: d.name.clone(),
            kind: match d.kind {
                DivisionKind::Internal => OrgChartNodeKind::InternalDivision,
                DivisionKind::Subordinate => OrgChartNodeKind::SubordinateBody,
            },
            children: Vec::new(),
        });
        let affiliates = self.affiliates.iter().map(|a| OrgChartNode {
            name: a.name.clone(),
            kind: OrgChartNodeKind::Affiliate,
            children: Vec::new(),
        });
        OrgChartNode {
            name: self.unit.name.clone(),
            kind: OrgChartNodeKind::Unit,
            children: divisions.chain(affiliates).collect(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::CreditCode;
    use crate::establishment::{EstablishmentCategory, FundingForm, FundingShare};
    use crate::fixtures::{date, doc, id, person};
    use crate::headcount::{Headcount, HeadcountDelta};
    use crate::ids::UnitId;
    use crate::ledger::LedgerRow;
    use crate::person::DepartureReason;
    use crate::region::Region;
    use crate::unit::{
        DivisionKind, InstitutionCategory, LeadershipLevel, PowerCategory, UnitKind, UnitLevel,
    };

    pub(crate) fn sample() -> Certificate {
        let mut ledger = UnitLedger::new();
        ledger
            .add_row(LedgerRow {
                document: doc("天机编发〔2018〕21号"),
                date: date("2018-11-02"),
                title: "关于秦州区卫生健康局机构编制的批复".into(),
                changes: BTreeMap::from([
                    (
                        EstablishmentCategory::Administrative,
                        HeadcountDelta::new(12),
                    ),
                    (EstablishmentCategory::Logistics, HeadcountDelta::new(2)),
                ]),
                note: Some("机构改革".into()),
            })
            .unwrap();
        Certificate {
            unit: UnitRecord {
                id: UnitId::parse("qz-wjj").unwrap(),
                name: Name::parse("天水市秦州区卫生健康局").unwrap(),
                short_name: Some(Name::parse("区卫健局").unwrap()),
                credit_code: Some(CreditCode::compose("11620502MB0000011").unwrap()),
                kind: UnitKind::Organ,
                level: UnitLevel::SectionFull,
                institution_category: None,
                region: Region::Qinzhou,
                supervising_department: None,
                parent: None,
                founded_on: Some(date("2019-01-10")),
                founding_document: Some(doc("秦办发[2019]3号")),
                funding: vec![FundingShare {
                    form: FundingForm::Full,
                    count: Headcount::new(12),
                }],
            },
            functions: vec![MainFunction {
                text: "贯彻执行卫生健康工作方针政策。".into(),
            }],
            power_list: vec![PowerItem {
                code: Some("XK-001".into()),
                name: Name::parse("医疗机构执业登记").unwrap(),
                category: PowerCategory::Licensing,
                legal_basis: "《医疗机构管理条例》".into(),
            }],
            divisions: vec![Division {
                name: Name::parse("办公室").unwrap(),
                kind: DivisionKind::Internal,
                functions: vec!["负责机关日常运转".into()],
            }],
            affiliates: vec![Affiliate {
                unit: UnitId::parse("qz-jkzx").unwrap(),
                name: Name::parse("秦州区疾病预防控制中心").unwrap(),
            }],
            history: vec![HistoryEvent {
                date: date("2019-01-10"),
                document: Some(doc("秦办发〔2019〕3号")),
                description: "组建区卫生健康局".into(),
            }],
            ledger,
            leadership_posts: vec![LeadershipPosts {
                level: LeadershipLevel::UnitDeputy,
                approved: Headcount::new(3),
                filled: Headcount::new(4),
            }],
            slips: Vec::new(),
            issued: Vec::new(),
            record_changes: Vec::new(),
            staff: vec![person(id(1), EstablishmentCategory::Administrative)],
            departed: vec![DepartedPerson {
                person: person(id(2), EstablishmentCategory::Administrative),
                reason: DepartureReason::Retirement,
                left_on: date("2026-01-31"),
                document: doc("秦人社发〔2026〕2号"),
                approval: None,
            }],
        }
    }

    #[test]
    fn serde_round_trip_of_the_whole_certificate() {
        let c = sample();
        let json = serde_json::to_string(&c).unwrap();
        let back: Certificate = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        assert!(
            json.contains("\"秦办发〔2019〕3号\""),
            "document numbers normalised"
        );
        assert_eq!(c.leadership_posts[0].over(), Headcount::ONE);
        assert_eq!(c.unit.funded_total(), Some(Headcount::new(12)));
        c.unit.check().unwrap();
        let mut u = c.unit.clone();
        u.institution_category = Some(InstitutionCategory::PublicWelfareOne);
        assert_eq!(
            u.check().unwrap_err().field(),
            crate::Field::InstitutionCategory
        );
        u.institution_category = None;
        u.kind = UnitKind::PublicInstitution;
        assert!(u.check().is_err());
        let mut u = c.unit.clone();
        u.parent = Some(u.id.clone());
        assert!(u.check().is_err());
        assert_eq!(
            c.unit.credit_code.as_ref().unwrap().staffing_kind(),
            Some(UnitKind::Organ)
        );
    }

    #[test]
    fn org_chart() {
        let chart = sample().org_chart();
        assert_eq!(chart.children.len(), 2);
        assert_eq!(chart.children[1].kind, OrgChartNodeKind::Affiliate);
    }

    #[test]
    fn invalid_nested_values_are_refused_on_deserialise() {
        let json = serde_json::to_string(&sample()).unwrap();
        let broken = json.replace(id(1).as_str(), "110105194902300020");
        assert!(serde_json::from_str::<Certificate>(&broken).is_err());
    }
}
