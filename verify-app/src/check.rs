//! From what was entered to a verdict: QR content is verified on this computer against the
//! published keys held (the `documents` crate: the same canonical form and SM2 check as the
//! server's); a document number alone is looked up on the server, which answers a signed-in
//! coordinator, reviewer or the unit with the current status and what happened, and anyone
//! else with genuine or not and the number only.

use documents::form::DocumentForm;
use documents::qr;
pub use documents::status::DocumentStatus as Status;
use protocol::documents::{DocumentCheck, DocumentEvent};
use serde::Deserialize;

use crate::api;
use crate::i18n::{Lang, Msg};

/// `GET` path of the published document keys.
pub const KEYS_PATH: &str = protocol::documents::DOCUMENT_KEYS_PATH;

/// What was entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A document number (文号) alone.
    Number(String),
    /// Anything else: QR content.
    Qr(String),
}

/// Tells a document number from QR content: a number is short, one line, and ends with 号.
pub fn classify(text: &str) -> Input {
    let trimmed = text.trim();
    let looks_like_number = trimmed.ends_with('号')
        && trimmed.contains('〔')
        && trimmed.chars().count() <= 40
        && !trimmed.contains(['{', '.', '\n']);
    if looks_like_number {
        Input::Number(trimmed.to_owned())
    } else {
        Input::Qr(trimmed.to_owned())
    }
}

/// What failed, named plainly on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The document part was changed: it is not a document this system issues.
    Altered,
    /// Our format, cut short (scanned or copied in part).
    Truncated,
    /// Signed with a key the bureaus never published.
    ForeignKey,
    /// Signed with another bureau's published key than the issuer named.
    WrongBureau,
    /// The key was retired before the document's date.
    KeyRetired,
    /// The signature does not match the document.
    BadSignature,
    /// Not the QR content of one of our documents, nor a number.
    UnknownFormat,
    /// The server holds no document with this number (or content).
    NoSuchNumber,
    /// The bureau voided it.
    Void,
    /// A number alone, offline.
    NeedsNetwork,
    /// No published keys on this computer yet.
    NoKeys,
}

impl Failure {
    /// A stable code for the page (`data-reason`).
    pub fn code(self) -> &'static str {
        match self {
            Failure::Altered => "altered",
            Failure::Truncated => "truncated",
            Failure::ForeignKey => "foreign_key",
            Failure::WrongBureau => "wrong_bureau",
            Failure::KeyRetired => "key_retired",
            Failure::BadSignature => "bad_signature",
            Failure::UnknownFormat => "unknown_format",
            Failure::NoSuchNumber => "no_such_number",
            Failure::Void => "void",
            Failure::NeedsNetwork => "needs_network",
            Failure::NoKeys => "no_keys",
        }
    }

    /// The failure a code of `documents` or of the server's check names; `content` tells a
    /// truncated QR content of ours from something else.
    pub fn from_code(code: &str, content: &str) -> Failure {
        match code {
            "malformed" if content.trim().starts_with("DZ1.") => Failure::Truncated,
            "altered_payload" => Failure::Altered,
            "unknown_key" => Failure::ForeignKey,
            "foreign_key" => Failure::WrongBureau,
            "key_retired" => Failure::KeyRetired,
            "bad_signature" => Failure::BadSignature,
            "document_unknown" => Failure::NoSuchNumber,
            "document_void" => Failure::Void,
            _ => Failure::UnknownFormat,
        }
    }

    /// The headline reason shown.
    pub fn msg(self) -> Msg {
        match self {
            Failure::Altered => Msg::ReasonAltered,
            Failure::Truncated => Msg::ReasonTruncated,
            Failure::ForeignKey => Msg::ReasonForeignKey,
            Failure::WrongBureau => Msg::ReasonWrongBureau,
            Failure::KeyRetired => Msg::ReasonKeyRetired,
            Failure::BadSignature => Msg::ReasonBadSignature,
            Failure::UnknownFormat => Msg::ReasonUnknownFormat,
            Failure::NoSuchNumber => Msg::ReasonNoSuchNumber,
            Failure::Void => Msg::ReasonVoid,
            Failure::NeedsNetwork => Msg::ReasonNeedsNetwork,
            Failure::NoKeys => Msg::ReasonNoKeys,
        }
    }
}

/// A genuine document and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Genuine {
    /// 文号.
    pub number: String,
    /// The signed document (none when only the number was looked up).
    pub form: Option<DocumentForm>,
    /// The key that signed it.
    pub key_id: Option<String>,
}

/// A document that is not genuine: what failed, with the number when it could be read.
#[derive(Debug, Clone, PartialEq)]
pub struct NotGenuine {
    pub failure: Failure,
    pub number: Option<String>,
    /// The detail `documents` (or the server) gave, in both languages.
    pub detail: Option<Event>,
}

impl NotGenuine {
    /// A failure without number or detail.
    pub fn plain(failure: Failure) -> NotGenuine {
        NotGenuine {
            failure,
            number: None,
            detail: None,
        }
    }
}

/// The answer of a check.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Genuine(Genuine),
    NotGenuine(NotGenuine),
}

/// One thing that happened to a document, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub zh: String,
    pub en: String,
}

impl Event {
    /// The reason a document was voided, labelled.
    pub fn void_reason(reason: &str) -> Event {
        Event {
            zh: format!("作废原因：{reason}"),
            en: format!("Reason for voiding: {reason}"),
        }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        lang.pick(&self.zh, &self.en).to_owned()
    }
}

/// What is known of a genuine document's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Looked up now (a signed-in holder who may see it).
    Now { status: Status, history: Vec<Event> },
    /// Offline: as last looked up on this computer, at `at` (RFC 3339).
    AsOf { status: Status, at: String },
    /// Online, but the session may not see it (anonymous).
    Hidden,
    /// Offline and never looked up here.
    Unknown,
    /// Nothing to say of a status (the content is not genuine in itself, or nothing was
    /// checked).
    NotApplicable,
}

/// `GET` path of the server's signed audit head.
pub const AUDIT_HEAD_PATH: &str = protocol::documents::AUDIT_HEAD_PATH;

/// The head an audit chain was checked against, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadShown {
    pub sequence: u64,
    pub hash: String,
    /// RFC 3339.
    pub time: String,
}

/// The first broken entry of a chain (or what else failed), in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The entry's sequence number, when one entry is at fault.
    pub sequence: Option<u64>,
    pub zh: String,
    pub en: String,
}

impl Broken {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        lang.pick(&self.zh, &self.en).to_owned()
    }
}

/// The outcome of an audit check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries read from the chain file.
    pub entries: usize,
    /// The head, when it could be read.
    pub head: Option<HeadShown>,
    /// `None` when every link, the signature and the head hold.
    pub broken: Option<Broken>,
}

/// The answer of `GET /api/document-keys`, read as `documents`' keys.
#[derive(Deserialize)]
struct Keys {
    keys: Vec<documents::key::PublishedKey>,
}

fn read_keys(json: &str) -> Option<Vec<documents::key::PublishedKey>> {
    serde_json::from_str::<Keys>(json).ok().map(|k| k.keys)
}

/// Whether `json` reads as published keys (only such an answer is kept).
pub fn keys_are_readable(json: &str) -> bool {
    read_keys(json).is_some()
}

/// Verifies QR content on this computer against the published keys in `keys_json`.
pub fn verify_qr(content: &str, keys_json: &str) -> Verdict {
    let Some(keys) = read_keys(keys_json).filter(|k| !k.is_empty()) else {
        return Verdict::NotGenuine(NotGenuine::plain(Failure::NoKeys));
    };
    match qr::verify(content, &keys) {
        qr::Verdict::Genuine { document, key } => Verdict::Genuine(Genuine {
            number: document.form.number.to_string(),
            form: Some(document.form),
            key_id: Some(key.key_id.to_string()),
        }),
        qr::Verdict::NotGenuine { failure, number } => Verdict::NotGenuine(NotGenuine {
            failure: Failure::from_code(failure.code(), content),
            number,
            detail: Some(Event {
                zh: failure.message_zh(),
                en: failure.message_en(),
            }),
        }),
    }
}

/// `GET /api/documents/check?number=…`: the server's answer on a document number (a
/// holder whose scope covers the unit also gets its status and what happened).
pub async fn look_up(number: &str) -> Result<DocumentCheck, api::ApiError> {
    let path = format!(
        "{}?number={}",
        protocol::documents::DOCUMENT_CHECK_PATH,
        String::from(js_sys::encode_uri_component(number))
    );
    let text = api::get_text(&path).await?;
    serde_json::from_str(&text).map_err(|_| api::ApiError::Network)
}

/// The verdict of the server on a number alone.
pub fn number_verdict(check: &DocumentCheck, number: &str) -> Verdict {
    if check.genuine {
        Verdict::Genuine(Genuine {
            number: check.number.clone().unwrap_or_else(|| number.to_owned()),
            form: check
                .detail
                .as_ref()
                .and_then(|d| DocumentForm::from_signed_bytes(d.signed.document.as_bytes()).ok()),
            key_id: check.detail.as_ref().map(|d| d.signed.key_id.clone()),
        })
    } else {
        Verdict::NotGenuine(NotGenuine {
            failure: Failure::from_code(&check.code, ""),
            number: check.number.clone().or_else(|| Some(number.to_owned())),
            detail: void_reason(check).map(|r| Event {
                zh: r.clone(),
                en: r,
            }),
        })
    }
}

/// The reason a voided document was voided (when the session may see it).
pub fn void_reason(check: &DocumentCheck) -> Option<String> {
    check.detail.as_ref()?.signed.void_reason.clone()
}

/// What the server's answer says of the status; kept on this computer for offline use when
/// the session may see it.
pub fn seen(check: &DocumentCheck) -> Seen {
    let Some(detail) = &check.detail else {
        return Seen::Hidden;
    };
    let Some(status) = Status::from_code(&detail.signed.status) else {
        return Seen::Hidden;
    };
    remember(&detail.signed.number, status);
    Seen::Now {
        status,
        history: detail.events.iter().map(event).collect(),
    }
}

/// A document's status as last seen on this computer: written here when the server showed it,
/// and by the main app's pull (`app::sync::pull::DOCUMENT_STATUS`) for its scope's documents.
const STATUS_KEY: &str = "staffing.verify.status.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn remember(number: &str, status: Status) {
    if let Some(storage) = storage() {
        let at = String::from(js_sys::Date::new_0().to_iso_string());
        let _ = storage.set_item(
            &format!("{STATUS_KEY}{number}"),
            &format!("{} {at}", status.code()),
        );
    }
}

/// The status last seen here for `number` (offline), with when.
pub fn last_seen(number: &str) -> Seen {
    let kept = storage().and_then(|s| s.get_item(&format!("{STATUS_KEY}{number}")).ok().flatten());
    let Some((code, at)) = kept.as_deref().and_then(|k| k.split_once(' ')) else {
        return Seen::Unknown;
    };
    match Status::from_code(code) {
        Some(status) => Seen::AsOf {
            status,
            at: at.to_owned(),
        },
        None => Seen::Unknown,
    }
}

/// One event of the server's history in both languages.
fn event(e: &DocumentEvent) -> Event {
    let at = crate::keys::beijing_time(&e.at);
    let by =
        e.by.as_deref()
            .map(|b| format!("（{b}）"))
            .unwrap_or_default();
    let by_en =
        e.by.as_deref()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default();
    let number = e.number.clone().unwrap_or_default();
    let note = e.note.clone().unwrap_or_default();
    let (zh, en) = match e.what.as_str() {
        "issued" => (format!("{at} 签发{by}"), format!("{at} issued{by_en}")),
        "used" => (
            format!("{at} 使用一名编制（{number}）"),
            format!("{at} one post used ({number})"),
        ),
        "lapsed" => (
            format!("{at} 有效期届满，未使用的编制已释放"),
            format!("{at} lapsed: its unused posts released"),
        ),
        "void" => (
            format!("{at} 作废{by}：{note}"),
            format!("{at} voided{by_en}: {note}"),
        ),
        other => (format!("{at} {other}"), format!("{at} {other}")),
    };
    Event { zh, en }
}

/// The particulars of a signed document, labelled, in `lang`.
pub fn particulars(form: &DocumentForm, lang: Lang) -> Vec<(Msg, String)> {
    let mut rows = vec![
        (
            Msg::FieldKind,
            lang.pick(form.kind.label_zh(), form.kind.label_en())
                .to_owned(),
        ),
        (Msg::FieldBureau, bureau_name(form.bureau, lang)),
        (Msg::FieldIssuedOn, form.issued_on.to_string()),
        (
            Msg::FieldUnit,
            format!("{}（{}）", form.unit_name, form.unit),
        ),
    ];
    let mut category = lang
        .pick(form.category.label_zh(), form.category.label_en())
        .to_owned();
    if let Some(funding) = form.funding_form {
        category.push_str(" · ");
        category.push_str(lang.pick(funding.label_zh(), funding.label_en()));
    }
    rows.push((Msg::FieldCategory, category));
    if let Some(count) = form.count {
        rows.push((Msg::FieldCount, count.to_string()));
    }
    if let Some(person) = &form.person {
        rows.push((Msg::FieldName, person.name.to_string()));
        rows.push((Msg::FieldIdNumber, person.id_number.clone()));
    }
    if let Some(slip) = &form.slip_number {
        rows.push((Msg::FieldSlip, slip.to_string()));
    }
    if let Some(valid_until) = form.valid_until {
        rows.push((Msg::FieldValidUntil, valid_until.to_string()));
    }
    rows.push((Msg::FieldDecision, form.decision.to_string()));
    rows
}

fn bureau_name(bureau: domain::Bureau, lang: Lang) -> String {
    match lang {
        Lang::Zh => bureau.name_zh(),
        Lang::En => format!("Staffing bureau of {}", bureau.region().label_en()),
    }
}

/// Checks an exported audit chain (`server export-audit`) against a signed head — the one in
/// `head_text` (a file, or `GET /api/audit/head`), else the head the export carries — with
/// the published keys in `keys_json`.
pub fn verify_audit(chain_text: &str, head_text: Option<&str>, keys_json: &str) -> AuditReport {
    use documents::audit::{self, AuditExport, SignedAuditHead};
    let broken = |zh: String, en: String| Broken {
        sequence: None,
        zh,
        en,
    };
    let Ok(export) = serde_json::from_str::<AuditExport>(chain_text) else {
        return AuditReport {
            entries: 0,
            head: None,
            broken: Some(broken(
                "审计日志文件无法识别：不是 server export-audit 导出的文件".into(),
                "The audit chain file is not recognised: not written by server export-audit".into(),
            )),
        };
    };
    let entries = export.entries.len();
    let head = match head_text.map(serde_json::from_str::<SignedAuditHead>) {
        None => export.head.clone(),
        Some(Ok(head)) => head,
        Some(Err(_)) => {
            return AuditReport {
                entries,
                head: None,
                broken: Some(broken(
                    "日志头文件无法识别".into(),
                    "The head file is not recognised".into(),
                )),
            };
        }
    };
    let shown = HeadShown {
        sequence: u64::try_from(head.seq).unwrap_or_default(),
        hash: head.hash.clone(),
        time: head.at.to_string(),
    };
    let keys = read_keys(keys_json).unwrap_or_default();
    let failed = match audit::verify_export(&export, Some(&head), &keys) {
        audit::AuditReport::Intact { .. } => None,
        audit::AuditReport::HeadNotGenuine { failure } => Some(broken(
            format!("日志头的签名未通过核验：{}", failure.message_zh()),
            format!(
                "The head's signature does not verify: {}",
                failure.message_en()
            ),
        )),
        audit::AuditReport::Broken(entry) => Some(Broken {
            sequence: u64::try_from(entry.seq).ok(),
            zh: format!("第 {} 条：{}", entry.seq, entry.reason.message_zh()),
            en: format!("entry {}: {}", entry.seq, entry.reason.message_en()),
        }),
        audit::AuditReport::UnknownFormat => Some(broken(
            "审计日志文件的格式或版本无法识别".into(),
            "The audit chain file's format or version is not recognised".into(),
        )),
    };
    AuditReport {
        entries,
        head: Some(shown),
        broken: failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use documents::{DocumentSigningKey, SignedDocument};
    use domain::{Bureau, Timestamp};

    const SLIP: &str = "{\"bureau\":\"tianshui\",\"category\":\"administrative\",\"count\":2,\
        \"decision\":\"d-1\",\"issued_on\":\"2026-05-01\",\"kind\":\"quota_use_slip\",\
        \"number\":\"天编用〔2026〕0012号\",\"tag\":\"dzbzglz.document\",\"unit\":\"620502-0001\",\
        \"unit_name\":\"秦州区教育局\",\"valid_until\":\"2026-07-30\",\"version\":1}";

    fn key(secret: u8) -> DocumentSigningKey {
        DocumentSigningKey::from_secret(Bureau::CITY, &[secret; 32]).unwrap()
    }

    fn signed(secret: u8) -> String {
        let form = DocumentForm::from_signed_bytes(SLIP.as_bytes()).unwrap();
        SignedDocument::sign(form, &key(secret))
            .unwrap()
            .qr_content()
    }

    fn keys_json() -> String {
        let created = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
        let published = key(7).publish(created);
        format!(
            "{{\"keys\":[{}]}}",
            serde_json::to_string(&published).unwrap()
        )
    }

    fn failure(content: &str) -> Failure {
        match verify_qr(content, &keys_json()) {
            Verdict::NotGenuine(not) => not.failure,
            Verdict::Genuine(g) => panic!("genuine: {g:?}"),
        }
    }

    #[test]
    fn a_genuine_slip_shows_its_particulars_in_both_languages() {
        let Verdict::Genuine(genuine) = verify_qr(&signed(7), &keys_json()) else {
            panic!("not genuine");
        };
        assert_eq!(genuine.number, "天编用〔2026〕0012号");
        let form = genuine.form.unwrap();
        let zh = particulars(&form, Lang::Zh);
        assert!(
            zh.contains(&(Msg::FieldBureau, "天水市机构编制委员会办公室".into())),
            "{zh:?}"
        );
        assert!(zh.contains(&(Msg::FieldCount, "2".into())), "{zh:?}");
        let en = particulars(&form, Lang::En);
        assert!(
            en.iter()
                .any(|(m, v)| *m == Msg::FieldKind && v == "quota-use slip"),
            "{en:?}"
        );
    }

    #[test]
    fn what_failed_is_named() {
        let content = signed(7);
        let parts: Vec<&str> = content.split('.').collect();
        let altered = SLIP.replace("\"count\":2", "\"count\":3");
        let altered = format!(
            "DZ1.{}.{}.{}",
            domain::canonical::base64url(altered.as_bytes()),
            parts[2],
            parts[3]
        );
        assert_eq!(failure(&altered), Failure::BadSignature);
        assert_eq!(failure(&content[..content.len() - 40]), Failure::Truncated);
        assert_eq!(failure(&signed(9)), Failure::ForeignKey);
        assert_eq!(failure("https://example.com/"), Failure::UnknownFormat);
        let not_canonical = format!(
            "DZ1.{}.{}.{}",
            domain::canonical::base64url(SLIP.replacen(':', ": ", 1).as_bytes()),
            parts[2],
            parts[3]
        );
        assert_eq!(failure(&not_canonical), Failure::Altered);
        assert!(matches!(
            verify_qr(&content, "{\"keys\":[]}"),
            Verdict::NotGenuine(NotGenuine {
                failure: Failure::NoKeys,
                ..
            })
        ));
    }

    #[test]
    fn a_number_is_told_from_qr_content() {
        assert_eq!(
            classify(" 天编用〔2026〕0012号\n"),
            Input::Number("天编用〔2026〕0012号".into())
        );
        assert!(matches!(classify(&signed(7)), Input::Qr(_)));
        assert!(matches!(classify("random text"), Input::Qr(_)));
    }
}
