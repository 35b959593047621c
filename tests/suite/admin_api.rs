//! The bureau runs the system (issue 14) over HTTP with software security keys: key holders
//! registered, enrolled with their own code, listed, revoked, suspended; demo-enrolled keys
//! refused in production mode; signed establishment changes reaching a clerk's pull; over-
//! establishment refused; a merger carrying staff over and sending a tombstone; abolition
//! refused with staff; the verification phase confirmed by the unit then the bureau, counted
//! per region; a county administrator kept to the county.

use std::collections::BTreeMap;

use domain::act::{
    ActDocument, ActPayload, ConfirmStage, EstablishmentChange, UnitAbolish, UnitMerge,
    VerificationConfirm,
};
use domain::{Date, DocumentNumber, EstablishmentCategory, HeadcountDelta, LedgerRow, UnitId};
use protocol::admin::{HolderDetail, HolderList, VerificationOverview, VerificationState};
use protocol::identity::{
    CeremonyBegun, EnrolBeginRequest, NewHolder, RevokeRequest, SignInBeginRequest, VerdictStatus,
};
use protocol::sync::{Change, PullResponse};
use tests::keys::{ApiClient, KeyHolder, create_named_holder, error_code};
use tests::scenario::City;
use tests::schema;

fn document(n: u32) -> ActDocument {
    ActDocument {
        number: DocumentNumber::parse(&format!("天编发〔2026〕{n}号")).expect("a 文号"),
        date: Date::parse("2026-05-01").expect("a date"),
        title: "关于调整机构编制的通知".into(),
    }
}

fn change(unit: &UnitId, category: EstablishmentCategory, n: i32, over: bool) -> ActPayload {
    let d = document(7);
    ActPayload::EstablishmentChange(EstablishmentChange {
        unit: unit.clone(),
        row: LedgerRow {
            document: d.number,
            date: d.date,
            title: d.title,
            changes: [(category, HeadcountDelta::new(n))].into_iter().collect(),
            note: None,
        },
        over_establishment: over,
    })
}

/// Pulls until complete after `cursor`: every change and the last cursor.
async fn pull(client: &ApiClient, cursor: Option<&str>) -> (Vec<Change>, String) {
    let mut cursor = cursor.map(str::to_owned);
    let mut changes = Vec::new();
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/sync/pull?cursor={c}"),
            None => "/api/sync/pull".to_owned(),
        };
        let response = client.get(&path).await;
        assert_eq!(response.status(), 200);
        let page: PullResponse = response.json().await.expect("a page");
        assert!(page.oversight.is_some(), "the oversight settings travel");
        changes.extend(page.changes);
        cursor = Some(page.cursor);
        if page.complete {
            return (changes, cursor.unwrap_or_default());
        }
    }
}

fn new_clerk(login: &str, unit: &UnitId) -> NewHolder {
    NewHolder {
        login: login.into(),
        name: "赵敏".into(),
        role: "unit_clerk".into(),
        scope: format!("unit:{unit}"),
        phone: "0938-1234567".into(),
    }
}

#[tokio::test]
async fn a_clerk_registered_by_the_admin_enrols_with_its_own_code_and_loses_its_key() {
    let city = City::start().await;
    let units = city.units().await;
    let unit = &units[0];
    let admin = city.administrator("admin").await;
    let response = admin
        .client
        .post("/api/holders", &new_clerk("zhao", unit))
        .await;
    assert_eq!(response.status(), 200);
    let created: protocol::identity::HolderCreated = response.json().await.expect("created");
    assert!(created.enrolment_link.contains("#code="));
    let mut clerk = KeyHolder::enrolled(&city.server, created.clone()).await;
    clerk.sign_in().await;

    // Listed and searched, with the key.
    let list: HolderList = admin
        .client
        .get("/api/holders?q=zhao")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.holders.len(), 1);
    assert_eq!(list.holders[0].phone, "0938-1234567");
    assert_eq!(list.holders[0].active_keys, 1);
    let detail: HolderDetail = admin
        .client
        .get(&format!("/api/holders/{}", clerk.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.keys.len(), 1);
    assert_eq!(detail.keys[0].credential_id, clerk.credential_id);
    assert!(detail.keys[0].last_used_at.is_some(), "the sign-in used it");
    assert!(!detail.keys[0].needs_reenrolment, "demo mode");
    let register: protocol::admin::HolderRegister = admin
        .client
        .get(&format!("/api/units/{unit}/holder-register"))
        .await
        .json()
        .await
        .unwrap();
    assert!(register.holders.iter().any(|h| h.holder.id == clerk.id));

    // The clerk confirms its unit's data: a signed act, accepted.
    let confirm = |staff| {
        ActPayload::VerificationConfirm(VerificationConfirm {
            unit: unit.clone(),
            stage: ConfirmStage::Unit,
            staff,
        })
    };
    let verdict = clerk.act("confirm-1", &confirm(1)).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");

    // Revoked: the clerk's next signed act is refused.
    let response = admin
        .client
        .post(
            "/api/credentials/revoke",
            &RevokeRequest {
                credential_id: clerk.credential_id.clone(),
            },
        )
        .await;
    assert_eq!(response.status(), 204);
    clerk.sign_in_again_refused().await;
    let mut carrier = city.clerk("carrier", unit).await;
    let bytes = domain::act::SignedAct::new(
        domain::DecisionId::parse("confirm-2").unwrap(),
        domain::UserId::parse(&clerk.id).unwrap(),
        domain::CredentialId::parse(&clerk.credential_id).unwrap(),
        tests::filing::an_hour_ago(),
        &confirm(1),
    )
    .unwrap()
    .canonical_bytes()
    .unwrap();
    let submission = clerk.sign(&bytes);
    let response = carrier
        .client
        .post("/api/acts", &protocol::admin::ActRequest { submission })
        .await;
    let verdict: protocol::admin::ActVerdict = response.json().await.unwrap();
    assert_eq!(verdict.code.as_deref(), Some("credential_revoked"));

    // Suspended: sessions end and signatures are refused; reinstated: usable again.
    let response = admin
        .client
        .post(
            &format!("/api/holders/{}/suspend", carrier.id),
            &serde_json::json!({"reason": "调离"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(carrier.client.get("/api/session").await.status(), 401);
    let response = admin
        .client
        .post(
            &format!("/api/holders/{}/reinstate", carrier.id),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    carrier.sign_in().await;
    assert_eq!(carrier.client.get("/api/session").await.status(), 200);
    assert_eq!(schema::audit_count(&city.pool, "holder.suspend").await, 1);
    assert_eq!(schema::audit_count(&city.pool, "holder.reinstate").await, 1);
}

#[tokio::test]
async fn enrolling_on_another_holders_account_needs_that_holders_own_code() {
    let city = City::start().await;
    let units = city.units().await;
    let admin = city.administrator("admin").await;
    let clerk = create_named_holder(&city.server, &new_clerk("qian", &units[0])).await;
    // The admin's session alone cannot enrol anything: the code is required, and only the
    // code names the account.
    for code in ["", "NOT-A-CODE"] {
        let response = admin
            .client
            .post(
                "/api/enrolment/begin",
                &EnrolBeginRequest { code: code.into() },
            )
            .await;
        assert_eq!(
            error_code(response).await,
            (422, "enrolment_code_invalid".into())
        );
    }
    // A code the admin issues for their own account enrols on their own account, never the
    // clerk's.
    let own: protocol::identity::HolderCreated = admin
        .client
        .post(
            "/api/holders/enrolment",
            &SignInBeginRequest {
                login: "admin".into(),
            },
        )
        .await
        .json()
        .await
        .unwrap();
    let begun: CeremonyBegun = admin
        .client
        .post(
            "/api/enrolment/begin",
            &EnrolBeginRequest {
                code: own.enrolment_code,
            },
        )
        .await
        .json()
        .await
        .unwrap();
    let for_whom = begun.holder.expect("whom the code is for");
    assert_eq!(for_whom.id, admin.id);
    assert_ne!(for_whom.id, clerk.holder.id);
}

#[tokio::test]
async fn a_key_enrolled_in_demo_mode_stops_working_in_production_mode() {
    let mut city = City::start().await;
    let units = city.units().await;
    let mut clerk = city.clerk("sun", &units[0]).await;
    assert_eq!(clerk.client.get("/api/session").await.status(), 200);
    city.server.stop().await.unwrap();
    city.server.config_mut().identity.attestation = server::config::AttestationMode::Production;
    city.server.start_again().await.unwrap();
    // The session it had is over, and it cannot sign in again until it is re-enrolled.
    assert_eq!(clerk.client.get("/api/session").await.status(), 401);
    clerk.sign_in_again_refused().await;
}

#[tokio::test]
async fn an_establishment_change_raises_the_vacancy_a_clerk_pulls_and_over_filling_is_refused() {
    let city = City::start().await;
    let units = city.units().await;
    let unit = &units[0];
    let category = tests::filing::vacant_category(&city.pool, unit, 0).await;
    let before = tests::filing::figures(&city.pool, unit, category).await;
    let clerk = city.clerk("li", unit).await;
    let (_, cursor) = pull(&clerk.client, None).await;
    let mut admin = city.administrator("admin").await;

    let verdict = admin.act("est-1", &change(unit, category, 2, false)).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    assert!(verdict.flags.is_empty());
    let (changes, _) = pull(&clerk.client, Some(&cursor)).await;
    let certificate = changes
        .iter()
        .find_map(|c| match c {
            Change::Certificate {
                unit_id,
                certificate,
            } if unit_id == unit.as_str() => {
                Some(serde_json::from_str::<domain::Certificate>(certificate.get()).unwrap())
            }
            _ => None,
        })
        .expect("the unit's certificate in the pull");
    let after = certificate.ledger.figures(category);
    assert_eq!(after.vacant().get(), before.vacant().get() + 2);
    assert!(
        certificate
            .history
            .iter()
            .any(|e| e.document.as_ref().map(|d| d.as_str()) == Some("天编发〔2026〕7号"))
    );

    // Taking away more than the vacancy would over-fill: refused, naming the field.
    let cut = -i32::try_from(after.vacant().get() + 1).unwrap();
    let verdict = admin
        .act("est-2", &change(unit, category, cut, false))
        .await;
    assert_eq!(verdict.status, VerdictStatus::Rejected);
    assert_eq!(verdict.code.as_deref(), Some("over_establishment"));
    assert!(verdict.message.unwrap().contains("changes"));
    assert_eq!(
        tests::filing::figures(&city.pool, unit, category).await,
        after
    );
    // Recorded as over-establishment by the document: accepted and flagged.
    let verdict = admin.act("est-3", &change(unit, category, cut, true)).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    assert_eq!(verdict.flags, vec!["over_establishment".to_owned()]);
    assert_eq!(schema::audit_count(&city.pool, "act.accept").await, 2);
}

#[tokio::test]
async fn a_merger_carries_the_staff_over_and_the_absorbed_unit_leaves_the_clerks_store() {
    let city = City::start().await;
    let qinzhou: Vec<UnitId> = schema::units_in_region(&city.pool, "620502")
        .await
        .into_iter()
        .map(|id| UnitId::parse(&id).unwrap())
        .collect();
    let mut staffed = Vec::new();
    for unit in &qinzhou {
        let certificate = schema::certificate(&city.pool, unit).await;
        let reserved: u32 = certificate
            .ledger
            .all_figures()
            .iter()
            .map(|(_, f)| f.reserved.get())
            .sum();
        if !certificate.staff.is_empty() && reserved == 0 {
            staffed.push((unit.clone(), certificate.staff.len()));
        }
    }
    assert!(staffed.len() >= 2, "two staffed units in 秦州区");
    let (absorbed, absorbed_staff) = staffed[0].clone();
    let (into, into_staff) = staffed[1].clone();
    let clerk = city.clerk("zhou", &absorbed).await;
    let (changes, cursor) = pull(&clerk.client, None).await;
    assert!(changes.iter().any(
        |c| matches!(c, Change::Certificate { unit_id, .. } if *unit_id == absorbed.as_str())
    ));
    let mut admin = city.administrator("admin").await;

    // Abolishing a unit with staff is refused.
    let verdict = admin
        .act(
            "abolish-1",
            &ActPayload::UnitAbolish(UnitAbolish {
                unit: absorbed.clone(),
                document: document(8),
            }),
        )
        .await;
    assert_eq!(
        verdict.code.as_deref(),
        Some("unit_not_empty"),
        "{verdict:?}"
    );

    let merge = ActPayload::UnitMerge(UnitMerge {
        absorbed: absorbed.clone(),
        into: into.clone(),
        document: document(9),
    });
    let verdict = admin.act("merge-1", &merge).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    let merged = schema::certificate(&city.pool, &into).await;
    assert_eq!(merged.staff.len(), absorbed_staff + into_staff);
    assert!(
        schema::certificate(&city.pool, &absorbed)
            .await
            .staff
            .is_empty()
    );
    assert!(
        merged
            .history
            .iter()
            .any(|e| e.description.contains("并入本单位"))
    );

    // The clerk's next pull carries the tombstone.
    let (changes, _) = pull(&clerk.client, Some(&cursor)).await;
    let tombstone = changes
        .iter()
        .find_map(|c| match c {
            Change::UnitRemoved {
                unit_id,
                reason,
                merged_into,
                ..
            } if *unit_id == absorbed.as_str() => Some((reason.clone(), merged_into.clone())),
            _ => None,
        })
        .expect("a tombstone");
    assert_eq!(tombstone, ("merged".to_owned(), Some(into.to_string())));
    // A fresh snapshot no longer has it; acting on it again is refused.
    let (snapshot, _) = pull(&clerk.client, None).await;
    assert!(!snapshot.iter().any(
        |c| matches!(c, Change::Certificate { unit_id, .. } if *unit_id == absorbed.as_str())
    ));
    let verdict = admin.act("merge-2", &merge).await;
    assert_eq!(verdict.code.as_deref(), Some("unit_unknown"));
}

#[tokio::test]
async fn the_unit_confirms_then_the_bureau_and_the_states_are_counted_per_region() {
    let city = City::start().await;
    let units = city.units().await;
    let unit = &units[0];
    let mut clerk = city.clerk("wu", unit).await;
    let mut admin = city.administrator("admin").await;
    let confirm = |stage| {
        ActPayload::VerificationConfirm(VerificationConfirm {
            unit: unit.clone(),
            stage,
            staff: 0,
        })
    };
    let verdict = admin
        .act("bureau-early", &confirm(ConfirmStage::Bureau))
        .await;
    assert_eq!(verdict.code.as_deref(), Some("verification_out_of_order"));
    // The admin cannot confirm for the unit.
    let verdict = admin
        .act("unit-by-admin", &confirm(ConfirmStage::Unit))
        .await;
    assert_eq!(verdict.code.as_deref(), Some("out_of_scope"));
    let verdict = clerk.act("unit-ok", &confirm(ConfirmStage::Unit)).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    let verdict = admin.act("bureau-ok", &confirm(ConfirmStage::Bureau)).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");

    let overview: VerificationOverview = admin
        .client
        .get("/api/verification")
        .await
        .json()
        .await
        .unwrap();
    let state = overview
        .units
        .iter()
        .find(|u| u.unit_id == unit.as_str())
        .map(|u| u.state);
    assert_eq!(state, Some(VerificationState::ConfirmedByBureau));
    let mut per_region: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for r in &overview.regions {
        per_region.insert(&r.region, (r.confirmed_by_bureau, r.not_started));
    }
    let total: u32 = overview
        .regions
        .iter()
        .map(|r| r.not_started + r.imported + r.confirmed_by_unit + r.confirmed_by_bureau)
        .sum();
    assert_eq!(total as usize, units.len());
    assert_eq!(
        per_region.values().map(|(c, _)| c).sum::<u32>(),
        1,
        "{per_region:?}"
    );
    // The clerk's pull carries the state, for the dashboard offline.
    let (changes, _) = pull(&clerk.client, None).await;
    assert!(changes.iter().any(|c| matches!(
        c,
        Change::Verification { unit_id, state: VerificationState::ConfirmedByBureau, .. }
            if unit_id == unit.as_str()
    )));
    // A clerk sees no overview.
    assert_eq!(
        error_code(clerk.client.get("/api/verification").await).await,
        (403, "out_of_scope".into())
    );
}

#[tokio::test]
async fn a_county_administrator_cannot_act_on_another_countys_unit() {
    let city = City::start().await;
    let qinzhou: Vec<String> = schema::units_in_region(&city.pool, "620502")
        .await
        .into_iter()
        .collect();
    let unit = UnitId::parse(&qinzhou[0]).unwrap();
    let mut county = city
        .holder("zjc-admin", "bureau_admin", "region:620525")
        .await;
    let clerk = city.clerk("zheng", &unit).await;
    let category = tests::filing::vacant_category(&city.pool, &unit, 0).await;
    let verdict = county
        .act("county-1", &change(&unit, category, 1, false))
        .await;
    assert_eq!(verdict.code.as_deref(), Some("out_of_scope"));
    let list: HolderList = county
        .client
        .get("/api/holders")
        .await
        .json()
        .await
        .unwrap();
    assert!(list.holders.iter().all(|h| h.id != clerk.id));
    assert_eq!(
        error_code(
            county
                .client
                .get(&format!("/api/holders/{}", clerk.id))
                .await
        )
        .await,
        (403, "out_of_scope".into())
    );
    assert_eq!(
        error_code(
            county
                .client
                .post(
                    &format!("/api/holders/{}/suspend", clerk.id),
                    &serde_json::json!({})
                )
                .await
        )
        .await,
        (403, "out_of_scope".into())
    );
    assert_eq!(
        error_code(
            county
                .client
                .get(&format!("/api/units/{unit}/holder-register"))
                .await
        )
        .await,
        (403, "out_of_scope".into())
    );
    // Not an admin at all: refused before anything is looked up.
    assert_eq!(
        error_code(clerk.client.get("/api/holders").await).await,
        (403, "out_of_scope".into())
    );
}

/// Uploads `rows` as an .xlsx for `unit`; the report.
async fn check_file(
    holder: &KeyHolder,
    unit: &UnitId,
    rows: &[Vec<String>],
) -> protocol::admin::ImportReport {
    let bytes = server::roster::workbook(rows).expect("an .xlsx");
    let client = &holder.client;
    let response = client
        .with_session(
            client
                .http
                .post(format!("{}/api/import/check?unit={unit}", client.base))
                .body(bytes),
        )
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a report")
}

#[tokio::test]
async fn a_roster_with_three_bad_rows_imports_nothing_and_the_fixed_file_imports_all() {
    use domain::roster::row_of;
    let city = City::start().await;
    let units = city.units().await;
    let unit = &units[0];
    let category = tests::filing::vacant_category(&city.pool, unit, 0).await;
    let staff_before = schema::staff_count(&city.pool).await;
    let mut admin = city.administrator("admin").await;
    let template = admin.client.get("/api/import/template").await;
    assert_eq!(template.status(), 200);
    assert!(!template.bytes().await.unwrap().is_empty());

    let fresh: Vec<domain::person::Person> = (1..=5)
        .map(|n| tests::filing::new_person(&format!("1990-03-0{n}"), 100 + n, category))
        .collect();
    let mut rows: Vec<Vec<String>> = fresh.iter().map(row_of).collect();
    // Row 3: a wrong check character.
    let id = rows[1][2].clone();
    let last = if id.ends_with('1') { '2' } else { '1' };
    rows[1][2] = format!("{}{last}", &id[..17]);
    // Row 4: someone who holds a post elsewhere.
    let (other, holder_id) = schema::someone_elsewhere(&city.pool, unit).await;
    let holder_cert = schema::certificate(&city.pool, &other)
        .await
        .staff
        .into_iter()
        .find(|p| p.id_number.as_str() == holder_id)
        .expect("the person in post");
    rows[2] = row_of(&holder_cert);
    // Row 5: a required field missing.
    rows[3][0] = String::new();

    let report = check_file(&admin, unit, &rows).await;
    assert_eq!(report.rows_total, 5);
    assert_eq!(report.rows_valid, 2);
    let mut named: Vec<(u32, &str, &str)> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.rule.as_str()))
        .collect();
    named.sort();
    assert_eq!(
        named,
        vec![
            (3, "C", "check_digit"),
            (4, "C", "id_in_post"),
            (5, "A", "required")
        ],
        "{:?}",
        report.errors
    );
    assert!(
        report
            .errors
            .iter()
            .all(|e| !e.message_zh.is_empty() && !e.message_en.is_empty())
    );
    assert!(
        report.digest_all.is_empty(),
        "not clean: no digest of all rows"
    );
    assert_eq!(
        schema::staff_count(&city.pool).await,
        staff_before,
        "nothing imported"
    );
    // An import naming the unclean file is refused.
    let refused = admin
        .act(
            "import-bad",
            &ActPayload::RosterImport(domain::act::RosterImport {
                unit: unit.clone(),
                upload_id: report.upload_id.clone(),
                digest: report.digest_valid.clone(),
                rows: report.rows_total,
                valid_only: false,
            }),
        )
        .await;
    assert_eq!(refused.code.as_deref(), Some("upload_unknown"));

    // The fixed file: clean, and imported by a signed act naming its digest.
    let fixed: Vec<Vec<String>> = fresh.iter().map(row_of).collect();
    let report = check_file(&admin, unit, &fixed).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let verdict = admin
        .act(
            "import-ok",
            &ActPayload::RosterImport(domain::act::RosterImport {
                unit: unit.clone(),
                upload_id: report.upload_id.clone(),
                digest: report.digest_all.clone(),
                rows: report.rows_total,
                valid_only: false,
            }),
        )
        .await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    assert_eq!(schema::staff_count(&city.pool).await, staff_before + 5);
    let certificate = schema::certificate(&city.pool, unit).await;
    assert!(fresh.iter().all(|p| certificate.staff.contains(p)));
    let overview: VerificationOverview = admin
        .client
        .get("/api/verification")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        overview
            .units
            .iter()
            .any(|u| u.unit_id == unit.as_str() && u.state == VerificationState::Imported)
    );
    // The same upload cannot be imported twice.
    let again = admin
        .act(
            "import-again",
            &ActPayload::RosterImport(domain::act::RosterImport {
                unit: unit.clone(),
                upload_id: report.upload_id,
                digest: report.digest_all,
                rows: report.rows_total,
                valid_only: false,
            }),
        )
        .await;
    assert_eq!(again.code.as_deref(), Some("upload_unknown"));
}
