//! The signed act (签名管理文书): what a bureau administrator's key signs to change
//! authoritative data — establishment (核编/调编/减编), units (create, amend, merge, abolish),
//! leadership posts — and what a clerk or the bureau signs in the data-verification phase
//! (roster import, confirmations).
//!
//! It works like the signed application ([`crate::envelope`]) and decision
//! ([`crate::decision`]): canonical bytes (RFC 8785), `challenge = SHA-256(bytes)`, its own tag
//! [`ACT_TAG`] so that no other signed document counts as an act. The payload is read by its
//! kind ([`ActPayload::from_value`]); the rules that need no database are here
//! ([`check_ledger_after`], [`check_merge`], [`check_abolish`], [`leadership_flags`]).
//!
//! Wire form (keys in canonical order):
//! `{"act_id":…,"created_at":"2026-…Z","credential_id":…,"kind":"establishment_change",
//! "payload":{…},"signer":…,"tag":"dzbzglz.act","version":1}`

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::canonical::{self, CanonicalError};
use crate::date::{Date, Timestamp};
use crate::document_number::DocumentNumber;
use crate::envelope::TimeWindow;
use crate::establishment::EstablishmentCategory;
use crate::headcount::Headcount;
use crate::ids::{CredentialId, DecisionId, Name, UnitId, UserId};
use crate::ledger::{LedgerRow, UnitLedger};
use crate::unit::{InstitutionCategory, LeadershipLevel, LeadershipPosts, UnitLevel, UnitRecord};

/// The tag every act carries.
pub const ACT_TAG: &str = "dzbzglz.act";
/// The act schema version this crate writes and reads.
pub const ACT_VERSION: u32 = 1;

/// The tag field: serialises as [`ACT_TAG`] and refuses anything else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ActTag;

impl Serialize for ActTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(ACT_TAG)
    }
}

impl<'de> Deserialize<'de> for ActTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == ACT_TAG {
            Ok(ActTag)
        } else {
            Err(serde::de::Error::custom(format!("unknown act tag {s:?}")))
        }
    }
}

labelled_enum! {
    /// What an act does.
    pub enum ActKind {
        /// A new ledger row for one unit (核编 / 减编).
        EstablishmentChange => "establishment_change", "编制核定（核编/减编）", "establishment change";
        /// Posts moved from one unit to another in one document (调编).
        EstablishmentTransfer => "establishment_transfer", "编制调整（调编）", "establishment transfer";
        /// A new unit (设立).
        UnitCreate => "unit_create", "设立单位", "create a unit";
        /// Rename, level, institution category, supervising department.
        UnitAmend => "unit_amend", "单位信息调整", "amend a unit";
        /// Two units merged: staff and ledger carried over, the absorbed unit removed.
        UnitMerge => "unit_merge", "单位合并", "merge units";
        /// A unit abolished (only without staff or reservations).
        UnitAbolish => "unit_abolish", "撤销单位", "abolish a unit";
        /// Leadership posts approved per level (领导职数核定).
        LeadershipPosts => "leadership_posts", "领导职数核定", "leadership posts";
        /// A checked roster file imported (数据核实：导入).
        RosterImport => "roster_import", "实名制数据导入", "roster import";
        /// The unit's clerk or the bureau confirms the certificate (数据核实：确认).
        VerificationConfirm => "verification_confirm", "数据核实确认", "verification confirmation";
    }
}

/// An act as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedAct {
    /// Always [`ACT_TAG`].
    pub tag: ActTag,
    /// Schema version.
    pub version: u32,
    /// 文书标识, chosen by the client (used once).
    pub act_id: DecisionId,
    /// 签名人.
    pub signer: UserId,
    /// The WebAuthn credential that signs.
    pub credential_id: CredentialId,
    /// What it does.
    pub kind: ActKind,
    /// When the client created it (UTC).
    pub created_at: Timestamp,
    /// The kind's payload.
    pub payload: Value,
}

/// The document an act rests on (文号, date, title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActDocument {
    /// 文号.
    pub number: DocumentNumber,
    /// 发文日期.
    pub date: Date,
    /// 文件标题.
    pub title: String,
}

/// 核编 / 减编: one ledger row for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstablishmentChange {
    pub unit: UnitId,
    pub row: LedgerRow,
    /// The document records that the unit is left over establishment (then flagged).
    #[serde(default)]
    pub over_establishment: bool,
}

/// 调编: posts moved between two units in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstablishmentTransfer {
    pub from: UnitId,
    pub to: UnitId,
    pub document: ActDocument,
    /// Posts moved per category.
    pub posts: BTreeMap<EstablishmentCategory, Headcount>,
    pub note: Option<String>,
    #[serde(default)]
    pub over_establishment: bool,
}

/// 设立: a new unit with its record; its ledger starts empty (核编 follows by its own act).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitCreate {
    pub record: UnitRecord,
    pub document: ActDocument,
}

/// A unit's record amended by document: each field given is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitAmend {
    pub unit: UnitId,
    pub document: ActDocument,
    #[serde(default)]
    pub name: Option<Name>,
    #[serde(default)]
    pub level: Option<UnitLevel>,
    #[serde(default)]
    pub institution_category: Option<InstitutionCategory>,
    /// `Some(None)` is written `"supervising_department": null` and clears it.
    #[serde(default, with = "double_option")]
    pub supervising_department: Option<Option<UnitId>>,
}

/// Merger: `absorbed` disappears; its staff, departed staff and ledger (each category's
/// approved posts as one row, filled and reserved) go to `into`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitMerge {
    pub absorbed: UnitId,
    pub into: UnitId,
    pub document: ActDocument,
}

/// 撤销.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitAbolish {
    pub unit: UnitId,
    pub document: ActDocument,
}

/// 领导职数核定: the approved posts of each level named (levels not named keep theirs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadershipPostsChange {
    pub unit: UnitId,
    pub document: ActDocument,
    pub approved: BTreeMap<LeadershipLevel, Headcount>,
}

/// 导入: the rows of an upload the server checked, named by its id and the digest its report
/// gave (`digest_all` for a clean file, `digest_valid` for only the valid rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterImport {
    pub unit: UnitId,
    pub upload_id: String,
    /// hex SHA-256 of the canonical JSON of the rows imported.
    pub digest: String,
    /// How many rows that is.
    pub rows: u32,
    /// `true`: only the rows without errors (the others left out on purpose).
    #[serde(default)]
    pub valid_only: bool,
}

/// Who confirms in the verification phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmStage {
    /// The unit's clerk (单位确认).
    Unit,
    /// The bureau (编办确认).
    Bureau,
}

/// 数据核实确认: the certificate as seen, by its staff count and a digest of its people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationConfirm {
    pub unit: UnitId,
    pub stage: ConfirmStage,
    /// The staff count the signer saw.
    pub staff: u32,
}

/// The typed payload of an act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActPayload {
    EstablishmentChange(EstablishmentChange),
    EstablishmentTransfer(EstablishmentTransfer),
    UnitCreate(Box<UnitCreate>),
    UnitAmend(UnitAmend),
    UnitMerge(UnitMerge),
    UnitAbolish(UnitAbolish),
    LeadershipPosts(LeadershipPostsChange),
    RosterImport(RosterImport),
    VerificationConfirm(VerificationConfirm),
}

impl ActPayload {
    /// Its kind.
    pub fn kind(&self) -> ActKind {
        match self {
            Self::EstablishmentChange(_) => ActKind::EstablishmentChange,
            Self::EstablishmentTransfer(_) => ActKind::EstablishmentTransfer,
            Self::UnitCreate(_) => ActKind::UnitCreate,
            Self::UnitAmend(_) => ActKind::UnitAmend,
            Self::UnitMerge(_) => ActKind::UnitMerge,
            Self::UnitAbolish(_) => ActKind::UnitAbolish,
            Self::LeadershipPosts(_) => ActKind::LeadershipPosts,
            Self::RosterImport(_) => ActKind::RosterImport,
            Self::VerificationConfirm(_) => ActKind::VerificationConfirm,
        }
    }

    /// Reads `value` as the payload of `kind`.
    pub fn from_value(kind: ActKind, value: &Value) -> Result<ActPayload, serde_json::Error> {
        use serde_json::from_value as read;
        let v = value.clone();
        Ok(match kind {
            ActKind::EstablishmentChange => Self::EstablishmentChange(read(v)?),
            ActKind::EstablishmentTransfer => Self::EstablishmentTransfer(read(v)?),
            ActKind::UnitCreate => Self::UnitCreate(Box::new(read(v)?)),
            ActKind::UnitAmend => Self::UnitAmend(read(v)?),
            ActKind::UnitMerge => Self::UnitMerge(read(v)?),
            ActKind::UnitAbolish => Self::UnitAbolish(read(v)?),
            ActKind::LeadershipPosts => Self::LeadershipPosts(read(v)?),
            ActKind::RosterImport => Self::RosterImport(read(v)?),
            ActKind::VerificationConfirm => Self::VerificationConfirm(read(v)?),
        })
    }

    /// The payload as JSON.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        match self {
            Self::EstablishmentChange(p) => serde_json::to_value(p),
            Self::EstablishmentTransfer(p) => serde_json::to_value(p),
            Self::UnitCreate(p) => serde_json::to_value(p),
            Self::UnitAmend(p) => serde_json::to_value(p),
            Self::UnitMerge(p) => serde_json::to_value(p),
            Self::UnitAbolish(p) => serde_json::to_value(p),
            Self::LeadershipPosts(p) => serde_json::to_value(p),
            Self::RosterImport(p) => serde_json::to_value(p),
            Self::VerificationConfirm(p) => serde_json::to_value(p),
        }
    }

    /// The units the act is about (the first is the one its scope check uses; a unit to be
    /// created is not listed).
    pub fn units(&self) -> Vec<&UnitId> {
        match self {
            Self::EstablishmentChange(p) => vec![&p.unit],
            Self::EstablishmentTransfer(p) => vec![&p.from, &p.to],
            Self::UnitCreate(_) => Vec::new(),
            Self::UnitAmend(p) => vec![&p.unit],
            Self::UnitMerge(p) => vec![&p.into, &p.absorbed],
            Self::UnitAbolish(p) => vec![&p.unit],
            Self::LeadershipPosts(p) => vec![&p.unit],
            Self::RosterImport(p) => vec![&p.unit],
            Self::VerificationConfirm(p) => vec![&p.unit],
        }
    }
}

/// Why act bytes, or an act, were refused by the rules of this module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActError {
    /// Not JSON, or fields missing, unknown or invalid (including the tag).
    #[error("malformed act: {0}")]
    Malformed(String),
    /// A version this build does not know.
    #[error("unknown act version {0}")]
    UnknownVersion(u32),
    /// The bytes are not in canonical form.
    #[error("act bytes are not canonical")]
    NotCanonical,
    /// No canonical form exists.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
    /// The payload does not fit the kind.
    #[error("payload does not match kind {kind}: {detail}")]
    Payload { kind: ActKind, detail: String },
    /// The change would leave `filled + reserved > approved` in a category, and the document
    /// does not record over-establishment.
    #[error("{unit}: {category} would have {approved} approved for {used} filled or reserved")]
    OverEstablishment {
        unit: UnitId,
        category: EstablishmentCategory,
        approved: Headcount,
        used: u64,
    },
    /// An approved figure would go below zero.
    #[error("{unit}: {category} would go below zero")]
    NegativeApproved {
        unit: UnitId,
        category: EstablishmentCategory,
    },
    /// A merger of a unit with itself, or a transfer to itself.
    #[error("the two units are the same")]
    SameUnit,
    /// Abolishing a unit that still has staff or reserved posts.
    #[error("{unit} still has {staff} staff and {reserved} reserved posts")]
    NotEmpty {
        unit: UnitId,
        staff: usize,
        reserved: u64,
    },
    /// An amendment that changes nothing.
    #[error("the amendment changes nothing")]
    NothingChanged,
    /// A merger of a unit whose posts are still reserved by open slips (use or release first).
    #[error("{unit} still has {reserved} reserved posts")]
    ReservationsRemain { unit: UnitId, reserved: u64 },
}

impl ActError {
    /// The field the refusal is about (its code), for the refusal's message.
    pub fn field(&self) -> &'static str {
        match self {
            Self::OverEstablishment { .. } | Self::NegativeApproved { .. } => "changes",
            Self::SameUnit => "unit",
            Self::NotEmpty { .. } | Self::ReservationsRemain { .. } => "unit",
            Self::NothingChanged => "changes",
            _ => "payload",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Malformed(d) => format!("文书数据格式错误：{d}"),
            Self::UnknownVersion(v) => format!("文书数据版本{v}无法识别，请更新客户端"),
            Self::NotCanonical => "文书数据不是规范格式，签名无法核验".to_owned(),
            Self::Canonical(e) => format!("文书数据无法规范化：{e}"),
            Self::Payload { kind, detail } => format!("{}内容有误：{detail}", kind.label_zh()),
            Self::OverEstablishment {
                unit,
                category,
                approved,
                used,
            } => format!(
                "编制增减（changes）：单位{unit}的{}将核定{approved}名，实有加已核准未使用{used}名，超出核定数；如确需超编，须在文书中注明超编（over_establishment）",
                category.label_zh()
            ),
            Self::NegativeApproved { unit, category } => {
                format!(
                    "编制增减（changes）：单位{unit}的{}核定数不能小于零",
                    category.label_zh()
                )
            }
            Self::SameUnit => "单位：两个单位不能相同".to_owned(),
            Self::NotEmpty {
                unit,
                staff,
                reserved,
            } => {
                format!("单位：{unit}尚有在编人员{staff}名、已核准未使用编制{reserved}名，不能撤销")
            }
            Self::NothingChanged => "变更事项：未变更任何内容".to_owned(),
            Self::ReservationsRemain { unit, reserved } => format!(
                "被合并单位：{unit}尚有已核准未使用编制{reserved}名（编制使用单未用完），须先使用或收回"
            ),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Malformed(d) => format!("the act is malformed: {d}"),
            Self::UnknownVersion(v) => format!("act version {v} is unknown; update the client"),
            Self::NotCanonical => "the act is not in canonical form".to_owned(),
            Self::Canonical(e) => format!("the act has no canonical form: {e}"),
            Self::Payload { kind, detail } => {
                format!("the {} act is invalid: {detail}", kind.label_en())
            }
            Self::OverEstablishment {
                unit,
                category,
                approved,
                used,
            } => format!(
                "changes: unit {unit} would have {approved} approved {} posts for {used} filled or reserved; record over-establishment in the document (over_establishment) if intended",
                category.label_en()
            ),
            Self::NegativeApproved { unit, category } => format!(
                "changes: unit {unit}'s approved {} posts cannot go below zero",
                category.label_en()
            ),
            Self::SameUnit => "unit: the two units must differ".to_owned(),
            Self::NotEmpty {
                unit,
                staff,
                reserved,
            } => format!(
                "unit: {unit} still has {staff} staff and {reserved} reserved posts and cannot be abolished"
            ),
            Self::NothingChanged => "changes: the amendment changes nothing".to_owned(),
            Self::ReservationsRemain { unit, reserved } => format!(
                "absorbed unit: {unit} still has {reserved} posts reserved by open slips; use or release them first"
            ),
        }
    }
}

impl SignedAct {
    /// A current-version act around a typed payload.
    pub fn new(
        act_id: DecisionId,
        signer: UserId,
        credential_id: CredentialId,
        created_at: Timestamp,
        payload: &ActPayload,
    ) -> Result<SignedAct, ActError> {
        let value = payload.to_value().map_err(|e| ActError::Payload {
            kind: payload.kind(),
            detail: e.to_string(),
        })?;
        Ok(SignedAct {
            tag: ActTag,
            version: ACT_VERSION,
            act_id,
            signer,
            credential_id,
            kind: payload.kind(),
            created_at,
            payload: value,
        })
    }

    /// The canonical bytes (RFC 8785) the key signs the hash of.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, ActError> {
        let value = serde_json::to_value(self).map_err(|e| ActError::Malformed(e.to_string()))?;
        Ok(canonical::canonicalize(&value)?)
    }

    /// Reads act bytes as received: canonical, known tag and version. Returns the act and
    /// `SHA-256(bytes)`.
    pub fn from_signed_bytes(bytes: &[u8]) -> Result<(SignedAct, [u8; 32]), ActError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| ActError::Malformed(e.to_string()))?;
        if let Some(v) = value.get("version").and_then(Value::as_u64)
            && v != u64::from(ACT_VERSION)
        {
            return Err(ActError::UnknownVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        if canonical::canonicalize(&value)? != bytes {
            return Err(ActError::NotCanonical);
        }
        let act: SignedAct =
            serde_json::from_value(value).map_err(|e| ActError::Malformed(e.to_string()))?;
        Ok((act, canonical::sha256(bytes)))
    }

    /// Checks `created_at` against the server's clock.
    pub fn check_created_at(
        &self,
        now: Timestamp,
        window: TimeWindow,
    ) -> Result<(), crate::envelope::EnvelopeError> {
        window.check(self.created_at, now)
    }

    /// The typed payload.
    pub fn decode_payload(&self) -> Result<ActPayload, ActError> {
        ActPayload::from_value(self.kind, &self.payload).map_err(|e| ActError::Payload {
            kind: self.kind,
            detail: e.to_string(),
        })
    }
}

/// The establishment rule after a change: every category keeps `filled + reserved <=
/// approved`, unless the document records over-establishment — then the categories over are
/// returned, to be flagged.
pub fn check_ledger_after(
    unit: &UnitId,
    ledger: &UnitLedger,
    over_allowed: bool,
) -> Result<Vec<EstablishmentCategory>, ActError> {
    let mut over = Vec::new();
    for category in EstablishmentCategory::ALL {
        let f = ledger.figures(*category);
        if !f.holds_invariant() {
            if !over_allowed {
                return Err(ActError::OverEstablishment {
                    unit: unit.clone(),
                    category: *category,
                    approved: f.approved,
                    used: u64::from(f.filled.get()) + u64::from(f.reserved.get()),
                });
            }
            over.push(*category);
        }
    }
    Ok(over)
}

/// Adds `row` to `ledger` and checks the establishment rule ([`check_ledger_after`]).
pub fn apply_row(
    unit: &UnitId,
    ledger: &mut UnitLedger,
    row: LedgerRow,
    over_allowed: bool,
) -> Result<Vec<EstablishmentCategory>, ActError> {
    ledger.add_row(row).map_err(|e| match e {
        crate::ledger::LedgerError::NegativeApproved { category, .. } => {
            ActError::NegativeApproved {
                unit: unit.clone(),
                category,
            }
        }
        other => ActError::Payload {
            kind: ActKind::EstablishmentChange,
            detail: other.to_string(),
        },
    })?;
    check_ledger_after(unit, ledger, over_allowed)
}

/// The two ledger rows of a transfer: minus on `from`, plus on `to`.
pub fn transfer_rows(t: &EstablishmentTransfer) -> (LedgerRow, LedgerRow) {
    let row = |sign: i32| LedgerRow {
        document: t.document.number.clone(),
        date: t.document.date,
        title: t.document.title.clone(),
        changes: t
            .posts
            .iter()
            .filter_map(|(c, n)| {
                i32::try_from(n.get())
                    .ok()
                    .map(|n| (*c, crate::headcount::HeadcountDelta::new(sign * n)))
            })
            .collect(),
        note: t.note.clone(),
    };
    (row(-1), row(1))
}

/// A merger's rules that need no database: two different units.
pub fn check_merge(m: &UnitMerge) -> Result<(), ActError> {
    if m.absorbed == m.into {
        return Err(ActError::SameUnit);
    }
    Ok(())
}

/// The total reserved posts of a ledger.
pub fn reserved_total(ledger: &UnitLedger) -> u64 {
    EstablishmentCategory::ALL
        .iter()
        .map(|c| u64::from(ledger.figures(*c).reserved.get()))
        .sum()
}

/// A merger: the absorbed unit may have no reserved posts; returns the ledger rows of the two
/// units (the absorbed one's approved posts leave it and join the other) and the figures of
/// `into` after it, with the categories left over establishment (flagged, never refused: a
/// merger creates no post).
pub fn merge_ledgers(
    m: &UnitMerge,
    absorbed: &UnitLedger,
    into: &UnitLedger,
) -> Result<(LedgerRow, LedgerRow, UnitLedger, Vec<EstablishmentCategory>), ActError> {
    check_merge(m)?;
    let reserved = reserved_total(absorbed);
    if reserved > 0 {
        return Err(ActError::ReservationsRemain {
            unit: m.absorbed.clone(),
            reserved,
        });
    }
    let mut out = BTreeMap::new();
    let mut inward = BTreeMap::new();
    for category in EstablishmentCategory::ALL {
        let n = i32::try_from(absorbed.figures(*category).approved.get()).unwrap_or(i32::MAX);
        if n > 0 {
            out.insert(*category, crate::headcount::HeadcountDelta::new(-n));
            inward.insert(*category, crate::headcount::HeadcountDelta::new(n));
        }
    }
    let row = |changes| LedgerRow {
        document: m.document.number.clone(),
        date: m.document.date,
        title: m.document.title.clone(),
        changes,
        note: None,
    };
    let (row_out, row_in) = (row(out), row(inward));
    let mut rows = into.rows().to_vec();
    rows.push(row_in.clone());
    let mut filled = BTreeMap::new();
    let mut reserved = BTreeMap::new();
    for category in EstablishmentCategory::ALL {
        let a = absorbed.figures(*category);
        let b = into.figures(*category);
        filled.insert(
            *category,
            Headcount::new(a.filled.get().saturating_add(b.filled.get())),
        );
        reserved.insert(*category, b.reserved);
    }
    let after = UnitLedger::from_parts(rows, filled, reserved).map_err(|e| ActError::Payload {
        kind: ActKind::UnitMerge,
        detail: e.to_string(),
    })?;
    let over = check_ledger_after(&m.into, &after, true)?;
    Ok((row_out, row_in, after, over))
}

/// Abolition: no staff and no reserved post remain.
pub fn check_abolish(unit: &UnitId, staff: usize, ledger: &UnitLedger) -> Result<(), ActError> {
    let reserved: u64 = EstablishmentCategory::ALL
        .iter()
        .map(|c| u64::from(ledger.figures(*c).reserved.get()))
        .sum();
    if staff > 0 || reserved > 0 {
        return Err(ActError::NotEmpty {
            unit: unit.clone(),
            staff,
            reserved,
        });
    }
    Ok(())
}

/// The leadership posts after a change: each level named gets its approved figure (filled as
/// before, a new level 0); returns the posts and the levels filled beyond approved (flagged).
pub fn leadership_after(
    posts: &[LeadershipPosts],
    approved: &BTreeMap<LeadershipLevel, Headcount>,
) -> (Vec<LeadershipPosts>, Vec<LeadershipLevel>) {
    let mut out: Vec<LeadershipPosts> = posts.to_vec();
    for (level, n) in approved {
        match out.iter_mut().find(|p| p.level == *level) {
            Some(p) => p.approved = *n,
            None => out.push(LeadershipPosts {
                level: *level,
                approved: *n,
                filled: Headcount::default(),
            }),
        }
    }
    let over = leadership_flags(&out);
    (out, over)
}

/// The levels filled beyond their approved posts (超职数配备).
pub fn leadership_flags(posts: &[LeadershipPosts]) -> Vec<LeadershipLevel> {
    posts
        .iter()
        .filter(|p| !p.over().is_zero())
        .map(|p| p.level)
        .collect()
}

/// Applies an amendment to a record; refused when nothing changes.
pub fn amend(record: &UnitRecord, a: &UnitAmend) -> Result<UnitRecord, ActError> {
    let mut next = record.clone();
    if let Some(name) = &a.name {
        next.name = name.clone();
    }
    if let Some(level) = a.level {
        next.level = level;
    }
    if let Some(category) = a.institution_category {
        next.institution_category = Some(category);
    }
    if let Some(department) = &a.supervising_department {
        next.supervising_department = department.clone();
    }
    if next == *record {
        return Err(ActError::NothingChanged);
    }
    next.check().map_err(|e| ActError::Payload {
        kind: ActKind::UnitAmend,
        detail: e.message_zh(),
    })?;
    Ok(next)
}

/// `Option<Option<T>>` where an absent field is `None` and `null` is `Some(None)`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headcount::HeadcountDelta;

    fn unit() -> UnitId {
        UnitId::parse("620502-0001").unwrap()
    }

    fn row(n: i32) -> LedgerRow {
        LedgerRow {
            document: DocumentNumber::parse("天编发〔2026〕3号").unwrap(),
            date: Date::parse("2026-05-01").unwrap(),
            title: "关于核定编制的通知".into(),
            changes: [(
                EstablishmentCategory::Administrative,
                HeadcountDelta::new(n),
            )]
            .into_iter()
            .collect(),
            note: None,
        }
    }

    fn ledger(approved: i32, filled: u32) -> UnitLedger {
        UnitLedger::from_parts(
            vec![row(approved)],
            [(
                EstablishmentCategory::Administrative,
                Headcount::new(filled),
            )]
            .into_iter()
            .collect(),
            BTreeMap::new(),
        )
        .unwrap()
    }

    #[test]
    fn a_reduction_below_the_filled_posts_is_refused_unless_recorded() {
        let mut l = ledger(5, 4);
        assert!(
            apply_row(&unit(), &mut l, row(2), false)
                .unwrap()
                .is_empty()
        );
        let mut l = ledger(5, 4);
        let e = apply_row(&unit(), &mut l, row(-2), false).unwrap_err();
        assert!(matches!(e, ActError::OverEstablishment { .. }));
        assert!(e.message_zh().contains("changes"));
        let mut l = ledger(5, 4);
        assert_eq!(
            apply_row(&unit(), &mut l, row(-2), true).unwrap(),
            vec![EstablishmentCategory::Administrative]
        );
        let mut l = ledger(1, 0);
        assert!(matches!(
            apply_row(&unit(), &mut l, row(-2), true),
            Err(ActError::NegativeApproved { .. })
        ));
    }

    #[test]
    fn abolition_needs_an_empty_unit_and_a_merger_two_units() {
        assert!(check_abolish(&unit(), 0, &ledger(5, 0)).is_ok());
        assert!(check_abolish(&unit(), 1, &ledger(5, 1)).is_err());
        let d = ActDocument {
            number: DocumentNumber::parse("天编发〔2026〕3号").unwrap(),
            date: Date::parse("2026-05-01").unwrap(),
            title: "合并".into(),
        };
        assert_eq!(
            check_merge(&UnitMerge {
                absorbed: unit(),
                into: unit(),
                document: d
            }),
            Err(ActError::SameUnit)
        );
    }

    #[test]
    fn acts_round_trip_through_their_canonical_bytes() {
        let payload = ActPayload::EstablishmentChange(EstablishmentChange {
            unit: unit(),
            row: row(3),
            over_establishment: false,
        });
        let act = SignedAct::new(
            DecisionId::parse("act-1").unwrap(),
            UserId::parse("admin-1").unwrap(),
            CredentialId::parse("Y3JlZA").unwrap(),
            Timestamp::from_unix_seconds(1_780_000_000).unwrap(),
            &payload,
        )
        .unwrap();
        let bytes = act.canonical_bytes().unwrap();
        let (back, _) = SignedAct::from_signed_bytes(&bytes).unwrap();
        assert_eq!(back, act);
        assert_eq!(back.decode_payload().unwrap(), payload);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(r#""tag":"dzbzglz.act""#));
        assert!(
            SignedAct::from_signed_bytes(
                text.replace("dzbzglz.act", "dzbzglz.decision").as_bytes()
            )
            .is_err()
        );
    }

    #[test]
    fn leadership_posts_over_their_approval_are_flagged() {
        let posts = vec![LeadershipPosts {
            level: LeadershipLevel::UnitDeputy,
            approved: Headcount::new(3),
            filled: Headcount::new(3),
        }];
        let approved = [(LeadershipLevel::UnitDeputy, Headcount::new(2))]
            .into_iter()
            .collect();
        let (after, over) = leadership_after(&posts, &approved);
        assert_eq!(after[0].approved.get(), 2);
        assert_eq!(over, vec![LeadershipLevel::UnitDeputy]);
    }
}
