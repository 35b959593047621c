//! Key holders, enrolment of a security key, sign-in and signed submissions: the JSON that
//! crosses between the client and the server.
//!
//! WebAuthn options and credentials travel in the standard WebAuthn JSON serialisation
//! (base64url fields): the server's options are what `PublicKeyCredential.parseCreationOptionsFromJSON`
//! and `parseRequestOptionsFromJSON` take, and a credential is what `PublicKeyCredential.toJSON()`
//! gives, so any conforming client works. They are carried as opaque JSON here.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST`: begin enrolling a security key with a one-time enrolment code.
pub const ENROL_BEGIN_PATH: &str = "/api/enrolment/begin";
/// `POST`: finish enrolment with the new credential.
pub const ENROL_FINISH_PATH: &str = "/api/enrolment/finish";
/// `POST`: begin signing in (by login name).
pub const SIGN_IN_BEGIN_PATH: &str = "/api/session/begin";
/// `POST`: finish signing in with the assertion; sets the session cookie.
pub const SIGN_IN_FINISH_PATH: &str = "/api/session/finish";
/// `GET`: the current session; `DELETE`: sign out.
pub const SESSION_PATH: &str = "/api/session";
/// `POST`: submit signed applications.
pub const ENVELOPES_PATH: &str = "/api/envelopes";
/// `POST`: submit one signed decision on an application (endorse, approve, return, reject).
pub const DECISIONS_PATH: &str = "/api/decisions";
/// `POST` (bureau administrator): create a key holder and an enrolment code.
pub const HOLDERS_PATH: &str = "/api/holders";
/// `POST` (bureau administrator): revoke a credential.
pub const REVOKE_PATH: &str = "/api/credentials/revoke";
/// Header that carries the session's CSRF token on every state-changing request.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A key holder (使用人员) as the client sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderInfo {
    pub id: String,
    pub login: String,
    pub name: String,
    /// A `domain::Role` code such as `unit_clerk`.
    pub role: String,
    /// A `domain::Scope` such as `unit:620502-0012`.
    pub scope: String,
}

/// Body of [`ENROL_BEGIN_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolBeginRequest {
    pub code: String,
}

/// Answer of [`ENROL_BEGIN_PATH`] and [`SIGN_IN_BEGIN_PATH`]: a ceremony to finish with the
/// browser's answer to `options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CeremonyBegun {
    /// Opaque id of the server-side ceremony state.
    pub ceremony: String,
    /// `{ "publicKey": { … } }` in the WebAuthn JSON serialisation.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: Value,
    /// Whom the ceremony is for: given for enrolment (the code names the holder), never for
    /// sign-in (the answer must not tell who exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<HolderInfo>,
}

/// Body of [`ENROL_FINISH_PATH`] and [`SIGN_IN_FINISH_PATH`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CeremonyFinish {
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: Value,
}

/// Answer of [`ENROL_FINISH_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolled {
    pub holder: HolderInfo,
    /// The new credential's id, base64url.
    pub credential_id: String,
}

/// Body of [`SIGN_IN_BEGIN_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInBeginRequest {
    pub login: String,
}

/// Answer of [`SIGN_IN_FINISH_PATH`] and `GET` [`SESSION_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub holder: HolderInfo,
    /// Send back in [`CSRF_HEADER`] on every state-changing request.
    pub csrf_token: String,
    /// The holder's usable credential ids (base64url), kept by the client so that it can sign
    /// while offline.
    pub credential_ids: Vec<String>,
    /// The WebAuthn relying-party id to sign for.
    pub rp_id: String,
}

/// One signed application as sent: every field base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedSubmission {
    /// The envelope's canonical bytes, exactly as signed.
    pub envelope: String,
    pub credential_id: String,
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
}

/// Most submissions in one [`SubmitRequest`]; clients send longer queues in batches.
pub const MAX_SUBMISSIONS: usize = 200;

/// Body of [`ENVELOPES_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitRequest {
    pub submissions: Vec<SignedSubmission>,
}

/// The server's verdict on one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VerdictStatus {
    /// Verified and recorded (已提交待审核).
    Accepted,
    /// Refused for good; `code` says why.
    Rejected,
    /// Recorded but held for review (e.g. a signature counter that went backwards).
    Held,
}

/// The code of a `rejected` verdict that is not final: the server failed on that document
/// alone and stored nothing of it; the client keeps it pending and sends it again later.
pub const TRY_LATER: &str = "try_later";

/// One verdict. A repeated submission gets the first verdict again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verdict {
    /// The envelope's application id, when it could be read.
    pub application_id: Option<String>,
    pub status: VerdictStatus,
    /// A stable rejection code (see the API documentation); absent when accepted.
    pub code: Option<String>,
    /// The reason in Chinese; absent when accepted.
    pub message: Option<String>,
    /// The reason in English; absent when accepted (and in verdicts stored before it was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
}

/// Answer of [`ENVELOPES_PATH`]: one verdict per submission, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitResponse {
    pub verdicts: Vec<Verdict>,
}

/// Body of [`DECISIONS_PATH`]: one signed decision. `submission.envelope` carries the
/// decision's canonical bytes (a `domain::SignedDecision`, tag `dzbzglz.decision`) exactly as
/// signed; the other fields are the assertion, as for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideRequest {
    pub submission: SignedSubmission,
}

/// Answer of [`DECISIONS_PATH`]. A repeated decision gets the first verdict again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionVerdict {
    /// The decision's id, when it could be read.
    pub decision_id: Option<String>,
    /// The application decided on, when the decision could be read.
    pub application_id: Option<String>,
    pub status: VerdictStatus,
    /// A stable rejection code (see the API documentation); absent when accepted.
    pub code: Option<String>,
    /// The reason in Chinese; absent when accepted.
    pub message: Option<String>,
    /// The reason in English; absent when accepted (and in verdicts stored before it was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
    /// The application's status after an accepted decision (a `domain::ApplicationStatus` code).
    pub application_status: Option<String>,
    /// The quota-use slip (编制使用单) number an accepted approval issued.
    pub slip_number: Option<String>,
    /// The notice (入编通知单 or 出编通知单) number an accepted approval issued.
    #[serde(default)]
    pub notice_number: Option<String>,
}

/// Body of [`HOLDERS_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewHolder {
    pub login: String,
    pub name: String,
    pub role: String,
    pub scope: String,
    /// 联系电话 (optional; digits, spaces, `+` and `-`, at most 32 characters).
    #[serde(default)]
    pub phone: String,
}

/// Answer of [`HOLDERS_PATH`] (and of `server create-holder --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderCreated {
    pub holder: HolderInfo,
    /// The one-time code, shown once.
    pub enrolment_code: String,
    /// A link that opens the enrolment page with the code filled in.
    pub enrolment_link: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// Body of [`REVOKE_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeRequest {
    pub credential_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
        value: T,
    ) {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
    }

    fn holder() -> HolderInfo {
        HolderInfo {
            id: "h1".into(),
            login: "qz-edu".into(),
            name: "王敏".into(),
            role: "unit_clerk".into(),
            scope: "unit:620502-0012".into(),
        }
    }

    #[test]
    fn every_identity_type_round_trips() {
        round_trip(holder());
        round_trip(EnrolBeginRequest {
            code: "ABCD".into(),
        });
        round_trip(CeremonyBegun {
            ceremony: "c".into(),
            options: serde_json::json!({"publicKey": {"challenge": "AAAA"}}),
            holder: Some(holder()),
        });
        round_trip(CeremonyFinish {
            ceremony: "c".into(),
            credential: serde_json::json!({"id": "x", "type": "public-key"}),
        });
        round_trip(Enrolled {
            holder: holder(),
            credential_id: "Y3JlZA".into(),
        });
        round_trip(SignInBeginRequest {
            login: "qz-edu".into(),
        });
        round_trip(SessionInfo {
            holder: holder(),
            csrf_token: "t".into(),
            credential_ids: vec!["Y3JlZA".into()],
            rp_id: "localhost".into(),
        });
        let submission = SignedSubmission {
            envelope: "e".into(),
            credential_id: "c".into(),
            client_data_json: "d".into(),
            authenticator_data: "a".into(),
            signature: "s".into(),
        };
        round_trip(submission.clone());
        round_trip(SubmitRequest {
            submissions: vec![submission],
        });
        round_trip(SubmitResponse {
            verdicts: vec![Verdict {
                application_id: Some("a1".into()),
                status: VerdictStatus::Rejected,
                code: Some("bad_signature".into()),
                message: Some("签名无效".into()),
                message_en: Some("The signature is not valid".into()),
            }],
        });
        round_trip(DecideRequest {
            submission: SignedSubmission {
                envelope: "e".into(),
                credential_id: "c".into(),
                client_data_json: "d".into(),
                authenticator_data: "a".into(),
                signature: "s".into(),
            },
        });
        round_trip(DecisionVerdict {
            decision_id: Some("d1".into()),
            application_id: Some("a1".into()),
            status: VerdictStatus::Accepted,
            code: None,
            message: None,
            message_en: None,
            application_status: Some("approved".into()),
            slip_number: Some("天编用〔2026〕0001号".into()),
            notice_number: None,
        });
        round_trip(NewHolder {
            login: "l".into(),
            name: "n".into(),
            role: "unit_clerk".into(),
            scope: "unit:620502-0012".into(),
            phone: String::new(),
        });
        round_trip(HolderCreated {
            holder: holder(),
            enrolment_code: "K7P2-9QXM".into(),
            enrolment_link: "http://localhost:8080/enrol#code=K7P2-9QXM".into(),
            expires_at: "2026-11-28T00:00:00Z".into(),
        });
        round_trip(RevokeRequest {
            credential_id: "c".into(),
        });
    }

    #[test]
    fn verdict_status_is_snake_case() {
        assert_eq!(
            serde_json::to_string(&VerdictStatus::Held).unwrap(),
            "\"held\""
        );
    }
}
