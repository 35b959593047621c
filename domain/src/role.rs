//! 角色: who may do what with the certificate.

labelled_enum! {
    /// A user's role (角色).
    pub enum Role {
        /// Keeps one unit's certificate and files applications; holds a security key.
        UnitClerk => "unit_clerk", "用编单位经办人", "unit clerk";
        /// Reviews and endorses quota-use requests of the units it supervises.
        Supervisor => "supervisor", "主管部门审核人", "supervising department reviewer";
        /// Reviews submissions for units in its region; approves, returns or rejects.
        BureauReviewer => "bureau_reviewer", "编办审核人", "bureau reviewer";
        /// Maintains units, establishment figures and key holders; issues certificates.
        BureauAdmin => "bureau_admin", "编办管理员", "bureau administrator";
        /// Organisation, HR and finance departments: verify and act on issued slips, read-only.
        Coordinator => "coordinator", "协调配合部门", "coordinating department";
    }
}

impl Role {
    /// Whether the role may sign and file applications.
    pub fn files_applications(self) -> bool {
        self == Role::UnitClerk
    }

    /// Whether the role may decide (approve, return, reject) at the bureau.
    pub fn decides(self) -> bool {
        self == Role::BureauReviewer
    }

    /// Whether the role belongs to a staffing bureau.
    pub fn is_bureau(self) -> bool {
        matches!(self, Role::BureauReviewer | Role::BureauAdmin)
    }

    /// Whether the role only reads.
    pub fn is_read_only(self) -> bool {
        self == Role::Coordinator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels() {
        assert_eq!(
            serde_json::to_string(&Role::BureauReviewer).unwrap(),
            "\"bureau_reviewer\""
        );
        assert_eq!(
            serde_json::from_str::<Role>("\"unit_clerk\"").unwrap(),
            Role::UnitClerk
        );
        assert_eq!(Role::Supervisor.label_zh(), "主管部门审核人");
        assert!(Role::Coordinator.is_read_only());
        assert!(Role::UnitClerk.files_applications());
    }
}
