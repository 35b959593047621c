//! The browser's WebAuthn, and the only module that touches it.
//!
//! Options and credentials travel in the WebAuthn Level 3 JSON form (base64url fields):
//! `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` turn the
//! JSON into what `navigator.credentials.create` / `get` take, and `credential.toJSON()` turns
//! the answer back. web-sys does not bind these helpers on every version, so they are reached
//! through `js_sys::Reflect`.
//!
//! Nothing here logs: an assertion's client extension results may carry PRF secrets.

use js_sys::{Function, JSON, Object, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Msg;

/// How long the browser waits for the key, in milliseconds.
pub const TIMEOUT_MS: u32 = 120_000;

/// Why a WebAuthn call failed, from the `DOMException` name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebAuthnError {
    /// This browser has no WebAuthn, or not the JSON helpers.
    NotSupported,
    /// `NotAllowedError`: cancelled, timed out, or no matching key was touched.
    NotAllowed,
    /// `InvalidStateError`: this key is already registered.
    InvalidState,
    /// `SecurityError`: the page's origin does not fit the relying party.
    Security,
    /// `AbortError`: the request was aborted.
    Aborted,
    /// `ConstraintError`: the key cannot do what is required (e.g. user verification).
    Constraint,
    /// The options or the answer were not of the expected form.
    Malformed(String),
    /// Another exception, by name.
    Other(String),
}

impl WebAuthnError {
    /// From a rejected promise's value.
    fn from_js(value: &JsValue) -> Self {
        let name = Reflect::get(value, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" => Self::NotAllowed,
            "InvalidStateError" => Self::InvalidState,
            "SecurityError" => Self::Security,
            "AbortError" => Self::Aborted,
            "ConstraintError" => Self::Constraint,
            "NotSupportedError" => Self::NotSupported,
            "TypeError" | "SyntaxError" | "EncodingError" | "DataError" => Self::Malformed(name),
            "" => Self::Other("unknown".to_owned()),
            _ => Self::Other(name),
        }
    }

    /// The message the interface shows.
    pub fn msg(&self) -> Msg {
        match self {
            Self::NotSupported => Msg::WebAuthnNotSupported,
            Self::NotAllowed => Msg::WebAuthnNotAllowed,
            Self::InvalidState => Msg::WebAuthnInvalidState,
            Self::Security => Msg::WebAuthnSecurity,
            Self::Aborted => Msg::WebAuthnAborted,
            Self::Constraint => Msg::WebAuthnConstraint,
            Self::Malformed(_) | Self::Other(_) => Msg::WebAuthnOther,
        }
    }
}

/// One assertion over a caller-chosen challenge, every field base64url as `toJSON()` gives it.
#[derive(Clone, PartialEq, Eq)]
pub struct Assertion {
    /// The credential that signed.
    pub credential_id: String,
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
}

impl std::fmt::Debug for Assertion {
    /// Names the credential only: the rest is not for logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assertion")
            .field("credential_id", &self.credential_id)
            .finish_non_exhaustive()
    }
}

/// Registers a new credential: `options` is the server's `{ "publicKey": { … } }`; returns
/// `PublicKeyCredential.toJSON()`.
pub async fn create(options: &Value) -> Result<Value, WebAuthnError> {
    ceremony("parseCreationOptionsFromJSON", "create", options).await
}

/// Asserts with an existing credential: `options` is the server's `{ "publicKey": { … } }`;
/// returns `PublicKeyCredential.toJSON()`.
pub async fn get(options: &Value) -> Result<Value, WebAuthnError> {
    ceremony("parseRequestOptionsFromJSON", "get", options).await
}

/// The request options for signing `challenge` without the server: the credentials the holder
/// may use, user verification (PIN) required.
pub fn signing_options(challenge: &[u8; 32], rp_id: &str, credential_ids: &[String]) -> Value {
    let allow: Vec<Value> = credential_ids
        .iter()
        .map(|id| json!({ "type": "public-key", "id": id }))
        .collect();
    json!({
        "publicKey": {
            "challenge": domain::canonical::base64url(challenge),
            "rpId": rp_id,
            "allowCredentials": allow,
            "userVerification": "required",
            "timeout": TIMEOUT_MS,
        }
    })
}

/// Signs `challenge` (SHA-256 of envelope bytes) with one of `credential_ids`. Needs no
/// server: it works offline.
pub async fn sign(
    challenge: &[u8; 32],
    rp_id: &str,
    credential_ids: &[String],
) -> Result<Assertion, WebAuthnError> {
    let credential = get(&signing_options(challenge, rp_id, credential_ids)).await?;
    assertion_from_json(&credential)
}

/// Picks the assertion's fields out of `toJSON()`'s form.
pub fn assertion_from_json(credential: &Value) -> Result<Assertion, WebAuthnError> {
    let field = |value: Option<&Value>, name: &str| {
        value
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| WebAuthnError::Malformed(format!("{name} missing")))
    };
    let response = credential.get("response");
    Ok(Assertion {
        credential_id: field(credential.get("id"), "id")?,
        client_data_json: field(
            response.and_then(|r| r.get("clientDataJSON")),
            "clientDataJSON",
        )?,
        authenticator_data: field(
            response.and_then(|r| r.get("authenticatorData")),
            "authenticatorData",
        )?,
        signature: field(response.and_then(|r| r.get("signature")), "signature")?,
    })
}

/// `navigator.credentials[method]({ publicKey: PublicKeyCredential[parse](options.publicKey) })`
/// and the answer's `toJSON()`.
async fn ceremony(parse: &str, method: &str, options: &Value) -> Result<Value, WebAuthnError> {
    let window = web_sys::window().ok_or(WebAuthnError::NotSupported)?;
    let class = Reflect::get(&window, &"PublicKeyCredential".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or(WebAuthnError::NotSupported)?;
    let parser = function(&class, parse)?;
    let public_key = options
        .get("publicKey")
        .ok_or_else(|| WebAuthnError::Malformed("publicKey missing".to_owned()))?;
    let public_key = crate::json::value_text(public_key)
        .ok()
        .and_then(|text| JSON::parse(&text).ok())
        .ok_or_else(|| WebAuthnError::Malformed("options".to_owned()))?;
    let parsed = parser
        .call1(&class, &public_key)
        .map_err(|e| WebAuthnError::from_js(&e))?;

    let request = Object::new();
    Reflect::set(&request, &"publicKey".into(), &parsed)
        .map_err(|_| WebAuthnError::Malformed("options".to_owned()))?;
    let credentials = Reflect::get(&window.navigator(), &"credentials".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or(WebAuthnError::NotSupported)?;
    let promise = function(&credentials, method)?
        .call1(&credentials, &request)
        .map_err(|e| WebAuthnError::from_js(&e))?;
    let credential = JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .map_err(|e| WebAuthnError::from_js(&e))?;
    if credential.is_null() || credential.is_undefined() {
        return Err(WebAuthnError::NotAllowed);
    }
    let as_json = function(&credential, "toJSON")?
        .call0(&credential)
        .map_err(|e| WebAuthnError::from_js(&e))?;
    let text: String = JSON::stringify(&as_json)
        .map_err(|_| WebAuthnError::Malformed("credential".to_owned()))?
        .into();
    serde_json::from_str(&text).map_err(|e| WebAuthnError::Malformed(e.to_string()))
}

fn function(target: &JsValue, name: &str) -> Result<Function, WebAuthnError> {
    Reflect::get(target, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(WebAuthnError::NotSupported)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn signing_options_carry_the_challenge_and_require_user_verification() {
        let challenge = domain::canonical::sha256(b"envelope");
        let options = signing_options(&challenge, "localhost", &["Y3JlZA".to_owned()]);
        let pk = &options["publicKey"];
        assert_eq!(pk["challenge"], domain::canonical::base64url(&challenge));
        assert_eq!(pk["rpId"], "localhost");
        assert_eq!(pk["userVerification"], "required");
        assert_eq!(pk["allowCredentials"][0]["id"], "Y3JlZA");
        assert_eq!(pk["allowCredentials"][0]["type"], "public-key");
    }

    #[wasm_bindgen_test]
    fn assertion_fields_come_from_to_json() {
        let credential = json!({
            "id": "Y3JlZA", "rawId": "Y3JlZA", "type": "public-key",
            "response": {"clientDataJSON": "Y2Q", "authenticatorData": "YWQ", "signature": "c2ln"},
            "clientExtensionResults": {}
        });
        let a = assertion_from_json(&credential).unwrap();
        assert_eq!(a.credential_id, "Y3JlZA");
        assert_eq!(a.signature, "c2ln");
        assert!(!format!("{a:?}").contains("c2ln"));
        assert!(matches!(
            assertion_from_json(&json!({"id": "x"})),
            Err(WebAuthnError::Malformed(_))
        ));
    }
}
