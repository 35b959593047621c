//! The OpenAPI 3.1 document of the JSON API, `GET /api/openapi.json`, generated from the code
//! with utoipa: the wire types of `protocol` (`ToSchema` behind its `openapi` feature), the
//! handlers' `#[utoipa::path]` attributes, and [`RejectionCode`], every code a refusal can
//! carry, listed from the constants the server answers with ([`rejection_codes`]).
//!
//! The tests check that the document and the routers list the same operations, and that every code
//! a handler gives is listed.

use std::borrow::Cow;
use std::sync::LazyLock;

use axum::Json;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::signed::refusal::Refusal;

/// The document's description.
const DESCRIPTION: &str = "\
The JSON API of the electronic staffing certificate (电子编制管理证) server. Every error answers \
with `ErrorBody` `{code, message}`: `code` is stable and machine-readable, `message` is Chinese \
for people. Signed applications and decisions get verdicts whose `code` says why they were not \
accepted. `RejectionCode` lists every code either can carry, with its meaning.

Sessions are the `dzbz_session` cookie set by `POST /api/session/finish`; every state-changing \
request after sign-in carries the session's CSRF token in `x-csrf-token`. The prose \
documentation is `docs/API.md` in the repository.";

/// The OpenAPI document of `/api`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "电子编制管理证 API",
        version = env!("CARGO_PKG_VERSION"),
        description = DESCRIPTION,
    ),
    paths(
        crate::routes::health,
        document,
        crate::identity::keys::enrol_begin,
        crate::identity::keys::enrol_finish,
        crate::identity::keys::sign_in_begin,
        crate::identity::keys::sign_in_finish,
        crate::identity::session::current,
        crate::identity::session::sign_out,
        crate::identity::holders::create,
        crate::identity::holders::new_enrolment_code,
        crate::identity::keys::revoke,
        crate::identity::admin::list,
        crate::identity::admin::holder,
        crate::identity::admin::suspend,
        crate::identity::admin::reinstate,
        crate::identity::admin::register,
        crate::identity::admin::verification,
        crate::identity::units::certificate,
        crate::signed::application::submit,
        crate::signed::decision::decide,
        crate::signed::act::submit,
        crate::roster::download_template,
        crate::roster::check,
        crate::sync::pull::pull,
    ),
    components(schemas(RejectionCode, protocol::ErrorBody)),
    modifiers(&SessionSecurity, &CodesAreRejectionCodes),
    tags(
        (name = "meta", description = "The server itself (服务状态)"),
        (name = "identity", description = "Enrolling security keys, signing in, key holders (安全密钥与使用人员)"),
        (name = "signed", description = "Signed applications and decisions, certificates (签名申请与审批)"),
        (name = "sync", description = "Pulling the holder's scope (数据同步)"),
        (name = "admin", description = "The bureau's administration: key holders, signed acts, roster import, verification (编办管理)"),
    ),
)]
pub struct ApiDoc;

/// The document, built once.
static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(ApiDoc::openapi);

/// `GET /api/openapi.json`.
#[utoipa::path(
    get,
    path = protocol::OPENAPI_PATH,
    operation_id = "openapi_document",
    tag = "meta",
    summary = "This OpenAPI document (接口说明文档)",
    description = "The OpenAPI 3.1 document of the JSON API, generated from the server's code.",
    responses((status = 200, description = "the document", body = Object)),
)]
pub async fn document() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(LazyLock::force(&DOCUMENT))
}

/// Names the security schemes the operations refer to: the session cookie and the CSRF header.
struct SessionSecurity;

impl Modify for SessionSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi
            .components
            .get_or_insert_with(|| ComponentsBuilder::new().build());
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::identity::session::COOKIE,
                "the session, set by POST /api/session/finish (HttpOnly; Secure; SameSite=Strict)",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                protocol::identity::CSRF_HEADER,
                "the session's CSRF token (SessionInfo.csrf_token), on every state-changing request",
            ))),
        );
    }
}

/// Types the `code` of `ErrorBody`, `Verdict` and `DecisionVerdict` as a [`RejectionCode`]
/// (`protocol` carries it as a string, knowing no list of codes).
struct CodesAreRejectionCodes;

impl Modify for CodesAreRejectionCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, nullable) in [
            ("ErrorBody", false),
            ("Verdict", true),
            ("DecisionVerdict", true),
        ] {
            let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) else {
                continue;
            };
            let Some(code) = object.properties.get_mut("code") else {
                continue;
            };
            let description = match code {
                RefOr::T(Schema::Object(property)) => property.description.clone(),
                _ => None,
            };
            let mut reference = Ref::from_schema_name(RejectionCode::name());
            reference.description = description.unwrap_or_default();
            *code = if nullable {
                OneOfBuilder::new()
                    .item(ObjectBuilder::new().schema_type(Type::Null))
                    .item(reference)
                    .into()
            } else {
                reference.into()
            };
        }
    }
}

/// Every code a refusal can carry, each once: those of signed documents' verdicts
/// ([`Refusal::codes`]: the verifier's, then each kind's), then those of
/// [`crate::error::ApiError`].
pub fn rejection_codes() -> Vec<&'static str> {
    let all = Refusal::codes()
        .into_iter()
        .chain(crate::error::ApiError::codes());
    let mut codes: Vec<&'static str> = Vec::new();
    for code in all {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The published API documentation, where each code's meaning is written in English and, for
/// verdicts, in Chinese.
const API_DOC: &str = include_str!("../../docs/API.md");

/// One row of a code table of the documentation.
struct Documented {
    /// The HTTP status of a request error, or a verdict's status.
    status: &'static str,
    meaning: &'static str,
    /// The verdict tables' `中文提示`.
    chinese: Option<&'static str>,
}

/// The rows of the documentation's code tables for `code` (some codes are in several).
fn documented(code: &str) -> Vec<Documented> {
    let prefix = format!("| `{code}` |");
    API_DOC
        .lines()
        .filter_map(|line| line.strip_prefix(prefix.as_str()))
        .filter_map(|rest| {
            let mut cells = rest.split('|').map(str::trim);
            let status = cells.next()?;
            let meaning = cells.next()?;
            let chinese = cells.next().filter(|cell| !cell.is_empty());
            Some(Documented {
                status,
                meaning,
                chinese,
            })
        })
        .collect()
}

/// The component schema `RejectionCode`: a string enumeration of [`rejection_codes`], each
/// explained (in the description's table and, one per value, in `x-enum-descriptions`).
pub struct RejectionCode;

impl PartialSchema for RejectionCode {
    fn schema() -> RefOr<Schema> {
        let codes = rejection_codes();
        let mut table = String::from(
            "Every code the server gives in `ErrorBody.code` (a refused request) or in a \
             verdict's `code` (a signed application or decision not accepted). The status is \
             the HTTP status of a request error, or the verdict's status.\n\n\
             | code | status | meaning | 中文提示 |\n|---|---|---|---|\n",
        );
        let mut explained = Vec::with_capacity(codes.len());
        for code in &codes {
            let rows = documented(code);
            for row in &rows {
                table.push_str(&format!(
                    "| `{code}` | {} | {} | {} |\n",
                    row.status,
                    row.meaning,
                    row.chinese.unwrap_or("")
                ));
            }
            let text: Vec<String> = rows
                .iter()
                .map(|row| match row.chinese {
                    Some(chinese) => format!("{} ({}): {chinese}", row.meaning, row.status),
                    None => format!("{} ({})", row.meaning, row.status),
                })
                .collect();
            explained.push(text.join("; "));
        }
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(table))
            .enum_values(Some(codes))
            .extensions(Some(
                ExtensionsBuilder::new()
                    .add("x-enum-descriptions", explained)
                    .build(),
            ))
            .into()
    }
}

impl ToSchema for RejectionCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("RejectionCode")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;

    fn json() -> Value {
        serde_json::to_value(ApiDoc::openapi()).unwrap()
    }

    /// `(METHOD, path)` of every operation in the document.
    fn documented_operations() -> BTreeSet<(String, String)> {
        let doc = json();
        let mut operations = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in ["get", "put", "post", "delete", "patch"] {
                if item.get(method).is_some() {
                    operations.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        operations
    }

    /// Every `.rs` file under `src/` with its path relative to `src/`, this one excepted (its
    /// tests quote the patterns they look for).
    fn sources() -> Vec<(String, String)> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let name = path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    if name != "openapi.rs" {
                        out.push((name, std::fs::read_to_string(&path).unwrap()));
                    }
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        out
    }

    /// The string literal that opens the argument list after each `pattern` (`refused(` →
    /// `"login_taken"`); calls whose first argument is not a literal are skipped.
    fn literals_after<'a>(source: &'a str, pattern: &str) -> Vec<(usize, &'a str)> {
        source
            .match_indices(pattern)
            .filter_map(|(at, _)| {
                let rest = source[at + pattern.len()..].trim_start();
                let literal = rest.strip_prefix('"')?;
                Some((at, &literal[..literal.find('"')?]))
            })
            .collect()
    }

    /// `(METHOD, /api…)` of every `.route(…)` in the sources: every router of the server is
    /// mounted at `/api`.
    fn routed_operations() -> BTreeSet<(String, String)> {
        let mut operations = BTreeSet::new();
        for (_, source) in sources() {
            for (at, path) in literals_after(&source, ".route(") {
                // The call's text, up to its closing parenthesis.
                let call = &source[at + ".route(".len()..];
                let mut depth = 1;
                let end = call
                    .char_indices()
                    .find(|&(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map(|(i, _)| i)
                    .unwrap();
                let call = &call[..end];
                for method in ["get", "put", "post", "delete", "patch"] {
                    let routed = call.match_indices(&format!("{method}(")).any(|(i, _)| {
                        !call[..i]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                    });
                    if routed {
                        operations.insert((method.to_uppercase(), format!("/api{path}")));
                    }
                }
            }
        }
        operations
    }

    #[test]
    fn the_document_is_openapi_3_1_with_title_and_version() {
        let doc = json();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["title"], "电子编制管理证 API");
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
        // Every reference resolves to a component schema.
        let text = doc.to_string();
        for (at, _) in text.match_indices("\"$ref\":\"#/components/schemas/") {
            let name = &text[at + "\"$ref\":\"#/components/schemas/".len()..];
            let name = &name[..name.find('"').unwrap()];
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{name} is referenced but not defined"
            );
        }
    }

    #[test]
    fn the_document_lists_exactly_the_routed_operations() {
        let routed = routed_operations();
        assert!(routed.len() >= 15, "{routed:?}");
        assert_eq!(documented_operations(), routed);
    }

    #[test]
    fn the_protocol_paths_are_documented() {
        let paths: BTreeSet<String> = documented_operations()
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        for path in [
            protocol::HEALTH_PATH,
            protocol::OPENAPI_PATH,
            protocol::identity::ENROL_BEGIN_PATH,
            protocol::identity::ENROL_FINISH_PATH,
            protocol::identity::SIGN_IN_BEGIN_PATH,
            protocol::identity::SIGN_IN_FINISH_PATH,
            protocol::identity::SESSION_PATH,
            protocol::identity::ENVELOPES_PATH,
            protocol::identity::DECISIONS_PATH,
            protocol::identity::HOLDERS_PATH,
            protocol::identity::REVOKE_PATH,
            protocol::sync::SYNC_PULL_PATH,
        ] {
            assert!(paths.contains(path), "{path} is not in the document");
        }
    }

    /// Each documented operation reaches a handler: neither the `/api` fallback (404) nor a
    /// method the route lacks (405).
    #[tokio::test]
    async fn every_documented_operation_is_served() {
        let config = crate::config::Config::default();
        let state = crate::state::AppState {
            pool: crate::db::unconnected().unwrap(),
            identity: crate::identity::state(&config).unwrap(),
            config: std::sync::Arc::new(config),
            clock: crate::clock::Clock::default(),
        };
        let router = crate::startup::router(state);
        for (method, path) in documented_operations() {
            let uri = path.replace("{id}", "620502-0001");
            let request = Request::builder()
                .method(Method::from_bytes(method.as_bytes()).unwrap())
                .uri(&uri)
                .body(Body::empty())
                .unwrap();
            let status = router.clone().oneshot(request).await.unwrap().status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}: {status}"
            );
        }
    }

    #[test]
    fn every_rejection_code_is_in_the_document_with_its_meaning() {
        let doc = json();
        let schema = &doc["components"]["schemas"]["RejectionCode"];
        assert_eq!(schema["type"], "string");
        let listed: Vec<&str> = schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let expected = Refusal::codes()
            .into_iter()
            .chain(crate::error::ApiError::codes())
            .collect::<BTreeSet<_>>();
        assert_eq!(listed.iter().copied().collect::<BTreeSet<_>>(), expected);
        assert_eq!(listed.len(), expected.len(), "a code is listed twice");
        assert!(listed.len() >= 26 + 4 + 9 + 6, "{}", listed.len());
        let explained = schema["x-enum-descriptions"].as_array().unwrap();
        assert_eq!(explained.len(), listed.len());
        for (code, text) in listed.iter().zip(explained) {
            assert!(
                !text.as_str().unwrap().is_empty(),
                "{code} has no meaning in docs/API.md"
            );
        }
        for name in ["ErrorBody", "Verdict", "DecisionVerdict"] {
            let code = doc["components"]["schemas"][name]["properties"]["code"].to_string();
            assert!(
                code.contains("#/components/schemas/RejectionCode"),
                "{name}.code: {code}"
            );
        }
        let description = schema["description"].as_str().unwrap();
        assert!(
            description.contains("| `signature_invalid` | rejected | signature does not verify")
        );
        assert!(description.contains("签名无效"));
    }

    /// The codes of request errors are listed by hand beside the handlers that give them
    /// (`error::FORBIDDEN_CODES`, `error::REFUSED_CODES`): every code literal the handlers give
    /// must be in its list, so a new one cannot be missing from the document. (The verdicts'
    /// codes cannot be: they are [`Refusal`]'s, written in its one table.)
    #[test]
    fn every_code_the_handlers_give_is_listed() {
        let all = rejection_codes();
        let mut seen = 0;
        for (file, source) in sources() {
            for (_, code) in literals_after(&source, "forbidden(") {
                assert!(
                    crate::error::FORBIDDEN_CODES.contains(&code),
                    "{file}: forbidden({code:?}) is missing from error::FORBIDDEN_CODES"
                );
                seen += 1;
            }
            for (_, code) in literals_after(&source, "refused(") {
                assert!(
                    crate::error::REFUSED_CODES.contains(&code) && all.contains(&code),
                    "{file}: refused({code:?}) is missing from error::REFUSED_CODES"
                );
                seen += 1;
            }
        }
        assert!(seen >= 20, "the patterns found only {seen} codes");
    }
}
