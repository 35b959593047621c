//! Property tests: the ledger invariant and the staff survive any sequence of applications and
//! decisions; the canonical form ignores key order and whitespace.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::Value;

use crate::application::{Action, ApplicationKind, Lifecycle};
use crate::book::UnitBook;
use crate::canonical::{canonicalize, canonicalize_json};
use crate::date::Date;
use crate::establishment::EstablishmentCategory;
use crate::fixtures::{date, doc, id, person};
use crate::headcount::{Headcount, HeadcountDelta};
use crate::id_number::IdNumber;
use crate::ids::UnitId;
use crate::ledger::{LedgerRow, UnitLedger};
use crate::payload::{OffboardingRequest, OnboardingRequest, QuotaUseRequest};
use crate::person::{DepartureReason, EntryForm};
use crate::region::Bureau;
use crate::registry::PostRegistry;
use crate::role::Role;
use crate::slip::{IssuedDocumentKind, Numbering, SlipValidity};

const CATEGORIES: [EstablishmentCategory; 2] = [
    EstablishmentCategory::Administrative,
    EstablishmentCategory::PublicInstitution,
];

#[derive(Debug, Clone, Copy)]
enum Decision {
    Approve,
    Reject,
    Return,
    Withdraw,
}

#[derive(Debug, Clone)]
enum Op {
    Establish {
        unit: usize,
        cat: usize,
        delta: u8,
    },
    QuotaUse {
        unit: usize,
        cat: usize,
        count: u32,
        decision: Decision,
    },
    /// `cat: None` uses the slip's category (the usual case).
    Onboard {
        unit: usize,
        slip: usize,
        person: u32,
        cat: Option<usize>,
        decision: Decision,
    },
    /// `person: None` picks someone from the unit's staff by `pick`.
    Offboard {
        unit: usize,
        person: Option<u32>,
        pick: usize,
        decision: Decision,
    },
    Release {
        unit: usize,
        slip: usize,
    },
    Wait {
        days: u8,
    },
}

fn decision() -> impl Strategy<Value = Decision> {
    prop_oneof![
        4 => Just(Decision::Approve),
        1 => Just(Decision::Reject),
        1 => Just(Decision::Return),
        1 => Just(Decision::Withdraw),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0..2usize, 0..2usize, 0..4u8).prop_map(|(unit, cat, delta)| Op::Establish { unit, cat, delta }),
        3 => (0..2usize, 0..2usize, 0..4u32, decision())
            .prop_map(|(unit, cat, count, decision)| Op::QuotaUse { unit, cat, count, decision }),
        6 => (0..2usize, 0..8usize, 0..16u32, proptest::option::weighted(0.2, 0..2usize), decision())
            .prop_map(|(unit, slip, person, cat, decision)| Op::Onboard { unit, slip, person, cat, decision }),
        3 => (0..2usize, proptest::option::weighted(0.2, 0..16u32), 0..8usize, decision())
            .prop_map(|(unit, person, pick, decision)| Op::Offboard { unit, person, pick, decision }),
        1 => (0..2usize, 0..8usize).prop_map(|(unit, slip)| Op::Release { unit, slip }),
        1 => (0..30u8).prop_map(|days| Op::Wait { days }),
    ]
}

/// Runs the lifecycle of one application to the decision; true when approved.
fn decide(kind: ApplicationKind, decision: Decision) -> bool {
    let mut l = Lifecycle::new(kind);
    let mut steps = vec![
        (Action::Sign, Role::UnitClerk),
        (Action::Submit, Role::UnitClerk),
    ];
    if kind.needs_endorsement() {
        steps.push((Action::Endorse, Role::Supervisor));
    }
    steps.push(match decision {
        Decision::Approve => (Action::Approve, Role::BureauReviewer),
        Decision::Reject => (Action::Reject, Role::BureauReviewer),
        Decision::Return => (Action::Return, Role::BureauReviewer),
        Decision::Withdraw => (Action::Withdraw, Role::UnitClerk),
    });
    for (a, r) in steps {
        assert!(
            l.apply(a, r).is_ok(),
            "{kind} {a} by {r} refused at {}",
            l.status()
        );
    }
    // Approving after any decision is always refused.
    assert!(l.apply(Action::Approve, Role::BureauReviewer).is_err() || !l.status().is_final());
    l.status() == crate::application::ApplicationStatus::Approved
}

struct World {
    books: Vec<UnitBook>,
    registry: PostRegistry,
    numbering: Numbering,
    today: Date,
    ever: BTreeSet<IdNumber>,
}

impl World {
    fn new() -> World {
        let books = (0..2)
            .map(|i| {
                let mut ledger = UnitLedger::new();
                let row = LedgerRow {
                    document: doc(&format!("天机编发〔2018〕{}号", i + 1)),
                    date: date("2018-03-19"),
                    title: "三定规定".into(),
                    changes: CATEGORIES
                        .iter()
                        .map(|c| (*c, HeadcountDelta::new(4)))
                        .collect(),
                    note: None,
                };
                ledger.add_row(row).unwrap();
                UnitBook::new(UnitId::parse(&format!("unit-{i}")).unwrap(), ledger)
            })
            .collect();
        World {
            books,
            registry: PostRegistry::new(),
            numbering: Numbering::new(),
            today: date("2026-01-05"),
            ever: BTreeSet::new(),
        }
    }

    fn slip_number(&self, unit: usize, idx: usize) -> Option<crate::DocumentNumber> {
        let slips = self.books[unit].slips();
        if slips.is_empty() {
            return None;
        }
        slips.keys().nth(idx % slips.len()).cloned()
    }

    fn step(&mut self, op: &Op, row_seq: &mut u32) {
        match *op {
            Op::Establish { unit, cat, delta } => {
                *row_seq += 1;
                let row = LedgerRow {
                    document: doc(&format!("天机编发〔2026〕{row_seq}号")),
                    date: self.today,
                    title: "核增编制".into(),
                    changes: BTreeMap::from([(
                        CATEGORIES[cat],
                        HeadcountDelta::new(i32::from(delta)),
                    )]),
                    note: None,
                };
                self.books[unit].add_ledger_row(row).unwrap();
            }
            Op::QuotaUse {
                unit,
                cat,
                count,
                decision,
            } => {
                if decide(ApplicationKind::QuotaUse, decision) {
                    let req = QuotaUseRequest {
                        category: CATEGORIES[cat],
                        funding_form: None,
                        count: Headcount::new(count),
                        recruitment: EntryForm::OpenRecruitment,
                        reason: "补充人员".into(),
                        request_document: None,
                    };
                    let number = self
                        .numbering
                        .issue(Bureau::CITY, IssuedDocumentKind::QuotaUseSlip, self.today)
                        .unwrap();
                    let before = self.books[unit].ledger().figures(CATEGORIES[cat]);
                    let r = self.books[unit].approve_quota_use(
                        &req,
                        number,
                        self.today,
                        SlipValidity::default(),
                    );
                    if r.is_err() {
                        assert_eq!(
                            self.books[unit].ledger().figures(CATEGORIES[cat]),
                            before,
                            "refusal changed the ledger"
                        );
                    }
                }
            }
            Op::Onboard {
                unit,
                slip,
                person: n,
                cat,
                decision,
            } => {
                let Some(number) = self.slip_number(unit, slip) else {
                    return;
                };
                if decide(ApplicationKind::Onboarding, decision) {
                    let category = cat.map_or(self.books[unit].slips()[&number].category, |c| {
                        CATEGORIES[c]
                    });
                    let req = OnboardingRequest {
                        slip_number: number,
                        person: person(id(n), category),
                        hr_document: None,
                    };
                    let before_staff = self.books[unit].staff().len();
                    match self.books[unit].approve_onboarding(
                        &mut self.registry,
                        &req,
                        self.today,
                        None,
                    ) {
                        Ok(_) => {
                            self.ever.insert(id(n));
                        }
                        Err(_) => assert_eq!(self.books[unit].staff().len(), before_staff),
                    }
                }
            }
            Op::Offboard {
                unit,
                person: n,
                pick,
                decision,
            } => {
                let staff = self.books[unit].staff();
                let who = match n {
                    Some(n) => id(n),
                    None if staff.is_empty() => return,
                    None => staff.keys().nth(pick % staff.len()).cloned().unwrap(),
                };
                if decide(ApplicationKind::Offboarding, decision) {
                    let req = OffboardingRequest {
                        id_number: who,
                        reason: DepartureReason::Retirement,
                        left_on: self.today,
                        document: doc("天人社发〔2026〕1号"),
                    };
                    let _ = self.books[unit].approve_offboarding(&mut self.registry, &req, None);
                }
            }
            Op::Release { unit, slip } => {
                if let Some(number) = self.slip_number(unit, slip) {
                    self.books[unit].release_slip(&number).unwrap();
                }
            }
            Op::Wait { days } => {
                self.today = self.today.add_days(i64::from(days)).unwrap();
                for b in &mut self.books {
                    b.expire_slips(self.today).unwrap();
                }
            }
        }
    }

    fn check(&self) {
        let mut on_staff = BTreeSet::new();
        for b in &self.books {
            for c in EstablishmentCategory::ALL {
                let f = b.ledger().figures(*c);
                assert!(f.holds_invariant(), "{c}: {f:?}");
            }
            b.check_consistency().unwrap();
            for id in b.staff().keys() {
                assert!(on_staff.insert(id.clone()), "{id} on two staffs");
                assert_eq!(&self.registry.holding(id).unwrap().unit, b.unit());
            }
        }
        assert_eq!(self.registry.len(), on_staff.len());
        for id in &self.ever {
            let departed = self
                .books
                .iter()
                .any(|b| b.departed().iter().any(|d| &d.person.id_number == id));
            assert!(on_staff.contains(id) || departed, "{id} was lost");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn applications_never_break_the_ledger_or_lose_a_person(ops in proptest::collection::vec(op(), 1..80)) {
        let mut world = World::new();
        let mut row_seq = 0;
        for op in &ops {
            world.step(op, &mut row_seq);
            world.check();
        }
    }
}

// ---- canonical form ----

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-(1i64 << 53)..=(1i64 << 53)).prop_map(Value::from),
        // Dyadic fractions parse back exactly whatever the float parser.
        any::<i32>().prop_map(|i| Value::from(f64::from(i) / 8.0)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Writes `v` as JSON with object members in a scrambled order and random whitespace.
fn next(seed: &mut u64) -> usize {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (*seed >> 33) as usize
}

fn scrambled(v: &Value, seed: &mut u64, out: &mut String) {
    const WS: [&str; 5] = ["", " ", "\n", "\t", "\r\n    "];
    out.push_str(WS[next(seed) % WS.len()]);
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                scrambled(item, seed, out);
            }
            out.push_str(WS[next(seed) % WS.len()]);
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            for i in (1..entries.len()).rev() {
                let j = next(seed) % (i + 1);
                entries.swap(i, j);
            }
            out.push('{');
            for (i, (k, val)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(WS[next(seed) % WS.len()]);
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(WS[next(seed) % WS.len()]);
                out.push(':');
                scrambled(val, seed, out);
            }
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
    out.push_str(WS[next(seed) % WS.len()]);
}

proptest! {
    #[test]
    fn canonical_form_ignores_order_and_whitespace(v in json_value(), seed in any::<u64>()) {
        let expected = canonicalize(&v).unwrap();
        let mut seed = seed;
        let mut text = String::new();
        scrambled(&v, &mut seed, &mut text);
        prop_assert_eq!(&canonicalize_json(text.as_bytes()).unwrap(), &expected);
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        prop_assert_eq!(&canonicalize_json(pretty.as_bytes()).unwrap(), &expected);
        // Canonical bytes are a fixed point, and are valid JSON for the same value.
        prop_assert_eq!(&canonicalize_json(&expected).unwrap(), &expected);
        let back: Value = serde_json::from_slice(&expected).unwrap();
        prop_assert_eq!(canonicalize(&back).unwrap(), expected);
    }
}

// ---- lifecycle ----

fn any_step() -> impl Strategy<Value = (Action, Role)> {
    (0..Action::ALL.len(), 0..Role::ALL.len()).prop_map(|(a, r)| (Action::ALL[a], Role::ALL[r]))
}

proptest! {
    #[test]
    fn lifecycle_accepts_only_legal_steps(
        kind in 0..ApplicationKind::ALL.len(),
        steps in proptest::collection::vec(any_step(), 0..40),
    ) {
        use crate::application::ApplicationStatus as S;
        let kind = ApplicationKind::ALL[kind];
        let mut l = Lifecycle::new(kind);
        for (action, role) in steps {
            let before = l.status();
            match l.apply(action, role) {
                Ok(after) if action == Action::Void => {
                    // Voiding an approval's document: the application stays approved.
                    prop_assert_eq!((before, after), (S::Approved, S::Approved));
                    prop_assert_eq!(role, Role::BureauReviewer);
                    prop_assert!(kind.issues_document());
                }
                Ok(after) => {
                    prop_assert!(!before.is_final(), "left final status {before}");
                    prop_assert!(action.allowed_roles(kind, before).contains(&role));
                    if after == S::Approved {
                        prop_assert_eq!(role, Role::BureauReviewer);
                        let expected = if kind.needs_endorsement() { S::Endorsed } else { S::Submitted };
                        prop_assert_eq!(before, expected);
                    }
                    if after == S::Withdrawn {
                        prop_assert_eq!(role, Role::UnitClerk);
                    }
                }
                Err(_) => prop_assert_eq!(l.status(), before),
            }
        }
        // Only a clerk's signature starts the way to a decision.
        if !matches!(l.status(), S::Draft | S::Withdrawn) {
            prop_assert_eq!(l.steps()[0], (Action::Sign, Role::UnitClerk));
        }
    }
}
