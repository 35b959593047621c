//! The one canonical form of an issued document (编制使用单, 入编通知单, 出编通知单): what the
//! issuing bureau's SM2 key signs, what the QR code carries, what a third party checks.
//!
//! Its bytes are the RFC 8785 canonical JSON of [`DocumentForm`] (`domain::canonical`); members
//! that are absent for a kind (a notice's `count`, a slip's `person`) are left out, never
//! `null`. Wire form (keys in canonical order), e.g. a slip:
//!
//! ```text
//! {"bureau":"tianshui","category":"administrative","count":2,"decision":"d-1",
//!  "issued_on":"2026-05-01","kind":"quota_use_slip","number":"天编用〔2026〕0012号",
//!  "tag":"dzbzglz.document","unit":"620502-0001","unit_name":"秦州区教育局",
//!  "valid_until":"2026-07-30","version":1}
//! ```
//!
//! and a notice carries `"person":{"id_number":"620502**********12","name":"王芳"}` (the
//! 身份证号 masked by [`mask_v1`]: the region and the last two characters — the documents'
//! own form, fixed with [`DOCUMENT_VERSION`] 1; screens show `domain::IdNumber::masked`'s)
//! instead of `count` and `valid_until`; an onboarding notice also names the slip it used
//! (`slip_number`). The tag [`DOCUMENT_TAG`] keeps a document's signature from ever counting
//! as an audit head's, or the reverse.

use domain::canonical::{self, CanonicalError};
use domain::ids::{DecisionId, Name, UnitId};
use domain::slip::IssuedDocumentKind;
use domain::{Bureau, Date, DocumentNumber, EstablishmentCategory, FundingForm, Headcount};
use domain::{IdNumber, IssuedDocument};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The tag every issued document carries.
pub const DOCUMENT_TAG: &str = "dzbzglz.document";
/// The document schema version this crate writes and reads.
pub const DOCUMENT_VERSION: u32 = 1;

/// The tag field: serialises as [`DOCUMENT_TAG`] and refuses anything else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DocumentTag;

impl Serialize for DocumentTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(DOCUMENT_TAG)
    }
}

impl<'de> Deserialize<'de> for DocumentTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == DOCUMENT_TAG {
            Ok(DocumentTag)
        } else {
            Err(serde::de::Error::custom(format!(
                "unknown document tag {s:?}"
            )))
        }
    }
}

/// The person a notice is about, as the document shows them: the name and the masked 身份证号.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskedPerson {
    /// 姓名.
    pub name: Name,
    /// 身份证号, masked: `620502**********12`.
    pub id_number: String,
}

impl MaskedPerson {
    /// The person with `id_number` masked ([`mask_v1`]).
    pub fn new(name: Name, id_number: &IdNumber) -> MaskedPerson {
        MaskedPerson {
            name,
            id_number: mask_v1(id_number),
        }
    }
}

/// A 身份证号 as documents of version 1 carry it: the region (first six) and the last two
/// characters, ten stars between — `11010519491231002X` becomes `110105**********2X`. Part of
/// what is signed, so it never follows the screens' masking (`domain::IdNumber::masked`, the
/// last four): a bureau that signed a notice and a checker that reads one agree on one form
/// per version (docs/DOMAIN.md, "Masking").
pub fn mask_v1(id_number: &IdNumber) -> String {
    let id = id_number.as_str();
    format!("{}{}{}", &id[..6], "*".repeat(10), &id[16..])
}

/// An issued document in its signed form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentForm {
    /// Always [`DOCUMENT_TAG`].
    pub tag: DocumentTag,
    /// Schema version.
    pub version: u32,
    /// 编号, e.g. `天编用〔2026〕0012号`.
    pub number: DocumentNumber,
    /// 单据种类.
    pub kind: IssuedDocumentKind,
    /// 出具单位: the bureau whose key signs it.
    pub bureau: Bureau,
    /// 用编单位: its id and name.
    pub unit: UnitId,
    pub unit_name: Name,
    /// 编制类别 (of the slip, or of the person's post).
    pub category: EstablishmentCategory,
    /// 经费形式 (事业编制 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding_form: Option<FundingForm>,
    /// 核准数 (a slip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Headcount>,
    /// The person (a notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<MaskedPerson>,
    /// The slip an onboarding used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slip_number: Option<DocumentNumber>,
    /// 出具日期.
    pub issued_on: Date,
    /// 有效期至 (a slip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// The approving decision (审批决定标识).
    pub decision: DecisionId,
}

/// What the issued-document record of `domain` does not say and the form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Particulars {
    pub unit_name: Name,
    pub category: EstablishmentCategory,
    pub funding_form: Option<FundingForm>,
    /// A slip's 核准数 and 有效期至.
    pub count: Option<Headcount>,
    pub valid_until: Option<Date>,
}

/// Why bytes are not an issued document of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// Not JSON, or a field missing, unknown or invalid (the tag included).
    #[error("malformed document: {0}")]
    Malformed(String),
    /// A version this build does not know.
    #[error("unknown document version {0}")]
    UnknownVersion(u32),
    /// Not in canonical form (so not what was signed).
    #[error("document bytes are not canonical")]
    NotCanonical,
    /// No canonical form exists.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
}

impl DocumentForm {
    /// The form of `issued`, approved by `decision`.
    pub fn new(issued: &IssuedDocument, particulars: Particulars, decision: DecisionId) -> Self {
        DocumentForm {
            tag: DocumentTag,
            version: DOCUMENT_VERSION,
            number: issued.number.clone(),
            kind: issued.kind,
            bureau: issued.bureau,
            unit: issued.unit.clone(),
            unit_name: particulars.unit_name,
            category: particulars.category,
            funding_form: particulars.funding_form,
            count: particulars.count,
            person: issued
                .person
                .as_ref()
                .map(|p| MaskedPerson::new(p.name.clone(), &p.id_number)),
            slip_number: issued.slip_number.clone(),
            issued_on: issued.issued_on,
            valid_until: particulars.valid_until,
            decision,
        }
    }

    /// The canonical bytes (RFC 8785) that are signed.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, FormError> {
        let value = serde_json::to_value(self).map_err(|e| FormError::Malformed(e.to_string()))?;
        Ok(canonical::canonicalize(&value)?)
    }

    /// Reads document bytes as signed: they must be canonical, of a known tag and version.
    pub fn from_signed_bytes(bytes: &[u8]) -> Result<DocumentForm, FormError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| FormError::Malformed(e.to_string()))?;
        if let Some(v) = value.get("version").and_then(Value::as_u64)
            && v != u64::from(DOCUMENT_VERSION)
        {
            return Err(FormError::UnknownVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        if canonical::canonicalize(&value)? != bytes {
            return Err(FormError::NotCanonical);
        }
        serde_json::from_value(value).map_err(|e| FormError::Malformed(e.to_string()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use domain::ids::{ApplicationId, UserId};
    use domain::{NoticePerson, Region};

    pub(crate) fn slip_form() -> DocumentForm {
        let issued = IssuedDocument {
            number: DocumentNumber::parse("天编用〔2026〕0012号").unwrap(),
            kind: IssuedDocumentKind::QuotaUseSlip,
            bureau: Bureau::CITY,
            unit: UnitId::parse("620502-0001").unwrap(),
            issued_on: Date::parse("2026-05-01").unwrap(),
            application_id: ApplicationId::parse("app-1").unwrap(),
            approver: UserId::parse("reviewer-1").unwrap(),
            approver_name: "李审核".into(),
            person: None,
            slip_number: None,
        };
        DocumentForm::new(
            &issued,
            Particulars {
                unit_name: Name::parse("秦州区教育局").unwrap(),
                category: EstablishmentCategory::Administrative,
                funding_form: None,
                count: Some(Headcount::new(2)),
                valid_until: Some(Date::parse("2026-07-30").unwrap()),
            },
            DecisionId::parse("d-1").unwrap(),
        )
    }

    pub(crate) fn notice_form() -> DocumentForm {
        let id = IdNumber::compose(620502, Date::parse("1990-03-07").unwrap(), 123).unwrap();
        let issued = IssuedDocument {
            number: DocumentNumber::parse("秦州编入〔2026〕0001号").unwrap(),
            kind: IssuedDocumentKind::OnboardingNotice,
            bureau: Region::Qinzhou.bureau(),
            unit: UnitId::parse("620502-0001").unwrap(),
            issued_on: Date::parse("2026-05-03").unwrap(),
            application_id: ApplicationId::parse("app-2").unwrap(),
            approver: UserId::parse("reviewer-2").unwrap(),
            approver_name: "赵审核".into(),
            person: Some(NoticePerson {
                id_number: id,
                name: Name::parse("王芳").unwrap(),
            }),
            slip_number: Some(DocumentNumber::parse("天编用〔2026〕0012号").unwrap()),
        };
        DocumentForm::new(
            &issued,
            Particulars {
                unit_name: Name::parse("秦州区教育局").unwrap(),
                category: EstablishmentCategory::PublicInstitution,
                funding_form: Some(FundingForm::ALL[0]),
                count: None,
                valid_until: None,
            },
            DecisionId::parse("0f8e6a52-3c1b-4d7e-9a10-5b2f4c6d8e01").unwrap(),
        )
    }

    #[test]
    fn canonical_form_of_a_slip() {
        let bytes = slip_form().canonical_bytes().unwrap();
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            "{\"bureau\":\"tianshui\",\"category\":\"administrative\",\"count\":2,\"decision\":\"d-1\",\
             \"issued_on\":\"2026-05-01\",\"kind\":\"quota_use_slip\",\"number\":\"天编用〔2026〕0012号\",\
             \"tag\":\"dzbzglz.document\",\"unit\":\"620502-0001\",\"unit_name\":\"秦州区教育局\",\
             \"valid_until\":\"2026-07-30\",\"version\":1}"
        );
        assert_eq!(
            DocumentForm::from_signed_bytes(&bytes).unwrap(),
            slip_form()
        );
    }

    #[test]
    fn a_notice_masks_the_id_number() {
        let form = notice_form();
        let text = String::from_utf8(form.canonical_bytes().unwrap()).unwrap();
        // Version 1's form, whatever the screens show (`domain::IdNumber::masked`).
        let id = IdNumber::compose(620502, Date::parse("1990-03-07").unwrap(), 123).unwrap();
        let last_two = &id.as_str()[16..];
        assert!(
            text.contains(&format!(
                "\"person\":{{\"id_number\":\"620502**********{last_two}\""
            )),
            "{text}"
        );
        assert_ne!(mask_v1(&id), id.masked());
        assert!(!text.contains("19900307"), "{text}");
        assert!(!text.contains("\"count\""), "{text}");
        assert_eq!(
            DocumentForm::from_signed_bytes(text.as_bytes()).unwrap(),
            form
        );
    }

    #[test]
    fn refusals() {
        let text = String::from_utf8(slip_form().canonical_bytes().unwrap()).unwrap();
        assert_eq!(
            DocumentForm::from_signed_bytes(text.replacen(':', ": ", 1).as_bytes()),
            Err(FormError::NotCanonical)
        );
        assert_eq!(
            DocumentForm::from_signed_bytes(
                text.replace("\"version\":1", "\"version\":2").as_bytes()
            ),
            Err(FormError::UnknownVersion(2))
        );
        for bad in [
            text.replace(DOCUMENT_TAG, "dzbzglz.decision"),
            text.replace("\"version\":1}", "\"version\":1,\"zzz\":1}"),
            text.replace("2026-07-30", "2026-07-32"),
            text[..text.len() - 1].to_owned(),
        ] {
            assert!(
                matches!(
                    DocumentForm::from_signed_bytes(bad.as_bytes()),
                    Err(FormError::Malformed(_))
                ),
                "{bad}"
            );
        }
    }
}
