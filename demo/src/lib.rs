//! A deterministic demo city: a Tianshui-like city of certificates generated from a seed number.
//!
//! Pure and without I/O (builds for wasm32 too): [`generate`] turns `(seed, size)` into a
//! [`City`], the same bytes every time. The database loading and the command line live elsewhere.
//!
//! Module map:
//! - `rng` — SplitMix64, the only source of randomness.
//! - `data` — name lists and tables: departments, affiliates, towns, surnames, native places.
//! - `plan` — which units exist per region, by priority, and how many people each has.
//! - `people` — staff and departed staff with valid, unique ID numbers and consistent dates.
//! - `build` — one certificate per planned unit: every section, the ledger agreeing with staff.
#![forbid(unsafe_code)]

mod build;
mod data;
mod people;
mod plan;
mod rng;

use std::collections::BTreeMap;

use domain::region::Bureau;
use domain::slip::{IssuedDocumentKind, NumberingScheme};
use domain::unit::{Affiliate, UnitKind};
use domain::{Certificate, CreditCode, Date, DocumentNumber, Name, Region, UnitId};

use crate::rng::Rng;

/// The day the demo data describes: nothing in it is later.
pub const TODAY: Date = match Date::from_ymd(2026, 11, 1) {
    Some(d) => d,
    None => Date::MIN,
};

/// How big a city to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    /// About 12 units and 150 people (the city, 秦州区 and 张家川): for tests.
    Tiny,
    /// About 120 units and 3,000 people.
    Small,
    /// About 400 units and 10,000 people: the default demo.
    Medium,
    /// 3,000 units and 80,000 people: a full prefecture-level city, for benchmarks.
    Full,
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: &'static [Size] = &[Size::Tiny, Size::Small, Size::Medium, Size::Full];

    /// The targets: (units, people in post).
    pub fn targets(self) -> (u32, u32) {
        match self {
            Size::Tiny => (12, 150),
            Size::Small => (120, 3_000),
            Size::Medium => (400, 10_000),
            Size::Full => (3_000, 80_000),
        }
    }

    /// The lower-case name (`tiny`, `small`, `medium`, `full`).
    pub fn as_str(self) -> &'static str {
        match self {
            Size::Tiny => "tiny",
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Full => "full",
        }
    }
}

impl Default for Size {
    /// [`Size::Medium`], the demo the server loads.
    fn default() -> Size {
        Size::Medium
    }
}

impl core::fmt::Display for Size {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A size name that is not `tiny`, `small`, `medium` or `full`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSize(pub String);

impl core::fmt::Display for UnknownSize {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "unknown demo size {:?}: expected tiny, small, medium or full",
            self.0
        )
    }
}

impl std::error::Error for UnknownSize {}

impl core::str::FromStr for Size {
    type Err = UnknownSize;
    fn from_str(s: &str) -> Result<Size, UnknownSize> {
        let t = s.trim();
        Size::ALL
            .iter()
            .copied()
            .find(|z| z.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownSize(s.to_owned()))
    }
}

/// The demo city: one certificate per unit, ordered so that every unit's supervising department
/// and parent come before it (the city's units first, then each county's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City {
    /// The certificates.
    pub certificates: Vec<Certificate>,
}

impl City {
    /// The number of people in post.
    pub fn people(&self) -> usize {
        self.certificates.iter().map(|c| c.staff.len()).sum()
    }

    /// The highest sequence the demo used per bureau, kind of issued document and year (slips,
    /// onboarding and offboarding notices, numbered as [`NumberingScheme::default_for`]), for
    /// [`domain::slip::Numbering::set_last`] so that new numbers continue after the demo's.
    pub fn last_issued(&self) -> BTreeMap<(Bureau, IssuedDocumentKind, u16), u32> {
        let schemes: Vec<(String, Bureau, IssuedDocumentKind)> = Region::ALL
            .iter()
            .flat_map(|r| {
                IssuedDocumentKind::ALL.iter().map(move |k| {
                    let b = r.bureau();
                    (
                        NumberingScheme::default_for(b, *k).prefix().to_owned(),
                        b,
                        *k,
                    )
                })
            })
            .collect();
        let mut last = BTreeMap::new();
        let numbers = self.certificates.iter().flat_map(|c| {
            let staff = c
                .staff
                .iter()
                .flat_map(|p| [&p.enrolment_document, &p.slip_number]);
            let departed = c.departed.iter().flat_map(|d| {
                [
                    &d.person.enrolment_document,
                    &d.person.slip_number,
                    &d.approval,
                ]
            });
            staff.chain(departed).flatten()
        });
        for n in numbers {
            if let Some((_, b, k)) = schemes.iter().find(|(p, _, _)| p == n.issuer()) {
                let e = last.entry((*b, *k, n.year())).or_insert(0);
                *e = n.sequence().max(*e);
            }
        }
        last
    }
}

/// Generates the city for `seed` at `size`: the same inputs give the same city.
pub fn generate(seed: u64, size: Size) -> City {
    let root = Rng::new(seed);
    let (units, people) = size.targets();
    let plans = plan::plan(&root.fork(1), units, people, size == Size::Tiny);

    // Over-establishment (超编): about 2% of units, at least one.
    let mut pick = root.fork(2);
    let mut over: Vec<bool> = plans.iter().map(|_| pick.chance(0.02)).collect();
    if !over.iter().any(|o| *o) && !plans.is_empty() {
        let i = pick.index(plans.len());
        over[i] = true;
    }

    // Identifiers: region code and the rank within the region, e.g. 620502-0012.
    let mut ids: Vec<UnitId> = Vec::with_capacity(plans.len());
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_region: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        let code = p.region.division_code();
        let n = per_region.entry(code).or_insert(0);
        *n += 1;
        ids.push(unit_id(&format!("{code}-{:04}", *n)));
        by_name.insert(p.name.as_str(), i);
    }
    let parents: Vec<Option<usize>> = plans
        .iter()
        .map(|p| p.parent.as_deref().and_then(|n| by_name.get(n).copied()))
        .collect();
    let mut children: Vec<Vec<Affiliate>> = vec![Vec::new(); plans.len()];
    for (i, parent) in parents.iter().enumerate() {
        if let Some(j) = parent {
            children[*j].push(Affiliate {
                unit: ids[i].clone(),
                name: name(&plans[i].name),
            });
        }
    }

    let salt = root.fork(3).below(7919);
    let mut reg = people::Registry::new();
    let mut certificates = Vec::with_capacity(plans.len());
    for (i, p) in plans.iter().enumerate() {
        let mut rng = root.fork(1000 + i as u64);
        let input = build::Inputs {
            plan: p,
            id: ids[i].clone(),
            credit_code: credit_code(p.kind, p.region.division_code(), i as u64, salt),
            parent: parents[i].map(|j| ids[j].clone()),
            affiliates: std::mem::take(&mut children[i]),
            over: over[i],
        };
        certificates.push(build::certificate(&mut rng, &mut reg, input));
    }
    City { certificates }
}

/// A 统一社会信用代码 as a staffing office registers it: `1`, the kind, the region code, a
/// unique organisation code with its GB 11714 check character, then the GB 32100 check.
fn credit_code(kind: UnitKind, region: &str, index: u64, salt: u64) -> Option<CreditCode> {
    let kind_digit = match kind {
        UnitKind::Organ => '1',
        UnitKind::PublicInstitution => '2',
        UnitKind::MassOrganisation => '3',
        UnitKind::DemocraticParty | UnitKind::Other => '9',
    };
    // 7919 is prime and does not divide 90,000,000, so distinct indexes give distinct bodies.
    let body = format!("{:08}", 10_000_000 + (index * 7919 + salt) % 90_000_000);
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap_or('0'),
    };
    CreditCode::compose(&format!("1{kind_digit}{region}{body}{check}"))
}

/// A document number from parts known to be valid.
pub(crate) fn doc(issuer: &str, year: u16, sequence: i64) -> DocumentNumber {
    let sequence = u32::try_from(sequence.clamp(1, 999_999)).unwrap_or(1);
    let year = year.clamp(1949, 2200);
    // Every issuer here is a fixed Chinese prefix without brackets, the year is clamped to the
    // accepted range and the sequence to 1..=999999, so composing cannot fail.
    DocumentNumber::compose(issuer, year, sequence, 1).expect("valid document number parts")
}

/// A name from text known to be valid.
pub(crate) fn name(s: &str) -> Name {
    // Names here come from the data tables: non-empty, short, no control characters.
    Name::parse(s).expect("valid name from the data tables")
}

fn unit_id(s: &str) -> UnitId {
    // `{6 digits}-{4+ digits}` uses only characters UnitId accepts.
    UnitId::parse(s).expect("valid unit id")
}

#[cfg(test)]
mod tests;
