//! 统一社会信用代码 (unified social credit code, GB 32100-2015).

use crate::error::{Field, ValidationError};

/// The 31 characters of the code, in value order 0..=30 (no I, O, S, V, Z).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value_of(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|a| *a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check character for the first 17 characters, or `None` if one is outside the alphabet.
pub fn credit_check_character(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    // check is in 0..31, the length of ALPHABET.
    Some(char::from(ALPHABET[check as usize]))
}

/// A valid 18-character 统一社会信用代码 (upper-case; typed lower-case letters are normalised).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

labelled_enum! {
    /// 登记管理部门代码: the authority that registered the code (its first character).
    pub enum RegistrationAuthority {
        StaffingOffice => "staffing_office", "机构编制", "staffing office";
        Other => "other", "其他登记管理部门", "other registration authority";
    }
}

impl CreditCode {
    /// Parses and validates; surrounding spaces are trimmed, letters upper-cased.
    pub fn parse(s: &str) -> Result<CreditCode, ValidationError> {
        let field = Field::CreditCode;
        let s = s.trim();
        if s.is_empty() {
            return Err(ValidationError::Empty { field });
        }
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(ValidationError::Length {
                field,
                expected: 18,
                actual: chars.len(),
            });
        }
        let normal = s.to_ascii_uppercase();
        for (i, c) in normal.chars().enumerate() {
            let ok = c.is_ascii() && value_of(c as u8).is_some();
            if !ok {
                return Err(ValidationError::Character {
                    field,
                    position: i + 1,
                    found: c,
                });
            }
        }
        let b = normal.as_bytes();
        // Every byte is in the alphabet now, so the check character exists.
        let expected = credit_check_character(&b[..17]).unwrap_or('0');
        let found = char::from(b[17]);
        if expected != found {
            return Err(ValidationError::CheckCharacter {
                field,
                expected,
                found,
            });
        }
        Ok(CreditCode(normal))
    }

    /// The normalised 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters 3–8: the administrative division code of the registering authority.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// Who registered it: `1` is the staffing office (机构编制部门).
    pub fn authority(&self) -> RegistrationAuthority {
        if self.0.starts_with('1') {
            RegistrationAuthority::StaffingOffice
        } else {
            RegistrationAuthority::Other
        }
    }

    /// For codes registered by a staffing office, the kind its second character gives:
    /// 1 机关, 2 事业单位, 3 群团 (other values are `None`).
    pub fn staffing_kind(&self) -> Option<crate::unit::UnitKind> {
        use crate::unit::UnitKind;
        if self.authority() != RegistrationAuthority::StaffingOffice {
            return None;
        }
        match self.0.as_bytes()[1] {
            b'1' => Some(UnitKind::Organ),
            b'2' => Some(UnitKind::PublicInstitution),
            b'3' => Some(UnitKind::MassOrganisation),
            _ => None,
        }
    }

    /// Builds a valid code from its first 17 characters, computing the check character.
    /// For demo data and tests.
    pub fn compose(first17: &str) -> Option<CreditCode> {
        let upper = first17.to_ascii_uppercase();
        let check = credit_check_character(upper.as_bytes())?;
        Some(CreditCode(format!("{upper}{check}")))
    }
}

string_newtype_impls!(CreditCode);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::UnitKind;

    #[test]
    fn valid_example() {
        let c = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(c.region_code(), "350100");
        assert_eq!(c.authority(), RegistrationAuthority::Other);
        assert_eq!(c.staffing_kind(), None);
    }

    #[test]
    fn lower_case_is_normalised() {
        let c = CreditCode::parse("91350100m000100y43").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn wrong_check_character() {
        let e = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(
            e,
            ValidationError::CheckCharacter {
                field: Field::CreditCode,
                expected: '3',
                found: '4'
            }
        );
        assert_eq!(e.message_zh(), "统一社会信用代码校验码错误：应为3，实际为4");
    }

    #[test]
    fn letters_outside_the_alphabet() {
        for (bad, pos) in [("91350100I000100Y43", 9), ("O1350100M000100Y43", 1)] {
            assert!(matches!(
                CreditCode::parse(bad),
                Err(ValidationError::Character { position, .. }) if position == pos
            ));
        }
        assert!(matches!(
            CreditCode::parse("9135010０M000100Y43"),
            Err(ValidationError::Character { position: 8, .. })
        ));
    }

    #[test]
    fn wrong_length() {
        assert!(matches!(
            CreditCode::parse("91350100M000100Y4"),
            Err(ValidationError::Length {
                expected: 18,
                actual: 17,
                ..
            })
        ));
    }

    #[test]
    fn staffing_office_codes() {
        let c = CreditCode::compose("11620500MB0000001").unwrap();
        let again = CreditCode::parse(c.as_str()).unwrap();
        assert_eq!(again, c);
        assert_eq!(c.authority(), RegistrationAuthority::StaffingOffice);
        assert_eq!(c.staffing_kind(), Some(UnitKind::Organ));
        assert_eq!(c.region_code(), "620500");
        let inst = CreditCode::compose("12620502MB0000002").unwrap();
        assert_eq!(inst.staffing_kind(), Some(UnitKind::PublicInstitution));
    }

    #[test]
    fn serde_validates() {
        let c: CreditCode = serde_json::from_str("\"91350100M000100Y43\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"91350100M000100Y43\"");
        assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y42\"").is_err());
    }
}
