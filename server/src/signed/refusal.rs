//! Why a signed document was not accepted: one [`Refusal`] per reason, each with its stable
//! code, its Chinese message (the verdict's `message`, for the person who signed) and its
//! English one, written once in the table below.
//!
//! The verifier's reasons come first, in the order of its checks ([`super::verify`]; for a
//! decision `envelope_*` means "the signed document"), then those of each kind of document, in
//! the order of its checks ([`super::application`], [`super::decision`]). Several reasons may
//! share a code (`out_of_scope`, `no_vacancy`, `payload_invalid`, `envelope_malformed`);
//! [`Refusal::codes`] lists each code once, in this order: the verdict codes of the OpenAPI
//! document's `RejectionCode` (`crate::openapi`). What each code means is documented in
//! `docs/API.md`, which a test checks against [`Refusal::codes`].

use std::fmt;

use domain::act::{ActError, ActKind};
use domain::{
    Action, ApplicationStatus, ApprovalError, DecisionError, EnvelopeError, LedgerError,
    RecordChangeError, RegistryError, SlipError, Timestamp, TransitionError, ValidationError,
};

/// Declares [`Refusal`] from its table: each variant with its code, its Chinese and its English
/// message (expressions that may use the variant's fields).
macro_rules! refusals {
    ($(
        $(#[$meta:meta])*
        $variant:ident $({ $($field:ident : $type:ty),* $(,)? })? => $code:literal,
            $zh:expr,
            $en:expr;
    )+) => {
        /// Why a signed document was refused; see the module documentation.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Refusal {
            $( $(#[$meta])* $variant $({ $($field: $type),* })?, )+
        }

        impl Refusal {
            /// Every code, each once, in the order of the table.
            pub fn codes() -> Vec<&'static str> {
                let mut codes: Vec<&'static str> = Vec::new();
                for code in [$($code),+] {
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
                codes
            }

            /// The stable snake_case code.
            pub fn code(&self) -> &'static str {
                match self {
                    $( Self::$variant { .. } => $code, )+
                }
            }

            /// The message in Chinese, for the person who signed.
            #[allow(unused_variables)]
            pub fn message_zh(&self) -> String {
                match self {
                    $( Self::$variant $({ $($field),* })? => String::from($zh), )+
                }
            }

            /// The message in English.
            #[allow(unused_variables)]
            pub fn message_en(&self) -> String {
                match self {
                    $( Self::$variant $({ $($field),* })? => String::from($en), )+
                }
            }
        }
    };
}

refusals! {
    // The verifier: a document signed by a holder's key, in the order of its checks.

    /// A field of the request is not base64url.
    MalformedBase64 { field: &'static str } => "malformed_base64",
        format!("请求字段{field}不是有效的 base64url 编码"),
        format!("the request field {field} is not valid base64url");
    /// The document is larger than `verify::MAX_ENVELOPE_BYTES`.
    EnvelopeTooLarge { size: usize, max: usize } => "envelope_too_large",
        format!("申请数据过大（{size}字节，上限{max}字节）"),
        format!("the application data is too large ({size} bytes, limit {max})");
    /// Not JSON, or fields missing, unknown or invalid (the detail may quote the document).
    EnvelopeMalformed { detail: String } => "envelope_malformed",
        format!("申请数据格式错误：{detail}"),
        format!("the application data is malformed: {detail}");
    /// The tag is not the one of the kind of document expected.
    EnvelopeTagUnknown => "envelope_tag_unknown",
        "申请数据类型无法识别",
        "the application data is of an unknown type";
    /// A schema version this build does not know.
    EnvelopeVersionUnknown { version: u32 } => "envelope_version_unknown",
        format!("申请数据版本{version}无法识别，请更新客户端"),
        format!("application data version {version} is unknown; update the client");
    /// The bytes are not in canonical form.
    EnvelopeNotCanonical => "envelope_not_canonical",
        "申请数据不是规范格式，签名无法核验",
        "the application data is not in canonical form, so its signature cannot be checked";
    /// The document names another credential than the one that signed.
    CredentialIdMismatch => "credential_id_mismatch",
        "申请中的凭据与签名所用凭据不一致",
        "the application names another key than the one that signed it";
    /// No such credential.
    CredentialUnknown => "credential_unknown",
        "签名所用的安全密钥未备案",
        "the signing security key is not registered";
    /// The credential was revoked.
    CredentialRevoked => "credential_revoked",
        "签名所用的安全密钥已被吊销",
        "the signing security key has been revoked";
    /// The credential belongs to someone other than the document's signer.
    CredentialHolderMismatch => "credential_holder_mismatch",
        "签名所用的安全密钥不属于申请签名人",
        "the signing security key belongs to someone other than the signer";
    /// Created before the offline window began.
    EnvelopeTooOld { created_at: Timestamp, oldest: Timestamp } => "envelope_too_old",
        format!("申请创建于{created_at}，早于允许的离线期限（{oldest}）"),
        format!("the application was created at {created_at}, before the offline window began ({oldest})");
    /// Created after now plus the clock-skew allowance.
    EnvelopeFromFuture { created_at: Timestamp, latest: Timestamp } => "envelope_from_future",
        format!("申请创建时间{created_at}晚于当前时间（允许至{latest}），请核对电脑时钟"),
        format!("the application was created at {created_at}, in the future (allowed up to {latest}); check the computer's clock");
    /// clientDataJSON is not JSON.
    ClientDataNotJson => "client_data_not_json",
        "浏览器签名数据（clientDataJSON）不是 JSON",
        "the browser's signed data (clientDataJSON) is not JSON";
    /// clientDataJSON lacks or mistypes a required member.
    ClientDataMalformed => "client_data_malformed",
        "浏览器签名数据（clientDataJSON）格式错误",
        "the browser's signed data (clientDataJSON) is malformed";
    /// `type` is not `webauthn.get`.
    ClientDataWrongType => "client_data_wrong_type",
        "签名类型错误（不是 webauthn.get）",
        "the signature is not an assertion (webauthn.get)";
    /// The challenge is not the document's hash.
    ChallengeMismatch => "challenge_mismatch",
        "签名内容与申请数据不一致",
        "the signature was made over other data than this application";
    /// The origin is not configured.
    OriginNotAllowed => "origin_not_allowed",
        "签名来源网站不在允许范围内",
        "the signature was made on a web site that is not allowed";
    /// Signed in a cross-origin frame.
    CrossOrigin => "cross_origin",
        "不接受跨域框架中的签名",
        "signatures made inside a cross-origin frame are refused";
    /// authenticatorData shorter than 37 bytes.
    AuthenticatorDataTruncated { len: usize } => "authenticator_data_truncated",
        "安全密钥数据（authenticatorData）不完整",
        "the security key's data (authenticatorData) is incomplete";
    /// authenticatorData cannot be parsed.
    AuthenticatorDataMalformed => "authenticator_data_malformed",
        "安全密钥数据（authenticatorData）格式错误",
        "the security key's data (authenticatorData) is malformed";
    /// rpIdHash is not `SHA-256(rp id)`.
    RpIdMismatch => "rp_id_mismatch",
        "签名所属站点（RP ID）不符",
        "the signature belongs to another site (RP ID)";
    /// The user-present flag is missing.
    UserNotPresent => "user_not_present",
        "签名时未确认用户在场（未触摸安全密钥）",
        "the security key did not confirm the user's presence (no touch)";
    /// The user-verified flag is missing.
    UserNotVerified => "user_not_verified",
        "签名时未验证用户身份（未输入 PIN）",
        "the security key did not verify the user (no PIN)";
    /// Backed up without being backup-eligible, or backup eligibility not that of enrolment.
    BackupFlagsInconsistent => "backup_flags_inconsistent",
        "安全密钥数据的备份标志异常（与注册时不一致），签名不予接受",
        "the security key's backup flags are inconsistent (or differ from its enrolment)";
    /// The stored public key cannot verify signatures.
    CredentialKeyUnsupported => "credential_key_unsupported",
        "该安全密钥的公钥算法不受支持",
        "the security key's public key algorithm is not supported";
    /// The signature does not verify.
    SignatureInvalid => "signature_invalid",
        "签名无效",
        "the signature is invalid";
    /// The counter is not above the highest seen: held for review, neither accepted nor lost.
    CounterRegression { counter: u32, highest: u32 } => "counter_regression",
        "安全密钥计数器未递增，申请转人工复核",
        "the security key's counter did not increase; the application is held for review";

    // A signed application (`POST /api/envelopes`), in the order of its checks.

    /// Another envelope that was not rejected has this application id.
    ApplicationIdReused => "application_id_reused",
        "该申请编号已被另一份申请使用",
        "another application that was not rejected has this application id";
    /// The envelope's unit does not exist.
    UnitUnknown => "unit_unknown",
        "申请单位不存在",
        "the unit of the application does not exist";
    /// The signer's role and scope do not allow this application for this unit.
    SignerOutOfScope => "out_of_scope",
        "签名人无权为该单位办理此项申请",
        "the signer may not file this application for this unit";
    /// The payload is not of the application's kind.
    PayloadUnreadable { error: EnvelopeError } => "payload_invalid",
        error.message_zh(),
        error.message_en();
    /// The payload breaks its own rules.
    PayloadInvalid { error: ValidationError } => "payload_invalid",
        error.message_zh(),
        error.message_en();
    /// Not enough vacant posts (for a request, less those its unit's other requests awaiting a
    /// decision claim; for an approval, in the ledger).
    NoVacancy { error: LedgerError } => "no_vacancy",
        error.message_zh(),
        error.message_en();

    // A signed decision (`POST /api/decisions`), in the order of its checks.

    /// The action is not a reviewer's decision.
    ActionNotADecision { error: DecisionError } => "action_not_a_decision",
        error.message_zh(),
        error.message_en();
    /// A return or rejection without a note.
    NoteRequired { error: DecisionError } => "note_required",
        error.message_zh(),
        error.message_en();
    /// The note is too long.
    NoteTooLong { error: DecisionError } => "note_too_long",
        error.message_zh(),
        error.message_en();
    /// Any other rule of the decision document itself.
    DecisionMalformed { error: DecisionError } => "envelope_malformed",
        error.message_zh(),
        error.message_en();
    /// Another decision that was not rejected has this decision id.
    DecisionIdReused => "decision_id_reused",
        "该审批决定编号已被另一份审批决定使用",
        "another decision that was not rejected has this decision id";
    /// No accepted application has this id.
    ApplicationUnknown => "application_unknown",
        "审批的申请不存在或尚未提交",
        "the application does not exist or was not submitted";
    /// The decider's scope does not cover the unit for this step.
    DeciderOutOfScope { action: Action } => "out_of_scope",
        format!("审批人无权对该单位的申请执行“{}”", action.label_zh()),
        format!("the decider may not {} this unit's applications", action.label_en());
    /// The decider's role does not take this step.
    WrongRole { error: TransitionError } => "out_of_scope",
        error.message_zh(),
        error.message_en();
    /// The application's status does not allow this step.
    TransitionNotAllowed { error: TransitionError } => "transition_not_allowed",
        error.message_zh(),
        error.message_en();
    /// The application was decided already (approved, rejected, withdrawn or returned): the
    /// first decision to arrive stands.
    AlreadyDecided { status: ApplicationStatus, by: String, at: String } => "already_decided",
        format!("申请状态：该申请已由{by}于{at}作出决定，当前为“{}”；同一申请以先到的决定为准，本决定未生效", status.label_zh()),
        format!("application status: {by} already decided this application at {at} (it is {}); the first decision to arrive stands, so this one was not applied", status.label_en());
    /// The slip of an onboarding lapsed (its validity ended) or was released.
    SlipLapsed { error: ApprovalError } => "slip_lapsed",
        format!("编制使用单编号：{}。编制使用单须在有效期内使用，期满未使用的自动失效，预留的编制收回", error.message_zh()),
        format!("slip number: {}. A slip must be used within its validity; one that ends unused lapses and its reserved posts are released", error.message_en());
    /// Every post of the slip is used.
    SlipUsedUp { error: ApprovalError } => "slip_used_up",
        format!("编制使用单编号：{}。每入编一人使用编制使用单的一个编制，用完即不能再用", error.message_zh()),
        format!("slip number: {}. Each onboarding uses one post of its slip; a used-up slip cannot be used again", error.message_en());
    /// No such slip in the unit, or one for another category, or not yet valid.
    SlipNotUsable { error: ApprovalError } => "slip_not_usable",
        format!("编制使用单编号：{}。入编须使用本单位、同一编制类别、在有效期内的编制使用单", error.message_zh()),
        format!("slip number: {}. An onboarding must use a valid slip of its own unit and category", error.message_en());
    /// The 身份证号 already holds a post (in this unit or elsewhere).
    IdNumberHoldsPost { error: ApprovalError } => "id_number_holds_post",
        format!("身份证号：{}（核准时按全市在编人员再次核对）", error.message_zh()),
        format!("ID number: {} (checked again against every post of the city at approval)", error.message_en());
    /// The person of an offboarding or record change is not on the unit's staff.
    PersonNotInUnit { error: ApprovalError } => "person_not_in_unit",
        format!("身份证号：{}。出编和人员信息变更只能针对本单位在编人员", error.message_zh()),
        format!("ID number: {}. Offboardings and record changes are for people on the unit's staff", error.message_en());
    /// The approval would break the ledger (other than by lack of vacancy).
    LedgerWouldBreak { error: ApprovalError } => "ledger_would_break",
        format!("编制台帐：{}。实有人数与预留编制之和不得超过核定编制数，也不得小于零", error.message_zh()),
        format!("ledger: {}. Filled plus reserved posts may neither exceed the approved posts nor fall below zero", error.message_en());
    /// A record change that changes nothing.
    RecordChangeEmpty { error: ApprovalError } => "record_change_empty",
        format!("变更事项：{}", error.message_zh()),
        format!("changes: {}", error.message_en());
    /// A record change whose old value is no longer the record's.
    RecordChangeStale { error: ApprovalError } => "record_change_stale",
        format!("变更事项：{}", error.message_zh()),
        format!("changes: {}", error.message_en());
    /// A field a record change may not change.
    FieldNotChangeable { error: ApprovalError } => "field_not_changeable",
        format!("变更事项：{}", error.message_zh()),
        format!("changes: {}", error.message_en());
    /// The changed record breaks a rule of the person or unit.
    RecordInvalid { error: ApprovalError } => "record_invalid",
        format!("变更事项：{}", error.message_zh()),
        format!("changes: {}", error.message_en());
    /// A unit's new name or credit code is another unit's.
    UnitNameTaken => "record_invalid",
        "单位名称：变更后的单位名称或统一社会信用代码已被其他单位使用",
        "unit name: the new name or unified social credit code is another unit's";
    /// The domain refused the approval's effect for another reason (the message says which).
    ApprovalRefused { error: ApprovalError } => "approval_refused",
        error.message_zh(),
        error.message_en();
    /// The approver's bureau has no document key to sign the slip or notice with.
    DocumentKeyMissing => "document_key_missing",
        "出具单位尚未生成单据签名密钥，无法出具经签名的单据；请系统管理员运行 server document-key create",
        "the issuing bureau has no document signing key, so no signed document can be issued; the system administrator must run server document-key create";
    /// A voiding of an application that issued no document.
    DocumentNotIssued => "document_not_issued",
        "该申请没有出具单据，无可作废",
        "the application issued no document to void";
    /// A voiding of a document voided already.
    DocumentAlreadyVoid { number: String, at: String } => "document_already_void",
        format!("单据{number}已于{at}作废"),
        format!("document {number} was voided already, at {at}");

    // A signed act (`POST /api/acts`), in the order of its checks.

    /// Another act that was not rejected has this act id.
    ActIdReused => "act_id_reused",
        "该文书编号已被另一份文书使用",
        "another act that was not rejected has this act id";
    /// The payload does not fit the act's kind, or breaks its own rules.
    ActPayloadInvalid { error: ActError } => "payload_invalid",
        error.message_zh(),
        error.message_en();
    /// A unit the act names does not exist (or was removed).
    ActUnitUnknown { unit: String } => "unit_unknown",
        format!("单位：{unit}不存在或已撤销、合并"),
        format!("unit: {unit} does not exist, or was abolished or merged");
    /// The signer's role and scope do not allow this act on its units.
    ActOutOfScope { kind: ActKind } => "out_of_scope",
        format!("签名人无权签署“{}”（只限本行政区划的编办管理员，或本单位经办人确认数据）", kind.label_zh()),
        format!("the signer may not sign this {} (bureau administrators of the region only, or the unit's clerk for its own confirmation)", kind.label_en());
    /// The change would leave filled + reserved above approved and the act does not record it.
    OverEstablishment { error: ActError } => "over_establishment",
        error.message_zh(),
        error.message_en();
    /// Abolishing a unit with staff or reserved posts.
    UnitNotEmpty { error: ActError } => "unit_not_empty",
        error.message_zh(),
        error.message_en();
    /// `unit_create` with an id, name or credit code in use.
    UnitExists => "unit_exists",
        "单位标识、名称或统一社会信用代码已被其他单位使用",
        "the unit id, name or unified social credit code is in use";
    /// `roster_import`: the upload is unknown, expired, used, of another unit, or its digest or
    /// row count is not what the check gave.
    UploadUnknown => "upload_unknown",
        "导入文件不存在、已过期、已导入，或与核对结果（摘要、行数）不符，请重新上传核对",
        "the upload does not exist, expired, was imported already, or does not match its check (digest, rows); upload it again";
    /// A verification step before the one it follows.
    VerificationOutOfOrder => "verification_out_of_order",
        "数据核实尚未到此环节（须先导入，再由单位确认，最后由编办确认）",
        "the verification is not at this step yet (import, then the unit confirms, then the bureau)";

    // The receiver itself.

    /// The server failed on this document alone (an internal error): nothing of it was kept
    /// and nothing is stored, so the same bytes sent again are received afresh. Not final: the
    /// client keeps it and sends it again later ([`protocol::identity::TRY_LATER`]).
    TryLater => "try_later",
        "服务器暂时无法处理此项，未作记录，稍后将自动重新提交",
        "the server could not process this item just now; nothing was recorded, and it will be sent again later";
}

impl Refusal {
    /// Whether the document is held for review rather than rejected: it verified, but its
    /// key's counter went backwards.
    pub fn held_for_review(&self) -> bool {
        matches!(self, Self::CounterRegression { .. })
    }

    /// The refusal of a decision that breaks the document's own rules.
    pub fn of_decision(error: DecisionError) -> Refusal {
        match error {
            DecisionError::NotADecision { .. } => Refusal::ActionNotADecision { error },
            DecisionError::NoteRequired { .. } => Refusal::NoteRequired { error },
            DecisionError::NoteTooLong { .. } => Refusal::NoteTooLong { error },
            _ => Refusal::DecisionMalformed { error },
        }
    }

    /// The refusal of a step the domain lifecycle does not allow.
    pub fn of_transition(error: TransitionError) -> Refusal {
        match error {
            TransitionError::NotAllowed { .. } => Refusal::TransitionNotAllowed { error },
            TransitionError::WrongRole { .. } => Refusal::WrongRole { error },
        }
    }

    /// The refusal of an approval's effect: by the rule it breaks.
    pub fn of_approval(error: ApprovalError) -> Refusal {
        match error {
            ApprovalError::Ledger(error @ LedgerError::InsufficientVacancy { .. }) => {
                Refusal::NoVacancy { error }
            }
            ApprovalError::Ledger(_) => Refusal::LedgerWouldBreak { error },
            ApprovalError::Slip(SlipError::Expired { .. } | SlipError::Released { .. }) => {
                Refusal::SlipLapsed { error }
            }
            ApprovalError::Slip(SlipError::UsedUp { .. }) => Refusal::SlipUsedUp { error },
            ApprovalError::Slip(_) | ApprovalError::UnknownSlip { .. } => {
                Refusal::SlipNotUsable { error }
            }
            ApprovalError::Registry(RegistryError::AlreadyHoldsPost { .. }) => {
                Refusal::IdNumberHoldsPost { error }
            }
            ApprovalError::Registry(RegistryError::HoldsNoPost { .. })
            | ApprovalError::NotOnStaff { .. } => Refusal::PersonNotInUnit { error },
            ApprovalError::RecordChange(RecordChangeError::ChangesNothing) => {
                Refusal::RecordChangeEmpty { error }
            }
            ApprovalError::RecordChange(RecordChangeError::Stale { .. }) => {
                Refusal::RecordChangeStale { error }
            }
            ApprovalError::RecordChange(RecordChangeError::NotChangeable { .. }) => {
                Refusal::FieldNotChangeable { error }
            }
            ApprovalError::RecordChange(_) => Refusal::RecordInvalid { error },
            error => Refusal::ApprovalRefused { error },
        }
    }
}

/// The code: what the logs show (the messages may quote the document).
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use domain::{ApplicationKind, EstablishmentCategory, Headcount, UnitId};

    use super::*;

    /// One refusal of each variant; the test below checks that they give every code.
    fn examples() -> Vec<Refusal> {
        let t = Timestamp::from_unix_seconds(0).unwrap();
        let transition = |action| TransitionError::NotAllowed {
            kind: ApplicationKind::QuotaUse,
            from: ApplicationStatus::Approved,
            action,
        };
        let number = "天编用〔2026〕0001号".to_owned();
        let vacancy = LedgerError::InsufficientVacancy {
            category: EstablishmentCategory::Administrative,
            requested: Headcount::new(2),
            vacant: Headcount::new(1),
        };
        vec![
            Refusal::MalformedBase64 { field: "envelope" },
            Refusal::EnvelopeTooLarge { size: 2, max: 1 },
            Refusal::EnvelopeMalformed {
                detail: "…".into()
            },
            Refusal::EnvelopeTagUnknown,
            Refusal::EnvelopeVersionUnknown { version: 2 },
            Refusal::EnvelopeNotCanonical,
            Refusal::CredentialIdMismatch,
            Refusal::CredentialUnknown,
            Refusal::CredentialRevoked,
            Refusal::CredentialHolderMismatch,
            Refusal::EnvelopeTooOld {
                created_at: t,
                oldest: t,
            },
            Refusal::EnvelopeFromFuture {
                created_at: t,
                latest: t,
            },
            Refusal::ClientDataNotJson,
            Refusal::ClientDataMalformed,
            Refusal::ClientDataWrongType,
            Refusal::ChallengeMismatch,
            Refusal::OriginNotAllowed,
            Refusal::CrossOrigin,
            Refusal::AuthenticatorDataTruncated { len: 36 },
            Refusal::AuthenticatorDataMalformed,
            Refusal::RpIdMismatch,
            Refusal::UserNotPresent,
            Refusal::UserNotVerified,
            Refusal::BackupFlagsInconsistent,
            Refusal::CredentialKeyUnsupported,
            Refusal::SignatureInvalid,
            Refusal::CounterRegression {
                counter: 1,
                highest: 2,
            },
            Refusal::ApplicationIdReused,
            Refusal::UnitUnknown,
            Refusal::SignerOutOfScope,
            Refusal::PayloadUnreadable {
                error: EnvelopeError::Malformed("…".into()),
            },
            Refusal::PayloadInvalid {
                error: ValidationError::Empty {
                    field: domain::Field::Reason,
                },
            },
            Refusal::NoVacancy {
                error: vacancy.clone(),
            },
            Refusal::of_decision(DecisionError::NotADecision {
                action: Action::Sign,
            }),
            Refusal::of_decision(DecisionError::NoteRequired {
                action: Action::Return,
            }),
            Refusal::of_decision(DecisionError::NoteTooLong { max: 1, actual: 2 }),
            Refusal::of_decision(DecisionError::NotCanonical),
            Refusal::DecisionIdReused,
            Refusal::ApplicationUnknown,
            Refusal::DeciderOutOfScope {
                action: Action::Approve,
            },
            Refusal::of_transition(TransitionError::WrongRole {
                kind: ApplicationKind::QuotaUse,
                from: ApplicationStatus::Submitted,
                action: Action::Approve,
                role: domain::Role::Supervisor,
            }),
            Refusal::of_transition(transition(Action::Approve)),
            Refusal::of_approval(ApprovalError::Ledger(vacancy)),
            Refusal::AlreadyDecided {
                status: ApplicationStatus::Approved,
                by: "李审核".into(),
                at: "2026-12-01 20:34".into(),
            },
            Refusal::of_approval(ApprovalError::Slip(SlipError::Expired {
                number: number.clone(),
                valid_until: domain::Date::parse("2026-05-30").unwrap(),
            })),
            Refusal::of_approval(ApprovalError::Slip(SlipError::UsedUp {
                number: number.clone(),
            })),
            Refusal::of_approval(ApprovalError::UnknownSlip { number }),
            Refusal::of_approval(ApprovalError::Registry(RegistryError::AlreadyHoldsPost {
                id: "620502********0011".into(),
                unit: UnitId::parse("620502-0001").unwrap(),
            })),
            Refusal::of_approval(ApprovalError::NotOnStaff {
                id: "620502********0011".into(),
            }),
            Refusal::of_approval(ApprovalError::Ledger(LedgerError::NotEnoughReserved {
                category: EstablishmentCategory::Administrative,
                requested: Headcount::ONE,
                reserved: Headcount::ZERO,
            })),
            Refusal::of_approval(RecordChangeError::ChangesNothing.into()),
            Refusal::of_approval(
                RecordChangeError::Stale {
                    field: "education".into(),
                    recorded: None,
                    before: None,
                }
                .into(),
            ),
            Refusal::of_approval(
                RecordChangeError::NotChangeable {
                    field: "category".into(),
                }
                .into(),
            ),
            Refusal::of_approval(RecordChangeError::Invalid("x".into()).into()),
            Refusal::UnitNameTaken,
            Refusal::of_approval(ApprovalError::ZeroCount),
            Refusal::DocumentKeyMissing,
            Refusal::DocumentNotIssued,
            Refusal::DocumentAlreadyVoid {
                number: "天编用〔2026〕0001号".into(),
                at: "2026-12-01 20:34".into(),
            },
            Refusal::ActIdReused,
            Refusal::ActPayloadInvalid {
                error: ActError::SameUnit,
            },
            Refusal::ActUnitUnknown {
                unit: "620502-0001".into(),
            },
            Refusal::ActOutOfScope {
                kind: ActKind::UnitMerge,
            },
            Refusal::OverEstablishment {
                error: ActError::SameUnit,
            },
            Refusal::UnitNotEmpty {
                error: ActError::SameUnit,
            },
            Refusal::UnitExists,
            Refusal::UploadUnknown,
            Refusal::VerificationOutOfOrder,
            Refusal::TryLater,
        ]
    }

    #[test]
    fn every_code_is_snake_case_translated_and_documented() {
        let doc = include_str!("../../../docs/API.md");
        let examples = examples();
        let codes = Refusal::codes();
        let given: Vec<&str> = examples.iter().map(Refusal::code).collect();
        for code in &codes {
            assert!(given.contains(code), "no example gives {code}");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{code}"
            );
            assert!(
                doc.contains(&format!("| `{code}` |")),
                "{code} is missing from docs/API.md"
            );
        }
        // The verifier's 27, then those an application and a decision add, the documents', the acts', the receiver's.
        assert_eq!(codes.len(), 27 + 5 + 7 + 11 + 3 + 6 + 1, "{codes:?}");
        for refusal in &examples {
            assert!(!refusal.message_zh().is_empty() && !refusal.message_en().is_empty());
            assert_eq!(refusal.to_string(), refusal.code());
            assert_eq!(
                refusal.held_for_review(),
                refusal.code() == "counter_regression"
            );
        }
    }

    #[test]
    fn refusals_that_carry_a_domain_error_speak_with_its_words() {
        let error = TransitionError::NotAllowed {
            kind: ApplicationKind::QuotaUse,
            from: ApplicationStatus::Approved,
            action: Action::Approve,
        };
        let refusal = Refusal::of_transition(error.clone());
        assert_eq!(refusal.code(), "transition_not_allowed");
        assert_eq!(refusal.message_zh(), error.message_zh());
        assert_eq!(
            Refusal::DeciderOutOfScope {
                action: Action::Endorse
            }
            .message_zh(),
            "审批人无权对该单位的申请执行“主管部门审核同意”"
        );
        assert_eq!(
            Refusal::MalformedBase64 { field: "signature" }.message_zh(),
            "请求字段signature不是有效的 base64url 编码"
        );
    }
}
