//! The authorization matrix (issue 15): every operation the server routes × every role ×
//! a target in the holder's scope and one outside it, plus anonymous, with the exact outcome
//! of each cell.
//!
//! The operations are read from the running server's OpenAPI document, which the server's own
//! tests keep equal to the routes it registers (`server::openapi`, `.route(` calls): an
//! operation without a row here fails this test. To add an endpoint, add
//! 1. a [`Row`] to [`ROWS`] — what each cell answers ([`Outcome`]; [`signed_in`],
//!    [`scoped`], [`public`] cover the usual shapes), and
//! 2. an arm to [`World::call`] — the request, for the caller and the target (`Target::In`:
//!    something of unit A, `Target::Out`: of unit B) — unless it is a `GET` without path
//!    parameters, which is called as it is.
//!
//! The world: unit A = 620502-0004 (district 秦州区, supervised by 620502-0003), unit B =
//! 620500-0004 (the city's, supervised by 620500-0003). Every role holds a scope that covers A
//! and not B: a clerk of A, a supervisor of A's department, and a reviewer, administrator and
//! coordinator of region 620502.

use std::collections::BTreeSet;
use std::fmt;

use domain::{Action, EstablishmentCategory, Role, UnitId};
use protocol::ErrorBody;
use protocol::identity::{
    CeremonyFinish, DecisionVerdict, EnrolBeginRequest, NewHolder, RevokeRequest,
    SignInBeginRequest, SubmitResponse, VerdictStatus,
};
use tests::filing::{an_hour_ago, set_vacancy, vacant_category};
use tests::keys::{ApiClient, KeyHolder};
use tests::scenario::City;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Holder(Role),
}

/// What the call is about: unit A (in every role's scope) or unit B (in none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    In,
    Out,
}

/// What a cell answers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A success status.
    Ok(u16),
    /// An error status with its `ErrorBody.code`.
    Refused(u16, &'static str),
    /// 200 with a signed document's verdict: accepted, or rejected with its code.
    Accepted,
    /// 200 with a document check: genuine, and whether its status and particulars were shown.
    Checked {
        detail: bool,
    },
    Rejected(&'static str),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok(status) => write!(f, "{status}"),
            Outcome::Refused(status, code) => write!(f, "{status} {code}"),
            Outcome::Accepted => write!(f, "verdict accepted"),
            Outcome::Checked { detail } => write!(f, "genuine, detail shown: {detail}"),
            Outcome::Rejected(code) => write!(f, "verdict rejected {code}"),
        }
    }
}

const ROLES: [Role; 5] = [
    Role::UnitClerk,
    Role::Supervisor,
    Role::BureauReviewer,
    Role::BureauAdmin,
    Role::Coordinator,
];

/// One operation's expected outcomes.
struct Row {
    /// `METHOD /api/path` as the OpenAPI document names it.
    operation: &'static str,
    expect: fn(Caller, Target) -> Outcome,
}

const UNAUTHENTICATED: Outcome = Outcome::Refused(401, "unauthenticated");
const OUT_OF_SCOPE: Outcome = Outcome::Refused(403, "out_of_scope");

/// 401 without a session; `outcome` for a bureau administrator, `out_of_scope` for any other.
fn admin_only(caller: Caller, outcome: Outcome) -> Outcome {
    match caller {
        Caller::Anonymous => UNAUTHENTICATED,
        Caller::Holder(Role::BureauAdmin) => outcome,
        Caller::Holder(_) => OUT_OF_SCOPE,
    }
}

/// The same answer for everyone, signed in or not.
fn public(outcome: Outcome) -> Outcome {
    outcome
}

/// 401 without a session; `outcome` for every role, in scope or not.
fn signed_in(caller: Caller, outcome: Outcome) -> Outcome {
    match caller {
        Caller::Anonymous => UNAUTHENTICATED,
        Caller::Holder(_) => outcome,
    }
}

/// 401 without a session; `allowed` for the roles named, on a target in scope; `denied` for
/// every other cell.
fn scoped(
    caller: Caller,
    target: Target,
    roles: &[Role],
    allowed: Outcome,
    denied: Outcome,
) -> Outcome {
    match (caller, target) {
        (Caller::Anonymous, _) => UNAUTHENTICATED,
        (Caller::Holder(role), Target::In) if roles.contains(&role) => allowed,
        _ => denied,
    }
}

const ROWS: &[Row] = &[
    Row {
        operation: "GET /api/health",
        expect: |_, _| public(Outcome::Ok(200)),
    },
    Row {
        operation: "GET /api/openapi.json",
        expect: |_, _| public(Outcome::Ok(200)),
    },
    Row {
        // Needs no session: the code is the credential (a made-up one here).
        operation: "POST /api/enrolment/begin",
        expect: |_, _| public(Outcome::Refused(422, "enrolment_code_invalid")),
    },
    Row {
        operation: "POST /api/enrolment/finish",
        expect: |_, _| public(Outcome::Refused(400, "bad_request")),
    },
    Row {
        // A decoy for anyone: the answer does not tell who exists.
        operation: "POST /api/session/begin",
        expect: |_, _| public(Outcome::Ok(200)),
    },
    Row {
        operation: "POST /api/session/finish",
        expect: |_, _| public(Outcome::Refused(400, "bad_request")),
    },
    Row {
        operation: "GET /api/session",
        expect: |caller, _| signed_in(caller, Outcome::Ok(200)),
    },
    Row {
        operation: "DELETE /api/session",
        expect: |caller, _| signed_in(caller, Outcome::Ok(204)),
    },
    Row {
        operation: "POST /api/holders",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        operation: "POST /api/holders/enrolment",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        operation: "POST /api/credentials/revoke",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(204),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        // Everyone whose scope covers the unit reads it.
        operation: "GET /api/units/{id}/certificate",
        expect: |caller, target| scoped(caller, target, &ROLES, Outcome::Ok(200), OUT_OF_SCOPE),
    },
    Row {
        // A quota-use request signed by the caller: only the unit's clerk may file it.
        operation: "POST /api/envelopes",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::UnitClerk],
                Outcome::Accepted,
                Outcome::Rejected("out_of_scope"),
            )
        },
    },
    Row {
        // The caller's own step on the unit's quota-use request: the clerk withdraws it, the
        // supervisor endorses it, the bureau approves it (endorsed); an administrator or a
        // coordinator takes no step.
        operation: "POST /api/decisions",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::UnitClerk, Role::Supervisor, Role::BureauReviewer],
                Outcome::Accepted,
                Outcome::Rejected("out_of_scope"),
            )
        },
    },
    Row {
        // The published keys of the issued documents: anyone checks with them.
        operation: "GET /api/document-keys",
        expect: |_, _| public(Outcome::Ok(200)),
    },
    Row {
        // The signed head of the audit chain: anyone anchors an export on it.
        operation: "GET /api/audit/head",
        expect: |_, _| public(Outcome::Ok(200)),
    },
    Row {
        // A slip of the target's unit checked by its number: genuine for anyone; its status and
        // particulars only for a holder whose scope reads the unit.
        operation: "GET /api/documents/check",
        expect: |caller, target| match (caller, target) {
            (Caller::Holder(_), Target::In) => Outcome::Checked { detail: true },
            _ => Outcome::Checked { detail: false },
        },
    },
    Row {
        // The holders an administrator may administer (the list is filtered by region).
        operation: "GET /api/holders",
        expect: |caller, _| admin_only(caller, Outcome::Ok(200)),
    },
    Row {
        operation: "GET /api/holders/{id}",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        operation: "POST /api/holders/{id}/suspend",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        operation: "POST /api/holders/{id}/reinstate",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        // The 使用人员备案表 of a unit.
        operation: "GET /api/units/{id}/holder-register",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        // Every region-scoped holder sees the verification phase of its region.
        operation: "GET /api/verification",
        expect: |caller, _| match caller {
            Caller::Anonymous => UNAUTHENTICATED,
            Caller::Holder(Role::BureauReviewer | Role::BureauAdmin | Role::Coordinator) => {
                Outcome::Ok(200)
            }
            Caller::Holder(_) => OUT_OF_SCOPE,
        },
    },
    Row {
        // Those who import: the bureau's administrator and the unit's clerk.
        operation: "GET /api/import/template",
        expect: |caller, _| match caller {
            Caller::Anonymous => UNAUTHENTICATED,
            Caller::Holder(Role::BureauAdmin | Role::UnitClerk) => Outcome::Ok(200),
            Caller::Holder(_) => OUT_OF_SCOPE,
        },
    },
    Row {
        // The (empty) template checked for the target's unit: its administrator or its clerk.
        operation: "POST /api/import/check",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin, Role::UnitClerk],
                Outcome::Ok(200),
                OUT_OF_SCOPE,
            )
        },
    },
    Row {
        // One post more for the target's unit, signed by the caller: only the region's
        // administrator signs establishment changes.
        operation: "POST /api/acts",
        expect: |caller, target| {
            scoped(
                caller,
                target,
                &[Role::BureauAdmin],
                Outcome::Accepted,
                Outcome::Rejected("out_of_scope"),
            )
        },
    },
    Row {
        // Always the holder's own scope (what it holds is `sync_api`'s to test).
        operation: "GET /api/sync/pull",
        expect: |caller, _| signed_in(caller, Outcome::Ok(200)),
    },
];

/// The server, its two units and a signed-in holder of every role.
struct World {
    /// The server (kept running while the world lives).
    _city: City,
    a: UnitId,
    b: UnitId,
    category_a: EstablishmentCategory,
    category_b: EstablishmentCategory,
    anonymous: ApiClient,
    holders: Vec<(Role, KeyHolder)>,
    /// Those who move B's applications along: its clerk and its department's supervisor.
    clerk_b: KeyHolder,
    supervisor_b: KeyHolder,
    /// A reviewer of B's region, who approves B's slip for the document check.
    reviewer_b: KeyHolder,
    /// The number of an approved slip of A and of B, once one was issued.
    slips: [Option<String>; 2],
    /// A key holder of each unit, whose enrolment codes and keys the administrator handles.
    victim_a: KeyHolder,
    victim_b: KeyHolder,
    /// For unique ids.
    serial: u32,
}

impl World {
    async fn new() -> World {
        // The matrix signs in and begins ceremonies more often than a person could.
        let city = City::start_configured(|c| c.identity.rate_limit_per_minute = 10_000).await;
        let a = UnitId::parse("620502-0004").unwrap();
        let b = UnitId::parse("620500-0004").unwrap();
        let department_a = "620502-0003";
        let department_b = "620500-0003";
        let category_a = vacant_category(&city.pool, &a, 0).await;
        let category_b = vacant_category(&city.pool, &b, 0).await;
        set_vacancy(&city.pool, &a, category_a, 50).await;
        set_vacancy(&city.pool, &b, category_b, 50).await;
        let region = "region:620502";
        let mut holders = Vec::new();
        for role in ROLES {
            let scope = match role {
                Role::UnitClerk => format!("unit:{a}"),
                Role::Supervisor => format!("department:{department_a}"),
                _ => region.to_owned(),
            };
            let login = format!("matrix-{}", role.code());
            holders.push((role, city.holder(&login, role.code(), &scope).await));
        }
        World {
            anonymous: ApiClient::new(&city.server),
            clerk_b: city.clerk("matrix-clerk-b", &b).await,
            supervisor_b: city.supervisor("matrix-supervisor-b", &department_b).await,
            reviewer_b: city
                .holder("matrix-reviewer-b", "bureau_reviewer", "region:620500")
                .await,
            slips: [None, None],
            victim_a: city.enrolled_clerk("matrix-victim-a", &a).await,
            victim_b: city.enrolled_clerk("matrix-victim-b", &b).await,
            holders,
            _city: city,
            a,
            b,
            category_a,
            category_b,
            serial: 0,
        }
    }

    fn next(&mut self, what: &str) -> String {
        self.serial += 1;
        format!("matrix-{what}-{}", self.serial)
    }

    fn holder(&mut self, role: Role) -> &mut KeyHolder {
        &mut self
            .holders
            .iter_mut()
            .find(|(r, _)| *r == role)
            .expect("a holder of every role")
            .1
    }

    fn client(&mut self, caller: Caller) -> &ApiClient {
        match caller {
            Caller::Anonymous => &self.anonymous,
            Caller::Holder(role) => &self.holder(role).client,
        }
    }

    fn unit(&self, target: Target) -> (UnitId, EstablishmentCategory) {
        match target {
            Target::In => (self.a.clone(), self.category_a),
            Target::Out => (self.b.clone(), self.category_b),
        }
    }

    /// A quota-use request of the target's unit, filed by its clerk, endorsed by its
    /// supervisor when `endorsed`: its id.
    async fn application(&mut self, target: Target, endorsed: bool) -> String {
        let id = self.next("app");
        let (unit, category) = self.unit(target);
        let (clerk, supervisor) = match target {
            Target::In => {
                let clerk = self.holders.iter().position(|(r, _)| *r == Role::UnitClerk);
                let supervisor = self
                    .holders
                    .iter()
                    .position(|(r, _)| *r == Role::Supervisor);
                let (c, s) = (clerk.unwrap(), supervisor.unwrap());
                let [clerk, supervisor] = self.holders.get_disjoint_mut([c, s]).unwrap();
                (&mut clerk.1, &mut supervisor.1)
            }
            Target::Out => (&mut self.clerk_b, &mut self.supervisor_b),
        };
        clerk.file_quota_use(&id, &unit, category, 1).await;
        if endorsed {
            let verdict = supervisor
                .decide(&format!("{id}-e"), &id, Action::Endorse, "同意上报")
                .await;
            assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
        }
        id
    }

    /// The number of an approved quota-use slip of the target's unit (issued once, then kept).
    async fn slip(&mut self, target: Target) -> String {
        let index = usize::from(target == Target::Out);
        if let Some(number) = &self.slips[index] {
            return number.clone();
        }
        let application = self.application(target, true).await;
        let decision = self.next("approval");
        let reviewer = match target {
            Target::In => self.holder(Role::BureauReviewer),
            Target::Out => &mut self.reviewer_b,
        };
        let verdict = reviewer
            .decide(&decision, &application, Action::Approve, "同意")
            .await;
        assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
        let number = verdict.slip_number.expect("an approval issues a slip");
        self.slips[index] = Some(number.clone());
        number
    }

    /// Makes the call of `operation` for the cell and reads its outcome.
    async fn call(&mut self, operation: &str, caller: Caller, target: Target) -> Outcome {
        let (unit, category) = self.unit(target);
        let response = match operation {
            "GET /api/sync/pull" => self.client(caller).get("/api/sync/pull?limit=50").await,
            "POST /api/enrolment/begin" => {
                let body = EnrolBeginRequest {
                    code: "ABCD-EFGH-JKLM".into(),
                };
                self.client(caller)
                    .post("/api/enrolment/begin", &body)
                    .await
            }
            "POST /api/enrolment/finish" | "POST /api/session/finish" => {
                let path = operation.trim_start_matches("POST ");
                let body = CeremonyFinish {
                    ceremony: "no-such-ceremony".into(),
                    credential: serde_json::json!({}),
                };
                self.client(caller).post(path, &body).await
            }
            "POST /api/session/begin" => {
                let body = SignInBeginRequest {
                    login: "matrix-clerk-b".into(),
                };
                self.client(caller).post("/api/session/begin", &body).await
            }
            "DELETE /api/session" => {
                let response = self.client(caller).delete("/api/session").await;
                if let (Caller::Holder(role), 204) = (caller, response.status().as_u16()) {
                    self.holder(role).sign_in().await;
                }
                response
            }
            "POST /api/holders" => {
                let body = NewHolder {
                    login: self.next("holder"),
                    name: "矩阵测试".into(),
                    role: "unit_clerk".into(),
                    scope: format!("unit:{unit}"),
                    phone: String::new(),
                };
                self.client(caller).post("/api/holders", &body).await
            }
            "POST /api/holders/enrolment" => {
                let victim = match target {
                    Target::In => &self.victim_a,
                    Target::Out => &self.victim_b,
                };
                let body = SignInBeginRequest {
                    login: victim.created.holder.login.clone(),
                };
                self.client(caller)
                    .post("/api/holders/enrolment", &body)
                    .await
            }
            "POST /api/credentials/revoke" => {
                let victim = match target {
                    Target::In => &self.victim_a,
                    Target::Out => &self.victim_b,
                };
                let body = RevokeRequest {
                    credential_id: victim.credential_id.clone(),
                };
                self.client(caller)
                    .post("/api/credentials/revoke", &body)
                    .await
            }
            "GET /api/units/{id}/certificate" => {
                let path = format!("/api/units/{unit}/certificate");
                self.client(caller).get(&path).await
            }
            "POST /api/envelopes" => {
                let id = self.next("filed");
                let signed = match caller {
                    // Anonymous: a genuine envelope of A's clerk, carried without a session.
                    Caller::Anonymous => self
                        .holder(Role::UnitClerk)
                        .sign_quota_use(&id, &unit, category, 1),
                    Caller::Holder(role) => {
                        self.holder(role).sign_quota_use(&id, &unit, category, 1)
                    }
                };
                let body = protocol::identity::SubmitRequest {
                    submissions: vec![signed],
                };
                let response = self.client(caller).post("/api/envelopes", &body).await;
                if response.status() == 200 {
                    let mut verdicts: SubmitResponse = response.json().await.unwrap();
                    let verdict = verdicts.verdicts.remove(0);
                    return verdict_outcome(verdict.status, verdict.code);
                }
                response
            }
            "POST /api/decisions" => {
                let role = match caller {
                    Caller::Anonymous => Role::UnitClerk,
                    Caller::Holder(role) => role,
                };
                let (action, endorsed, note) = match role {
                    Role::UnitClerk => (Action::Withdraw, false, "不再需要"),
                    Role::Supervisor => (Action::Endorse, false, "同意上报"),
                    _ => (Action::Approve, true, "同意"),
                };
                let application = self.application(target, endorsed).await;
                let decision = self.next("decision");
                let holder = self.holder(role);
                let bytes = holder.decision_bytes(&decision, &application, action, note);
                let signed = holder.sign(&bytes);
                let body = protocol::identity::DecideRequest { submission: signed };
                let response = self.client(caller).post("/api/decisions", &body).await;
                if response.status() == 200 {
                    let verdict: DecisionVerdict = response.json().await.unwrap();
                    return verdict_outcome(verdict.status, verdict.code);
                }
                response
            }
            "GET /api/documents/check" => {
                let number = self.slip(target).await;
                let path = format!("/api/documents/check?number={}", encode(&number));
                let response = self.client(caller).get(&path).await;
                if response.status() == 200 {
                    let check: protocol::documents::DocumentCheck = response.json().await.unwrap();
                    assert!(check.genuine, "{check:?}");
                    assert_eq!(check.number.as_deref(), Some(number.as_str()));
                    return Outcome::Checked {
                        detail: check.detail.is_some(),
                    };
                }
                response
            }
            "GET /api/holders/{id}"
            | "POST /api/holders/{id}/suspend"
            | "POST /api/holders/{id}/reinstate" => {
                let victim = match target {
                    Target::In => self.victim_a.id.clone(),
                    Target::Out => self.victim_b.id.clone(),
                };
                let (method, rest) = operation.split_once(' ').expect("METHOD /path");
                let path = rest.replace("{id}", &victim);
                if method == "GET" {
                    self.client(caller).get(&path).await
                } else {
                    let body = protocol::admin::HolderStatusChange {
                        reason: "矩阵测试".into(),
                    };
                    let response = self.client(caller).post(&path, &body).await;
                    // A suspension that took is lifted again, so the victim keeps its key.
                    if response.status() == 200 && path.ends_with("/suspend") {
                        let reinstate = path.replace("/suspend", "/reinstate");
                        let lifted = self.client(caller).post(&reinstate, &body).await;
                        assert_eq!(lifted.status(), 200, "{reinstate}");
                    }
                    response
                }
            }
            "GET /api/units/{id}/holder-register" => {
                let path = format!("/api/units/{unit}/holder-register");
                self.client(caller).get(&path).await
            }
            "POST /api/import/check" => {
                let template = self
                    .holder(Role::BureauAdmin)
                    .client
                    .get("/api/import/template")
                    .await
                    .bytes()
                    .await
                    .expect("the template");
                let client = self.client(caller);
                let url = format!("{}/api/import/check?unit={unit}", client.base);
                client
                    .with_session(client.http.post(url).body(template.to_vec()))
                    .send()
                    .await
                    .expect("the test server answers")
            }
            "POST /api/acts" => {
                let id = self.next("act");
                let number = format!("天编发〔2026〕{}号", 500 + self.serial);
                let payload = domain::act::ActPayload::EstablishmentChange(
                    domain::act::EstablishmentChange {
                        unit: unit.clone(),
                        row: domain::LedgerRow {
                            document: domain::DocumentNumber::parse(&number).unwrap(),
                            date: domain::Date::parse("2026-11-02").unwrap(),
                            title: "关于核增编制的批复".into(),
                            changes: [(category, domain::HeadcountDelta::new(1))].into(),
                            note: None,
                        },
                        over_establishment: false,
                    },
                );
                // Anonymous: a genuine act of the administrator, carried without a session.
                let role = match caller {
                    Caller::Anonymous => Role::BureauAdmin,
                    Caller::Holder(role) => role,
                };
                let holder = self.holder(role);
                let bytes = domain::act::SignedAct::new(
                    domain::DecisionId::parse(&id).unwrap(),
                    domain::UserId::parse(&holder.id).unwrap(),
                    domain::CredentialId::parse(&holder.credential_id).unwrap(),
                    an_hour_ago(),
                    &payload,
                )
                .unwrap()
                .canonical_bytes()
                .unwrap();
                let submission = holder.sign(&bytes);
                let body = protocol::admin::ActRequest { submission };
                let response = self.client(caller).post("/api/acts", &body).await;
                if response.status() == 200 {
                    let verdict: protocol::admin::ActVerdict = response.json().await.unwrap();
                    return verdict_outcome(verdict.status, verdict.code);
                }
                response
            }
            // A GET without path parameters needs no arm of its own.
            get if get.starts_with("GET /") && !get.contains('{') => {
                let path = get.trim_start_matches("GET ");
                self.client(caller).get(path).await
            }
            other => panic!("{other} has a row but no call: add an arm to World::call"),
        };
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Outcome::Ok(status);
        }
        let body: ErrorBody = response.json().await.expect("an ErrorBody");
        Outcome::Refused(status, leak(body.code))
    }
}

/// `text` percent-encoded for a query string (a document number is Chinese and brackets).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn verdict_outcome(status: VerdictStatus, code: Option<String>) -> Outcome {
    match status {
        VerdictStatus::Accepted => Outcome::Accepted,
        _ => Outcome::Rejected(leak(code.unwrap_or_default())),
    }
}

/// Codes are few and the test is short: compared as `&'static str`.
fn leak(code: String) -> &'static str {
    Box::leak(code.into_boxed_str())
}

/// `METHOD /api/path` of every operation of the served OpenAPI document.
async fn served_operations(client: &ApiClient) -> BTreeSet<String> {
    let document: serde_json::Value = client.get("/api/openapi.json").await.json().await.unwrap();
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                operations.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    operations
}

#[tokio::test]
async fn every_operation_answers_every_role_in_and_out_of_scope_and_anonymous_exactly() {
    let mut world = World::new().await;
    let served = served_operations(&world.anonymous).await;
    let rows: BTreeSet<String> = ROWS.iter().map(|r| r.operation.to_owned()).collect();
    let missing: Vec<_> = served.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "operations without a row in the authorization matrix (add a Row to ROWS and an arm to \
         World::call): {missing:?}"
    );
    let stale: Vec<_> = rows.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "rows of operations no longer served: {stale:?}"
    );

    let mut cells = vec![(Caller::Anonymous, Target::In)];
    for role in ROLES {
        for target in [Target::In, Target::Out] {
            cells.push((Caller::Holder(role), target));
        }
    }
    let mut wrong = Vec::new();
    let mut checked = 0;
    for row in ROWS {
        for &(caller, target) in &cells {
            let want = (row.expect)(caller, target);
            let got = world.call(row.operation, caller, target).await;
            if got != want {
                wrong.push(format!(
                    "{} as {caller:?} on {target:?}: {got} (expected {want})",
                    row.operation
                ));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ROWS.len() * 11);
    assert!(
        wrong.is_empty(),
        "{} cells differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
