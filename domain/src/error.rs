//! Validation errors that name the field and the rule, with user messages in Chinese and English.

labelled_enum! {
    /// A field of a record or form (字段), named in validation messages.
    pub enum Field {
        IdNumber => "id_number", "身份证号", "ID number";
        BirthDate => "birth_date", "出生日期", "date of birth";
        Sex => "sex", "性别", "sex";
        FundingForm => "funding_form", "经费形式", "funding form";
        EstablishmentCategory => "establishment_category", "编制类别", "establishment category";
        UnitKind => "unit_kind", "单位类别", "kind of unit";
        InstitutionCategory => "institution_category", "事业单位分类", "public institution category";
        ParentUnit => "parent_unit", "上级单位", "parent unit";
        CreditCode => "credit_code", "统一社会信用代码", "unified social credit code";
        Headcount => "headcount", "编制数", "headcount";
        DocumentNumber => "document_number", "文号", "document number";
        Date => "date", "日期", "date";
        Timestamp => "timestamp", "时间", "timestamp";
        Name => "name", "名称", "name";
        Identifier => "identifier", "标识", "identifier";
        UnitId => "unit_id", "单位标识", "unit id";
        ApplicationId => "application_id", "申请标识", "application id";
        DecisionId => "decision_id", "审批决定标识", "decision id";
        ClientId => "client_id", "客户端标识", "client id";
        CredentialId => "credential_id", "凭据标识", "credential id";
        SignerId => "signer_id", "签名人标识", "signer id";
        RegionCode => "region_code", "行政区划代码", "region code";
        SlipNumber => "slip_number", "编制使用单编号", "slip number";
        NumberingPrefix => "numbering_prefix", "编号前缀", "numbering prefix";
        Year => "year", "年份", "year";
        Sequence => "sequence", "序号", "sequence number";
        Role => "role", "角色", "role";
        RequestedCount => "requested_count", "申请数量", "number of posts requested";
        Reason => "reason", "申请理由", "reason";
        Scope => "scope", "管理范围", "scope";
        Changes => "changes", "变更事项", "changes";
    }
}

/// Why a value was refused. Every variant names the field; `message_zh` / `message_en` are the
/// user-facing texts, `Display` is the lower-case log form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// 不能为空.
    #[error("{field}: must not be empty")]
    Empty { field: Field },
    /// 长度错误.
    #[error("{field}: length must be {expected}, found {actual}")]
    Length {
        field: Field,
        expected: usize,
        actual: usize,
    },
    /// 过长.
    #[error("{field}: at most {max} characters, found {actual}")]
    TooLong {
        field: Field,
        max: usize,
        actual: usize,
    },
    /// 字符不合法 (position is 1-based, in characters).
    #[error("{field}: character {found:?} at position {position} is not allowed")]
    Character {
        field: Field,
        position: usize,
        found: char,
    },
    /// 校验码错误.
    #[error("{field}: check character should be {expected}, found {found}")]
    CheckCharacter {
        field: Field,
        expected: char,
        found: char,
    },
    /// 日期不存在.
    #[error("{field}: {value} is not a real date")]
    ImpossibleDate { field: Field, value: String },
    /// 格式错误.
    #[error("{field}: expected the form {expected}")]
    Format {
        field: Field,
        expected: &'static str,
    },
    /// 超出范围.
    #[error("{field}: {found} is outside {min}..={max}")]
    OutOfRange {
        field: Field,
        min: i64,
        max: i64,
        found: i64,
    },
    /// 与另一字段不一致: `other` holds `expected`, `field` holds `found`.
    #[error("{field}: {found} disagrees with {other} ({expected})")]
    Disagrees {
        field: Field,
        other: Field,
        expected: String,
        found: String,
    },
}

impl ValidationError {
    /// The field the error is about.
    pub fn field(&self) -> Field {
        match self {
            Self::Empty { field }
            | Self::Length { field, .. }
            | Self::TooLong { field, .. }
            | Self::Character { field, .. }
            | Self::CheckCharacter { field, .. }
            | Self::ImpossibleDate { field, .. }
            | Self::Format { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::Disagrees { field, .. } => *field,
        }
    }

    /// The same error, about another field (a newtype used for a differently named field).
    pub fn with_field(mut self, new: Field) -> Self {
        match &mut self {
            Self::Empty { field }
            | Self::Length { field, .. }
            | Self::TooLong { field, .. }
            | Self::Character { field, .. }
            | Self::CheckCharacter { field, .. }
            | Self::ImpossibleDate { field, .. }
            | Self::Format { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::Disagrees { field, .. } => *field = new,
        }
        self
    }

    /// A stable code for the rule that failed (for `ErrorBody.code`).
    pub fn rule_code(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "empty",
            Self::Length { .. } => "length",
            Self::TooLong { .. } => "too_long",
            Self::Character { .. } => "character",
            Self::CheckCharacter { .. } => "check_character",
            Self::ImpossibleDate { .. } => "impossible_date",
            Self::Format { .. } => "format",
            Self::OutOfRange { .. } => "out_of_range",
            Self::Disagrees { .. } => "disagrees",
        }
    }

    /// The message in Chinese, e.g. `身份证号校验码错误：应为X，实际为3`.
    pub fn message_zh(&self) -> String {
        let f = self.field().label_zh();
        match self {
            Self::Empty { .. } => format!("{f}不能为空"),
            Self::Length {
                expected, actual, ..
            } => {
                format!("{f}长度错误：应为{expected}位，实际为{actual}位")
            }
            Self::TooLong { max, actual, .. } => {
                format!("{f}过长：最多{max}个字符，实际为{actual}个")
            }
            Self::Character {
                position, found, ..
            } => {
                format!("{f}第{position}位字符“{found}”不合法")
            }
            Self::CheckCharacter {
                expected, found, ..
            } => {
                format!("{f}校验码错误：应为{expected}，实际为{found}")
            }
            Self::ImpossibleDate { value, .. } => format!("{f}不是有效日期：{value}"),
            Self::Format { expected, .. } => format!("{f}格式错误：应形如{expected}"),
            Self::OutOfRange {
                min, max, found, ..
            } => {
                format!("{f}超出范围：应在{min}至{max}之间，实际为{found}")
            }
            Self::Disagrees {
                other,
                expected,
                found,
                ..
            } => {
                let o = other.label_zh();
                format!("{f}与{o}不一致：{o}为{expected}，{f}为{found}")
            }
        }
    }

    /// The message in English, e.g. `ID number: wrong check character, expected X, found 3`.
    pub fn message_en(&self) -> String {
        let f = self.field().label_en();
        match self {
            Self::Empty { .. } => format!("{f}: must not be empty"),
            Self::Length {
                expected, actual, ..
            } => {
                format!("{f}: must be {expected} characters long, found {actual}")
            }
            Self::TooLong { max, actual, .. } => {
                format!("{f}: at most {max} characters, found {actual}")
            }
            Self::Character {
                position, found, ..
            } => {
                format!("{f}: character '{found}' at position {position} is not allowed")
            }
            Self::CheckCharacter {
                expected, found, ..
            } => {
                format!("{f}: wrong check character, expected {expected}, found {found}")
            }
            Self::ImpossibleDate { value, .. } => format!("{f}: {value} is not a real date"),
            Self::Format { expected, .. } => format!("{f}: expected the form {expected}"),
            Self::OutOfRange {
                min, max, found, ..
            } => {
                format!("{f}: must be between {min} and {max}, found {found}")
            }
            Self::Disagrees {
                other,
                expected,
                found,
                ..
            } => {
                let o = other.label_en();
                format!("{f} does not agree with {o}: {o} gives {expected}, {f} is {found}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_field_and_rule() {
        let e = ValidationError::CheckCharacter {
            field: Field::IdNumber,
            expected: 'X',
            found: '3',
        };
        assert_eq!(e.message_zh(), "身份证号校验码错误：应为X，实际为3");
        assert_eq!(
            e.message_en(),
            "ID number: wrong check character, expected X, found 3"
        );
        assert_eq!(
            e.to_string(),
            "id_number: check character should be X, found 3"
        );
        assert_eq!(e.rule_code(), "check_character");
        let e = e.with_field(Field::CreditCode);
        assert!(e.message_zh().starts_with("统一社会信用代码校验码错误"));
    }

    #[test]
    fn field_codes_are_unique() {
        for (i, a) in Field::ALL.iter().enumerate() {
            for b in &Field::ALL[i + 1..] {
                assert_ne!(a.code(), b.code());
            }
            assert_eq!(Field::from_code(a.code()), Some(*a));
        }
    }
}
