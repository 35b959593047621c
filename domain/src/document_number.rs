//! 文号: the number of an official document, e.g. `天机编办发〔2018〕14号`.

use crate::error::{Field, ValidationError};

/// A document number (文号): issuer prefix (发文机关代字), year in 〔〕, sequence, 号.
///
/// Common typed variants are accepted and normalised: `[]`, `()`, `（）`, `【】`, `［］`, `〖〗`
/// for 〔〕, spaces anywhere, full-width digits. The sequence keeps the digits as written
/// (`14号` and `014号` are different numbers; numbering schemes pad, people usually do not).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber {
    text: String,
    issuer_len: usize,
    year: u16,
    sequence: u32,
}

const OPEN: &[char] = &['〔', '[', '(', '（', '【', '［', '〖', '{'];
const CLOSE: &[char] = &['〕', ']', ')', '）', '】', '］', '〗', '}'];
const EXAMPLE: &str = "天机编办发〔2018〕14号";

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

impl DocumentNumber {
    /// Parses and normalises.
    pub fn parse(s: &str) -> Result<DocumentNumber, ValidationError> {
        Self::parse_field(s, Field::DocumentNumber)
    }

    /// Parses and normalises, naming `field` in errors.
    pub fn parse_field(s: &str, field: Field) -> Result<DocumentNumber, ValidationError> {
        let format = ValidationError::Format {
            field,
            expected: EXAMPLE,
        };
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(ValidationError::Empty { field });
        }
        let count = compact.chars().count();
        if count > 64 {
            return Err(ValidationError::TooLong {
                field,
                max: 64,
                actual: count,
            });
        }
        let Some(body) = compact.strip_suffix('号') else {
            return Err(format);
        };
        let (Some(open), Some(close)) = (body.find(OPEN), body.rfind(CLOSE)) else {
            return Err(format);
        };
        let issuer = &body[..open];
        let open_len = body[open..].chars().next().map_or(1, char::len_utf8);
        let close_len = body[close..].chars().next().map_or(1, char::len_utf8);
        if close < open + open_len {
            return Err(format);
        }
        let year_part = &body[open + open_len..close];
        let seq_part = &body[close + close_len..];
        if issuer.is_empty() {
            return Err(format);
        }
        if let Some((i, c)) = issuer
            .chars()
            .enumerate()
            .find(|(_, c)| OPEN.contains(c) || CLOSE.contains(c) || c.is_control())
        {
            return Err(ValidationError::Character {
                field,
                position: i + 1,
                found: c,
            });
        }
        let year: Option<String> = year_part.chars().map(ascii_digit).collect();
        let seq: Option<String> = seq_part.chars().map(ascii_digit).collect();
        let (Some(year), Some(seq)) = (year, seq) else {
            return Err(format);
        };
        if year.len() != 4 || seq.is_empty() || seq.len() > 6 {
            return Err(format);
        }
        let year_n: u16 = year.parse().map_err(|_| format.clone())?;
        if !(1949..=2200).contains(&year_n) {
            return Err(ValidationError::OutOfRange {
                field: Field::Year,
                min: 1949,
                max: 2200,
                found: i64::from(year_n),
            });
        }
        let sequence: u32 = seq.parse().map_err(|_| format.clone())?;
        if sequence == 0 {
            return Err(format);
        }
        let text = format!("{issuer}〔{year}〕{seq}号");
        Ok(DocumentNumber {
            text,
            issuer_len: issuer.len(),
            year: year_n,
            sequence,
        })
    }

    /// Builds a number from its parts (sequence zero-padded to `width`).
    pub fn compose(
        issuer: &str,
        year: u16,
        sequence: u32,
        width: usize,
    ) -> Result<Self, ValidationError> {
        DocumentNumber::parse(&format!("{issuer}〔{year}〕{sequence:0width$}号"))
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The issuer prefix, e.g. `天机编办发`.
    pub fn issuer(&self) -> &str {
        &self.text[..self.issuer_len]
    }

    /// The year in the brackets.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The sequence number.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

string_newtype_impls!(DocumentNumber);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form() {
        let d = DocumentNumber::parse("天机编办发〔2018〕14号").unwrap();
        assert_eq!(d.issuer(), "天机编办发");
        assert_eq!(d.year(), 2018);
        assert_eq!(d.sequence(), 14);
        assert_eq!(d.as_str(), "天机编办发〔2018〕14号");
    }

    #[test]
    fn typed_variants_are_normalised() {
        for typed in [
            "天机编办发[2018]14号",
            "天机编办发(2018)14号",
            "天机编办发（2018）14号",
            "天机编办发 [ 2018 ] 14 号",
            "天机编办发【2018】14号",
            "天机编办发［２０１８］１４号",
            " 天机编办发〔2018〕14号 ",
        ] {
            assert_eq!(
                DocumentNumber::parse(typed).unwrap().as_str(),
                "天机编办发〔2018〕14号",
                "{typed}"
            );
        }
        assert_eq!(
            DocumentNumber::parse("甘机编办发〔2017〕78号")
                .unwrap()
                .issuer(),
            "甘机编办发"
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "天机编办发2018-14",
            "天机编办发〔2018〕14",
            "〔2018〕14号",
            "天机编办发〔18〕14号",
            "天机编办发〔2018〕号",
            "天机编办发〔2018〕1a号",
            "天机编办发〔2018〕0号",
        ] {
            assert!(DocumentNumber::parse(bad).is_err(), "{bad}");
        }
        let e = DocumentNumber::parse("天机编办发〔1900〕1号").unwrap_err();
        assert!(matches!(
            e,
            ValidationError::OutOfRange {
                field: Field::Year,
                ..
            }
        ));
        assert!(matches!(
            DocumentNumber::parse("  "),
            Err(ValidationError::Empty { .. })
        ));
        let e = DocumentNumber::parse("天机编办发").unwrap_err();
        assert_eq!(e.message_zh(), "文号格式错误：应形如天机编办发〔2018〕14号");
    }

    #[test]
    fn compose_pads() {
        let d = DocumentNumber::compose("天编用", 2026, 1, 4).unwrap();
        assert_eq!(d.as_str(), "天编用〔2026〕0001号");
        assert_eq!(d.sequence(), 1);
    }

    #[test]
    fn serde_normalises_and_validates() {
        let d: DocumentNumber = serde_json::from_str("\"天机编办发[2018]14号\"").unwrap();
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            "\"天机编办发〔2018〕14号\""
        );
        assert!(serde_json::from_str::<DocumentNumber>("\"14号\"").is_err());
    }
}
