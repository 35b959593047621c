//! What the bureau's oversight dashboard shows, computed from the synced certificates and
//! applications alone (so it works offline): the ledger by region and category with each
//! unit's figures for the drill-down, and the alerts — units over establishment (超编) or over
//! their leadership posts, applications filed after their deadline, slips about to lapse,
//! submissions waiting for a decision too long, units whose data the bureau has not yet
//! confirmed (数据核实, the states the pull keeps). The thresholds start from the server's
//! (`OversightSettings`, sent with every pull). The rules it applies are the domain's
//! (`Figures::is_over`, `LeadershipPosts::over`, `QuotaUseSlip::state`,
//! `ApplicationStatus::awaits_decision`, the server's lateness flag); this module only counts.
//! [`workbook`] turns the same figures into the sheets of an .xlsx export (`reports` tables).

use std::collections::BTreeMap;

use domain::certificate::Certificate;
use domain::ledger::Figures;
use domain::region::Region;
use domain::slip::SlipState;
use domain::unit::LeadershipLevel;
use domain::{ApplicationKind, ApplicationStatus, Date, EstablishmentCategory, Timestamp};
use reports::{Cell, Table, Workbook};

use protocol::admin::{OversightSettings, VerificationState};

use crate::applications::tracked::TrackedApplication;
use crate::i18n::{Lang, Msg};

/// The thresholds the bureau chooses on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A submission waiting for a decision this many days or more is an alert.
    pub waiting_days: i64,
    /// An open slip whose validity ends within this many days is an alert.
    pub lapse_days: i64,
}

impl From<OversightSettings> for Thresholds {
    fn from(settings: OversightSettings) -> Self {
        Thresholds {
            waiting_days: i64::from(settings.waiting_days),
            lapse_days: i64::from(settings.lapse_warning_days),
        }
    }
}

impl Default for Thresholds {
    /// The server's defaults, until a pull brings its settings.
    fn default() -> Self {
        Thresholds::from(OversightSettings::default())
    }
}

/// Sums of figures (approved, filled, reserved, vacant, over establishment): `domain`'s.
pub use domain::ledger::FigureTotals as Totals;

/// One line of the ledger by region: a category of a region (`category: None` — the region's
/// total), over how many units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionLine {
    pub region: Region,
    pub category: Option<EstablishmentCategory>,
    pub units: usize,
    pub totals: Totals,
}

/// One category of one unit, for the drill-down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitLine {
    pub unit_id: String,
    pub name: String,
    pub region: Region,
    pub category: EstablishmentCategory,
    pub figures: Figures,
}

/// Something the bureau should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    /// 超编: filled beyond approved in a category.
    OverEstablishment {
        unit_id: String,
        name: String,
        category: EstablishmentCategory,
        figures: Figures,
    },
    /// 超职数配备: leaders filled beyond the approved posts of a level.
    OverLeadership {
        unit_id: String,
        name: String,
        level: LeadershipLevel,
        approved: u32,
        filled: u32,
    },
    /// An offboarding or record change filed after its deadline.
    FiledLate {
        application_id: String,
        unit_id: String,
        name: String,
        kind: ApplicationKind,
        due_on: String,
        days_overdue: u32,
        status: ApplicationStatus,
    },
    /// An open slip whose validity ends soon.
    SlipLapsing {
        unit_id: String,
        name: String,
        number: String,
        valid_until: Date,
        days_left: i64,
    },
    /// A submission waiting for a decision longer than the threshold.
    Waiting {
        application_id: String,
        unit_id: String,
        name: String,
        kind: ApplicationKind,
        status: ApplicationStatus,
        days: i64,
    },
    /// 数据核实 not finished: the bureau has not confirmed the unit's data.
    NotVerified {
        unit_id: String,
        name: String,
        state: VerificationState,
    },
}

/// The kinds of alert, in the order the dashboard lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    OverEstablishment,
    OverLeadership,
    FiledLate,
    SlipLapsing,
    Waiting,
    NotVerified,
}

impl AlertKind {
    pub const ALL: [AlertKind; 6] = [
        AlertKind::OverEstablishment,
        AlertKind::OverLeadership,
        AlertKind::FiledLate,
        AlertKind::SlipLapsing,
        AlertKind::Waiting,
        AlertKind::NotVerified,
    ];

    /// Its code (element ids).
    pub fn code(self) -> &'static str {
        [
            "over",
            "leadership",
            "late",
            "lapsing",
            "waiting",
            "unverified",
        ][self as usize]
    }

    /// Its title.
    pub fn title(self) -> Msg {
        [
            Msg::OversightOver,
            Msg::OversightOverLeadership,
            Msg::OversightLate,
            Msg::OversightLapsing,
            Msg::OversightWaiting,
            Msg::OversightNotVerified,
        ][self as usize]
    }
}

impl Alert {
    pub fn kind(&self) -> AlertKind {
        match self {
            Alert::OverEstablishment { .. } => AlertKind::OverEstablishment,
            Alert::OverLeadership { .. } => AlertKind::OverLeadership,
            Alert::FiledLate { .. } => AlertKind::FiledLate,
            Alert::SlipLapsing { .. } => AlertKind::SlipLapsing,
            Alert::Waiting { .. } => AlertKind::Waiting,
            Alert::NotVerified { .. } => AlertKind::NotVerified,
        }
    }

    /// The unit it concerns: (id, name).
    pub fn unit(&self) -> (&str, &str) {
        match self {
            Alert::OverEstablishment { unit_id, name, .. }
            | Alert::OverLeadership { unit_id, name, .. }
            | Alert::FiledLate { unit_id, name, .. }
            | Alert::SlipLapsing { unit_id, name, .. }
            | Alert::Waiting { unit_id, name, .. }
            | Alert::NotVerified { unit_id, name, .. } => (unit_id, name),
        }
    }

    /// What it is about, in `lang` (one line).
    pub fn detail(&self, lang: Lang) -> String {
        let text = self.detail_zh_punctuated(lang);
        match lang {
            Lang::Zh => text,
            // The same line with the punctuation of English text.
            Lang::En => text
                .replace('：', ": ")
                .replace('，', ", ")
                .replace('（', " (")
                .replace('）', ")"),
        }
    }

    fn detail_zh_punctuated(&self, lang: Lang) -> String {
        let label = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        match self {
            Alert::OverEstablishment {
                category, figures, ..
            } => format!(
                "{}：{} {} / {} {} / {} {}",
                label(category.label_zh(), category.label_en()),
                Msg::OversightApproved.text(lang),
                figures.approved.get(),
                Msg::OversightFilled.text(lang),
                figures.filled.get(),
                Msg::OversightOverBy.text(lang),
                figures.over_establishment().get()
            ),
            Alert::OverLeadership {
                level,
                approved,
                filled,
                ..
            } => format!(
                "{}：{} {approved} / {} {filled}",
                label(level.label_zh(), level.label_en()),
                Msg::OversightApproved.text(lang),
                Msg::OversightFilled.text(lang),
            ),
            Alert::FiledLate {
                kind,
                due_on,
                days_overdue,
                status,
                ..
            } => format!(
                "{}：{} {due_on}，{} {days_overdue} {}（{}）",
                label(kind.label_zh(), kind.label_en()),
                Msg::OversightDueOn.text(lang),
                Msg::OversightLateBy.text(lang),
                Msg::OversightDays.text(lang),
                label(status.label_zh(), status.label_en()),
            ),
            Alert::SlipLapsing {
                number,
                valid_until,
                days_left,
                ..
            } => format!(
                "{number}：{} {valid_until}（{} {days_left} {}）",
                Msg::OversightValidUntil.text(lang),
                Msg::OversightDaysLeft.text(lang),
                Msg::OversightDays.text(lang),
            ),
            Alert::Waiting {
                kind, status, days, ..
            } => format!(
                "{}（{}）：{} {days} {}",
                label(kind.label_zh(), kind.label_en()),
                label(status.label_zh(), status.label_en()),
                Msg::OversightWaited.text(lang),
                Msg::OversightDays.text(lang),
            ),
            Alert::NotVerified { state, .. } => format!(
                "{}：{}",
                Msg::VerifState.text(lang),
                verification_label(*state).text(lang)
            ),
        }
    }
}

/// The dashboard's figures and alerts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Oversight {
    /// By region (in the domain's order), each category then the region's total.
    pub regions: Vec<RegionLine>,
    /// Every category of every unit with posts or people, by region then unit id.
    pub units: Vec<UnitLine>,
    /// Every alert, by kind then unit.
    pub alerts: Vec<Alert>,
    /// How many units the figures cover.
    pub unit_count: usize,
}

impl Oversight {
    /// The alerts of `kind`.
    pub fn of(&self, kind: AlertKind) -> impl Iterator<Item = &Alert> {
        self.alerts.iter().filter(move |a| a.kind() == kind)
    }
}

/// Whole days from the RFC 3339 time `since` to `today` (Beijing dates; 0 when unreadable).
fn days_waited(since: &str, today: Date) -> i64 {
    Timestamp::parse(since)
        .map(|t| t.date_in_china().days_until(today).max(0))
        .unwrap_or(0)
}

/// The label of a verification state.
pub fn verification_label(state: VerificationState) -> Msg {
    match state {
        VerificationState::NotStarted => Msg::VerifNotStarted,
        VerificationState::Imported => Msg::VerifImported,
        VerificationState::ConfirmedByUnit => Msg::VerifConfirmedByUnit,
        VerificationState::ConfirmedByBureau => Msg::VerifConfirmedByBureau,
    }
}

/// The dashboard of `certificates` and `applications` on `today`; `verification`: the units'
/// states as synced (a unit without one has not started).
pub fn oversee(
    certificates: &[Certificate],
    applications: &BTreeMap<String, TrackedApplication>,
    verification: &BTreeMap<String, VerificationState>,
    today: Date,
    thresholds: Thresholds,
) -> Oversight {
    let mut names = BTreeMap::new();
    let mut by_region: BTreeMap<(usize, usize), (usize, Totals)> = BTreeMap::new();
    let mut units = Vec::new();
    let mut alerts = Vec::new();
    let region_index = |r: Region| Region::ALL.iter().position(|x| *x == r).unwrap_or(0);
    for c in certificates {
        let unit_id = c.unit.id.to_string();
        let name = c.unit.name.to_string();
        names.insert(unit_id.clone(), name.clone());
        let region = region_index(c.unit.region);
        // The region's total counts every unit, even one without figures.
        by_region
            .entry((region, EstablishmentCategory::ALL.len()))
            .or_default()
            .0 += 1;
        for (category, figures) in c.ledger.all_figures() {
            let index = EstablishmentCategory::ALL
                .iter()
                .position(|x| *x == category)
                .unwrap_or(0);
            let line = by_region.entry((region, index)).or_default();
            line.0 += 1;
            line.1.add(&figures);
            if figures.is_over() {
                alerts.push(Alert::OverEstablishment {
                    unit_id: unit_id.clone(),
                    name: name.clone(),
                    category,
                    figures,
                });
            }
            units.push(UnitLine {
                unit_id: unit_id.clone(),
                name: name.clone(),
                region: c.unit.region,
                category,
                figures,
            });
        }
        for posts in &c.leadership_posts {
            if !posts.over().is_zero() {
                alerts.push(Alert::OverLeadership {
                    unit_id: unit_id.clone(),
                    name: name.clone(),
                    level: posts.level,
                    approved: posts.approved.get(),
                    filled: posts.filled.get(),
                });
            }
        }
        let state = verification
            .get(&unit_id)
            .copied()
            .unwrap_or(VerificationState::NotStarted);
        if state != VerificationState::ConfirmedByBureau {
            alerts.push(Alert::NotVerified {
                unit_id: unit_id.clone(),
                name: name.clone(),
                state,
            });
        }
        for slip in &c.slips {
            let days_left = today.days_until(slip.valid_until);
            if slip.state(today) == SlipState::Open && days_left <= thresholds.lapse_days {
                alerts.push(Alert::SlipLapsing {
                    unit_id: unit_id.clone(),
                    name: name.clone(),
                    number: slip.number.to_string(),
                    valid_until: slip.valid_until,
                    days_left,
                });
            }
        }
    }
    // Region totals: the sum of the region's categories.
    let mut regions = Vec::new();
    let mut current: Option<(usize, Totals)> = None;
    for (&(region, category), &(count, totals)) in &by_region {
        let Some(&region_value) = Region::ALL.get(region) else {
            continue;
        };
        match EstablishmentCategory::ALL.get(category) {
            Some(&category) => {
                let sum = current.get_or_insert((region, Totals::default()));
                sum.1.merge(&totals);
                regions.push(RegionLine {
                    region: region_value,
                    category: Some(category),
                    units: count,
                    totals,
                });
            }
            None => {
                let totals = current
                    .take()
                    .filter(|(r, _)| *r == region)
                    .map(|(_, t)| t)
                    .unwrap_or_default();
                regions.push(RegionLine {
                    region: region_value,
                    category: None,
                    units: count,
                    totals,
                });
            }
        }
    }
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    for a in applications.values() {
        if a.late
            && matches!(
                a.kind,
                ApplicationKind::Offboarding | ApplicationKind::RecordChange
            )
        {
            alerts.push(Alert::FiledLate {
                application_id: a.application_id.clone(),
                unit_id: a.unit_id.clone(),
                name: name_of(&a.unit_id),
                kind: a.kind,
                due_on: a.due_on.clone().unwrap_or_default(),
                days_overdue: a.days_overdue,
                status: a.status,
            });
        }
        let days = days_waited(&a.updated_at, today);
        if a.status.awaits_decision() && days >= thresholds.waiting_days {
            alerts.push(Alert::Waiting {
                application_id: a.application_id.clone(),
                unit_id: a.unit_id.clone(),
                name: name_of(&a.unit_id),
                kind: a.kind,
                status: a.status,
                days,
            });
        }
    }
    // By kind, then unit (a stable sort: within a unit, in the order found).
    let mut keyed: Vec<(usize, String, usize)> = alerts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.kind() as usize, a.unit().0.to_owned(), i))
        .collect();
    keyed.sort();
    let mut slots: Vec<Option<Alert>> = alerts.into_iter().map(Some).collect();
    let alerts = keyed
        .into_iter()
        .filter_map(|(_, _, i)| slots.get_mut(i).and_then(Option::take))
        .collect();
    Oversight {
        regions,
        units,
        alerts,
        unit_count: certificates.len(),
    }
}

/// The dashboard as an .xlsx workbook: the ledger by region, every unit's figures, the alerts
/// (headers in `lang`).
pub fn workbook(oversight: &Oversight, lang: Lang, name: String) -> Workbook {
    let pick = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let text = |m: Msg| m.text(lang);
    let figures_columns = [
        (text(Msg::OversightApproved), 8),
        (text(Msg::OversightFilled), 8),
        (text(Msg::OversightReserved), 8),
        (text(Msg::OversightVacant), 8),
        (text(Msg::OversightOverBy), 8),
    ];
    let numbers = |t: &Totals| {
        t.columns()
            .map(|n| Cell::Number(i64::try_from(n).unwrap_or(i64::MAX)))
    };
    let mut columns = vec![
        (text(Msg::OversightRegion), 18),
        (text(Msg::OversightCategory), 16),
        (text(Msg::OversightUnits), 8),
    ];
    columns.extend(figures_columns);
    let mut ledger = Table::new(text(Msg::OversightLedgerTitle), &columns);
    for line in &oversight.regions {
        let mut cells = vec![
            Cell::text(pick(line.region.label_zh(), line.region.label_en())),
            match line.category {
                Some(c) => Cell::text(pick(c.label_zh(), c.label_en())),
                None => Cell::text(text(Msg::OversightTotal)),
            },
            Cell::Number(line.units as i64),
        ];
        cells.extend(numbers(&line.totals));
        if line.category.is_some() {
            ledger.push(cells);
        } else {
            ledger.push_total(cells);
        }
    }
    let mut columns = vec![
        (text(Msg::OversightRegion), 18),
        (text(Msg::OversightUnit), 30),
        (text(Msg::OversightCategory), 16),
    ];
    columns.extend(figures_columns);
    let mut units = Table::new(text(Msg::OversightUnitsTitle), &columns);
    for line in &oversight.units {
        let mut totals = Totals::default();
        totals.add(&line.figures);
        let mut cells = vec![
            Cell::text(pick(line.region.label_zh(), line.region.label_en())),
            Cell::text(line.name.clone()),
            Cell::text(pick(line.category.label_zh(), line.category.label_en())),
        ];
        cells.extend(numbers(&totals));
        units.push(cells);
    }
    let mut alerts = Table::new(
        text(Msg::OversightAlertsTitle),
        &[
            (text(Msg::OversightAlertKind), 20),
            (text(Msg::OversightUnit), 30),
            (text(Msg::OversightDetail), 60),
        ],
    );
    for alert in &oversight.alerts {
        alerts.push(vec![
            Cell::text(text(alert.kind().title())),
            Cell::text(alert.unit().1.to_owned()),
            Cell::text(alert.detail(lang)),
        ]);
    }
    Workbook {
        name,
        sheets: vec![ledger, units, alerts],
    }
}
