//! One certificate from one planned unit: the institution record and every section (functions,
//! power list, divisions, history, ledger, leadership posts, staff, departed staff).

use std::collections::BTreeMap;

use domain::establishment::FundingShare;
use domain::person::{DepartedPerson, Person};
use domain::unit::{
    Affiliate, Division, DivisionKind, HistoryEvent, InstitutionCategory, LeadershipLevel,
    LeadershipPosts, MainFunction, PowerCategory, PowerItem, UnitKind, UnitRecord,
};
use domain::{
    Certificate, CreditCode, Date, DocumentNumber, EstablishmentCategory, FundingForm, Headcount,
    HeadcountDelta, LedgerRow, Region, UnitId, UnitLedger,
};

use crate::data::{Branch, InstKind};
use crate::people::{self, Post, Registry, UnitContext};
use crate::plan::{Plan, Role, region_words};
use crate::rng::Rng;
use crate::{TODAY, doc, name};

/// What the city decided about a unit before building it.
pub(crate) struct Inputs<'a> {
    pub plan: &'a Plan,
    pub id: UnitId,
    pub credit_code: Option<CreditCode>,
    pub parent: Option<UnitId>,
    pub affiliates: Vec<Affiliate>,
    pub over: bool,
}

fn date(y: u16, m: u8, d: u8) -> Date {
    Date::from_ymd(y, m, d).unwrap_or(TODAY)
}

fn random_date(rng: &mut Rng, from: Date, to: Date) -> Date {
    let span = from.days_until(to).max(0);
    from.add_days(rng.range(0, span)).unwrap_or(from)
}

fn is_county(plan: &Plan) -> bool {
    plan.region != Region::Tianshui
}

/// 科 at city level, 股 in the counties.
fn sectioned(s: &str, county: bool) -> String {
    match s.strip_suffix('科') {
        Some(stem) if county => format!("{stem}股"),
        _ => s.to_owned(),
    }
}

fn division_names(plan: &Plan) -> Vec<(String, DivisionKind)> {
    let county = is_county(plan);
    let internal = |v: &[&str]| -> Vec<(String, DivisionKind)> {
        v.iter()
            .map(|s| (sectioned(s, county), DivisionKind::Internal))
            .collect()
    };
    match plan.role {
        Role::Dept(d) => {
            let mut v = match d.branch {
                Branch::Mass | Branch::DemocraticParty => internal(&["办公室"]),
                Branch::Court | Branch::Procuratorate => internal(&["办公室", "政治部"]),
                _ => internal(&["办公室", "人事科", "财务科"]),
            };
            let take = if county { 2 } else { d.divisions.len() };
            v.extend(internal(&d.divisions[..take.min(d.divisions.len())]));
            if d.key == "ga" {
                let kind = if county { "大队" } else { "支队" };
                for s in ["交通警察", "治安巡逻警察"] {
                    v.push((format!("{s}{kind}"), DivisionKind::Subordinate));
                }
            }
            v
        }
        Role::Town { street: true } => internal(&[
            "党政综合办公室",
            "社区建设办公室",
            "城市管理办公室",
            "平安建设办公室",
        ]),
        Role::Town { street: false } => {
            let mut v = internal(&[
                "党政综合办公室",
                "党建工作办公室",
                "经济发展办公室",
                "社会事务办公室",
            ]);
            v.push(("综合行政执法队".to_owned(), DivisionKind::Subordinate));
            v
        }
        Role::Inst { inst, .. } => {
            let small = plan.staff < 20;
            match inst {
                InstKind::School if small => internal(&["教导处", "总务处"]),
                InstKind::School => internal(&["办公室", "教务处", "政教处", "总务处", "教研室"]),
                InstKind::Kindergarten => internal(&["办公室", "保教部"]),
                InstKind::Hospital => internal(&[
                    "办公室",
                    "医务科",
                    "护理部",
                    "财务科",
                    "内科",
                    "外科",
                    "妇产科",
                    "儿科",
                    "医学检验科",
                    "医学影像科",
                ]),
                InstKind::Clinic => internal(&["办公室", "全科医疗科", "公共卫生科"]),
                InstKind::Culture => internal(&["办公室", "业务部"]),
                InstKind::Centre if small => internal(&["综合科", "业务科"]),
                InstKind::Centre => internal(&["办公室", "综合科", "业务一科", "业务二科"]),
            }
        }
    }
}

fn division_function(name: &str, field: &str) -> String {
    if name.contains("办公室") && !name.contains("党建") && !name.contains("经济") {
        "负责机关日常运转，承担文电、会务、机要、档案、信息、督查等工作。".to_owned()
    } else if name.starts_with("人事") || name == "政治部" {
        "负责机关和所属单位的人事管理、机构编制和队伍建设工作。".to_owned()
    } else if name.starts_with("财务") {
        "负责机关和所属单位的财务、资产管理和内部审计工作。".to_owned()
    } else {
        let stem = name
            .trim_end_matches(['科', '股', '室', '部', '处', '庭', '队', '局'])
            .trim_end_matches("大")
            .trim_end_matches("支");
        format!("负责{field}领域{stem}方面的具体工作。")
    }
}

fn field_of(plan: &Plan) -> &'static str {
    match plan.role {
        Role::Dept(d) | Role::Inst { dept: d, .. } => d.field,
        Role::Town { .. } => "基层治理",
    }
}

fn functions(plan: &Plan) -> Vec<MainFunction> {
    let (_, r) = region_words(plan.region);
    let field = field_of(plan);
    let lines: Vec<String> = match plan.role {
        Role::Dept(d) => match d.branch {
            Branch::Government => vec![
                format!(
                    "贯彻执行党中央、省委和{r}委关于{field}工作的方针政策和决策部署，在履行职责过程中坚持和加强党对{field}工作的集中统一领导。"
                ),
                format!("拟订全{r}{field}发展规划和政策措施并组织实施。"),
                format!("负责全{r}{field}领域的统筹协调、指导和监督管理工作。"),
                format!("依法承担{field}领域的行政许可、行政处罚和行政检查等职责。"),
                format!("完成{r}委、{r}政府交办的其他任务。"),
            ],
            Branch::Party => vec![
                format!("贯彻落实党中央和省委、{r}委关于{field}工作的决策部署。"),
                format!("研究提出全{r}{field}工作的政策建议，统筹协调和组织推进有关工作。"),
                format!("负责{field}工作的督促检查和调查研究。"),
                format!("完成{r}委交办的其他任务。"),
            ],
            Branch::Congress | Branch::Cppcc => vec![
                format!("负责{r}{field}的组织协调和服务保障。"),
                "承担会议的筹备和服务工作。".to_owned(),
                "负责代表（委员）联络和履职服务工作。".to_owned(),
                "完成领导交办的其他任务。".to_owned(),
            ],
            Branch::Court | Branch::Procuratorate => vec![
                format!("依法行使{field}权，维护社会公平正义。"),
                format!("负责本院{field}业务的管理和监督。"),
                "负责队伍建设、司法行政和司法警务工作。".to_owned(),
            ],
            Branch::Mass | Branch::DemocraticParty => vec![
                format!("团结和联系{field}方面的成员，开展有关工作。"),
                "维护所联系群体的合法权益，反映意见和诉求。".to_owned(),
                "加强自身建设，承担组织建设和宣传教育工作。".to_owned(),
            ],
        },
        Role::Town { street } => {
            let mut v =
                vec!["贯彻执行党和国家的路线方针政策，落实上级党委、政府的决策部署。".to_owned()];
            if street {
                v.push("负责辖区社区建设、城市管理和公共服务工作。".to_owned());
            } else {
                v.push("促进乡村振兴和经济发展，负责辖区农业农村和产业发展工作。".to_owned());
            }
            v.push("负责社会保障、教育卫生、文化体育等社会事务。".to_owned());
            v.push("负责辖区社会治理、平安建设、应急管理和生态环境保护工作。".to_owned());
            v.push("完成上级党委、政府交办的其他任务。".to_owned());
            v
        }
        Role::Inst { inst, .. } => match inst {
            InstKind::School => vec![
                "实施学历教育，落实立德树人根本任务，促进学生全面发展。".to_owned(),
                "开展教育教学研究和教师培训。".to_owned(),
                "负责学校安全、后勤保障和校园文化建设。".to_owned(),
            ],
            InstKind::Kindergarten => vec![
                "实施学前教育，促进幼儿身心健康发展。".to_owned(),
                "开展保育教育研究和家园共育工作。".to_owned(),
                "负责园所安全和卫生保健工作。".to_owned(),
            ],
            InstKind::Hospital => vec![
                "承担辖区医疗救治和急危重症抢救任务。".to_owned(),
                "开展医学教育、科研和适宜技术推广。".to_owned(),
                "承担公共卫生服务和突发公共卫生事件医疗救援任务。".to_owned(),
                "承担对基层医疗卫生机构的业务指导。".to_owned(),
            ],
            InstKind::Clinic => vec![
                "提供基本医疗服务和基本公共卫生服务。".to_owned(),
                "负责乡村医生培训和村卫生室业务指导。".to_owned(),
                "承担辖区传染病防控和健康教育工作。".to_owned(),
            ],
            InstKind::Culture => vec![
                "收集、保管、整理和提供利用相关文献和资料。".to_owned(),
                "开展公益性文化服务和宣传教育活动。".to_owned(),
                "完成主管部门交办的其他任务。".to_owned(),
            ],
            InstKind::Centre => vec![
                format!("承担{field}领域的事务性、技术性和辅助性工作。"),
                format!("为主管部门履行{field}职责提供技术支撑和服务保障。"),
                "负责业务范围内的公共服务事项。".to_owned(),
                "完成主管部门交办的其他任务。".to_owned(),
            ],
        },
    };
    lines
        .into_iter()
        .map(|text| MainFunction { text })
        .collect()
}

fn power_code(category: PowerCategory) -> &'static str {
    match category {
        PowerCategory::Licensing => "XK",
        PowerCategory::Penalty => "CF",
        PowerCategory::Enforcement => "QZ",
        PowerCategory::Levy => "ZS",
        PowerCategory::Payment => "JF",
        PowerCategory::Inspection => "JC",
        PowerCategory::Confirmation => "QR",
        PowerCategory::Reward => "JL",
        PowerCategory::Adjudication => "CJ",
        PowerCategory::Other => "QT",
    }
}

fn power_list(plan: &Plan) -> Vec<PowerItem> {
    let mut items: Vec<(String, PowerCategory, String)> = Vec::new();
    match plan.role {
        Role::Dept(d) if d.branch == Branch::Government => {
            for (n, c, l) in d.powers {
                items.push(((*n).to_owned(), *c, (*l).to_owned()));
            }
            items.push((
                format!("对{}领域违法行为的处罚", d.field),
                PowerCategory::Penalty,
                d.law.to_owned(),
            ));
            items.push((
                format!("{}领域行政检查", d.field),
                PowerCategory::Inspection,
                d.law.to_owned(),
            ));
        }
        Role::Town { street: false } => {
            items.push((
                "乡村建设规划许可".to_owned(),
                PowerCategory::Licensing,
                "《中华人民共和国城乡规划法》".to_owned(),
            ));
            items.push((
                "对违法占用耕地建房的行政检查".to_owned(),
                PowerCategory::Inspection,
                "《中华人民共和国土地管理法》".to_owned(),
            ));
            items.push((
                "对违反村庄规划行为的处罚".to_owned(),
                PowerCategory::Penalty,
                "《中华人民共和国行政处罚法》".to_owned(),
            ));
        }
        _ => {}
    }
    let mut counters: BTreeMap<&'static str, u32> = BTreeMap::new();
    items
        .into_iter()
        .map(|(n, category, legal_basis)| {
            let prefix = power_code(category);
            let c = counters.entry(prefix).or_insert(0);
            *c += 1;
            PowerItem {
                code: Some(format!("{prefix}-{c:03}")),
                name: name(&n),
                category,
                legal_basis,
            }
        })
        .collect()
}

/// The issuers of the documents of a region: 编委, 党委办, 政府, 编办.
struct Issuers {
    committee: String,
    party: String,
    government: String,
}

fn issuers(region: Region) -> Issuers {
    let s = region.bureau().short_zh();
    Issuers {
        committee: format!("{s}编发"),
        party: format!("{s}办发"),
        government: format!("{s}政发"),
    }
}

/// Departments created in the 2019 institutional reform.
const CREATED_2019: &[&str] = &["wj", "yj", "tyjr", "yb", "zr", "ny", "wl", "sj", "st", "lc"];

struct Founding {
    founded_on: Date,
    document: DocumentNumber,
    history: Vec<HistoryEvent>,
    /// The date, document and title of the first ledger row.
    base: (Date, DocumentNumber, String),
}

fn founding(rng: &mut Rng, plan: &Plan) -> Founding {
    let iss = issuers(plan.region);
    let (big, _) = region_words(plan.region);
    let county = is_county(plan);
    let name = &plan.name;
    let seq = |rng: &mut Rng| rng.range(1, 120);
    match plan.role {
        Role::Dept(_) | Role::Town { .. } => {
            let town = matches!(plan.role, Role::Town { .. });
            let reform = if town {
                random_date(rng, date(2019, 9, 1), date(2020, 3, 31))
            } else if county {
                random_date(rng, date(2019, 3, 1), date(2019, 5, 31))
            } else {
                random_date(rng, date(2019, 1, 10), date(2019, 2, 28))
            };
            let reform_doc = doc(&iss.party, 2019, seq(rng));
            let sanding = reform.add_days(rng.range(20, 90)).unwrap_or(reform);
            let sanding_doc = doc(&iss.committee, sanding.year(), seq(rng));
            let created = matches!(plan.role, Role::Dept(d) if CREATED_2019.contains(&d.key));
            let mut history = Vec::new();
            let (founded_on, document) = if created {
                (reform, reform_doc.clone())
            } else {
                let (lo, hi) = match plan.role {
                    Role::Town { street: true } => (date(2000, 1, 1), date(2015, 12, 31)),
                    Role::Town { street: false } => (date(1984, 1, 1), date(2015, 12, 31)),
                    _ => (date(1985, 7, 1), date(2010, 12, 31)),
                };
                let d = random_date(rng, lo, hi);
                let document = doc(&iss.government, d.year(), seq(rng));
                let what = match plan.role {
                    Role::Town { street: true } => "设立",
                    Role::Town { street: false } => "撤社建乡，设立",
                    _ => "设立",
                };
                history.push(HistoryEvent {
                    date: d,
                    document: Some(document.clone()),
                    description: format!("{what}{name}。"),
                });
                (d, document)
            };
            let verb = if created { "组建" } else { "调整优化" };
            let plan_name = if town {
                format!("《{big}乡镇机构改革实施方案》")
            } else {
                format!("《{big}机构改革方案》")
            };
            history.push(HistoryEvent {
                date: reform,
                document: Some(reform_doc),
                description: format!(
                    "根据{plan_name}，{verb}{name}，机构规格为{}。",
                    plan.level.label_zh()
                ),
            });
            let title = if town {
                format!("关于印发《{name}机构职能体系和人员编制规定》的通知")
            } else {
                format!("关于印发《{name}职能配置、内设机构和人员编制规定》的通知")
            };
            history.push(HistoryEvent {
                date: sanding,
                document: Some(sanding_doc.clone()),
                description: "印发职能配置、内设机构和人员编制规定（三定规定）。".to_owned(),
            });
            if rng.chance(0.3) {
                let d = random_date(rng, date(2023, 3, 1), date(2025, 12, 31));
                history.push(HistoryEvent {
                    date: d,
                    document: Some(doc(&iss.committee, d.year(), seq(rng))),
                    description: "调整内设机构设置。".to_owned(),
                });
            }
            Founding {
                founded_on,
                document,
                history,
                base: (sanding, sanding_doc, title),
            }
        }
        Role::Inst { inst, .. } => {
            let lo = match inst {
                InstKind::School | InstKind::Hospital => date(1950, 1, 1),
                InstKind::Culture => date(1956, 1, 1),
                _ => date(1980, 1, 1),
            };
            let founded_on = random_date(rng, lo, date(2018, 12, 31));
            let issuer = if founded_on.year() >= 1990 {
                &iss.committee
            } else {
                &iss.government
            };
            let document = doc(issuer, founded_on.year(), seq(rng));
            let mut history = vec![HistoryEvent {
                date: founded_on,
                document: Some(document.clone()),
                description: format!("设立{name}。"),
            }];
            let base = if founded_on.year() >= 2016 {
                (
                    founded_on,
                    document.clone(),
                    format!("关于设立{name}的批复"),
                )
            } else {
                let d = random_date(rng, date(2016, 3, 1), date(2017, 12, 31));
                let n = doc(&iss.committee, d.year(), seq(rng));
                history.push(HistoryEvent {
                    date: d,
                    document: Some(n.clone()),
                    description: "重新核定机构编制。".to_owned(),
                });
                (d, n, format!("关于核定{name}机构编制的批复"))
            };
            if rng.chance(0.4) {
                let d = random_date(rng, date(2020, 6, 1), date(2022, 12, 31));
                let category = plan
                    .category
                    .map_or("公益一类", InstitutionCategory::label_zh);
                history.push(HistoryEvent {
                    date: d,
                    document: Some(doc(&iss.committee, d.year(), seq(rng))),
                    description: format!("事业单位改革，明确为{category}事业单位。"),
                });
            }
            Founding {
                founded_on,
                document,
                history,
                base,
            }
        }
    }
}

/// The ledger: a base row, later 核增/核减 rows, ending at `approved` per category.
fn ledger(
    rng: &mut Rng,
    plan: &Plan,
    base: &(Date, DocumentNumber, String),
    approved: &BTreeMap<EstablishmentCategory, u32>,
    filled: &BTreeMap<EstablishmentCategory, Headcount>,
    over: Option<EstablishmentCategory>,
) -> UnitLedger {
    let iss = issuers(plan.region);
    let cats: Vec<EstablishmentCategory> = approved.keys().copied().collect();
    let mut later: Vec<(Date, BTreeMap<EstablishmentCategory, i32>, bool)> = Vec::new();
    let extra = rng.weighted(&[(0u32, 35), (1, 35), (2, 20), (3, 10)]);
    let mut when = base.0;
    let last = date(2026, 9, 30);
    for _ in 0..extra {
        let from = when.add_days(60).unwrap_or(when).max(date(2020, 1, 1));
        if from >= last {
            break;
        }
        when = random_date(rng, from, last.min(from.add_days(900).unwrap_or(last)));
        let c = *rng.pick(&cats);
        let f = approved.get(&c).copied().unwrap_or(0);
        let size = i64::from((f / 10).clamp(1, 6));
        let mut delta = rng.range(1, size) as i32;
        if rng.chance(0.3) {
            delta = -delta;
        }
        later.push((when, BTreeMap::from([(c, delta)]), false));
    }
    if let Some(c) = over {
        let from = when.add_days(30).unwrap_or(when).max(date(2024, 1, 1));
        let d = random_date(rng, from.min(last), last);
        later.push((d, BTreeMap::from([(c, -(rng.range(1, 3) as i32))]), true));
    }
    let build = |later: &[(Date, BTreeMap<EstablishmentCategory, i32>, bool)]| {
        let mut changes = BTreeMap::new();
        for (c, a) in approved {
            let sum: i64 = later
                .iter()
                .filter_map(|(_, m, _)| m.get(c))
                .map(|d| i64::from(*d))
                .sum();
            let b = i64::from(*a) - sum;
            let b = i32::try_from(b).ok()?;
            if b < 0 {
                return None;
            }
            if b > 0 {
                changes.insert(*c, HeadcountDelta::new(b));
            }
        }
        let mut rows = vec![LedgerRow {
            document: base.1.clone(),
            date: base.0,
            title: base.2.clone(),
            changes,
            note: Some("三定核定".to_owned()),
        }];
        for (d, m, forced) in later {
            let up = m.values().all(|v| *v > 0);
            let cat_label = m.keys().next().map_or("编制", |c| c.label_zh());
            let verb = if up { "核增" } else { "核减" };
            rows.push(LedgerRow {
                document: {
                    // Distinct from every earlier row of this unit.
                    let mut seq = d.days_since_epoch() % 150 + 1;
                    let mut n = doc(&iss.committee, d.year(), seq);
                    while rows.iter().any(|r| r.document == n) {
                        seq += 1;
                        n = doc(&iss.committee, d.year(), seq);
                    }
                    n
                },
                date: *d,
                title: format!("关于{verb}{}{cat_label}的批复", plan.name),
                changes: m
                    .iter()
                    .map(|(c, v)| (*c, HeadcountDelta::new(*v)))
                    .collect(),
                note: Some(if *forced {
                    "核减后暂超编，逐步消化".to_owned()
                } else {
                    verb.to_owned()
                }),
            });
        }
        UnitLedger::from_parts(rows, filled.clone(), BTreeMap::new()).ok()
    };
    build(&later)
        .or_else(|| {
            // Keep only the forced 核减 row: the base row then takes all the difference.
            later.retain(|(_, _, forced)| *forced);
            build(&later)
        })
        .or_else(|| build(&[]))
        .unwrap_or_default()
}

/// Builds the certificate of one unit.
pub(crate) fn certificate(rng: &mut Rng, reg: &mut Registry, input: Inputs<'_>) -> Certificate {
    let plan = input.plan;
    let n = plan.staff;
    let divisions_k = division_names(plan);
    let internal: Vec<String> = divisions_k
        .iter()
        .filter(|(_, k)| *k == DivisionKind::Internal)
        .map(|(s, _)| s.clone())
        .collect();
    let field = field_of(plan);
    let organ = plan.kind != UnitKind::PublicInstitution;

    // Categories of the staff.
    let mut cats: Vec<EstablishmentCategory> = Vec::with_capacity(n as usize);
    if organ {
        let logistics = if n >= 8 && rng.chance(0.5) {
            rng.range(1, i64::from((n / 15).clamp(1, 4))) as u32
        } else {
            0
        };
        let main = n - logistics;
        let pl = match plan.role {
            Role::Dept(d) if d.political_legal => {
                let share = if d.key == "sf" { 0.6 } else { 0.88 };
                ((f64::from(main) * share).round() as u32).min(main)
            }
            _ => 0,
        };
        // Leaders come first: political-legal units are led from their political-legal posts.
        cats.extend(std::iter::repeat_n(
            EstablishmentCategory::PoliticalLegal,
            pl as usize,
        ));
        cats.extend(std::iter::repeat_n(
            EstablishmentCategory::Administrative,
            (main - pl) as usize,
        ));
        cats.extend(std::iter::repeat_n(
            EstablishmentCategory::Logistics,
            logistics as usize,
        ));
    } else {
        cats.extend(std::iter::repeat_n(
            EstablishmentCategory::PublicInstitution,
            n as usize,
        ));
    }
    let mut filled: BTreeMap<EstablishmentCategory, Headcount> = BTreeMap::new();
    for c in &cats {
        let e = filled.entry(*c).or_insert(Headcount::ZERO);
        *e = Headcount::new(e.get() + 1);
    }
    let over = if input.over {
        filled.keys().next().copied()
    } else {
        None
    };
    let mut approved: BTreeMap<EstablishmentCategory, u32> = BTreeMap::new();
    for (c, f) in &filled {
        let f = f.get();
        let a = if Some(*c) == over {
            f - (rng.range(1, i64::from(f.min(3))) as u32).min(f)
        } else {
            let v = rng.weighted(&[(0u32, 20), (1, 30), (2, 22), (3, 14), (4, 8), (5, 6)]);
            f + v + f / 40
        };
        approved.insert(*c, a);
    }

    // Funding forms of 事业编制.
    let mut funding = Vec::new();
    let mut full_people = 0u32;
    let mut main_form = FundingForm::Full;
    if !organ {
        let a = approved
            .get(&EstablishmentCategory::PublicInstitution)
            .copied()
            .unwrap_or(0);
        let f = filled
            .get(&EstablishmentCategory::PublicInstitution)
            .map_or(0, |h| h.get());
        main_form = match plan.category {
            Some(InstitutionCategory::PublicWelfareTwo) => FundingForm::Differential,
            Some(InstitutionCategory::Commercial) => FundingForm::SelfFunded,
            _ => FundingForm::Full,
        };
        let hospital = matches!(
            plan.role,
            Role::Inst {
                inst: InstKind::Hospital,
                ..
            }
        );
        if hospital && a >= 10 {
            let full = a / 5;
            funding.push(FundingShare {
                form: FundingForm::Full,
                count: Headcount::new(full),
            });
            funding.push(FundingShare {
                form: main_form,
                count: Headcount::new(a - full),
            });
            full_people = (u64::from(f) * u64::from(full) / u64::from(a.max(1))) as u32;
        } else {
            funding.push(FundingShare {
                form: main_form,
                count: Headcount::new(a),
            });
        }
    }

    let bureau_short = plan.region.bureau().short_zh();
    let ctx = UnitContext {
        plan,
        divisions: &internal,
        organ,
        bureau_short,
        made: std::cell::Cell::new(0),
        offset: rng.unit(),
    };

    // Leadership posts and who holds them.
    let deputies_approved: u32 = match plan.role {
        Role::Dept(_) if !is_county(plan) => rng.range(3, 4) as u32,
        Role::Dept(_) | Role::Town { .. } => rng.range(2, 3) as u32,
        Role::Inst { .. } if n >= 40 => rng.range(2, 4) as u32,
        Role::Inst { .. } => rng.range(1, 2) as u32,
    };
    let div_count = u32::try_from(internal.len()).unwrap_or(0);
    let principal = u32::from(n >= 1);
    let deputies = deputies_approved
        .min(n.saturating_sub(1) / 3)
        .max(u32::from(n >= 3));
    let rest = n.saturating_sub(principal + deputies);
    let heads = div_count.min(rest / 3);
    let div_deputies_approved = div_count.div_ceil(2);
    let div_deputies = div_deputies_approved.min(rest.saturating_sub(heads) / 4);
    let leadership_posts = vec![
        LeadershipPosts {
            level: LeadershipLevel::UnitPrincipal,
            approved: Headcount::ONE,
            filled: Headcount::new(principal),
        },
        LeadershipPosts {
            level: LeadershipLevel::UnitDeputy,
            approved: Headcount::new(deputies_approved),
            filled: Headcount::new(deputies),
        },
        LeadershipPosts {
            level: LeadershipLevel::DivisionPrincipal,
            approved: Headcount::new(div_count),
            filled: Headcount::new(heads),
        },
        LeadershipPosts {
            level: LeadershipLevel::DivisionDeputy,
            approved: Headcount::new(div_deputies_approved),
            filled: Headcount::new(div_deputies),
        },
    ];

    let mut staff: Vec<Person> = Vec::with_capacity(n as usize);
    for (i, category) in cats.iter().enumerate() {
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        let (post, division) = if i < principal {
            (Post::Principal, None)
        } else if i < principal + deputies {
            (Post::Deputy, None)
        } else if i < principal + deputies + heads {
            let k = (i - principal - deputies) as usize;
            (Post::DivisionHead, internal.get(k).map(String::as_str))
        } else if i < principal + deputies + heads + div_deputies {
            let k = (i - principal - deputies - heads) as usize;
            (Post::DivisionDeputy, internal.get(k).map(String::as_str))
        } else {
            let d = (!internal.is_empty()).then(|| internal[rng.index(internal.len())].as_str());
            (Post::Staff, d)
        };
        let form = if *category == EstablishmentCategory::PublicInstitution {
            let form = if i < full_people {
                FundingForm::Full
            } else {
                main_form
            };
            Some(form)
        } else {
            None
        };
        staff.push(people::person(
            rng, reg, &ctx, post, *category, form, division, TODAY, None,
        ));
    }

    // Departed staff: about 3–5% of the unit's size.
    let expected = f64::from(n) * (0.03 + 0.02 * rng.unit());
    let mut leaving = expected.floor() as u32;
    if rng.unit() < expected - expected.floor() {
        leaving += 1;
    }
    let mut departed: Vec<DepartedPerson> = Vec::with_capacity(leaving as usize);
    for _ in 0..leaving {
        let category = *rng.pick(&cats);
        let form = category.has_funding_form().then_some(main_form);
        departed.push(people::departed(rng, reg, &ctx, category, form));
    }
    departed.sort_by_key(|d| d.left_on);

    let founding = founding(rng, plan);
    let ledger = ledger(rng, plan, &founding.base, &approved, &filled, over);
    let mut history = founding.history;
    history.sort_by_key(|h| h.date);

    let divisions = divisions_k
        .iter()
        .map(|(s, kind)| Division {
            name: name(s),
            kind: *kind,
            functions: vec![division_function(s, field)],
        })
        .collect();

    let unit = UnitRecord {
        id: input.id,
        name: name(&plan.name),
        short_name: plan.short.as_deref().map(name),
        credit_code: input.credit_code,
        kind: plan.kind,
        level: plan.level,
        institution_category: plan.category,
        region: plan.region,
        supervising_department: input.parent.clone(),
        parent: input.parent,
        founded_on: Some(founding.founded_on),
        founding_document: Some(founding.document),
        funding,
    };
    Certificate {
        unit,
        functions: functions(plan),
        power_list: power_list(plan),
        divisions,
        affiliates: input.affiliates,
        history,
        ledger,
        leadership_posts,
        slips: Vec::new(),
        issued: Vec::new(),
        record_changes: Vec::new(),
        staff,
        departed,
    }
}
