//! Offline-first sync end to end, in headless Chromium with virtual security keys against the
//! real server and database: signed applications survive a reload and are accepted once; a
//! push of 200 survives the server process being killed midway; a rejection shows its reason
//! and can be revised; two clerks in two browsers file for the last vacancy (the pushes meet
//! when the server returns, but nothing forces them to overlap: the forced race is
//! `decisions_api::two_clerks_pushing_at_once…`); a large scope is pulled into
//! IndexedDB and shown; one tab syncs and a frozen or closed leader is replaced.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::page::{
    SetWebLifecycleStateParams, SetWebLifecycleStateState,
};
use domain::envelope::EnvelopeHeader;
use domain::ids::{ApplicationId, ClientId, CredentialId};
use domain::payload::{ApplicationPayload, QuotaUseRequest};
use domain::person::EntryForm;
use domain::{Action, EstablishmentCategory, FundingForm, Headcount, SignedEnvelope, UserId};
use protocol::identity::VerdictStatus;
use tests::browser::TestPage;
use tests::clerk::{fill_and_confirm, sign_request, signed_in_tab, wait_for_sync};
use tests::filing::{an_hour_ago, set_vacancy};
use tests::keys::KeyHolder;
use tests::scenario::{CITY_REGION, City, ClerkInBrowser, Deciders, SignedInBrowser};
use tests::schema::{self, Pool};

fn item(id: &str) -> String {
    format!("[data-application-id='{id}']")
}

/// The envelopes the server recorded for `ids`, in order: (application id, status).
async fn recorded(pool: &Pool, ids: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in ids {
        let envelopes = schema::envelopes(pool, id).await;
        out.extend(envelopes.into_iter().map(|e| (e.application_id, e.status)));
    }
    out
}

/// How many of `ids` the server tracks as applications.
async fn applications_recorded(pool: &Pool, ids: &[String]) -> usize {
    schema::applications(pool)
        .await
        .iter()
        .filter(|a| ids.contains(&a.application_id))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_signed_offline_survive_a_reload_and_are_accepted_once() -> anyhow::Result<()> {
    let mut scene = ClerkInBrowser::synced("sync-three", 5).await?;
    let (page, category) = (&scene.page, scene.category);
    scene.city.server.stop().await?;
    let mut ids = Vec::new();
    page.check("sync_three_offline", async {
        for n in 1..=3 {
            ids.push(sign_request(page, category, &format!("第{n}份离线申请")).await?);
        }
        page.reload().await?;
        page.wait_for_attribute("#connectivity", "data-connectivity", "offline")
            .await?;
        page.wait_for_attribute("#sync-status", "data-waiting", "3")
            .await?;
        for id in &ids {
            page.wait_for_attribute(&item(id), "data-status", "pending")
                .await?;
        }
        page.wait_for_text("#sync-waiting", "3").await?;
        Ok(())
    })
    .await?;
    scene.city.server.start_again().await?;
    page.check("sync_three_accepted", async {
        page.wait_for_attribute("#sync-status", "data-waiting", "0")
            .await?;
        for id in &ids {
            page.wait_for_attribute(&item(id), "data-status", "accepted")
                .await?;
        }
        Ok(())
    })
    .await?;
    let pool = &scene.city.pool;
    let rows = recorded(pool, &ids).await;
    anyhow::ensure!(rows.len() == 3, "one envelope each: {rows:?}");
    anyhow::ensure!(rows.iter().all(|(_, s)| s == "accepted"), "{rows:?}");
    anyhow::ensure!(applications_recorded(pool, &ids).await == 3);
    Ok(())
}

/// The outbox record the client keeps in IndexedDB for one signed envelope (see
/// `app::store`): what a clerk's browser would hold after signing it offline.
fn outbox_record(
    id: &str,
    sequence: u64,
    signer: &str,
    submission: &protocol::identity::SignedSubmission,
) -> serde_json::Value {
    let body = serde_json::json!({
        "application_id": id,
        "kind": "quota_use",
        "summary": format!("批量申请{sequence}"),
        "sequence": sequence,
        "signer": signer,
        "signed_at": an_hour_ago().to_string(),
        "submission": submission,
        "status": {"state": "pending"},
    });
    serde_json::json!({
        "application_id": id,
        "sequence": sequence,
        "state": "pending",
        "body": body.to_string(),
    })
}

/// Puts `records` into the outbox store of `holder`'s database in the page.
async fn inject_outbox(
    page: &TestPage,
    holder: &str,
    records: &[serde_json::Value],
) -> anyhow::Result<()> {
    let records = serde_json::to_string(records)?;
    let done: bool = page
        .call(&format!(
            "async () => {{ const records = {records}; \
             const db = await new Promise((ok, fail) => {{ const r = indexedDB.open('staffing.{holder}'); \
               r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }}); \
             await new Promise((ok, fail) => {{ const tx = db.transaction('outbox', 'readwrite'); \
               const store = tx.objectStore('outbox'); \
               for (const r of records) store.put(r, r.application_id); \
               tx.oncomplete = ok; tx.onerror = () => fail(tx.error); }}); \
             db.close(); return true; }}"
        ))
        .await?;
    anyhow::ensure!(done, "the records were not stored");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_of_600_cut_by_killing_the_server_applies_each_exactly_once() -> anyhow::Result<()> {
    // Three batches of 200: the server commits a batch in one transaction, so the kill cuts
    // the push between batches.
    const N: usize = 600;
    let mut scene = ClerkInBrowser::synced("sync-batch", 650).await?;
    let (page, created) = (&scene.page, &scene.holder);
    // The same holder's second key signs the 600 (signing 200 through the form would
    // only be slower); they go into the browser's queue as the form would put them.
    let units = vec![scene.unit.clone(); N];
    let (ids, records) = second_key_requests(&scene.city, created, &units, scene.category).await?;
    // The client pushes to the server process, which is killed once its first batch is
    // committed.
    let server = &mut scene.city.server;
    server.stop().await?;
    inject_outbox(page, &created.holder.id, &records).await?;
    let process = server.spawn_process().await?;
    page.reload().await?;
    let pool = &scene.city.pool;
    let started = Instant::now();
    let committed_at_kill = loop {
        let committed = schema::envelope_count_with_prefix(pool, SECOND_KEY_IDS).await;
        if committed >= 200 {
            process.kill();
            break committed;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "the push never started"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let after_kill = schema::envelope_count_with_prefix(pool, SECOND_KEY_IDS).await;
    anyhow::ensure!(
        after_kill < N as i64,
        "the kill came after the whole batch ({after_kill}); it must cut the push"
    );
    eprintln!("killed with {committed_at_kill}..{after_kill} of {N} committed");
    server.start_again().await?;
    page.check("sync_batch_all_applied", async {
        page.wait_for_attribute("#sync-status", "data-waiting", "0")
            .await?;
        page.wait_for_attribute("#sync-status", "data-rejected", "0")
            .await?;
        Ok(())
    })
    .await?;
    let rows = recorded(pool, &ids).await;
    anyhow::ensure!(rows.len() == N, "{} envelope rows for {N}", rows.len());
    let distinct: BTreeSet<&String> = rows.iter().map(|(id, _)| id).collect();
    anyhow::ensure!(distinct.len() == N, "an envelope recorded twice");
    anyhow::ensure!(
        rows.iter().all(|(_, s)| s == "accepted"),
        "not all accepted"
    );
    anyhow::ensure!(applications_recorded(pool, &ids).await == N);
    Ok(())
}

/// How the application ids of [`second_key_requests`] begin.
const SECOND_KEY_IDS: &str = "00000000-0000-4000-8000-";

/// Requests for one post of `category`, one for each of `units` (in order), signed by a second
/// key enrolled for `holder`, as outbox records: what the form would have queued in the browser.
async fn second_key_requests(
    city: &City,
    holder: &protocol::identity::HolderCreated,
    units: &[domain::UnitId],
    category: EstablishmentCategory,
) -> anyhow::Result<(Vec<String>, Vec<serde_json::Value>)> {
    let server = &city.server;
    let code =
        server::identity::holders::issue_code(&city.pool, &holder.holder.login, server.config())
            .await?;
    let mut key = KeyHolder::enrolled(server, code).await;
    anyhow::ensure!(key.id == holder.holder.id);
    let mut ids = Vec::new();
    let mut records = Vec::new();
    for (n, unit) in units.iter().enumerate() {
        let id = format!("{SECOND_KEY_IDS}{n:012}");
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse(&id)?,
            client_id: ClientId::parse("5b8c7d1e-0000-4000-8000-000000000200")?,
            sequence: n as u64 + 1,
            signer: UserId::parse(&key.id)?,
            credential_id: CredentialId::parse(&key.credential_id)?,
            unit: unit.clone(),
            created_at: an_hour_ago(),
        };
        let payload = ApplicationPayload::QuotaUse(QuotaUseRequest {
            category,
            funding_form: category.has_funding_form().then_some(FundingForm::Full),
            count: Headcount::new(1),
            recruitment: EntryForm::OpenRecruitment,
            reason: format!("批量申请{n}"),
            request_document: None,
        });
        let envelope = SignedEnvelope::new(header, &payload)?;
        let submission = key.sign(&envelope.canonical_bytes()?);
        records.push(outbox_record(&id, n as u64 + 1, &key.id, &submission));
        ids.push(id);
    }
    Ok((ids, records))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_the_server_fails_on_holds_up_only_itself() -> anyhow::Result<()> {
    let scene = ClerkInBrowser::synced("sync-poison", 5).await?;
    let (page, created, unit) = (&scene.page, &scene.holder, &scene.unit);
    // Another unit whose stored record is damaged: the server fails on any envelope that
    // names it, before it can judge it, and answers it `try_later` alone.
    let broken = schema::first_unit_except(&scene.city.pool, unit).await;
    let units = [unit.clone(), broken.clone(), unit.clone()];
    let (ids, records) = second_key_requests(&scene.city, created, &units, scene.category).await?;
    schema::damage_unit_record(&scene.city.pool, &broken).await;
    inject_outbox(page, &created.holder.id, &records).await?;
    page.reload().await?;
    page.check("sync_poison_isolated", async {
        page.wait_for_attribute(&item(&ids[0]), "data-status", "accepted")
            .await?;
        page.wait_for_attribute(&item(&ids[2]), "data-status", "accepted")
            .await?;
        page.wait_for_attribute(&item(&ids[1]), "data-status", "pending")
            .await?;
        page.wait_for_text("#sync-problem", "服务器暂时无法处理此项")
            .await?;
        // The pull goes on regardless: the two accepted ones come back as tracked.
        page.wait_until(
            "document.querySelector('#sync-status')?.dataset.lastSync?.length > 0",
            "a pull completed",
        )
        .await?;
        page.wait_for_attribute(&item(&ids[2]), "data-review", "submitted")
            .await?;
        Ok(())
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_application_shows_why_and_can_be_revised_and_signed_again() -> anyhow::Result<()>
{
    let scene = ClerkInBrowser::synced("sync-reject", 0).await?;
    let (page, category) = (&scene.page, scene.category);
    let reason = "退休减员，申请补充一名";
    let id = sign_request(page, category, reason).await?;
    page.check("sync_rejected", async {
        page.wait_for_attribute(&item(&id), "data-status", "rejected")
            .await?;
        page.wait_for_text(&format!("{} .outbox-status", item(&id)), "未受理")
            .await?;
        page.wait_for_text(&format!("{} .outbox-reason", item(&id)), "空余编制不足")
            .await?;
        page.wait_for_attribute("#sync-status", "data-rejected", "1")
            .await?;
        page.screenshot("sync_rejected_shown").await?;
        // The server's reason in the interface's language (issue 12).
        page.click("#lang-switch").await?;
        page.wait_for_text(
            &format!("{} .outbox-reason", item(&id)),
            "not enough vacant posts",
        )
        .await?;
        page.screenshot("sync_rejected_shown_en").await?;
        page.click("#lang-switch").await?;
        page.wait_for_text(&format!("{} .outbox-reason", item(&id)), "空余编制不足")
            .await?;
        Ok(())
    })
    .await?;
    // A post is freed; the clerk revises the returned application and signs it again.
    set_vacancy(&scene.city.pool, &scene.unit, category, 1).await;
    page.check("sync_revise", async {
        page.click(&format!("{} .outbox-revise", item(&id))).await?;
        page.wait_for_text("#apply-revising", "修改").await?;
        page.wait_until(
            &format!(
                "document.querySelector('#apply-reason')?.value === {}",
                serde_json::to_string(reason)?
            ),
            "the form holds what was signed",
        )
        .await?;
        page.click("#apply-next").await?;
        page.wait_for_text("#confirm h2", "确认签名内容").await?;
        let new_id = page
            .text("#confirm [data-field=application-id] dd")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(new_id != id, "a revision is a new application");
        page.click("#confirm-sign").await?;
        page.wait_for_attribute(&item(&new_id), "data-status", "accepted")
            .await?;
        // The original is marked as revised and no longer counts as waiting for the clerk.
        page.wait_for_text(&format!("{} .outbox-revised", item(&id)), &new_id)
            .await?;
        page.wait_for_attribute("#sync-status", "data-rejected", "0")
            .await?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Waits until the push of `id` is answered; its status.
async fn answered(page: &TestPage, id: &str) -> anyhow::Result<String> {
    page.wait_until(
        &format!(
            "['accepted','rejected'].includes(document.querySelector(\"{}\")?.dataset.status)",
            item(id)
        ),
        "the push is answered",
    )
    .await?;
    Ok(page
        .attribute(&item(id), "data-status")
        .await?
        .unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_browsers_file_for_the_last_vacancy_and_exactly_one_is_approved() -> anyhow::Result<()>
{
    let mut scene = ClerkInBrowser::synced("race-a", 1).await?;
    let (unit, category) = (&scene.unit, scene.category);
    let second = SignedInBrowser::start(
        &scene.city.server,
        "race-b",
        "unit_clerk",
        &format!("unit:{unit}"),
    )
    .await?;
    let (a, b) = (&scene.page, &second.page);
    wait_for_sync(b).await?;
    // Both sign while the server is away, so both push when it returns.
    let server = &mut scene.city.server;
    server.stop().await?;
    let id_a = sign_request(a, category, "甲：申请使用最后一个空编").await?;
    let id_b = sign_request(b, category, "乙：申请使用最后一个空编").await?;
    server.start_again().await?;
    let status_a = answered(a, &id_a).await?;
    let status_b = answered(b, &id_b).await?;
    let (winner, winner_id, loser, loser_id) = match (status_a.as_str(), status_b.as_str()) {
        ("accepted", "rejected") => (a, id_a, b, id_b),
        ("rejected", "accepted") => (b, id_b, a, id_a),
        other => anyhow::bail!("expected one accepted and one rejected, got {other:?}"),
    };
    loser
        .check("race_loser", async {
            loser
                .wait_for_text(
                    &format!("{} .outbox-reason", item(&loser_id)),
                    "空余编制不足",
                )
                .await?;
            Ok(())
        })
        .await?;
    // The department endorses and the bureau approves the winner: the slip is issued and
    // the winner's browser shows it after its next pull.
    let Deciders {
        mut supervisor,
        mut reviewer,
    } = scene.city.deciders(&scene.department).await;
    let endorsed = supervisor
        .decide("race-endorse", &winner_id, Action::Endorse, "同意")
        .await;
    anyhow::ensure!(endorsed.status == VerdictStatus::Accepted, "{endorsed:?}");
    let approved = reviewer
        .decide("race-approve", &winner_id, Action::Approve, "")
        .await;
    anyhow::ensure!(approved.status == VerdictStatus::Accepted, "{approved:?}");
    winner
        .check("race_winner_approved", async {
            // Opening the page again syncs at once (else within the 30 s poll).
            winner.reload().await?;
            winner
                .wait_for_attribute(&item(&winner_id), "data-review", "approved")
                .await?;
            Ok(())
        })
        .await?;
    let certificate = schema::certificate(&scene.city.pool, unit).await;
    let f = certificate.ledger.figures(category);
    anyhow::ensure!(
        f.filled.get() + f.reserved.get() <= f.approved.get(),
        "the ledger broke: {f:?}"
    );
    anyhow::ensure!(f.vacant().get() == 0, "the last vacancy is reserved: {f:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_of_thousands_is_pulled_into_indexeddb_and_the_roster_shows_it()
-> anyhow::Result<()> {
    let city = City::start_configured(|config| {
        config.demo = Some(server::config::DemoConfig {
            size: "small".into(),
            seed: server::config::DEFAULT_DEMO_SEED,
        });
    })
    .await;
    let pool = &city.pool;
    let (units, staff) = (
        schema::unit_count(pool).await,
        schema::staff_count(pool).await,
    );
    anyhow::ensure!(staff >= 2_000, "the small city has {staff} people");
    let reviewer = SignedInBrowser::start(
        &city.server,
        "pull-reviewer",
        "bureau_reviewer",
        CITY_REGION,
    )
    .await?;
    let page = &reviewer.page;
    wait_for_sync(page).await?;
    page.click("#nav-certificate").await?;
    page.check("pull_roster", async {
        page.wait_for_attribute("#certificate-scope", "data-staff", &staff.to_string())
            .await?;
        page.wait_for_attribute("#certificate-scope", "data-units", &units.to_string())
            .await?;
        // The first unit's roster is the server's, name for name.
        page.wait_until(
            "document.querySelector('#roster')?.dataset.rows?.length > 0",
            "the first unit's roster is shown",
        )
        .await?;
        let unit: String = page
            .attribute("#unit-view", "data-unit-id")
            .await?
            .unwrap_or_default();
        let id = domain::UnitId::parse(&unit)?;
        let certificate = schema::certificate(pool, &id).await;
        let names: Vec<String> = page
            .eval("[...document.querySelectorAll('#roster .person-name')].map(e => e.textContent)")
            .await?;
        let expected: Vec<String> = certificate
            .staff
            .iter()
            .map(|p| p.name.to_string())
            .collect();
        anyhow::ensure!(names == expected, "roster {names:?} != {expected:?}");
        // For people to look at (tests/screenshots/, not kept in git).
        page.screenshot("pull_roster_shown").await?;
        Ok(())
    })
    .await?;
    Ok(())
}

async fn set_lifecycle(page: &TestPage, state: SetWebLifecycleStateState) -> anyhow::Result<()> {
    page.raw()
        .execute(SetWebLifecycleStateParams::new(state))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_tab_syncs_and_a_frozen_or_closed_leader_is_replaced() -> anyhow::Result<()> {
    let scene = ClerkInBrowser::signed_in("tabs-clerk", 3).await?;
    let (a, category) = (&scene.page, scene.category);
    a.wait_for_attribute("#sync-status", "data-leader", "true")
        .await?;
    let b = scene
        .browser
        .open(&scene.city.server.url_for("/apply"))
        .await?;
    b.check("tabs_second_follows", async {
        b.wait_for_attribute("#sync-status", "data-leader", "false")
            .await?;
        Ok(())
    })
    .await?;
    // A frozen leader lets go; the other tab takes over.
    set_lifecycle(a, SetWebLifecycleStateState::Frozen).await?;
    b.check("tabs_frozen_leader_replaced", async {
        b.wait_for_attribute("#sync-status", "data-leader", "true")
            .await?;
        Ok(())
    })
    .await?;
    set_lifecycle(a, SetWebLifecycleStateState::Active).await?;
    // Resumed, it asks again and waits behind the new leader.
    tokio::time::sleep(Duration::from_secs(1)).await;
    anyhow::ensure!(
        a.attribute("#sync-status", "data-leader").await?.as_deref() == Some("false"),
        "the resumed tab took the lock back while the other tab holds it"
    );
    // Signed in the follower: the leader sends it, and both tabs see the verdict.
    let id = sign_request(a, category, "多窗口：由另一窗口提交").await?;
    a.check("tabs_follower_sees_verdict", async {
        b.wait_for_attribute(&item(&id), "data-status", "accepted")
            .await?;
        a.wait_for_attribute(&item(&id), "data-status", "accepted")
            .await?;
        Ok(())
    })
    .await?;
    // A closed leader is replaced.
    b.raw().clone().close().await?;
    a.check("tabs_closed_leader_replaced", async {
        a.wait_for_attribute("#sync-status", "data-leader", "true")
            .await?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// How many units the store of `holder` holds, read in the page.
async fn stored_units(page: &TestPage, holder: &str) -> anyhow::Result<u64> {
    stored(page, holder, "units").await
}

/// How many records `store` of `holder`'s database holds, read in the page.
async fn stored(page: &TestPage, holder: &str, store: &str) -> anyhow::Result<u64> {
    page.call(&format!(
        "async () => {{ const db = await new Promise((ok, fail) => {{ \
           const r = indexedDB.open('staffing.{holder}'); \
           r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }}); \
         const n = await new Promise((ok, fail) => {{ \
           const r = db.transaction('{store}').objectStore('{store}').count(); \
           r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }}); \
         db.close(); return n; }}"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_in_another_tab_switches_every_tab_and_never_mixes_two_stores()
-> anyhow::Result<()> {
    let scene = ClerkInBrowser::synced("mix-clerk", 1).await?;
    let units = schema::unit_count(&scene.city.pool).await;
    let (a, clerk) = (&scene.page, &scene.holder);
    // Another person signs in on the same computer, in another tab, with a city-wide scope.
    let (b, reviewer) = signed_in_tab(
        &scene.browser,
        &scene.city.server,
        "mix-reviewer",
        "bureau_reviewer",
        CITY_REGION,
    )
    .await?;
    wait_for_sync(&b).await?;
    a.check("mix_first_tab_follows", async {
        a.wait_for_attribute("#session-holder", "data-login", "mix-reviewer")
            .await?;
        Ok(())
    })
    .await?;
    // Let any round that began for the clerk finish.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let clerk_units = stored_units(a, &clerk.holder.id).await?;
    let reviewer_units = stored_units(a, &reviewer.holder.id).await?;
    anyhow::ensure!(
        clerk_units == 1,
        "the clerk's store holds {clerk_units} units, not just the clerk's own"
    );
    anyhow::ensure!(
        reviewer_units == u64::try_from(units)?,
        "the reviewer's store holds {reviewer_units} of {units} units"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_told_and_nothing_is_reported_as_saved() -> anyhow::Result<()> {
    let scene = ClerkInBrowser::synced("sync-full", 3).await?;
    let (page, category) = (&scene.page, scene.category);
    // The clerk has filled in the form and checks what will be signed…
    fill_and_confirm(page, category, "空间不足时签名").await?;
    // …when the disk fills up: every IndexedDB transaction now fails when it commits, as
    // a quota error does (the browser aborts it).
    let full: bool = page
        .eval(
            "(() => { window.__commit = IDBTransaction.prototype.commit; \
             IDBTransaction.prototype.commit = function () { this.abort(); }; return true; })()",
        )
        .await?;
    anyhow::ensure!(full);
    page.check("sync_full_sign", async {
        page.click("#confirm-sign").await?;
        page.wait_for_text("#sign-error", "写入本机存储失败")
            .await?;
        page.wait_for_text("#sign-error", "申请未保存").await?;
        anyhow::ensure!(
            page.text("#apply-signed").await?.is_none(),
            "the page said it was saved"
        );
        anyhow::ensure!(
            page.text(".outbox-item").await?.is_none(),
            "an application is listed although it was not stored"
        );
        // A sync cannot store what the server sends either, and says so (the connection
        // drops and returns: the client syncs at once).
        let toggled: bool = page
            .eval(
                "(() => { window.dispatchEvent(new Event('offline')); \
                 setTimeout(() => window.dispatchEvent(new Event('online')), 300); \
                 return true; })()",
            )
            .await?;
        anyhow::ensure!(toggled);
        page.wait_for_text("#sync-problem", "同步结果未能保存")
            .await?;
        Ok(())
    })
    .await?;
    // Space again: signing works, the application goes through, the problem is gone.
    let freed: bool = page
        .eval("(() => { IDBTransaction.prototype.commit = window.__commit; return true; })()")
        .await?;
    anyhow::ensure!(freed);
    page.check("sync_full_recovered", async {
        page.click("#confirm-sign").await?;
        // (The success message goes once the item is submitted: wait for the item itself.)
        page.wait_until(
            "document.querySelector('.outbox-item')",
            "the signed application is listed",
        )
        .await?;
        let id = page
            .attribute(".outbox-item", "data-application-id")
            .await?
            .unwrap_or_default();
        page.wait_for_attribute(&item(&id), "data-status", "accepted")
            .await?;
        page.wait_until(
            "!document.querySelector('#sync-problem')",
            "the storage problem is gone once a sync went through",
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_on_a_shared_computer_clears_its_data_but_not_what_waits_to_be_sent()
-> anyhow::Result<()> {
    let mut scene = ClerkInBrowser::signed_in("sync-shared", 3).await?;
    let (page, category) = (&scene.page, scene.category);
    let holder = scene.holder.holder.id.clone();
    let sent = sign_request(page, category, "已提交的申请").await?;
    page.wait_for_attribute(&item(&sent), "data-status", "accepted")
        .await?;
    wait_for_sync(page).await?;
    scene.city.server.stop().await?;
    sign_request(page, category, "尚未提交的申请").await?;
    page.check("shared_clear", async {
        anyhow::ensure!(stored(page, &holder, "units").await? == 1);
        page.click("#sign-out-clear").await?;
        page.wait_until("location.pathname === '/sign-in'", "signed out")
            .await?;
        anyhow::ensure!(
            stored(page, &holder, "units").await? == 0
                && stored(page, &holder, "people").await? == 0
                && stored(page, &holder, "applications").await? == 0,
            "the certificate and its people are still on this computer"
        );
        anyhow::ensure!(
            stored(page, &holder, "outbox").await? == 1,
            "exactly the application waiting to be sent is kept"
        );
        Ok(())
    })
    .await?;
    Ok(())
}
