//! Identity over real HTTP with a software security key (webauthn-authenticator-rs SoftToken):
//! enrolment, sign-in, sessions and CSRF, scopes, revocation, and signed envelopes — accepted,
//! replayed, and refused at the endpoint.

use domain::canonical::base64url;
use domain::envelope::EnvelopeHeader;
use domain::ids::{ApplicationId, ClientId, CredentialId};
use domain::payload::{ApplicationPayload, QuotaUseRequest};
use domain::person::EntryForm;
use domain::{EstablishmentCategory, Headcount, SignedEnvelope, UnitId, UserId};
use protocol::identity::{
    EnrolBeginRequest, HolderCreated, NewHolder, RevokeRequest, SessionInfo, SignInBeginRequest,
    SignedSubmission, SubmitRequest, SubmitResponse, VerdictStatus,
};
use tests::filing::an_hour_ago;
use tests::keys::{ApiClient, KeyHolder, create_holder, error_code};
use tests::scenario::City;
use tests::schema;
use webauthn_authenticator_rs::softtoken::SoftToken;

type Client = ApiClient;

/// What these tests do with a key holder beyond the shared harness.
trait Filing {
    fn sign_envelope(&mut self, envelope: &SignedEnvelope) -> SignedSubmission;
    fn envelope(&self, application: &str, unit: &str, sequence: u64) -> SignedEnvelope;
    fn envelope_with(
        &self,
        application: &str,
        unit: &str,
        sequence: u64,
        count: u32,
        reason: &str,
    ) -> SignedEnvelope;
    async fn submit(&self, submissions: Vec<SignedSubmission>) -> SubmitResponse;
    async fn with_delete(&self, path: &str) -> u16;
}

impl Filing for KeyHolder {
    /// Signs an envelope's canonical bytes offline.
    fn sign_envelope(&mut self, envelope: &SignedEnvelope) -> SignedSubmission {
        self.sign(&envelope.canonical_bytes().unwrap())
    }

    fn envelope(&self, application: &str, unit: &str, sequence: u64) -> SignedEnvelope {
        self.envelope_with(
            application,
            unit,
            sequence,
            1,
            "业务量增加，申请使用空编一名",
        )
    }

    fn envelope_with(
        &self,
        application: &str,
        unit: &str,
        sequence: u64,
        count: u32,
        reason: &str,
    ) -> SignedEnvelope {
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse(application).unwrap(),
            client_id: ClientId::parse("client-test").unwrap(),
            sequence,
            signer: UserId::parse(&self.created.holder.id).unwrap(),
            credential_id: CredentialId::parse(&self.credential_id).unwrap(),
            unit: UnitId::parse(unit).unwrap(),
            created_at: an_hour_ago(),
        };
        let payload = ApplicationPayload::QuotaUse(QuotaUseRequest {
            category: EstablishmentCategory::Administrative,
            funding_form: None,
            count: Headcount::new(count),
            recruitment: EntryForm::Examination,
            reason: reason.into(),
            request_document: None,
        });
        SignedEnvelope::new(header, &payload).unwrap()
    }

    async fn with_delete(&self, path: &str) -> u16 {
        self.client.delete(path).await.status().as_u16()
    }

    async fn submit(&self, submissions: Vec<SignedSubmission>) -> SubmitResponse {
        SubmitResponse {
            verdicts: self.push(submissions).await,
        }
    }
}

#[tokio::test]
async fn a_clerk_enrols_signs_in_and_an_offline_envelope_is_accepted_once() {
    let city = City::start().await;
    let unit = &city.units().await[0];
    let mut clerk = city.enrolled_clerk("clerk-a", unit).await;
    let created = &clerk.created;
    assert!(
        created
            .enrolment_link
            .ends_with(&format!("/enrol#code={}", created.enrolment_code))
    );
    let code = created.enrolment_code.clone();

    // The code is single-use.
    let again = Client::new(&city.server)
        .post("/api/enrolment/begin", &EnrolBeginRequest { code })
        .await;
    assert_eq!(
        error_code(again).await,
        (422, "enrolment_code_invalid".into())
    );

    let info = clerk.sign_in().await;
    assert_eq!(info.credential_ids, vec![clerk.credential_id.clone()]);
    assert_eq!(info.rp_id, "localhost");
    let me: SessionInfo = clerk.client.get("/api/session").await.json().await.unwrap();
    assert_eq!(me.holder.login, "clerk-a");

    // Signed "offline" (no server involved), submitted later: accepted, and a repeat gets the
    // same verdict without a second record.
    let envelope = clerk.envelope("app-0001", unit.as_str(), 1);
    let signed = clerk.sign_envelope(&envelope);
    let first = clerk.submit(vec![signed.clone()]).await;
    assert_eq!(
        first.verdicts[0].status,
        VerdictStatus::Accepted,
        "{:?}",
        first.verdicts[0]
    );
    assert_eq!(
        first.verdicts[0].application_id.as_deref(),
        Some("app-0001")
    );
    let repeat = clerk.submit(vec![signed]).await;
    assert_eq!(repeat.verdicts, first.verdicts);
    let stored = schema::envelopes(&city.pool, "app-0001").await.len();
    assert_eq!(stored, 1);

    // Another envelope under the same application id is refused.
    let other = clerk.envelope("app-0001", unit.as_str(), 2);
    let signed_other = clerk.sign_envelope(&other);
    let reused = clerk.submit(vec![signed_other]).await;
    assert_eq!(
        reused.verdicts[0].code.as_deref(),
        Some("application_id_reused")
    );

    // Every state change is in an intact audit chain.
    let actions = schema::audit_actions(&city.pool).await;
    for action in [
        "holder.create",
        "credential.enrol",
        "session.start",
        "envelope.accept",
        "envelope.reject",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} missing from {actions:?}"
        );
    }
    assert!(matches!(
        server::db::audit::verify(&city.pool).await.unwrap(),
        server::db::audit::ChainReport::Intact { .. }
    ));
}

#[tokio::test]
async fn a_clerk_can_neither_read_nor_write_another_units_data() {
    let city = City::start().await;
    let units = city.units().await;
    let (own, other) = (&units[0], &units[units.len() - 1]);
    let mut clerk = city.enrolled_clerk("clerk-b", own).await;

    // Nothing without a session.
    let anonymous = clerk
        .client
        .get(&format!("/api/units/{own}/certificate"))
        .await;
    assert_eq!(error_code(anonymous).await, (401, "unauthenticated".into()));

    clerk.sign_in().await;
    assert_eq!(
        clerk
            .client
            .get(&format!("/api/units/{own}/certificate"))
            .await
            .status(),
        200
    );
    // A clerk reading their own unit is not audited; every other read of personal data is.
    let audited = || schema::audit_count(&city.pool, "certificate.read");
    assert_eq!(audited().await, 0);
    let denied = clerk
        .client
        .get(&format!("/api/units/{other}/certificate"))
        .await;
    assert_eq!(error_code(denied).await, (403, "out_of_scope".into()));

    let foreign = clerk.envelope("app-foreign", other.as_str(), 1);
    let signed_foreign = clerk.sign_envelope(&foreign);
    let verdict = clerk.submit(vec![signed_foreign]).await;
    assert_eq!(verdict.verdicts[0].status, VerdictStatus::Rejected);
    assert_eq!(verdict.verdicts[0].code.as_deref(), Some("out_of_scope"));

    // A clerk cannot create key holders either.
    let new = NewHolder {
        login: "x".into(),
        name: "某人".into(),
        role: "unit_clerk".into(),
        scope: format!("unit:{other}"),
        phone: String::new(),
    };
    let refused = clerk.client.post("/api/holders", &new).await;
    assert_eq!(error_code(refused).await, (403, "out_of_scope".into()));
}

#[tokio::test]
async fn state_changes_need_the_csrf_token_and_our_origin() {
    let city = City::start().await;
    let unit = &city.units().await[0];
    let mut clerk = city.clerk("clerk-c", unit).await;
    let envelope = clerk.envelope("app-csrf", unit.as_str(), 1);
    let signed = clerk.sign_envelope(&envelope);

    let csrf = clerk.client.csrf.take();
    let without = clerk
        .client
        .post(
            "/api/envelopes",
            &SubmitRequest {
                submissions: vec![signed.clone()],
            },
        )
        .await;
    assert_eq!(error_code(without).await, (403, "csrf_invalid".into()));
    clerk.client.csrf = csrf;

    let origin = std::mem::replace(&mut clerk.client.origin, "http://evil.example".into());
    let cross = clerk
        .client
        .post(
            "/api/envelopes",
            &SubmitRequest {
                submissions: vec![signed],
            },
        )
        .await;
    assert_eq!(error_code(cross).await, (403, "origin_invalid".into()));
    clerk.client.origin = origin;

    // Sign-out ends the session for good.
    let out = clerk.with_delete("/api/session").await;
    assert_eq!(out, 204);
    assert_eq!(clerk.client.get("/api/session").await.status(), 401);
}

#[tokio::test]
async fn a_revoked_key_is_refused_everywhere_at_once() {
    let city = City::start().await;
    let unit = &city.units().await[0];
    let admin = city.administrator("admin").await;

    // The administrator registers the clerk through the API.
    let new = NewHolder {
        login: "clerk-d".into(),
        name: "李明".into(),
        role: "unit_clerk".into(),
        scope: format!("unit:{unit}"),
        phone: String::new(),
    };
    let response = admin.client.post("/api/holders", &new).await;
    assert_eq!(response.status(), 200);
    let created: HolderCreated = response.json().await.unwrap();
    let mut clerk = KeyHolder::enrolled(&city.server, created).await;
    clerk.sign_in().await;
    let envelope = clerk.envelope("app-revoked", unit.as_str(), 1);
    let signed_before = clerk.sign_envelope(&envelope);

    let revoked = admin
        .client
        .post(
            "/api/credentials/revoke",
            &RevokeRequest {
                credential_id: clerk.credential_id.clone(),
            },
        )
        .await;
    assert_eq!(revoked.status(), 204);

    // The clerk's session is gone, and the signature made before revocation is refused too.
    assert_eq!(clerk.client.get("/api/session").await.status(), 401);
    let relayed = admin.submit(vec![signed_before]).await;
    assert_eq!(
        relayed.verdicts[0].code.as_deref(),
        Some("credential_revoked")
    );
    // Nor can the clerk sign in again with it: the revoked key is not offered (the answer is
    // a decoy, as for any login without a usable key).
    let begin: serde_json::Value = clerk
        .client
        .post(
            "/api/session/begin",
            &SignInBeginRequest {
                login: "clerk-d".into(),
            },
        )
        .await
        .json()
        .await
        .unwrap();
    let offered = begin["options"]["publicKey"]["allowCredentials"].to_string();
    assert!(!offered.contains(&clerk.credential_id), "{offered}");
}

#[tokio::test]
async fn endpoint_level_rejections_have_their_codes() {
    let city = City::start().await;
    let units = city.units().await;
    let mut clerk = city.clerk("clerk-e", &units[0]).await;

    let good = clerk.sign_envelope(&clerk.envelope("app-e1", units[0].as_str(), 1));
    let mut bad_base64 = good.clone();
    bad_base64.signature = "not base64url!".into();
    let mut mismatch = clerk.sign_envelope(&clerk.envelope("app-e2", units[0].as_str(), 2));
    mismatch.credential_id = base64url(b"no such credential");
    // An envelope that names a credential the server has never seen.
    let mut naming_unknown = clerk.envelope("app-e6", units[0].as_str(), 6);
    naming_unknown.credential_id = CredentialId::parse(&base64url(b"no such credential")).unwrap();
    let mut unknown_key = clerk.sign_envelope(&naming_unknown);
    unknown_key.credential_id = base64url(b"no such credential");
    let unknown_unit = clerk.sign_envelope(&clerk.envelope("app-e3", "620599-9999", 3));
    let mut tampered = clerk.sign_envelope(&clerk.envelope("app-e4", units[0].as_str(), 4));
    let mut bytes = domain::canonical::base64url_decode(&tampered.envelope).unwrap();
    // Change one character of the signed bytes, keeping them canonical JSON.
    let at = bytes.windows(11).position(|w| w == b"client-test").unwrap();
    bytes[at + 10] = b'u';
    tampered.envelope = base64url(&bytes);

    // Signed by the key, but breaking the payload's own rules (domain): refused by the server
    // whatever the client checked.
    let zero_posts =
        clerk.sign_envelope(&clerk.envelope_with("app-e7", units[0].as_str(), 7, 0, "理由"));
    let no_reason =
        clerk.sign_envelope(&clerk.envelope_with("app-e8", units[0].as_str(), 8, 1, "  "));
    let response = clerk
        .submit(vec![
            bad_base64,
            mismatch,
            unknown_unit,
            tampered,
            good,
            unknown_key,
            zero_posts,
            no_reason,
        ])
        .await;
    let codes: Vec<Option<&str>> = response
        .verdicts
        .iter()
        .map(|v| v.code.as_deref())
        .collect();
    assert_eq!(
        codes,
        vec![
            Some("malformed_base64"),
            Some("credential_id_mismatch"),
            Some("unit_unknown"),
            Some("challenge_mismatch"),
            None,
            Some("credential_unknown"),
            Some("payload_invalid"),
            Some("payload_invalid"),
        ]
    );
    assert_eq!(response.verdicts[4].status, VerdictStatus::Accepted);
    let reasons: Vec<&str> = response.verdicts[6..]
        .iter()
        .filter_map(|v| v.message.as_deref())
        .collect();
    assert!(
        reasons[0].contains("申请数量") && reasons[1].contains("申请理由"),
        "{reasons:?}"
    );

    // An oversized request body is refused before it is read.
    let mut oversized = clerk.sign_envelope(&clerk.envelope("app-e5", units[0].as_str(), 5));
    oversized.envelope = "A".repeat(2 * 1024 * 1024);
    let big = clerk
        .client
        .post(
            "/api/envelopes",
            &SubmitRequest {
                submissions: vec![oversized],
            },
        )
        .await;
    assert_eq!(big.status(), 413);
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_address() {
    let city = City::start().await;
    let client = Client::new(&city.server);
    let limit = city.server.config().identity.rate_limit_per_minute;
    let mut statuses = Vec::new();
    for _ in 0..=limit {
        let response = client
            .post(
                "/api/session/begin",
                &SignInBeginRequest {
                    login: "nobody".into(),
                },
            )
            .await;
        statuses.push(response.status().as_u16());
    }
    // An unknown login is answered like a known one (a decoy ceremony), until the limit.
    assert!(
        statuses[..limit as usize].iter().all(|s| *s == 200),
        "{statuses:?}"
    );
    assert_eq!(statuses[limit as usize], 429);
}

#[tokio::test]
async fn sign_in_does_not_tell_who_exists() {
    let city = City::start().await;
    let mut known = city.enrolled_clerk("known", &city.units().await[0]).await;
    let client = Client::new(&city.server);
    let begin = |login: &'static str| {
        let client = &client;
        async move {
            let response = client
                .post(
                    "/api/session/begin",
                    &SignInBeginRequest {
                        login: login.into(),
                    },
                )
                .await;
            assert_eq!(response.status(), 200, "{login}");
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let real = begin("known").await;
    let decoy = begin("nobody").await;
    let decoy_again = begin("nobody").await;
    // Same shape, no holder in either; the decoy's key id is stable for a login.
    assert!(real.get("holder").is_none() && decoy.get("holder").is_none());
    let keys = |v: &serde_json::Value| {
        let mut keys: Vec<String> = v["options"]["publicKey"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&real), keys(&decoy));
    assert_eq!(
        decoy["options"]["publicKey"]["allowCredentials"],
        decoy_again["options"]["publicKey"]["allowCredentials"]
    );
    assert_ne!(
        decoy["options"]["publicKey"]["challenge"],
        decoy_again["options"]["publicKey"]["challenge"]
    );
    // Finishing a decoy ceremony fails like a wrong key.
    let finish = client
        .post(
            "/api/session/finish",
            &protocol::identity::CeremonyFinish {
                ceremony: decoy["ceremony"].as_str().unwrap().to_owned(),
                credential: serde_json::json!({
                    "id": "AAAA", "rawId": "AAAA", "type": "public-key",
                    "response": {"clientDataJSON": "AAAA", "authenticatorData": "AAAA", "signature": "AAAA"}
                }),
            },
        )
        .await;
    assert_eq!(error_code(finish).await, (422, "sign_in_failed".into()));
    // The real holder still signs in.
    known.sign_in().await;
}

#[tokio::test]
async fn enrolment_codes_are_replaced_cancelled_and_ceremonies_used_once() {
    let city = City::start().await;
    let (server, pool) = (&city.server, &city.pool);
    let unit = &city.units().await[0];
    let created = create_holder(server, "clerk-g", "unit_clerk", &format!("unit:{unit}")).await;

    // A new code replaces the one the holder still had.
    let replacement = server::identity::issue_code(pool, "clerk-g", server.config())
        .await
        .unwrap();
    let stale = Client::new(server)
        .post(
            "/api/enrolment/begin",
            &EnrolBeginRequest {
                code: created.enrolment_code.clone(),
            },
        )
        .await;
    assert_eq!(
        error_code(stale).await,
        (422, "enrolment_code_invalid".into())
    );

    // A ceremony is used up by a failed finish: retrying it, even with a good key, fails.
    let client = Client::new(server);
    let begun: protocol::identity::CeremonyBegun = client
        .post(
            "/api/enrolment/begin",
            &EnrolBeginRequest {
                code: replacement.enrolment_code.clone(),
            },
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        begun.holder.as_ref().map(|h| h.login.as_str()),
        Some("clerk-g")
    );
    let options: webauthn_authenticator_rs::prelude::CreationChallengeResponse =
        serde_json::from_value(begun.options).unwrap();
    let (mut token, _ca) = SoftToken::new(true).unwrap();
    use webauthn_authenticator_rs::prelude::WebauthnAuthenticator;
    let origin = webauthn_authenticator_rs::prelude::Url::parse(&client.origin).unwrap();
    let good = serde_json::to_value(token.do_registration(origin, options).unwrap()).unwrap();
    let mut tampered = good.clone();
    tampered["response"]["clientDataJSON"] = serde_json::Value::String(base64url(b"{}"));
    let finish = |credential: serde_json::Value| {
        let client = &client;
        let ceremony = begun.ceremony.clone();
        async move {
            client
                .post(
                    "/api/enrolment/finish",
                    &protocol::identity::CeremonyFinish {
                        ceremony,
                        credential,
                    },
                )
                .await
        }
    };
    assert_eq!(
        error_code(finish(tampered).await).await,
        (422, "enrolment_refused".into())
    );
    assert_eq!(
        error_code(finish(good).await).await,
        (422, "ceremony_unknown".into())
    );

    // The code is still valid (the finish failed); revoking the holder's key cancels codes.
    let mut clerk = KeyHolder::enrolled(server, replacement).await;
    clerk.sign_in().await;
    let outstanding = server::identity::issue_code(pool, "clerk-g", server.config())
        .await
        .unwrap();
    let admin = city.administrator("admin-g").await;
    let revoked = admin
        .client
        .post(
            "/api/credentials/revoke",
            &RevokeRequest {
                credential_id: clerk.credential_id.clone(),
            },
        )
        .await;
    assert_eq!(revoked.status(), 204);
    let cancelled = Client::new(server)
        .post(
            "/api/enrolment/begin",
            &EnrolBeginRequest {
                code: outstanding.enrolment_code,
            },
        )
        .await;
    assert_eq!(
        error_code(cancelled).await,
        (422, "enrolment_code_invalid".into())
    );
}

#[tokio::test]
async fn production_enrols_only_keys_whose_attestation_chains_to_a_configured_root() {
    use crypto_glue::der::pem::LineEnding;
    use crypto_glue::traits::EncodePem;
    use webauthn_authenticator_rs::softtoken::AAGUID;

    let (trusted, ca) = SoftToken::new(true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("vendor-root.pem");
    std::fs::write(&pem, ca.to_pem(LineEnding::LF).unwrap()).unwrap();
    let city = City::start_configured(|config| {
        config.identity.attestation = server::config::AttestationMode::Production;
        config.identity.attestation_cas = vec![server::config::AttestationCaConfig {
            pem: pem.clone(),
            aaguids: vec![AAGUID.to_string()],
            description: "vendor test root".into(),
        }];
    })
    .await;
    let server = &city.server;
    let scope = format!("unit:{}", city.units().await[0]);

    let created = create_holder(server, "trusted", "unit_clerk", &scope).await;
    let mut holder = KeyHolder::enrol(server, created, trusted).await.unwrap();
    holder.sign_in().await;

    let (untrusted, _other_ca) = SoftToken::new(true).unwrap();
    let created = create_holder(server, "untrusted", "unit_clerk", &scope).await;
    let refused = KeyHolder::enrol(server, created, untrusted).await.err();
    assert_eq!(refused.as_deref(), Some("enrolment_refused"));
}

#[tokio::test]
async fn a_holder_registers_a_second_key_with_a_new_code_from_the_administrator() {
    let city = City::start().await;
    let unit = &city.units().await[0];
    let admin = city.administrator("admin-2").await;
    let mut first = city.enrolled_clerk("clerk-f", unit).await;
    let info = first.sign_in().await;
    assert_eq!(info.credential_ids.len(), 1);

    // A clerk cannot issue codes; the administrator of the region can.
    let request = SignInBeginRequest {
        login: "clerk-f".into(),
    };
    let denied = first.client.post("/api/holders/enrolment", &request).await;
    assert_eq!(error_code(denied).await, (403, "out_of_scope".into()));
    // Nor can a clerk learn which logins or keys exist: refused before any lookup.
    let probe = SignInBeginRequest {
        login: "no-such-login".into(),
    };
    let probed = first.client.post("/api/holders/enrolment", &probe).await;
    assert_eq!(error_code(probed).await, (403, "out_of_scope".into()));
    let revoke = RevokeRequest {
        credential_id: base64url(b"no such key"),
    };
    let probed = first.client.post("/api/credentials/revoke", &revoke).await;
    assert_eq!(error_code(probed).await, (403, "out_of_scope".into()));
    let response = admin.client.post("/api/holders/enrolment", &request).await;
    assert_eq!(response.status(), 200);
    let issued: HolderCreated = response.json().await.unwrap();
    assert_eq!(issued.holder.login, "clerk-f");

    let (token, _ca) = SoftToken::new(true).unwrap();
    let mut second = KeyHolder::enrol(&city.server, issued, token).await.unwrap();
    assert_ne!(second.credential_id, first.credential_id);
    let info = second.sign_in().await;
    assert_eq!(info.credential_ids.len(), 2, "both keys are usable");
    assert!(info.credential_ids.contains(&first.credential_id));

    // Either key signs applications.
    let by_second = second.sign_envelope(&second.envelope("app-second-key", unit.as_str(), 1));
    let verdict = second.submit(vec![by_second]).await;
    assert_eq!(
        verdict.verdicts[0].status,
        VerdictStatus::Accepted,
        "{:?}",
        verdict.verdicts[0]
    );

    // The CLI path issues codes too, and a code for an unknown login is refused.
    let (server, pool) = (&city.server, &city.pool);
    assert!(
        server::identity::issue_code(pool, "clerk-f", server.config())
            .await
            .is_ok()
    );
    let unknown = server::identity::issue_code(pool, "nobody", server.config())
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("holder_unknown"), "{unknown}");
}

#[tokio::test]
async fn a_forged_first_submission_cannot_decide_the_genuine_one() {
    let city = City::start().await;
    let unit = &city.units().await[0];
    let mut clerk = city.clerk("clerk-h", unit).await;
    let genuine = clerk.sign_envelope(&clerk.envelope("app-relayed", unit.as_str(), 1));

    // Someone who has the bytes (a relay, a shared computer) sends them first with a bad
    // signature: refused, but not remembered as the verdict for those bytes.
    let mut forged = genuine.clone();
    forged.signature = base64url(b"not a signature");
    let first = clerk.submit(vec![forged]).await;
    assert_eq!(first.verdicts[0].code.as_deref(), Some("signature_invalid"));

    let real = clerk.submit(vec![genuine.clone()]).await;
    assert_eq!(
        real.verdicts[0].status,
        VerdictStatus::Accepted,
        "{:?}",
        real.verdicts[0]
    );
    // From now on a repeat gets the verified verdict.
    assert_eq!(clerk.submit(vec![genuine]).await.verdicts, real.verdicts);
}

#[tokio::test]
async fn a_valid_signature_refused_by_a_rule_still_advances_the_keys_counter() {
    let city = City::start().await;
    let units = city.units().await;
    let (own, other) = (&units[0], &units[units.len() - 1]);
    let mut clerk = city.clerk("clerk-i", own).await;
    // Signed offline in this order: first for the own unit, then for a foreign one.
    let earlier = clerk.sign_envelope(&clerk.envelope("app-earlier", own.as_str(), 1));
    let later = clerk.sign_envelope(&clerk.envelope("app-later", other.as_str(), 2));
    // The later one arrives first and is refused by scope, but its signature was genuine...
    let refused = clerk.submit(vec![later]).await;
    assert_eq!(refused.verdicts[0].code.as_deref(), Some("out_of_scope"));
    // ...so an earlier counter arriving afterwards is held for review, not silently accepted.
    let held = clerk.submit(vec![earlier]).await;
    assert_eq!(
        held.verdicts[0].status,
        VerdictStatus::Held,
        "{:?}",
        held.verdicts[0]
    );
    assert_eq!(held.verdicts[0].code.as_deref(), Some("counter_regression"));
}
