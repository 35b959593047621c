//! Property tests against the real server (issue 15): random interleavings (seeded, bounded)
//! of applications, decisions (endorse, approve, return, reject), withdrawals, replays of the
//! same signed document and copies relayed through another holder's session, by the clerks of
//! two units, their supervisors and a reviewer. After every step: the stored figures equal a
//! recount from the rows (ledger rows, staff, open slips), filled + reserved ≤ approved unless
//! the unit was over establishment before (and then no further over), and "one ID number, one
//! post" — a model of the approved onboardings and offboardings agrees with the staff table.
//! A repeat or a relayed copy gets the first verdict and changes nothing.

use std::collections::BTreeMap;

use domain::payload::{ApplicationPayload, OffboardingRequest, OnboardingRequest};
use domain::person::{DepartureReason, Person};
use domain::{Action, DocumentNumber, EstablishmentCategory, UnitId};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use protocol::identity::{SignedSubmission, VerdictStatus};
use tests::filing::{an_hour_ago, new_person, set_vacancy, unit_with_vacancy};
use tests::keys::KeyHolder;
use tests::scenario::City;
use tests::schema::{self, Pool};

const SEED: u64 = 2026;
const CASES: usize = 16;
const STEPS: usize = 30;
/// ID numbers per case that onboardings and offboardings choose from (few: they collide).
const PEOPLE: usize = 3;
/// Vacant posts each unit starts a case with.
const VACANT: u32 = 6;

#[derive(Debug, Clone)]
enum Op {
    /// A quota-use request of `count` posts by a clerk, pushed through the other clerk's
    /// session when `relay`.
    Quota {
        clerk: usize,
        count: u32,
        relay: bool,
    },
    Onboard {
        clerk: usize,
        slip: usize,
        person: usize,
    },
    Offboard {
        clerk: usize,
        person: usize,
    },
    Endorse {
        app: usize,
    },
    /// 0–2 approve, 3 return, 4 reject.
    Decide {
        app: usize,
        action: usize,
    },
    Withdraw {
        app: usize,
    },
    /// A document sent before, again: through its own session (`via` 0) or the other clerk's.
    Replay {
        sent: usize,
        via: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, proptest::sample::select(vec![1u32, 1, 2]), proptest::bool::weighted(0.25))
            .prop_map(|(clerk, count, relay)| Op::Quota { clerk, count, relay }),
        3 => (0..2usize, any::<usize>(), 0..PEOPLE)
            .prop_map(|(clerk, slip, person)| Op::Onboard { clerk, slip, person }),
        1 => (0..2usize, 0..PEOPLE).prop_map(|(clerk, person)| Op::Offboard { clerk, person }),
        3 => any::<usize>().prop_map(|app| Op::Endorse { app }),
        4 => (any::<usize>(), 0..5usize).prop_map(|(app, action)| Op::Decide { app, action }),
        1 => any::<usize>().prop_map(|app| Op::Withdraw { app }),
        2 => (any::<usize>(), 0..2usize).prop_map(|(sent, via)| Op::Replay { sent, via }),
    ]
}

#[derive(Debug, Clone)]
enum Filed {
    Quota,
    Onboarding(String),
    Offboarding(String),
}

#[derive(Debug)]
struct App {
    id: String,
    unit: usize,
    filed: Filed,
    /// Its status as the verdicts said (`submitted`, `endorsed`, `approved`, …).
    status: String,
}

impl App {
    fn closed(&self) -> bool {
        matches!(self.status.as_str(), "approved" | "rejected" | "withdrawn")
    }

    /// Waiting for the reviewer: an endorsed quota use, another kind submitted.
    fn for_reviewer(&self) -> bool {
        match self.filed {
            Filed::Quota => self.status == "endorsed",
            _ => self.status == "submitted",
        }
    }

    /// Waiting for the supervisor: a submitted quota use.
    fn for_supervisor(&self) -> bool {
        matches!(self.filed, Filed::Quota) && self.status == "submitted"
    }
}

/// Who sent a document: a clerk, a supervisor (of unit `n`), the reviewer.
#[derive(Debug, Clone, Copy)]
enum Who {
    Clerk(usize),
    Supervisor(usize),
    Reviewer,
}

#[derive(Debug)]
struct Sent {
    submission: SignedSubmission,
    decision: bool,
    who: Who,
    /// Status and code of the first verdict.
    first: (VerdictStatus, Option<String>),
}

struct World {
    city: City,
    units: [UnitId; 2],
    categories: [EstablishmentCategory; 2],
    clerks: [KeyHolder; 2],
    supervisors: [KeyHolder; 2],
    reviewer: KeyHolder,
}

impl World {
    fn holder(&mut self, who: Who) -> &mut KeyHolder {
        match who {
            Who::Clerk(n) => &mut self.clerks[n],
            Who::Supervisor(n) => &mut self.supervisors[n],
            Who::Reviewer => &mut self.reviewer,
        }
    }
}

/// What one case has done: its applications, slips and documents, and the model of posts.
#[derive(Default)]
struct Model {
    apps: Vec<App>,
    /// Slip numbers with the index of the unit they were issued to.
    slips: Vec<(String, usize)>,
    sent: Vec<Sent>,
    /// Per ID number: approved onboardings minus approved offboardings.
    posts: BTreeMap<String, i32>,
    next: usize,
}

impl Model {
    /// Mostly one of the last four applications `ready` (else still open), sometimes any.
    fn recent(&self, pick: usize, ready: fn(&App) -> bool) -> Option<usize> {
        if self.apps.is_empty() {
            return None;
        }
        let among = |keep: &dyn Fn(&App) -> bool| -> Vec<usize> {
            (0..self.apps.len())
                .filter(|a| keep(&self.apps[*a]))
                .collect()
        };
        let mut candidates = among(&ready);
        if candidates.is_empty() {
            candidates = among(&|a: &App| !a.closed());
        }
        if pick % 5 == 4 || candidates.is_empty() {
            return Some(pick / 5 % self.apps.len());
        }
        Some(candidates[candidates.len() - 1 - pick / 5 % candidates.len().min(4)])
    }

    fn id(&mut self, case: usize, what: &str) -> String {
        self.next += 1;
        format!("p{case}-{what}{}", self.next)
    }
}

/// The case's people: ID numbers of 秦州区 born on a day of the case, holding no post.
fn people(case: usize) -> Vec<String> {
    (0..PEOPLE)
        .map(|p| {
            let born = format!("1985-{:02}-{:02}", 1 + case / 28, 1 + case % 28);
            let sequence = u16::try_from(700 + p).expect("a small sequence");
            new_person(&born, sequence, EstablishmentCategory::Administrative)
                .id_number
                .as_str()
                .to_owned()
        })
        .collect()
}

fn person(case: usize, p: usize, category: EstablishmentCategory) -> Person {
    let born = format!("1985-{:02}-{:02}", 1 + case / 28, 1 + case % 28);
    new_person(
        &born,
        u16::try_from(700 + p).expect("a small sequence"),
        category,
    )
}

/// The (unit, category) pairs over establishment, with by how much.
async fn over(pool: &Pool) -> BTreeMap<(String, String), i64> {
    schema::ledger_figures(pool)
        .await
        .into_iter()
        .filter(|f| f.filled + f.reserved > f.approved)
        .map(|f| ((f.unit, f.category), f.filled + f.reserved - f.approved))
        .collect()
}

/// The invariants, after `step`.
async fn check(
    pool: &Pool,
    over_before: &BTreeMap<(String, String), i64>,
    model: &Model,
    step: &str,
) {
    for f in schema::ledger_figures(pool).await {
        assert_eq!(f.approved, f.approved_recount, "{step}: approved {f:?}");
        assert_eq!(f.filled, f.filled_recount, "{step}: filled {f:?}");
        assert_eq!(f.reserved, f.reserved_recount, "{step}: reserved {f:?}");
        let excess = f.filled + f.reserved - f.approved;
        let allowed = over_before
            .get(&(f.unit.clone(), f.category.clone()))
            .copied()
            .unwrap_or(0);
        assert!(
            excess <= allowed,
            "{step}: filled + reserved > approved by {excess} (was {allowed}): {f:?}"
        );
    }
    for (id, posts) in &model.posts {
        assert!(
            (0..=1).contains(posts),
            "{step}: {id} approved into {posts} posts"
        );
        assert_eq!(
            schema::holds_post(pool, id).await,
            *posts == 1,
            "{step}: {id} in the staff table, the model says {posts}"
        );
    }
}

/// The state a repeat must leave as it was.
async fn fingerprint(pool: &Pool) -> (Vec<i64>, Vec<schema::LedgerFigures>, Vec<(String, String)>) {
    (
        schema::state_counts(pool).await,
        schema::ledger_figures(pool).await,
        schema::application_statuses(pool).await,
    )
}

async fn push(
    world: &mut World,
    model: &mut Model,
    via: usize,
    who: usize,
    app: App,
    payload: ApplicationPayload,
) {
    let unit = world.units[app.unit].clone();
    let submission = world.clerks[who].sign_application_at(&app.id, &unit, &payload, an_hour_ago());
    let mut verdicts = world.clerks[via].push(vec![submission.clone()]).await;
    let verdict = verdicts.remove(0);
    if verdict.status == VerdictStatus::Accepted {
        model.apps.push(app);
    }
    model.sent.push(Sent {
        submission,
        decision: false,
        who: Who::Clerk(via),
        first: (verdict.status, verdict.code),
    });
}

async fn decide(
    world: &mut World,
    model: &mut Model,
    case: usize,
    who: Who,
    app: usize,
    action: Action,
) {
    let application = model.apps[app].id.clone();
    let id = model.id(case, "d");
    let note = match action {
        Action::Return | Action::Reject => "材料不全",
        _ => "",
    };
    let holder = world.holder(who);
    let bytes = holder.decision_bytes(&id, &application, action, note);
    let submission = holder.sign(&bytes);
    let verdict = holder.send_decision(submission.clone()).await;
    if verdict.status == VerdictStatus::Accepted
        && let Some(status) = &verdict.application_status
    {
        model.apps[app].status = status.clone();
    }
    if verdict.status == VerdictStatus::Accepted && action == Action::Approve {
        if let Some(slip) = verdict.slip_number.clone() {
            model.slips.push((slip, model.apps[app].unit));
        }
        match &model.apps[app].filed {
            Filed::Quota => {}
            Filed::Onboarding(id) => *model.posts.entry(id.clone()).or_default() += 1,
            Filed::Offboarding(id) => *model.posts.entry(id.clone()).or_default() -= 1,
        }
    }
    model.sent.push(Sent {
        submission,
        decision: true,
        who,
        first: (verdict.status, verdict.code),
    });
}

async fn step(world: &mut World, model: &mut Model, case: usize, op: &Op) {
    match *op {
        Op::Quota {
            clerk,
            count,
            relay,
        } => {
            let category = world.categories[clerk];
            let payload = ApplicationPayload::QuotaUse(domain::payload::QuotaUseRequest {
                category,
                funding_form: category
                    .has_funding_form()
                    .then_some(domain::FundingForm::Full),
                count: domain::Headcount::new(count),
                recruitment: domain::person::EntryForm::OpenRecruitment,
                reason: "业务量增加，申请使用空编".into(),
                request_document: None,
            });
            let app = App {
                id: model.id(case, "q"),
                unit: clerk,
                filed: Filed::Quota,
                status: "submitted".into(),
            };
            let via = if relay { 1 - clerk } else { clerk };
            push(world, model, via, clerk, app, payload).await;
        }
        Op::Onboard {
            clerk,
            slip,
            person: p,
        } => {
            let Some((number, _)) = model.slips.get(slip % model.slips.len().max(1)).cloned()
            else {
                return;
            };
            let person = person(case, p, world.categories[clerk]);
            let app = App {
                id: model.id(case, "on"),
                unit: clerk,
                filed: Filed::Onboarding(person.id_number.as_str().to_owned()),
                status: "submitted".into(),
            };
            let payload = ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
                slip_number: DocumentNumber::parse(&number).expect("a slip number"),
                person,
                hr_document: None,
            }));
            push(world, model, clerk, clerk, app, payload).await;
        }
        Op::Offboard { clerk, person: p } => {
            let person = person(case, p, world.categories[clerk]);
            let app = App {
                id: model.id(case, "off"),
                unit: clerk,
                filed: Filed::Offboarding(person.id_number.as_str().to_owned()),
                status: "submitted".into(),
            };
            let payload = ApplicationPayload::Offboarding(OffboardingRequest {
                id_number: person.id_number,
                reason: DepartureReason::Retirement,
                left_on: an_hour_ago().date_in_china(),
                document: DocumentNumber::parse("天人社发〔2026〕9号").expect("a number"),
            });
            push(world, model, clerk, clerk, app, payload).await;
        }
        Op::Endorse { app } => {
            let Some(app) = model.recent(app, App::for_supervisor) else {
                return;
            };
            let unit = model.apps[app].unit;
            decide(
                world,
                model,
                case,
                Who::Supervisor(unit),
                app,
                Action::Endorse,
            )
            .await;
        }
        Op::Decide { app, action } => {
            let action = [
                Action::Approve,
                Action::Approve,
                Action::Approve,
                Action::Return,
                Action::Reject,
            ][action];
            let Some(app) = model.recent(app, App::for_reviewer) else {
                return;
            };
            decide(world, model, case, Who::Reviewer, app, action).await;
        }
        Op::Withdraw { app } => {
            let Some(app) = model.recent(app, |a| !a.closed()) else {
                return;
            };
            let unit = model.apps[app].unit;
            decide(world, model, case, Who::Clerk(unit), app, Action::Withdraw).await;
        }
        Op::Replay { sent, via } => {
            if model.sent.is_empty() {
                return;
            }
            let sent = &model.sent[sent % model.sent.len()];
            let before = fingerprint(&world.city.pool).await;
            let who = match (sent.who, via) {
                (who, 0) => who,
                // Relayed by the other clerk (or, for a reviewer's decision, by a clerk).
                (Who::Clerk(n), _) => Who::Clerk(1 - n),
                (_, _) => Who::Clerk(0),
            };
            let submission = sent.submission.clone();
            let first = sent.first.clone();
            let decision = sent.decision;
            let holder = world.holder(who);
            let again = if decision {
                let verdict = holder.send_decision(submission).await;
                (verdict.status, verdict.code)
            } else {
                let verdict = holder.push(vec![submission]).await.remove(0);
                (verdict.status, verdict.code)
            };
            assert_eq!(again, first, "a repeat gets the first verdict");
            assert!(
                fingerprint(&world.city.pool).await == before,
                "a repeat changed the state"
            );
        }
    }
}

/// A supervised unit other than `except`, and a category of its ledger (its vacancy is set by
/// each case).
async fn second_unit(pool: &Pool, except: &UnitId) -> (UnitId, UnitId, EstablishmentCategory) {
    for unit in schema::unit_ids(pool).await {
        if &unit == except {
            continue;
        }
        let certificate = schema::certificate(pool, &unit).await;
        let Some(department) = certificate.unit.supervising_department.clone() else {
            continue;
        };
        if let Some((category, _)) = certificate.ledger.all_figures().into_iter().next() {
            return (unit, department, category);
        }
    }
    panic!("the demo city should have two supervised units");
}

/// Every application of `apps` still waiting for a decision withdrawn by its clerk (or, once
/// endorsed, rejected by the reviewer).
async fn close(world: &mut World, apps: &[(String, usize)], case: usize) {
    for (n, (app, unit)) in apps.iter().enumerate() {
        let withdrawn = world.clerks[*unit]
            .decide(&format!("close{case}-w{n}"), app, Action::Withdraw, "")
            .await;
        if withdrawn.status != VerdictStatus::Accepted {
            let _ = world
                .reviewer
                .decide(
                    &format!("close{case}-r{n}"),
                    app,
                    Action::Reject,
                    "测试结束",
                )
                .await;
        }
    }
}

#[tokio::test]
async fn random_interleavings_keep_the_ledger_and_one_post_per_person() {
    let city = City::start().await;
    let (unit0, department0, category0, _) =
        unit_with_vacancy(&city.pool, &Default::default()).await;
    let (unit1, department1, category1) = second_unit(&city.pool, &unit0).await;
    let clerks = [
        city.clerk("clerk-0", &unit0).await,
        city.clerk("clerk-1", &unit1).await,
    ];
    let supervisors = [
        city.supervisor("supervisor-0", &department0).await,
        city.supervisor("supervisor-1", &department1).await,
    ];
    let reviewer = city.reviewer("reviewer").await;
    let mut world = World {
        city,
        units: [unit0, unit1],
        categories: [category0, category1],
        clerks,
        supervisors,
        reviewer,
    };
    let pool = world.city.pool.clone();
    let strategy = proptest::collection::vec(op(), STEPS);
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&SEED.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );
    let mut accepted = BTreeMap::<String, usize>::new();
    let mut onboarded = 0;
    let mut replays = 0;
    let mut previous: Vec<(String, usize)> = Vec::new();
    for case in 0..CASES {
        let ops = strategy.new_tree(&mut runner).expect("ops").current();
        for (unit, category) in world.units.clone().iter().zip(world.categories) {
            set_vacancy(&pool, unit, category, VACANT).await;
        }
        for id in people(case) {
            assert!(!schema::holds_post(&pool, &id).await, "{id} is taken");
        }
        let over_before = over(&pool).await;
        let mut model = Model::default();
        // What the last case left waiting would hold the vacancy this one starts with.
        close(&mut world, &previous, case).await;
        check(&pool, &over_before, &model, &format!("case {case} start")).await;
        for (n, op) in ops.iter().enumerate() {
            let sent = model.sent.len();
            if matches!(op, Op::Replay { .. }) && sent > 0 {
                replays += 1;
            }
            step(&mut world, &mut model, case, op).await;
            let label = format!("seed {SEED} case {case} step {n} {op:?}; ops {ops:?}");
            check(&pool, &over_before, &model, &label).await;
            if let Some(sent) = model.sent.get(sent) {
                let kind = format!("{op:?}");
                let kind = kind.split([' ', '{']).next().unwrap_or_default();
                let key = format!("{kind} {:?} {:?}", sent.first.0, sent.first.1);
                *accepted.entry(key).or_default() += 1;
            }
            onboarded += model.posts.values().filter(|n| **n == 1).count();
        }
        previous = model
            .apps
            .iter()
            .filter(|a| !a.closed())
            .map(|a| (a.id.clone(), a.unit))
            .collect();
    }
    println!(
        "interleavings: {CASES} cases of {STEPS} steps, {replays} repeats; first verdicts \
         {accepted:#?}"
    );
    assert!(replays > CASES, "{replays} repeats");
    // The cases reached approvals, and people on posts (else the property says little).
    let approvals: usize = accepted
        .iter()
        .filter(|(key, _)| key.starts_with("Decide Accepted"))
        .map(|(_, n)| n)
        .sum();
    assert!(approvals > CASES, "{approvals} approvals");
    assert!(onboarded > 0, "nobody was onboarded");
}
