//! People: staff in post and departed staff, with valid, unique ID numbers and plausible,
//! mutually consistent records (age, education, dates, ranks).

use std::collections::HashSet;

use domain::person::{
    Degree, DepartedPerson, DepartureReason, Education, EntryForm, Person, PersonnelClass,
    PoliticalStatus, PostCategory,
};
use domain::slip::{IssuedDocumentKind, Numbering};
use domain::{Date, EstablishmentCategory, FundingForm, IdNumber, Name, Region, Sex};

use crate::data::{self, InstKind};
use crate::plan::{Plan, Role};
use crate::rng::Rng;
use crate::{TODAY, doc, name};

/// What a person does in the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Post {
    Principal,
    Deputy,
    DivisionHead,
    DivisionDeputy,
    Staff,
}

/// City-wide state that keeps numbers unique.
pub(crate) struct Registry {
    ids: HashSet<String>,
    pub numbering: Numbering,
}

impl Registry {
    pub(crate) fn new() -> Registry {
        Registry {
            ids: HashSet::new(),
            numbering: Numbering::new(),
        }
    }

    /// A new, unused ID number for this birth date and sex.
    fn id_number(&mut self, rng: &mut Rng, region: u32, birth: Date, sex: Sex) -> IdNumber {
        let mut region = region;
        loop {
            for _ in 0..40 {
                // Odd sequences for men, even for women (the 17th digit).
                let base = rng.below(500) as u16 * 2;
                let seq = if sex == Sex::Male { base + 1 } else { base };
                if let Some(id) = IdNumber::compose(region, birth, seq.min(999))
                    && self.ids.insert(id.as_str().to_owned())
                {
                    return id;
                }
            }
            // Every sequence of this region and day is (improbably) taken: use a neighbour code.
            region += 1;
        }
    }
}

/// Everything about a unit that shapes its people.
pub(crate) struct UnitContext<'a> {
    pub plan: &'a Plan,
    pub divisions: &'a [String],
    pub organ: bool,
    pub bureau_short: &'static str,
    /// How many people of the unit were made so far, and a per-unit offset: in 张家川 they
    /// spread the Hui share evenly over each unit's people (a low-discrepancy sequence).
    pub made: std::cell::Cell<u32>,
    pub offset: f64,
}

fn days(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    rng.range(lo, hi)
}

fn add_days(d: Date, n: i64) -> Date {
    d.add_days(n).unwrap_or(d)
}

fn add_years(d: Date, n: i32) -> Date {
    d.add_years(n).unwrap_or(d)
}

fn min_date(a: Date, b: Date) -> Date {
    if a < b { a } else { b }
}

fn max_date(a: Date, b: Date) -> Date {
    if a > b { a } else { b }
}

fn ethnicity(rng: &mut Rng, ctx: &UnitContext<'_>) -> &'static str {
    let k = f64::from(ctx.made.get());
    ctx.made.set(ctx.made.get() + 1);
    if ctx.plan.region == Region::Zhangjiachuan {
        const HUI: f64 = 0.66;
        let hui = ((k + 1.0) * HUI + ctx.offset).floor() > (k * HUI + ctx.offset).floor();
        if hui { "回族" } else { "汉族" }
    } else if rng.chance(0.025) {
        "回族"
    } else if rng.chance(0.008) {
        rng.weighted(data::OTHER_ETHNICITIES)
    } else {
        "汉族"
    }
}

fn person_name(rng: &mut Rng, sex: Sex, hui: bool) -> String {
    let surname = if hui {
        rng.weighted(data::HUI_SURNAMES)
    } else {
        rng.weighted(data::SURNAMES)
    };
    let chars = if sex == Sex::Male {
        data::MALE_CHARS
    } else {
        data::FEMALE_CHARS
    };
    let mut s = surname.to_owned();
    s.push_str(rng.pick::<&str>(chars));
    if rng.chance(0.75) {
        s.push_str(rng.pick::<&str>(chars));
    }
    s
}

/// Native place (籍贯) and the division code of the ID number.
fn origin(rng: &mut Rng, region: Region) -> (String, u32) {
    let local = |code: &str| -> u32 { code.parse().unwrap_or(620502) };
    let x = rng.unit();
    if x < 0.72 {
        let code = if region == Region::Tianshui {
            rng.pick(&Region::ALL[1..]).division_code()
        } else {
            region.division_code()
        };
        (data::native_place_of(code).to_owned(), local(code))
    } else if x < 0.82 {
        // Another county of the city.
        let code = rng.pick(&Region::ALL[1..]).division_code();
        (data::native_place_of(code).to_owned(), local(code))
    } else if x < 0.95 {
        let (place, code) = *rng.pick(data::OTHER_GANSU);
        (place.to_owned(), code)
    } else {
        let (place, code) = *rng.pick(data::OTHER_PROVINCES);
        (place.to_owned(), code)
    }
}

fn education(
    rng: &mut Rng,
    age: i32,
    ctx: &UnitContext<'_>,
    category: EstablishmentCategory,
) -> Education {
    use Education::*;
    if category == EstablishmentCategory::Logistics {
        return rng.weighted(&[
            (HighSchool, 40),
            (SecondaryVocational, 30),
            (JuniorCollege, 20),
            (JuniorOrBelow, 10),
        ]);
    }
    let young = age < 40;
    let inst = match ctx.plan.role {
        Role::Inst { inst, .. } => Some(inst),
        _ => None,
    };
    match inst {
        Some(InstKind::Hospital) => rng.weighted(&[
            (Postgraduate, if young { 14 } else { 6 }),
            (Undergraduate, 55),
            (JuniorCollege, 25),
            (SecondaryVocational, if young { 3 } else { 12 }),
        ]),
        Some(InstKind::Clinic | InstKind::Kindergarten) => rng.weighted(&[
            (Undergraduate, if young { 45 } else { 25 }),
            (JuniorCollege, 40),
            (SecondaryVocational, if young { 10 } else { 30 }),
        ]),
        Some(_) => rng.weighted(&[
            (Postgraduate, if young { 7 } else { 2 }),
            (Undergraduate, if young { 75 } else { 50 }),
            (JuniorCollege, if young { 15 } else { 35 }),
            (SecondaryVocational, if young { 2 } else { 10 }),
            (HighSchool, 1),
        ]),
        None => rng.weighted(&[
            (Postgraduate, if young { 12 } else { 4 }),
            (Undergraduate, if young { 80 } else { 62 }),
            (JuniorCollege, if young { 8 } else { 28 }),
            (SecondaryVocational, if young { 0 } else { 4 }),
            (HighSchool, if young { 0 } else { 2 }),
        ]),
    }
}

fn degree(rng: &mut Rng, education: Education, hospital: bool) -> Degree {
    match education {
        Education::Postgraduate => {
            if hospital && rng.chance(0.1) {
                Degree::Doctor
            } else if rng.chance(0.93) {
                Degree::Master
            } else {
                Degree::Bachelor
            }
        }
        Education::Undergraduate => {
            if rng.chance(0.8) {
                Degree::Bachelor
            } else {
                Degree::None
            }
        }
        _ => Degree::None,
    }
}

fn start_age(rng: &mut Rng, education: Education) -> i64 {
    match education {
        Education::Postgraduate => rng.range(25, 27),
        Education::Undergraduate => rng.range(22, 23),
        Education::JuniorCollege => rng.range(20, 21),
        _ => rng.range(18, 19),
    }
}

fn political(rng: &mut Rng, age: i32, post: Post, ctx: &UnitContext<'_>) -> PoliticalStatus {
    use PoliticalStatus::*;
    let dp_unit = ctx.plan.kind == domain::unit::UnitKind::DemocraticParty;
    if dp_unit {
        return if post == Post::Staff && rng.chance(0.3) {
            CpcMember
        } else {
            DemocraticParty
        };
    }
    if post != Post::Staff {
        return if rng.chance(0.95) {
            CpcMember
        } else {
            DemocraticParty
        };
    }
    let s = if ctx.organ {
        rng.weighted(&[
            (CpcMember, 70),
            (CpcProbationary, 2),
            (CylMember, 8),
            (DemocraticParty, 2),
            (NonParty, 1),
            (Masses, 17),
        ])
    } else {
        rng.weighted(&[
            (CpcMember, 40),
            (CpcProbationary, 2),
            (CylMember, 9),
            (DemocraticParty, 3),
            (NonParty, 2),
            (Masses, 44),
        ])
    };
    if s == CylMember && age > 28 {
        Masses
    } else {
        s
    }
}

/// 职级 of a civil servant by years of service.
fn civil_rank(rng: &mut Rng, years: i32, city: bool) -> &'static str {
    let y = years + rng.range(-2, 2) as i32;
    match y {
        ..2 => "二级科员",
        2..5 => "一级科员",
        5..10 => "四级主任科员",
        10..15 => "三级主任科员",
        15..20 => "二级主任科员",
        20..25 => "一级主任科员",
        25..30 => "四级调研员",
        _ if city => "三级调研员",
        _ => "四级调研员",
    }
}

fn professional_rank(rng: &mut Rng, years: i32) -> String {
    let y = years + rng.range(-3, 3) as i32;
    let level = match y {
        ..3 => 12,
        3..6 => 11,
        6..9 => 10,
        9..13 => 9,
        13..17 => 8,
        17..21 => 7,
        21..26 => 6,
        26..31 => 5,
        _ => 4,
    };
    format!("专业技术{}级", data::chinese_number(level))
}

fn management_rank(level: u32) -> String {
    format!("管理{}级", data::chinese_number(level.clamp(1, 10)))
}

fn skilled_rank(rng: &mut Rng, years: i32) -> &'static str {
    match years + rng.range(-3, 3) as i32 {
        ..5 => "普通工",
        5..12 => "技术工五级",
        12..20 => "技术工四级",
        20..28 => "技术工三级",
        _ => "技术工二级",
    }
}

fn title_of_principal(ctx: &UnitContext<'_>) -> &'static str {
    use data::Branch;
    match ctx.plan.role {
        Role::Dept(d) => match d.branch {
            Branch::Party if d.key == "jw" => "书记",
            Branch::Party if ctx.plan.name.ends_with("部") => "部长",
            Branch::Party | Branch::Congress | Branch::Cppcc => "主任",
            Branch::Court => "院长",
            Branch::Procuratorate => "检察长",
            Branch::Mass | Branch::DemocraticParty => "主席",
            Branch::Government if ctx.plan.name.ends_with("局") => "局长",
            Branch::Government => "主任",
        },
        Role::Town { street: true } => "主任",
        Role::Town { street: false } => "镇长",
        Role::Inst { inst, .. } => match inst {
            InstKind::School | InstKind::Kindergarten => "校长",
            InstKind::Hospital | InstKind::Clinic => "院长",
            InstKind::Culture if ctx.plan.name.ends_with("馆") => "馆长",
            _ => "主任",
        },
    }
}

/// The management level (管理X级) of a unit's principal.
fn principal_management_level(ctx: &UnitContext<'_>) -> u32 {
    use domain::unit::UnitLevel::*;
    match ctx.plan.level {
        BureauFull | BureauDeputy | DivisionFull => 5,
        DivisionDeputy => 6,
        SectionFull => 7,
        SectionDeputy => 8,
        _ => 9,
    }
}

fn deputy_level_label(ctx: &UnitContext<'_>) -> &'static str {
    use domain::unit::UnitLevel::*;
    match ctx.plan.level {
        DivisionFull => "副处级",
        SectionFull => "副科级",
        other => other.label_zh(),
    }
}

fn professional_position(rng: &mut Rng, inst: InstKind, years: i32) -> &'static str {
    let senior = years >= 15;
    match inst {
        InstKind::School => {
            if senior {
                "高级教师"
            } else {
                "一级教师"
            }
        }
        InstKind::Kindergarten => "幼儿教师",
        InstKind::Hospital | InstKind::Clinic => {
            let roles: &[(&str, u32)] = if senior {
                &[
                    ("副主任医师", 30),
                    ("主治医师", 25),
                    ("主管护师", 30),
                    ("主管药师", 5),
                    ("主管技师", 10),
                ]
            } else {
                &[("医师", 35), ("护师", 40), ("药师", 10), ("技师", 15)]
            };
            rng.weighted(roles)
        }
        InstKind::Culture => {
            if senior {
                "副研究馆员"
            } else {
                "馆员"
            }
        }
        InstKind::Centre if senior => rng.weighted(&[
            ("高级工程师", 20),
            ("工程师", 45),
            ("经济师", 20),
            ("会计师", 15),
        ]),
        InstKind::Centre => rng.weighted(&[
            ("助理工程师", 50),
            ("助理经济师", 25),
            ("助理会计师", 15),
            ("技术员", 10),
        ]),
    }
}

/// One person of a unit, as of `on` (today for staff, the leaving date for departed staff).
/// `birth` and `sex` are given for departures by retirement.
#[allow(clippy::too_many_arguments)]
pub(crate) fn person(
    rng: &mut Rng,
    reg: &mut Registry,
    ctx: &UnitContext<'_>,
    post: Post,
    category: EstablishmentCategory,
    funding_form: Option<FundingForm>,
    division: Option<&str>,
    on: Date,
    fixed: Option<(Date, Sex)>,
) -> Person {
    let region = ctx.plan.region;
    let male_share = match ctx.plan.role {
        Role::Inst {
            inst: InstKind::School | InstKind::Hospital | InstKind::Clinic | InstKind::Kindergarten,
            ..
        } => 0.45,
        Role::Inst { .. } => 0.55,
        _ => 0.62,
    };
    let (birth, sex) = fixed.unwrap_or_else(|| {
        let (lo, hi) = match post {
            Post::Principal => (44, 58),
            Post::Deputy => (38, 57),
            Post::DivisionHead => (32, 56),
            Post::DivisionDeputy => (28, 52),
            Post::Staff => (22, 59),
        };
        let age = rng.range(lo, hi);
        let birth = add_days(add_years(on, -(age as i32)), -days(rng, 0, 364));
        let sex = if rng.chance(male_share) {
            Sex::Male
        } else {
            Sex::Female
        };
        (birth, sex)
    });
    let age = birth.years_until(on);
    let ethnicity = ethnicity(rng, ctx);
    let hui = ethnicity == "回族";
    let full_name = person_name(rng, sex, hui);
    let (native_place, origin_code) = origin(rng, region);
    let id_region = if rng.chance(0.85) {
        origin_code
    } else {
        region.division_code().parse().unwrap_or(620502)
    };
    let id_number = reg.id_number(rng, id_region, birth, sex);
    let mut education = education(rng, age, ctx, category);
    let hospital = matches!(
        ctx.plan.role,
        Role::Inst {
            inst: InstKind::Hospital,
            ..
        }
    );

    // Entry: the way in decides how long after starting work the person entered establishment.
    let entry = if ctx.organ {
        if category == EstablishmentCategory::Logistics {
            rng.weighted(&[
                (EntryForm::OpenRecruitment, 40),
                (EntryForm::TransferIn, 30),
                (EntryForm::MilitaryResettlement, 20),
                (EntryForm::Other, 10),
            ])
        } else {
            rng.weighted(&[
                (EntryForm::Examination, 60),
                (EntryForm::TransferIn, 20),
                (EntryForm::Selection, 8),
                (EntryForm::MilitaryResettlement, 7),
                (EntryForm::Other, 5),
            ])
        }
    } else {
        rng.weighted(&[
            (EntryForm::OpenRecruitment, 66),
            (EntryForm::TransferIn, 16),
            (EntryForm::TalentIntroduction, 5),
            (EntryForm::MilitaryResettlement, 3),
            (EntryForm::Other, 10),
        ])
    };
    let mut start_years = start_age(rng, education);
    if entry == EntryForm::MilitaryResettlement {
        start_years = rng.range(18, 20);
    }
    // Nobody starts work after `on` minus a month; if the education would make that so, the
    // person has less of it.
    let latest_start = add_days(on, -30);
    let mut started = add_days(add_years(birth, start_years as i32), days(rng, 0, 200));
    if started > latest_start {
        education = Education::JuniorCollege;
        started = max_date(
            add_years(birth, 18),
            add_days(latest_start, -days(rng, 0, 300)),
        );
        started = min_date(started, latest_start);
    }
    let degree = degree(rng, education, hospital);
    let enrolled_raw = match entry {
        EntryForm::TransferIn => add_days(started, days(rng, 365, 365 * 12)),
        EntryForm::MilitaryResettlement => add_days(started, days(rng, 365 * 10, 365 * 20)),
        EntryForm::TalentIntroduction => add_days(started, days(rng, 0, 365 * 3)),
        _ => add_days(started, days(rng, 0, 90)),
    };
    let enrolled = max_date(
        started,
        min_date(enrolled_raw, add_days(on, -days(rng, 1, 20))),
    );
    // Before open recruitment (2006) and the civil service examination (1994) people were
    // assigned (统一分配).
    let entry = match entry {
        EntryForm::OpenRecruitment if enrolled.year() < 2006 => EntryForm::Other,
        EntryForm::Examination if enrolled.year() < 1995 => EntryForm::Other,
        EntryForm::Selection if enrolled.year() < 2000 => EntryForm::Other,
        e => e,
    };
    let years = started.years_until(on);
    let since_lo = enrolled.days_until(on).max(0);
    let current_post_since = add_days(on, -days(rng, 0, since_lo.min(365 * 9)));

    let city = region == Region::Tianshui;
    let inst_kind = match ctx.plan.role {
        Role::Inst { inst, .. } => Some(inst),
        _ => None,
    };
    let (personnel_class, position, rank, post_category): (
        PersonnelClass,
        Option<String>,
        Option<String>,
        PostCategory,
    ) = match (post, category, inst_kind) {
        (_, EstablishmentCategory::Logistics, _) => (
            PersonnelClass::NonLeader,
            Some(
                rng.pick(&["驾驶员", "工勤人员", "炊事员", "电工", "文印员"])
                    .to_string(),
            ),
            Some(skilled_rank(rng, years).to_owned()),
            PostCategory::Skilled,
        ),
        (Post::Principal, _, _) => (
            PersonnelClass::DepartmentLeader,
            Some(title_of_principal(ctx).to_owned()),
            Some(if ctx.organ {
                ctx.plan.level.label_zh().to_owned()
            } else {
                management_rank(principal_management_level(ctx))
            }),
            PostCategory::Management,
        ),
        (Post::Deputy, _, _) => (
            PersonnelClass::DepartmentLeader,
            Some(format!("副{}", title_of_principal(ctx))),
            Some(if ctx.organ {
                deputy_level_label(ctx).to_owned()
            } else {
                management_rank(principal_management_level(ctx) + 1)
            }),
            PostCategory::Management,
        ),
        (Post::DivisionHead | Post::DivisionDeputy, _, _) => {
            let head = post == Post::DivisionHead;
            let div = division.unwrap_or("办公室");
            let title = if div.ends_with("股") {
                "股长"
            } else if div.ends_with("科") {
                "科长"
            } else if ["部", "室", "庭", "处"].iter().any(|e| div.ends_with(e)) {
                "主任"
            } else {
                "负责人"
            };
            let title = if head {
                title.to_owned()
            } else {
                format!("副{title}")
            };
            let rank = if ctx.organ {
                if city && head {
                    "正科级".to_owned()
                } else if city {
                    "副科级".to_owned()
                } else {
                    civil_rank(rng, years, city).to_owned()
                }
            } else {
                management_rank(principal_management_level(ctx) + if head { 2 } else { 3 })
            };
            (
                PersonnelClass::DivisionLeader,
                Some(title),
                Some(rank),
                PostCategory::Management,
            )
        }
        (Post::Staff, _, None) => (
            PersonnelClass::NonLeader,
            None,
            Some(civil_rank(rng, years, city).to_owned()),
            PostCategory::Management,
        ),
        (Post::Staff, _, Some(inst)) => {
            let prof_share = match inst {
                InstKind::Centre => 0.4,
                InstKind::Culture => 0.6,
                _ => 0.85,
            };
            let x = rng.unit();
            if x < prof_share {
                (
                    PersonnelClass::NonLeader,
                    Some(professional_position(rng, inst, years).to_owned()),
                    Some(professional_rank(rng, years)),
                    PostCategory::Professional,
                )
            } else if x < prof_share + (1.0 - prof_share) * 0.8 {
                let level = if years > 15 {
                    8
                } else if years > 5 {
                    9
                } else {
                    10
                };
                (
                    PersonnelClass::NonLeader,
                    Some("管理人员".to_owned()),
                    Some(management_rank(level)),
                    PostCategory::Management,
                )
            } else {
                (
                    PersonnelClass::NonLeader,
                    Some("工勤人员".to_owned()),
                    Some(skilled_rank(rng, years).to_owned()),
                    PostCategory::Skilled,
                )
            }
        }
    };
    let bureau = region.bureau();
    let enrolment_document = reg
        .numbering
        .issue(bureau, IssuedDocumentKind::OnboardingNotice, enrolled)
        .ok();
    // Quota-use slips exist since the real-name system of 2018.
    let slip_number = (enrolled.year() >= 2018)
        .then(|| {
            reg.numbering
                .issue(bureau, IssuedDocumentKind::QuotaUseSlip, enrolled)
                .ok()
        })
        .flatten();
    Person {
        id_number,
        name: name(&full_name),
        sex,
        birth_date: birth,
        ethnicity: ethnicity.to_owned(),
        native_place,
        political_status: political(rng, age, post, ctx),
        education,
        degree,
        division: division.map(name_of),
        category,
        funding_form: if category.has_funding_form() {
            Some(funding_form.unwrap_or(FundingForm::Full))
        } else {
            None
        },
        personnel_class,
        position,
        rank,
        post_category,
        entry_form: entry,
        enrolled_on: enrolled,
        enrolment_document,
        started_work_on: Some(started),
        current_post_since: Some(max_date(current_post_since, enrolled)),
        slip_number,
    }
}

fn name_of(s: &str) -> Name {
    name(s)
}

/// One departed person of a unit: mostly retired or transferred out since 2019.
pub(crate) fn departed(
    rng: &mut Rng,
    reg: &mut Registry,
    ctx: &UnitContext<'_>,
    category: EstablishmentCategory,
    funding_form: Option<FundingForm>,
) -> DepartedPerson {
    let reason = rng.weighted(&[
        (DepartureReason::Retirement, 55),
        (DepartureReason::TransferOut, 30),
        (DepartureReason::Resignation, 7),
        (DepartureReason::Death, 3),
        (DepartureReason::Dismissal, 3),
        (DepartureReason::Other, 2),
    ]);
    let start = Date::from_ymd(2019, 1, 1).unwrap_or(TODAY);
    let left_on = add_days(start, days(rng, 0, start.days_until(TODAY) - 1));
    let fixed = (reason == DepartureReason::Retirement).then(|| {
        let sex = if rng.chance(0.55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let age = if sex == Sex::Male { 60 } else { 55 };
        (add_days(add_years(left_on, -age), -days(rng, 0, 25)), sex)
    });
    let division = if ctx.divisions.is_empty() {
        None
    } else {
        Some(ctx.divisions[rng.index(ctx.divisions.len())].as_str())
    };
    let person = person(
        rng,
        reg,
        ctx,
        Post::Staff,
        category,
        funding_form,
        division,
        left_on,
        fixed,
    );
    let s = ctx.bureau_short;
    let year = left_on.year();
    let document = match reason {
        DepartureReason::Retirement => doc(&format!("{s}人社退字"), year, rng.range(1, 300)),
        DepartureReason::TransferOut if ctx.organ => {
            doc(&format!("{s}组干字"), year, rng.range(1, 200))
        }
        DepartureReason::TransferOut => doc(&format!("{s}人社调字"), year, rng.range(1, 200)),
        _ => doc(&format!("{s}人社发"), year, rng.range(1, 150)),
    };
    let approval = reg
        .numbering
        .issue(
            ctx.plan.region.bureau(),
            IssuedDocumentKind::OffboardingNotice,
            left_on,
        )
        .ok();
    DepartedPerson {
        person,
        reason,
        left_on,
        document,
        approval,
    }
}
