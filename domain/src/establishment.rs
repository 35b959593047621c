//! 编制类别 and 经费形式: the kinds of establishment posts and how they are funded.

use crate::headcount::Headcount;

labelled_enum! {
    /// Establishment category (编制类别).
    pub enum EstablishmentCategory {
        Administrative => "administrative", "行政编制", "administrative establishment";
        PoliticalLegal => "political_legal", "政法专项编制", "political-legal special establishment";
        PublicInstitution => "public_institution", "事业编制", "public institution establishment";
        Logistics => "logistics", "工勤编制", "logistics workers establishment";
    }
}

labelled_enum! {
    /// Funding form (经费形式) of public institution posts.
    pub enum FundingForm {
        Full => "full", "全额拨款", "fully funded";
        Differential => "differential", "差额拨款", "partially funded";
        SelfFunded => "self_funded", "自收自支", "self-funded";
    }
}

impl EstablishmentCategory {
    /// Whether posts of this category carry a funding form (only 事业编制 does).
    pub fn has_funding_form(self) -> bool {
        self == EstablishmentCategory::PublicInstitution
    }
}

/// A funding form with the number of posts funded that way (a unit may have several).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FundingShare {
    /// 经费形式.
    pub form: FundingForm,
    /// 编制数.
    pub count: Headcount,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_codes() {
        assert_eq!(
            serde_json::to_string(&EstablishmentCategory::PoliticalLegal).unwrap(),
            "\"political_legal\""
        );
        assert_eq!(
            FundingForm::from_code("self_funded"),
            Some(FundingForm::SelfFunded)
        );
        assert_eq!(FundingForm::SelfFunded.label_zh(), "自收自支");
        assert!(EstablishmentCategory::PublicInstitution.has_funding_form());
        assert!(!EstablishmentCategory::Logistics.has_funding_form());
    }
}
