//! 角色与管理范围: what a key holder's role and scope allow on a unit's certificate.
//!
//! | role | scope | reads | acts |
//! |---|---|---|---|
//! | `unit_clerk` | a unit | the unit and its affiliated institutions | files applications for the unit |
//! | `supervisor` | a supervising department (a unit) | the department and every unit it supervises or parents | endorses their quota-use requests |
//! | `bureau_reviewer` | a region | every unit of the region (the city bureau: the whole city) | decides applications |
//! | `bureau_admin` | a region | as the reviewer | manages key holders of the region |
//! | `coordinator` | a region | as the reviewer, read-only | nothing |
//!
//! Everything not listed is denied.

use core::fmt;
use core::str::FromStr;

use crate::application::{Action, ApplicationKind, ApplicationStatus};
use crate::error::{Field, ValidationError};
use crate::ids::UnitId;
use crate::region::{Bureau, Region};
use crate::role::Role;
use crate::unit::UnitRecord;

/// What a key holder is responsible for (管理范围). Written `unit:ID`, `department:ID` or
/// `region:CODE` (a six-digit division code).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Scope {
    /// One unit (a clerk's own).
    Unit(UnitId),
    /// A supervising department (主管部门), itself a unit.
    Department(UnitId),
    /// A region: the city or a county/district.
    Region(Region),
}

impl Scope {
    /// Whether `unit` lies in this scope: a unit and its affiliates; a department, the units it
    /// supervises and its affiliates; a region and the regions inside it. What a holder of the
    /// scope may read ([`Grant::may_read`]), and what a list of a scope's units holds.
    pub fn covers(&self, unit: &UnitRecord) -> bool {
        match self {
            Scope::Unit(own) => unit.id == *own || unit.parent.as_ref() == Some(own),
            Scope::Department(department) => {
                unit.id == *department
                    || unit.supervising_department.as_ref() == Some(department)
                    || unit.parent.as_ref() == Some(department)
            }
            Scope::Region(region) => region.contains(unit.region),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Unit(id) => write!(f, "unit:{id}"),
            Scope::Department(id) => write!(f, "department:{id}"),
            Scope::Region(region) => write!(f, "region:{}", region.division_code()),
        }
    }
}

impl FromStr for Scope {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Scope, ValidationError> {
        let bad = || ValidationError::Format {
            field: Field::Scope,
            expected: "unit:单位标识、department:单位标识 或 region:行政区划代码",
        };
        let (kind, value) = s.trim().split_once(':').ok_or_else(bad)?;
        match kind {
            "unit" => Ok(Scope::Unit(UnitId::parse(value)?)),
            "department" => Ok(Scope::Department(UnitId::parse(value)?)),
            "region" => Region::from_division_code(value).map(Scope::Region).ok_or(
                ValidationError::Format {
                    field: Field::RegionCode,
                    expected: "天水市或所辖县区的六位行政区划代码",
                },
            ),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for Scope {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Scope, ValidationError> {
        s.parse()
    }
}

impl From<Scope> for String {
    fn from(scope: Scope) -> String {
        scope.to_string()
    }
}

/// A role with its scope: what one key holder may do. Built by [`Grant::new`], which refuses
/// combinations that make no sense (a clerk for a whole region, a reviewer for one unit).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "GrantData", into = "GrantData")]
pub struct Grant {
    role: Role,
    scope: Scope,
}

/// Serialised form of a [`Grant`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GrantData {
    pub role: Role,
    pub scope: Scope,
}

impl TryFrom<GrantData> for Grant {
    type Error = ValidationError;
    fn try_from(data: GrantData) -> Result<Grant, ValidationError> {
        Grant::new(data.role, data.scope)
    }
}

impl From<Grant> for GrantData {
    fn from(grant: Grant) -> GrantData {
        GrantData {
            role: grant.role,
            scope: grant.scope,
        }
    }
}

impl Grant {
    /// A role with a scope of the kind it needs.
    pub fn new(role: Role, scope: Scope) -> Result<Grant, ValidationError> {
        let fits = matches!(
            (role, &scope),
            (Role::UnitClerk, Scope::Unit(_))
                | (Role::Supervisor, Scope::Department(_))
                | (
                    Role::BureauReviewer | Role::BureauAdmin | Role::Coordinator,
                    Scope::Region(_)
                )
        );
        if fits {
            Ok(Grant { role, scope })
        } else {
            Err(ValidationError::Format {
                field: Field::Scope,
                expected: "经办人对应单位，主管部门审核人对应主管部门，编办和协调部门对应行政区划",
            })
        }
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Whether the holder may read this unit's certificate (including its personal data).
    pub fn may_read(&self, unit: &UnitRecord) -> bool {
        self.scope.covers(unit)
    }

    /// Whether the holder may sign and file an application of `kind` for this unit.
    pub fn may_file(&self, unit: &UnitRecord, _kind: ApplicationKind) -> bool {
        matches!((&self.scope, self.role), (Scope::Unit(own), Role::UnitClerk) if unit.id == *own)
    }

    /// Whether the holder may endorse (or send back) this unit's quota-use request: a
    /// supervisor, for the units its department supervises or parents.
    pub fn may_endorse(&self, unit: &UnitRecord) -> bool {
        match (&self.scope, self.role) {
            (Scope::Department(department), Role::Supervisor) => {
                unit.supervising_department.as_ref() == Some(department)
                    || unit.parent.as_ref() == Some(department)
            }
            _ => false,
        }
    }

    /// Whether the holder may approve, return or reject this unit's applications.
    pub fn may_decide(&self, unit: &UnitRecord) -> bool {
        self.role.decides() && self.may_read(unit)
    }

    /// Whether the holder may create key holders and revoke keys for units of `region`.
    pub fn may_administer(&self, region: Region) -> bool {
        matches!((&self.scope, self.role), (Scope::Region(own), Role::BureauAdmin) if own.contains(region))
    }

    /// Whether the holder's scope covers this unit for the decision step `action` on its `kind`
    /// application at `from`, by the permission the step needs: the supervising department's
    /// steps ([`Action::allowed_roles`] names the supervisor: endorsing, and returning or
    /// rejecting a quota-use request before it is endorsed) need [`Grant::may_endorse`], the
    /// bureau's [`Grant::may_decide`], the unit's own (withdrawing) [`Grant::may_file`]. Whether
    /// the step exists at `from` for the holder's role is [`crate::application::transition`]'s
    /// to say.
    pub fn may_take_step(
        &self,
        unit: &UnitRecord,
        kind: ApplicationKind,
        from: ApplicationStatus,
        action: Action,
    ) -> bool {
        let roles = action.allowed_roles(kind, from);
        if roles.contains(&Role::UnitClerk) {
            self.may_file(unit, kind)
        } else if roles.contains(&Role::Supervisor) {
            self.may_endorse(unit)
        } else {
            self.may_decide(unit)
        }
    }

    /// The bureau that numbers what this holder approves for `unit` (a quota-use slip): the
    /// approver's own, whose scope is its region; for a scope that is a unit or a department,
    /// the bureau of the unit's region.
    pub fn numbering_bureau(&self, unit: &UnitRecord) -> Bureau {
        match &self.scope {
            Scope::Region(region) => region.bureau(),
            Scope::Unit(_) | Scope::Department(_) => unit.region.bureau(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::{UnitKind, UnitLevel};

    fn unit(
        id: &str,
        region: Region,
        supervisor: Option<&str>,
        parent: Option<&str>,
    ) -> UnitRecord {
        UnitRecord {
            id: UnitId::parse(id).unwrap(),
            name: crate::ids::Name::parse(id).unwrap(),
            short_name: None,
            credit_code: None,
            kind: UnitKind::Organ,
            level: UnitLevel::SectionFull,
            institution_category: None,
            region,
            supervising_department: supervisor.map(|s| UnitId::parse(s).unwrap()),
            parent: parent.map(|s| UnitId::parse(s).unwrap()),
            founded_on: None,
            founding_document: None,
            funding: Vec::new(),
        }
    }

    fn grant(role: Role, scope: &str) -> Grant {
        Grant::new(role, scope.parse().unwrap()).unwrap()
    }

    #[test]
    fn scopes_parse_print_and_refuse_nonsense() {
        for text in [
            "unit:620502-0001",
            "department:620500-0003",
            "region:620525",
        ] {
            assert_eq!(text.parse::<Scope>().unwrap().to_string(), text);
        }
        assert!("region:110105".parse::<Scope>().is_err());
        assert!("city:620500".parse::<Scope>().is_err());
        assert!("620500".parse::<Scope>().is_err());
        assert!(Grant::new(Role::UnitClerk, "region:620500".parse().unwrap()).is_err());
        assert!(Grant::new(Role::BureauReviewer, "unit:620502-0001".parse().unwrap()).is_err());
        let json =
            serde_json::to_string(&grant(Role::Supervisor, "department:620500-0003")).unwrap();
        assert_eq!(
            json,
            r#"{"role":"supervisor","scope":"department:620500-0003"}"#
        );
        assert!(
            serde_json::from_str::<Grant>(r#"{"role":"unit_clerk","scope":"region:620500"}"#)
                .is_err()
        );
    }

    #[test]
    fn a_clerk_reads_its_unit_and_affiliates_and_files_only_for_its_unit() {
        let clerk = grant(Role::UnitClerk, "unit:620502-0001");
        let own = unit("620502-0001", Region::Qinzhou, None, None);
        let affiliate = unit(
            "620502-0002",
            Region::Qinzhou,
            Some("620502-0001"),
            Some("620502-0001"),
        );
        let neighbour = unit("620502-0003", Region::Qinzhou, None, None);
        assert!(clerk.may_read(&own) && clerk.may_read(&affiliate));
        assert!(!clerk.may_read(&neighbour));
        assert!(clerk.may_file(&own, ApplicationKind::QuotaUse));
        assert!(!clerk.may_file(&affiliate, ApplicationKind::QuotaUse));
        assert!(!clerk.may_file(&neighbour, ApplicationKind::Onboarding));
        assert!(!clerk.may_endorse(&affiliate) && !clerk.may_decide(&own));
        assert!(!clerk.may_administer(Region::Qinzhou));
    }

    #[test]
    fn a_supervisor_endorses_the_units_it_supervises() {
        let supervisor = grant(Role::Supervisor, "department:620500-0010");
        let department = unit("620500-0010", Region::Tianshui, None, None);
        let school = unit(
            "620500-0100",
            Region::Tianshui,
            Some("620500-0010"),
            Some("620500-0010"),
        );
        let other = unit("620500-0200", Region::Tianshui, Some("620500-0011"), None);
        assert!(supervisor.may_read(&department) && supervisor.may_read(&school));
        assert!(!supervisor.may_read(&other));
        assert!(supervisor.may_endorse(&school));
        assert!(!supervisor.may_endorse(&department) && !supervisor.may_endorse(&other));
        assert!(!supervisor.may_file(&school, ApplicationKind::QuotaUse));
    }

    #[test]
    fn bureaus_see_their_region_and_the_city_sees_everything() {
        let county = grant(Role::BureauReviewer, "region:620502");
        let city = grant(Role::BureauReviewer, "region:620500");
        let admin = grant(Role::BureauAdmin, "region:620502");
        let coordinator = grant(Role::Coordinator, "region:620500");
        let in_qinzhou = unit("620502-0001", Region::Qinzhou, None, None);
        let in_maiji = unit("620503-0001", Region::Maiji, None, None);
        let city_unit = unit("620500-0001", Region::Tianshui, None, None);
        assert!(county.may_read(&in_qinzhou) && county.may_decide(&in_qinzhou));
        assert!(!county.may_read(&in_maiji) && !county.may_read(&city_unit));
        for unit in [&in_qinzhou, &in_maiji, &city_unit] {
            assert!(city.may_decide(unit));
            assert!(coordinator.may_read(unit) && !coordinator.may_decide(unit));
        }
        assert!(admin.may_administer(Region::Qinzhou) && !admin.may_administer(Region::Maiji));
        assert!(!admin.may_decide(&in_qinzhou));
        assert!(!county.may_administer(Region::Qinzhou));
    }

    #[test]
    fn a_decision_step_needs_the_permission_of_whoever_the_domain_gives_it_to() {
        use ApplicationKind::{Onboarding, QuotaUse};
        use ApplicationStatus::{Endorsed, Submitted};
        let supervisor = grant(Role::Supervisor, "department:620500-0010");
        let reviewer = grant(Role::BureauReviewer, "region:620500");
        let county = grant(Role::BureauReviewer, "region:620502");
        let school = unit(
            "620500-0100",
            Region::Tianshui,
            Some("620500-0010"),
            Some("620500-0010"),
        );
        // The department's steps: endorsing, and sending back a quota-use request before it
        // is endorsed.
        for action in [Action::Endorse, Action::Return, Action::Reject] {
            assert!(supervisor.may_take_step(&school, QuotaUse, Submitted, action));
            assert!(!reviewer.may_take_step(&school, QuotaUse, Submitted, action));
        }
        // The bureau's: deciding an endorsed request, or any step on other kinds.
        for action in [Action::Approve, Action::Return, Action::Reject] {
            assert!(reviewer.may_take_step(&school, QuotaUse, Endorsed, action));
            assert!(!supervisor.may_take_step(&school, QuotaUse, Endorsed, action));
            assert!(reviewer.may_take_step(&school, Onboarding, Submitted, action));
            assert!(!supervisor.may_take_step(&school, Onboarding, Submitted, action));
        }
        // Withdrawing is the unit's own clerk's step.
        let clerk = grant(Role::UnitClerk, &format!("unit:{}", school.id));
        assert!(clerk.may_take_step(&school, QuotaUse, Submitted, Action::Withdraw));
        assert!(!reviewer.may_take_step(&school, QuotaUse, Submitted, Action::Withdraw));
        // Within the scope only: a county bureau does not decide for a city unit.
        assert!(!county.may_take_step(&school, QuotaUse, Endorsed, Action::Approve));
    }

    #[test]
    fn the_approvers_bureau_numbers_the_slip() {
        let in_qinzhou = unit("620502-0001", Region::Qinzhou, None, None);
        let city = grant(Role::BureauReviewer, "region:620500");
        let county = grant(Role::BureauReviewer, "region:620502");
        assert_eq!(city.numbering_bureau(&in_qinzhou), Bureau::CITY);
        assert_eq!(
            county.numbering_bureau(&in_qinzhou),
            Region::Qinzhou.bureau()
        );
        let supervisor = grant(Role::Supervisor, "department:620500-0010");
        assert_eq!(
            supervisor.numbering_bureau(&in_qinzhou),
            Region::Qinzhou.bureau()
        );
    }
}
