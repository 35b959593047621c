//! Which units the city has: departments, towns and affiliated institutions per region, chosen
//! by priority so that a smaller city keeps the most important units, with their sizes.

use std::collections::{BTreeMap, BTreeSet};

use domain::Region;
use domain::unit::{InstitutionCategory, UnitKind, UnitLevel};

use crate::data::{
    self, AFFS, Aff, Branch, CITY_PLACES, DEPTS, Dept, InstKind, TOWNS, VILLAGE_ENDS,
};
use crate::rng::Rng;

/// What a planned unit is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Role {
    /// A department (机关、群团、民主党派).
    Dept(&'static Dept),
    /// A township government or a street office.
    Town { street: bool },
    /// A public institution; `dept` is the department whose field it serves.
    Inst { inst: InstKind, dept: &'static Dept },
}

/// One planned unit.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub region: Region,
    pub name: String,
    pub short: Option<String>,
    pub kind: UnitKind,
    pub level: UnitLevel,
    pub category: Option<InstitutionCategory>,
    pub role: Role,
    /// The name of the unit it is affiliated to (also its supervising department).
    pub parent: Option<String>,
    pub priority: u32,
    /// Relative size before scaling to the people target.
    pub weight: f64,
    /// People in post, after scaling.
    pub staff: u32,
}

/// The region's full name and its one-character form.
pub(crate) fn region_words(region: Region) -> (&'static str, &'static str) {
    let r = match region {
        Region::Tianshui => "市",
        Region::Qinzhou | Region::Maiji => "区",
        _ => "县",
    };
    (region.label_zh(), r)
}

fn fill(pattern: &str, region: Region) -> String {
    let (big, small) = region_words(region);
    pattern.replace("{R}", big).replace("{r}", small)
}

fn kind_of(branch: Branch) -> UnitKind {
    match branch {
        Branch::Mass => UnitKind::MassOrganisation,
        Branch::DemocraticParty => UnitKind::DemocraticParty,
        _ => UnitKind::Organ,
    }
}

struct Builder {
    region: Region,
    city: bool,
    plans: Vec<Plan>,
    names: BTreeSet<String>,
    priorities: BTreeMap<String, u32>,
}

impl Builder {
    fn push(&mut self, mut plan: Plan) {
        if !self.names.insert(plan.name.clone()) {
            return;
        }
        if let Some(p) = plan.parent.as_ref().and_then(|p| self.priorities.get(p)) {
            plan.priority = plan.priority.max(p + 1);
        }
        self.priorities.insert(plan.name.clone(), plan.priority);
        self.plans.push(plan);
    }

    fn dept_name(&self, key: &str) -> Option<(String, &'static Dept)> {
        let dept = DEPTS.iter().find(|d| d.key == key)?;
        let pattern = if self.city { dept.city } else { dept.county };
        (!pattern.is_empty()).then(|| (fill(pattern, self.region), dept))
    }

    #[allow(clippy::too_many_arguments)]
    fn inst(
        &mut self,
        dept_key: &str,
        name: String,
        inst: InstKind,
        category: InstitutionCategory,
        level: UnitLevel,
        weight: f64,
        priority: u32,
    ) {
        let Some((parent, dept)) = self.dept_name(dept_key) else {
            return;
        };
        self.push(Plan {
            region: self.region,
            name,
            short: None,
            kind: UnitKind::PublicInstitution,
            level,
            category: Some(category),
            role: Role::Inst { inst, dept },
            parent: Some(parent),
            priority,
            weight,
            staff: 0,
        });
    }
}

/// Every candidate unit of a region, most important first (parents before children).
fn candidates(region: Region, rng: &mut Rng) -> Vec<Plan> {
    let city = region == Region::Tianshui;
    let mut b = Builder {
        region,
        city,
        plans: Vec::new(),
        names: BTreeSet::new(),
        priorities: BTreeMap::new(),
    };
    let county_scale = if city { 1.0 } else { 0.35 };
    for (i, dept) in DEPTS.iter().enumerate() {
        let pattern = if city { dept.city } else { dept.county };
        if pattern.is_empty() {
            continue;
        }
        let name = fill(pattern, region);
        let short = if dept.short.is_empty() {
            let (big, small) = region_words(region);
            name.starts_with(big).then(|| name.replacen(big, small, 1))
        } else {
            Some(fill(dept.short, region))
        };
        let priority = u32::try_from(i).unwrap_or(u32::MAX / 20) * 10;
        b.push(Plan {
            region,
            name,
            short,
            kind: kind_of(dept.branch),
            level: if city {
                UnitLevel::DivisionFull
            } else {
                UnitLevel::SectionFull
            },
            category: None,
            role: Role::Dept(dept),
            parent: None,
            priority,
            weight: (f64::from(dept.weight) * county_scale).max(5.0),
            staff: 0,
        });
    }
    // Affiliates of departments.
    for aff in AFFS {
        let pattern = if city { aff.city } else { aff.county };
        if pattern.is_empty() {
            continue;
        }
        let Aff {
            inst,
            category,
            weight,
            priority,
            ..
        } = *aff;
        let level = match (city, priority < 100, weight) {
            (true, true, _) => UnitLevel::DivisionDeputy,
            (true, false, w) if w >= 20 => UnitLevel::SectionFull,
            (true, false, _) => UnitLevel::SectionDeputy,
            (false, true, _) => UnitLevel::SectionFull,
            (false, false, w) if w >= 20 => UnitLevel::SectionDeputy,
            (false, false, _) => UnitLevel::StockFull,
        };
        let weight = f64::from(weight) * if city { 1.0 } else { 0.5 };
        b.inst(
            aff.dept,
            fill(pattern, region),
            inst,
            category,
            level,
            weight,
            priority,
        );
    }
    if city {
        city_tail(&mut b);
    } else {
        towns(&mut b, rng);
    }
    let mut plans = b.plans;
    plans.sort_by_key(|p| p.priority);
    plans
}

/// The city's many smaller institutions: schools by street, service centres of departments,
/// then numbered schools.
fn city_tail(b: &mut Builder) {
    use InstitutionCategory::PublicWelfareOne as W1;
    let region = b.region;
    for (i, place) in CITY_PLACES.iter().enumerate() {
        let p = 1000 + 10 * u32::try_from(i).unwrap_or(0);
        b.inst(
            "jy",
            fill(&format!("{{R}}{place}小学"), region),
            InstKind::School,
            W1,
            UnitLevel::StockFull,
            45.0,
            p,
        );
        b.inst(
            "jy",
            fill(&format!("{{R}}{place}幼儿园"), region),
            InstKind::Kindergarten,
            W1,
            UnitLevel::StockFull,
            18.0,
            p + 5,
        );
    }
    const CENTRES: &[&str] = &["信息中心", "综合服务中心", "培训中心", "后勤服务中心"];
    for (j, suffix) in CENTRES.iter().enumerate() {
        for (i, dept) in DEPTS.iter().enumerate() {
            if dept.branch != Branch::Government || dept.city.is_empty() {
                continue;
            }
            let name = format!("{}{suffix}", fill(dept.city, region));
            let p = 1400 + 300 * u32::try_from(j).unwrap_or(0) + 5 * u32::try_from(i).unwrap_or(0);
            b.inst(
                dept.key,
                name,
                InstKind::Centre,
                W1,
                UnitLevel::StockFull,
                12.0,
                p,
            );
        }
    }
    for n in 9..100 {
        let numeral = data::chinese_number(n);
        let p = 3000 + 10 * n;
        b.inst(
            "jy",
            fill(&format!("{{R}}第{numeral}中学"), region),
            InstKind::School,
            W1,
            UnitLevel::SectionDeputy,
            90.0,
            p,
        );
        b.inst(
            "jy",
            fill(&format!("{{R}}第{numeral}小学"), region),
            InstKind::School,
            W1,
            UnitLevel::StockFull,
            40.0,
            p + 5,
        );
    }
}

/// Towns and streets of a county with their institutions, then village schools.
fn towns(b: &mut Builder, rng: &mut Rng) {
    use InstitutionCategory::PublicWelfareOne as W1;
    let region = b.region;
    let code = region.division_code();
    let towns: &[&str] = TOWNS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&[], |(_, t)| *t);
    let big = region.label_zh();
    for (j, town) in towns.iter().enumerate() {
        let j32 = u32::try_from(j).unwrap_or(0);
        let street = town.ends_with("街道");
        let gov = if street {
            format!("{big}{town}办事处")
        } else {
            format!("{big}{town}人民政府")
        };
        b.push(Plan {
            region,
            name: gov.clone(),
            short: Some((*town).to_owned()),
            kind: UnitKind::Organ,
            level: UnitLevel::SectionFull,
            category: None,
            role: Role::Town { street },
            parent: None,
            priority: 100 + 40 * j32,
            weight: if street { 25.0 } else { 40.0 },
            staff: 0,
        });
        let own: &[(&str, f64, u32)] = if street {
            &[("社区服务中心", 8.0, 900)]
        } else {
            &[
                ("农业综合服务中心", 9.0, 800),
                ("社会保障服务中心", 6.0, 900),
                ("文化综合服务中心", 4.0, 1000),
            ]
        };
        for (suffix, weight, p) in own {
            if let Some(town_dept) = DEPTS.iter().find(|d| d.key == "zfb") {
                b.push(Plan {
                    region,
                    name: format!("{big}{town}{suffix}"),
                    short: None,
                    kind: UnitKind::PublicInstitution,
                    level: UnitLevel::StockFull,
                    category: Some(W1),
                    role: Role::Inst {
                        inst: InstKind::Centre,
                        dept: town_dept,
                    },
                    parent: Some(gov.clone()),
                    priority: p + 40 * j32,
                    weight: *weight,
                    staff: 0,
                });
            }
        }
        if !street {
            b.inst(
                "jy",
                format!("{big}{town}中心小学"),
                InstKind::School,
                W1,
                UnitLevel::StockFull,
                35.0,
                400 + 40 * j32,
            );
            b.inst(
                "wj",
                format!("{big}{town}卫生院"),
                InstKind::Clinic,
                W1,
                UnitLevel::StockFull,
                25.0,
                420 + 40 * j32,
            );
            b.inst(
                "jy",
                format!("{big}{town}中心幼儿园"),
                InstKind::Kindergarten,
                W1,
                UnitLevel::StockFull,
                10.0,
                700 + 40 * j32,
            );
            b.inst(
                "jy",
                format!("{big}{town}初级中学"),
                InstKind::School,
                W1,
                UnitLevel::StockFull,
                40.0,
                600 + 40 * j32,
            );
        }
    }
    // Village schools, round-robin over the towns: 王家庄小学 and the like.
    let rural: Vec<&str> = towns
        .iter()
        .copied()
        .filter(|t| !t.ends_with("街道"))
        .collect();
    let mut villages: Vec<Vec<String>> = rural
        .iter()
        .map(|_| {
            let mut v: Vec<String> = data::SURNAMES
                .iter()
                .filter(|(s, _)| s.chars().count() == 1)
                .take(40)
                .flat_map(|(s, _)| VILLAGE_ENDS.iter().map(move |e| format!("{s}家{e}")))
                .collect();
            // Fisher-Yates with the region's generator: each town gets its own villages.
            for i in (1..v.len()).rev() {
                let k = rng.index(i + 1);
                v.swap(i, k);
            }
            v
        })
        .collect();
    for round in 0..60u32 {
        for (j, town) in rural.iter().enumerate() {
            let Some(village) = villages.get_mut(j).and_then(Vec::pop) else {
                continue;
            };
            b.inst(
                "jy",
                format!("{big}{town}{village}小学"),
                InstKind::School,
                W1,
                UnitLevel::Unranked,
                8.0,
                2000 + 100 * round + u32::try_from(j).unwrap_or(0),
            );
        }
    }
}

/// The share of units per region, in percent.
fn region_share(region: Region) -> u32 {
    match region {
        Region::Tianshui => 13,
        Region::Qinzhou | Region::Maiji => 16,
        Region::Qingshui => 10,
        Region::QinAn | Region::Gangu => 13,
        Region::Wushan => 11,
        Region::Zhangjiachuan => 8,
    }
}

/// Splits `total` over `weights` by largest remainder.
fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut out: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let given: u64 = out.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let fa = exact[*a] - exact[*a].floor();
        let fb = exact[*b] - exact[*b].floor();
        fb.total_cmp(&fa).then(a.cmp(b))
    });
    for i in order
        .into_iter()
        .cycle()
        .take((total - given.min(total)) as usize)
    {
        out[i] += 1;
    }
    out
}

/// The units of the city: per region (city first) in priority order, sized to `people`.
pub(crate) fn plan(rng: &Rng, units: u32, people: u32, tiny: bool) -> Vec<Plan> {
    let regions: Vec<Region> = if tiny {
        vec![Region::Tianshui, Region::Qinzhou, Region::Zhangjiachuan]
    } else {
        Region::ALL.to_vec()
    };
    let shares: Vec<f64> = regions
        .iter()
        .map(|r| f64::from(region_share(*r)))
        .collect();
    let counts = apportion(u64::from(units), &shares);
    let mut all = Vec::new();
    for (region, count) in regions.iter().zip(counts) {
        let code: u64 = region.division_code().parse().unwrap_or(0);
        let mut region_rng = rng.fork(code);
        let mut c = candidates(*region, &mut region_rng);
        c.truncate(usize::try_from(count).unwrap_or(usize::MAX));
        for p in &mut c {
            p.weight *= 0.8 + 0.45 * region_rng.unit();
        }
        all.extend(c);
    }
    size(&mut all, people);
    all
}

/// Sets `staff` of each plan so that the total is `people`, at least 2 per unit.
fn size(plans: &mut [Plan], people: u32) {
    let n = plans.len();
    if n == 0 {
        return;
    }
    let min = 2u64;
    let floor_total = min * n as u64;
    let rest = u64::from(people).saturating_sub(floor_total);
    let weights: Vec<f64> = plans.iter().map(|p| p.weight).collect();
    let extra = apportion(rest, &weights);
    for (p, e) in plans.iter_mut().zip(extra) {
        p.staff = u32::try_from(min + e).unwrap_or(u32::MAX);
    }
}
