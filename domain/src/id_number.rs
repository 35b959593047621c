//! 居民身份证号 (resident identity card number, GB 11643-1999) and the sex it encodes.

use crate::date::Date;
use crate::error::{Field, ValidationError};

labelled_enum! {
    /// Sex (性别) as recorded and as encoded in the 17th digit of the ID number.
    pub enum Sex {
        Male => "male", "男", "male";
        Female => "female", "女", "female";
    }
}

/// A valid 18-character 居民身份证号: 6-digit region, 8-digit birth date, 3-digit sequence, and
/// the ISO 7064 MOD 11-2 check character (`X` upper-case; a typed `x` is normalised).
///
/// An unknown region prefix is not an error (see [`IdNumber::region_code`]).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits (which must be ASCII digits).
pub fn id_check_character(first17: &[u8; 17]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    // sum % 11 is in 0..11, the length of CHECK.
    CHECK[(sum % 11) as usize]
}

impl IdNumber {
    /// Parses and validates; surrounding spaces are trimmed and a final `x` becomes `X`.
    pub fn parse(s: &str) -> Result<IdNumber, ValidationError> {
        let field = Field::IdNumber;
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
        for (i, c) in chars.iter().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && (*c == 'X' || *c == 'x'));
            if !ok {
                return Err(ValidationError::Character {
                    field,
                    position: i + 1,
                    found: *c,
                });
            }
        }
        let normal = s.to_ascii_uppercase();
        let b = normal.as_bytes();
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(&b[..17]);
        let birth = &normal[6..14];
        let iso = format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..8]);
        if Date::parse_field(&iso, field).is_err() {
            return Err(ValidationError::ImpossibleDate {
                field,
                value: birth.to_owned(),
            });
        }
        let expected = id_check_character(&first17);
        let found = char::from(b[17]);
        if expected != found {
            return Err(ValidationError::CheckCharacter {
                field,
                expected,
                found,
            });
        }
        Ok(IdNumber(normal))
    }

    /// The normalised 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first six digits: the administrative division where it was issued. Not checked
    /// against a list (divisions are renamed and merged; an unknown one is only a warning).
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// The birth date encoded in digits 7–14.
    pub fn birth_date(&self) -> Date {
        let b = &self.0[6..14];
        let iso = format!("{}-{}-{}", &b[..4], &b[4..6], &b[6..8]);
        // Checked in `parse`; the fallback is unreachable.
        Date::parse(&iso).unwrap_or(Date::MIN)
    }

    /// The first two digits: the province (省级行政区划代码).
    pub fn province_code(&self) -> &str {
        &self.0[..2]
    }

    /// Whether the first two digits are a province code that exists (11–15, 21–23, 31–37,
    /// 41–46, 50–54, 61–65, 71, 81, 82). A `false` is a warning to show, not an error: numbers
    /// issued under old or renamed divisions stay valid.
    pub fn region_is_plausible(&self) -> bool {
        matches!(
            self.province_code(),
            "11" | "12"
                | "13"
                | "14"
                | "15"
                | "21"
                | "22"
                | "23"
                | "31"
                | "32"
                | "33"
                | "34"
                | "35"
                | "36"
                | "37"
                | "41"
                | "42"
                | "43"
                | "44"
                | "45"
                | "46"
                | "50"
                | "51"
                | "52"
                | "53"
                | "54"
                | "61"
                | "62"
                | "63"
                | "64"
                | "65"
                | "71"
                | "81"
                | "82"
        )
    }

    /// The sex encoded in the 17th digit: odd for men, even for women.
    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Checks that a record's 出生日期 and 性别 agree with this number. The error names the
    /// record's field (`birth_date` or `sex`) and gives the value the number encodes.
    pub fn check_agrees(&self, birth_date: Date, sex: Sex) -> Result<(), ValidationError> {
        if self.birth_date() != birth_date {
            return Err(ValidationError::Disagrees {
                field: Field::BirthDate,
                other: Field::IdNumber,
                expected: self.birth_date().to_string(),
                found: birth_date.to_string(),
            });
        }
        if self.sex() != sex {
            return Err(ValidationError::Disagrees {
                field: Field::Sex,
                other: Field::IdNumber,
                expected: self.sex().label_zh().to_owned(),
                found: sex.label_zh().to_owned(),
            });
        }
        Ok(())
    }

    /// The number as every screen but the person's own page shows it, and as logs and
    /// refusals name it: the region (first six) and the last four characters, the birth date
    /// hidden — `11010519491231002X` becomes `110105********002X` (docs/DOMAIN.md, "Masking").
    /// Issued documents keep their own, older form (`documents::form`).
    pub fn masked(&self) -> String {
        mask_id_text(&self.0)
    }

    /// Builds a valid number from region, birth date and a three-digit sequence (its last digit
    /// sets the sex), computing the check character. For demo data and tests.
    pub fn compose(region: u32, birth: Date, sequence: u16) -> Option<IdNumber> {
        if region > 999_999 || sequence > 999 || birth.year() > 9999 {
            return None;
        }
        let body = format!(
            "{region:06}{:04}{:02}{:02}{sequence:03}",
            birth.year(),
            birth.month(),
            birth.day()
        );
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(body.as_bytes());
        let check = id_check_character(&first17);
        Some(IdNumber(format!("{body}{check}")))
    }
}

string_newtype_impls!(IdNumber);

/// A 身份证号 given as text (a report's cell, perhaps not a valid number) masked as
/// [`IdNumber::masked`] does: 18 characters keep the first six and the last four, anything
/// else is hidden whole.
pub fn mask_id_text(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return "*".repeat(chars.len());
    }
    let mut masked: String = chars[..6].iter().collect();
    masked.push_str("********");
    masked.extend(&chars[14..]);
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_example_and_derived_facts() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), Date::parse("1949-12-31").unwrap());
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.region_code(), "110105");
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(mask_id_text(id.as_str()), id.masked());
        assert_eq!(mask_id_text("12345"), "*****");
    }

    #[test]
    fn lower_case_x_is_normalised() {
        let id = IdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_check_digit() {
        let e = IdNumber::parse("110105194912310023").unwrap_err();
        assert_eq!(
            e,
            ValidationError::CheckCharacter {
                field: Field::IdNumber,
                expected: 'X',
                found: '3'
            }
        );
        assert_eq!(e.message_zh(), "身份证号校验码错误：应为X，实际为3");
    }

    #[test]
    fn impossible_birth_date() {
        // 1949-02-30 does not exist, whatever the check character.
        let e = IdNumber::parse("110105194902300020").unwrap_err();
        assert!(matches!(e, ValidationError::ImpossibleDate { .. }), "{e:?}");
        assert!(e.message_zh().contains("19490230"));
        // 2023-02-29 neither (not a leap year); 2024-02-29 does.
        assert!(matches!(
            IdNumber::parse("620502202302290011"),
            Err(ValidationError::ImpossibleDate { .. })
        ));
        let leap = IdNumber::compose(620502, Date::parse("2024-02-29").unwrap(), 1).unwrap();
        assert!(IdNumber::parse(leap.as_str()).is_ok());
    }

    #[test]
    fn wrong_length_and_characters() {
        assert_eq!(
            IdNumber::parse("11010519491231002").unwrap_err(),
            ValidationError::Length {
                field: Field::IdNumber,
                expected: 18,
                actual: 17
            }
        );
        assert!(matches!(
            IdNumber::parse("1101051949123100211"),
            Err(ValidationError::Length { actual: 19, .. })
        ));
        assert_eq!(
            IdNumber::parse("1101051949123100X2").unwrap_err(),
            ValidationError::Character {
                field: Field::IdNumber,
                position: 17,
                found: 'X'
            }
        );
        assert!(matches!(
            IdNumber::parse("11010519491231002Y"),
            Err(ValidationError::Character { position: 18, .. })
        ));
        assert!(matches!(
            IdNumber::parse("１１010519491231002X"),
            Err(ValidationError::Character { position: 1, .. })
        ));
        assert!(matches!(
            IdNumber::parse(""),
            Err(ValidationError::Empty { .. })
        ));
    }

    #[test]
    fn unknown_region_is_accepted() {
        let id = IdNumber::compose(999_999, Date::parse("1980-05-06").unwrap(), 123).unwrap();
        assert!(IdNumber::parse(id.as_str()).is_ok());
        assert!(!id.region_is_plausible());
        assert!(
            IdNumber::parse("11010519491231002X")
                .unwrap()
                .region_is_plausible()
        );
    }

    #[test]
    fn agreement_with_record() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        let born = Date::parse("1949-12-31").unwrap();
        assert!(id.check_agrees(born, Sex::Female).is_ok());
        let e = id.check_agrees(born, Sex::Male).unwrap_err();
        assert_eq!(e.field(), Field::Sex);
        assert_eq!(
            e.message_zh(),
            "性别与身份证号不一致：身份证号为女，性别为男"
        );
        let e = id
            .check_agrees(Date::parse("1950-01-01").unwrap(), Sex::Female)
            .unwrap_err();
        assert_eq!(e.field(), Field::BirthDate);
        assert!(e.message_en().contains("1949-12-31"));
    }

    #[test]
    fn compose_makes_valid_numbers_with_the_right_sex() {
        let born = Date::parse("1985-07-01").unwrap();
        let m = IdNumber::compose(620502, born, 13).unwrap();
        let f = IdNumber::compose(620502, born, 14).unwrap();
        assert_eq!(IdNumber::parse(m.as_str()).unwrap(), m);
        assert_eq!(m.sex(), Sex::Male);
        assert_eq!(f.sex(), Sex::Female);
        assert_eq!(m.birth_date(), born);
    }

    #[test]
    fn serde_validates() {
        let id: IdNumber = serde_json::from_str("\"11010519491231002x\"").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"11010519491231002X\""
        );
        assert!(serde_json::from_str::<IdNumber>("\"110105194912310023\"").is_err());
    }
}
