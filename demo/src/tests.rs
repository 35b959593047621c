//! Tests of the demo city: determinism, validity of every record, consistency between sections,
//! uniqueness of numbers and names, and the targets of each size.

use std::collections::{BTreeMap, BTreeSet};

use domain::unit::UnitKind;
use domain::{Region, UnitBook};

use super::*;

/// Every invariant the brief asks for; returns a short summary for the size checks.
fn check_city(city: &City, size: Size) {
    let (units, people) = size.targets();
    let n = city.certificates.len();
    let p = city.people();
    let tolerance = |target: u32, actual: usize| {
        let t = f64::from(target);
        (actual as f64 - t).abs() <= t * 0.02
    };
    assert!(tolerance(units, n), "{size}: {n} units for {units}");
    assert!(tolerance(people, p), "{size}: {p} people for {people}");

    let mut seen_units: BTreeMap<&UnitId, usize> = BTreeMap::new();
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut ids = BTreeSet::new();
    let mut over = 0;
    let mut regions = BTreeSet::new();
    let mut affiliates = 0;
    for (i, c) in city.certificates.iter().enumerate() {
        let u = &c.unit;
        u.check().unwrap_or_else(|e| panic!("{}: {e:?}", u.name));
        regions.insert(u.region);
        assert!(names.insert(u.name.as_str()), "duplicate name {}", u.name);
        let code = u
            .credit_code
            .as_ref()
            .expect("every unit has a credit code");
        assert!(codes.insert(code.as_str()), "duplicate code {code}");
        assert_eq!(
            domain::CreditCode::parse(code.as_str()).as_ref(),
            Ok(code),
            "{code}"
        );
        assert_eq!(code.region_code(), u.region.division_code());
        match u.kind {
            UnitKind::Organ | UnitKind::PublicInstitution | UnitKind::MassOrganisation => {
                assert_eq!(code.staffing_kind(), Some(u.kind), "{}", u.name)
            }
            _ => assert_eq!(&code.as_str()[..2], "19"),
        }
        assert!(u.id.as_str().starts_with(u.region.division_code()));
        for r in [&u.parent, &u.supervising_department].into_iter().flatten() {
            let j = seen_units
                .get(r)
                .unwrap_or_else(|| panic!("{}: {r} is not an earlier unit", u.name));
            assert!(*j < i);
        }
        if let Some(parent) = &u.parent {
            affiliates += 1;
            let j = seen_units[parent];
            assert!(
                city.certificates[j]
                    .affiliates
                    .iter()
                    .any(|a| a.unit == u.id && a.name == u.name),
                "{} missing from its parent's affiliates",
                u.name
            );
        }
        for a in &c.affiliates {
            let child = city
                .certificates
                .iter()
                .find(|x| x.unit.id == a.unit)
                .expect("affiliate exists");
            assert_eq!(child.unit.parent.as_ref(), Some(&u.id));
        }
        seen_units.insert(&u.id, i);

        assert!((3..=6).contains(&c.functions.len()), "{}", u.name);
        assert!(!c.divisions.is_empty());
        assert!(!c.history.is_empty());
        assert!(c.history.windows(2).all(|w| w[0].date <= w[1].date));
        assert!((1..=5).contains(&c.ledger.rows().len()), "{}", u.name);
        for row in c.ledger.rows() {
            assert!(row.date <= TODAY);
        }
        let division_names: BTreeSet<&str> = c.divisions.iter().map(|d| d.name.as_str()).collect();
        for f in c.ledger.all_figures() {
            assert_eq!(f.1.reserved.get(), 0);
            if f.1.is_over() {
                over += 1;
            }
        }
        let leaders = c
            .staff
            .iter()
            .filter(|s| s.personnel_class == domain::person::PersonnelClass::DepartmentLeader)
            .count();
        let posts: u32 = c.leadership_posts[..2].iter().map(|l| l.filled.get()).sum();
        assert_eq!(leaders, posts as usize, "{}", u.name);
        for s in c.staff.iter().chain(c.departed.iter().map(|d| &d.person)) {
            s.check().unwrap_or_else(|e| panic!("{}: {e:?}", s.name));
            assert!(ids.insert(s.id_number.clone()), "duplicate {}", s.id_number);
            let age = s.age_on(TODAY);
            let started = s.started_work_on.expect("start date");
            assert!(
                s.birth_date.add_years(18).expect("date") <= started,
                "{s:?}"
            );
            assert!(started <= s.enrolled_on, "{s:?}");
            let since = s.current_post_since.expect("current post");
            assert!(s.enrolled_on <= since && since <= TODAY, "{s:?}");
            assert!(s.category.has_funding_form() == s.funding_form.is_some());
            if let Some(d) = &s.division {
                assert!(division_names.contains(d.as_str()), "{d}");
            }
            assert!(age <= 68, "{age}");
        }
        for s in &c.staff {
            let age = s.age_on(TODAY);
            assert!((22..=60).contains(&age), "{age}");
            assert_eq!(s.id_number.province_code(), &s.id_number.as_str()[..2]);
            assert!(s.id_number.region_is_plausible());
        }
        for d in &c.departed {
            assert!(d.left_on <= TODAY && d.person.enrolled_on <= d.left_on);
        }
        UnitBook::from_parts(
            u.id.clone(),
            c.ledger.clone(),
            c.staff.clone(),
            c.departed.clone(),
            vec![],
        )
        .unwrap_or_else(|e| panic!("{}: {e:?}", u.name));
    }
    assert!(over >= 1, "no unit over establishment");
    assert!(affiliates >= 1, "no affiliate");
    assert!(regions.contains(&Region::Tianshui));
    assert!(regions.len() >= 3, "{regions:?}");
    // 张家川: a Hui majority.
    let (hui, all) = city
        .certificates
        .iter()
        .filter(|c| c.unit.region == Region::Zhangjiachuan)
        .flat_map(|c| &c.staff)
        .fold((0, 0), |(h, a), s| {
            (h + usize::from(s.ethnicity == "回族"), a + 1)
        });
    assert!(all > 0 && hui * 2 > all, "张家川: {hui} of {all}");
}

#[test]
fn same_seed_same_city_and_different_seeds_differ() {
    let a = generate(42, Size::Tiny);
    let b = generate(42, Size::Tiny);
    assert_eq!(a, b);
    let c = generate(43, Size::Tiny);
    assert_ne!(a, c);
    // Byte-identical serialised form.
    let ja = format!("{:?}", a.certificates);
    let jb = format!("{:?}", b.certificates);
    assert_eq!(ja, jb);
}

#[test]
fn tiny_city_is_valid() {
    for seed in [0, 1, 2, 42, u64::MAX] {
        let city = generate(seed, Size::Tiny);
        check_city(&city, Size::Tiny);
        assert!(
            city.certificates
                .iter()
                .filter(|c| c.unit.region != Region::Tianshui)
                .map(|c| c.unit.region)
                .collect::<BTreeSet<_>>()
                .len()
                >= 2
        );
    }
}

#[test]
fn small_city_is_valid() {
    check_city(&generate(7, Size::Small), Size::Small);
}

#[test]
fn medium_city_is_valid() {
    check_city(&generate(2026, Size::Medium), Size::Medium);
}

#[test]
fn full_city_is_valid() {
    check_city(&generate(1, Size::Full), Size::Full);
}

#[test]
fn sizes_parse_and_display() {
    for s in Size::ALL {
        assert_eq!(s.to_string().parse::<Size>(), Ok(*s));
    }
    assert_eq!("Medium".parse::<Size>(), Ok(Size::Medium));
    assert!("huge".parse::<Size>().is_err());
    assert_eq!(Size::Full.targets(), (3_000, 80_000));
    assert_eq!(Size::default(), Size::Medium);
}

#[test]
fn names_look_like_tianshui() {
    let city = generate(5, Size::Medium);
    let names: BTreeSet<&str> = city
        .certificates
        .iter()
        .map(|c| c.unit.name.as_str())
        .collect();
    for expected in [
        "中共天水市委办公室",
        "天水市人民政府办公室",
        "天水市教育局",
        "天水市第一中学",
        "秦州区教育局",
        "张家川回族自治县人民政府办公室",
    ] {
        assert!(names.contains(expected), "{expected}");
    }
    let male = city
        .certificates
        .iter()
        .flat_map(|c| &c.staff)
        .filter(|s| s.sex == domain::Sex::Male)
        .count();
    let share = male as f64 / city.people() as f64;
    assert!((0.48..=0.62).contains(&share), "{share}");
}

#[test]
fn issued_numbers_are_unique_and_reported() {
    let city = generate(9, Size::Small);
    let mut seen = BTreeSet::new();
    for c in &city.certificates {
        for p in c.staff.iter().chain(c.departed.iter().map(|d| &d.person)) {
            for n in [&p.enrolment_document, &p.slip_number]
                .into_iter()
                .flatten()
            {
                assert!(seen.insert(n.clone()), "{n} issued twice");
            }
        }
        for d in &c.departed {
            if let Some(n) = &d.approval {
                assert!(seen.insert(n.clone()), "{n} issued twice");
            }
        }
        let rows: BTreeSet<_> = c.ledger.rows().iter().map(|r| &r.document).collect();
        assert_eq!(rows.len(), c.ledger.rows().len(), "{}", c.unit.name);
    }
    let last = city.last_issued();
    let total: u32 = last.values().sum();
    assert_eq!(total as usize, seen.len());
    let mut numbering = domain::slip::Numbering::new();
    for ((b, k, y), n) in &last {
        numbering.set_last(*b, *k, *y, *n);
    }
    let next = numbering
        .issue(
            Region::Qinzhou.bureau(),
            domain::slip::IssuedDocumentKind::QuotaUseSlip,
            TODAY,
        )
        .expect("number");
    assert!(!seen.contains(&next), "{next}");
}

#[test]
fn a_certificate_reads_well() {
    let city = generate(3, Size::Tiny);
    let edu = city
        .certificates
        .iter()
        .find(|c| c.unit.name.as_str() == "天水市教育局")
        .expect("the city education bureau");
    assert!(
        edu.power_list
            .iter()
            .any(|p| p.name.as_str() == "教师资格认定")
    );
    assert!(
        edu.divisions
            .iter()
            .any(|d| d.name.as_str() == "基础教育科")
    );
    assert!(
        edu.affiliates
            .iter()
            .any(|a| a.name.as_str() == "天水市第一中学")
    );
    assert!(
        edu.history
            .iter()
            .any(|h| h.description.contains("机构改革"))
    );
    let principal = &edu.staff[0];
    assert_eq!(principal.position.as_deref(), Some("局长"));
    let county = city
        .certificates
        .iter()
        .find(|c| c.unit.name.as_str() == "秦州区教育局")
        .expect("a county education bureau");
    assert!(
        county
            .divisions
            .iter()
            .any(|d| d.name.as_str() == "基础教育股")
    );
    assert_eq!(county.unit.level, domain::unit::UnitLevel::SectionFull);
}
