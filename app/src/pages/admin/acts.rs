//! 管理文书 (`/admin/acts`), a bureau administrator's signed acts: 核编/减编, 调编, 设立单位,
//! 单位信息调整, 单位合并, 撤销单位 and 领导职数核定. The form of the chosen kind (every field's
//! error beside it, in the interface language, as soon as "next" was tried; the ledger or the
//! leadership posts now → after, by the `domain::act` rules) → the confirmation of exactly
//! what is signed → the security key's signature → `POST /api/acts` at once. Acts are the
//! bureau's authoritative data, so they need the network: offline the page says so and keeps
//! the form; a refusal comes back to the form with its reason and nothing typed lost. The unit
//! pickers offer only the units of the store the administrator may administer
//! (`Grant::may_administer`; the server checks again).

use std::collections::BTreeMap;

use domain::act::{
    self, ActDocument, ActError, ActKind, ActPayload, EstablishmentChange, EstablishmentTransfer,
    LeadershipPostsChange, UnitAbolish, UnitAmend, UnitCreate, UnitMerge,
};
use domain::certificate::Certificate;
use domain::ledger::Figures;
use domain::region::Region;
use domain::unit::{InstitutionCategory, LeadershipLevel, UnitKind, UnitLevel, UnitRecord};
use domain::{
    CreditCode, Date, DocumentNumber, EstablishmentCategory, Field, Grant, Headcount,
    HeadcountDelta, LedgerRow, Name, UnitId, UnitLedger, ValidationError,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::admin::{ActRequest, ActVerdict};
use protocol::identity::{SignedSubmission, VerdictStatus};

use crate::api;
use crate::applications::acting::{self, PreparedAct};
use crate::connectivity::Connectivity;
use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;
use crate::store;

/// The kinds a bureau administrator signs here, in the order of the tabs.
const KINDS: [ActKind; 7] = [
    ActKind::EstablishmentChange,
    ActKind::EstablishmentTransfer,
    ActKind::UnitCreate,
    ActKind::UnitAmend,
    ActKind::UnitMerge,
    ActKind::UnitAbolish,
    ActKind::LeadershipPosts,
];

/// The form's values as typed, by field name (element id `act-<name>`).
type Values = BTreeMap<String, String>;

/// What is wrong with a field, in both languages.
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    Msg(Msg),
    Domain(ValidationError),
    Act(ActError),
}

impl Problem {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Msg(m), _) => m.text(lang).to_owned(),
            (Problem::Domain(e), Lang::Zh) => e.message_zh(),
            (Problem::Domain(e), Lang::En) => e.message_en(),
            (Problem::Act(e), Lang::Zh) => e.message_zh(),
            (Problem::Act(e), Lang::En) => e.message_en(),
        }
    }
}

/// A unit the administrator may act on: its record and staff count.
#[derive(Debug, Clone, PartialEq)]
struct ScopeUnit {
    record: UnitRecord,
    staff: u32,
}

/// A unit's figures now and, when the act is valid so far, after it.
#[derive(Debug, Clone, PartialEq)]
struct Preview {
    unit: String,
    name: String,
    rows: Vec<(EstablishmentCategory, Figures, Option<Figures>)>,
}

/// The outcome of checking the form: the payload (when every field is valid), one error per
/// field, and the figures to show.
#[derive(Debug, Clone, PartialEq, Default)]
struct Checked {
    payload: Option<ActPayload>,
    errors: Vec<(String, Problem)>,
    previews: Vec<Preview>,
}

/// Reads the typed values of one act kind, collecting an error per field.
struct Reader<'a> {
    values: &'a Values,
    units: &'a [ScopeUnit],
    certificates: &'a BTreeMap<String, Certificate>,
    errors: Vec<(String, Problem)>,
}

impl<'a> Reader<'a> {
    fn text(&self, name: &str) -> &'a str {
        self.values.get(name).map_or("", |v| v.trim())
    }

    fn fail(&mut self, name: &str, problem: Problem) {
        if !self.errors.iter().any(|(f, _)| f == name) {
            self.errors.push((name.to_owned(), problem));
        }
    }

    fn required(&mut self, name: &str) -> Option<&'a str> {
        let text = self.text(name);
        if text.is_empty() {
            self.fail(name, Problem::Msg(Msg::ErrRequired));
            return None;
        }
        Some(text)
    }

    fn parsed<T>(
        &mut self,
        name: &str,
        parse: fn(&str) -> Result<T, ValidationError>,
    ) -> Option<T> {
        let text = self.required(name)?;
        parse(text)
            .map_err(|e| self.fail(name, Problem::Domain(e)))
            .ok()
    }

    /// A unit of the administrator's scope, by id (or `None` with its error).
    fn unit(&mut self, name: &str) -> Option<&'a ScopeUnit> {
        let id = self.required(name)?;
        let found = self.units.iter().find(|u| u.record.id.as_str() == id);
        if found.is_none() {
            self.fail(name, Problem::Msg(Msg::ActsUnitNotInScope));
        }
        found
    }

    /// The certificate of a unit picked in `name`, once read from the store.
    fn certificate(&mut self, name: &str) -> Option<(&'a ScopeUnit, &'a Certificate)> {
        let unit = self.unit(name)?;
        self.certificates
            .get(unit.record.id.as_str())
            .map(|c| (unit, c))
    }

    fn document(&mut self) -> Option<ActDocument> {
        let number = self.parsed("document", DocumentNumber::parse);
        let date = self.parsed("date", Date::parse);
        let title = self.required("title").map(str::to_owned);
        Some(ActDocument {
            number: number?,
            date: date?,
            title: title?,
        })
    }

    fn note(&self) -> Option<String> {
        Some(self.text("note").to_owned()).filter(|n| !n.is_empty())
    }

    fn over(&self) -> bool {
        !self.text("over").is_empty()
    }

    /// The numbers typed under `prefix-<code>` for each of `codes` (empty ones left out);
    /// `signed` allows a minus. An error under `prefix` when none is given.
    fn numbers(&mut self, prefix: &str, codes: &[&str], signed: bool) -> Vec<(usize, i32)> {
        let mut out = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            let name = format!("{prefix}-{code}");
            let text = self.text(&name);
            if text.is_empty() {
                continue;
            }
            match text.trim_start_matches('+').parse::<i32>() {
                Ok(n) if n.unsigned_abs() <= 100_000 && (signed || n >= 0) => {
                    if n != 0 || !signed {
                        out.push((i, n));
                    }
                }
                _ => self.fail(
                    &name,
                    Problem::Msg(if signed {
                        Msg::ActsSignedNumber
                    } else {
                        Msg::ActsCount
                    }),
                ),
            }
        }
        if out.is_empty() && !self.errors.iter().any(|(f, _)| f.starts_with(prefix)) {
            self.fail(prefix, Problem::Msg(Msg::ActsNoChange));
        }
        out
    }

    fn categories(&mut self, signed: bool) -> BTreeMap<EstablishmentCategory, i32> {
        let codes = EstablishmentCategory::CODES;
        let mut map = BTreeMap::new();
        for (i, n) in self.numbers("cat", codes, signed) {
            map.insert(EstablishmentCategory::ALL[i], n);
        }
        map
    }
}

/// The figures of every category of `before`, with `after` beside them.
fn preview(unit: &ScopeUnit, before: &UnitLedger, after: Option<&UnitLedger>) -> Preview {
    Preview {
        unit: unit.record.id.to_string(),
        name: unit.record.name.to_string(),
        rows: EstablishmentCategory::ALL
            .iter()
            .map(|c| (*c, before.figures(*c), after.map(|l| l.figures(*c))))
            .collect(),
    }
}

/// Checks the form of `kind`: every field, then the `domain::act` rule of the kind against the
/// store's copy of the units (the server checks again against its own).
fn check(
    kind: ActKind,
    values: &Values,
    units: &[ScopeUnit],
    certificates: &BTreeMap<String, Certificate>,
) -> Checked {
    let mut r = Reader {
        values,
        units,
        certificates,
        errors: Vec::new(),
    };
    let mut previews = Vec::new();
    let payload = match kind {
        ActKind::EstablishmentChange => {
            let unit = r.certificate("unit");
            let changes = r.categories(true);
            let document = r.document();
            match (unit, document) {
                (Some((unit, certificate)), Some(document)) if !changes.is_empty() => {
                    let row = LedgerRow {
                        document: document.number,
                        date: document.date,
                        title: document.title,
                        changes: changes
                            .iter()
                            .map(|(c, n)| (*c, HeadcountDelta::new(*n)))
                            .collect(),
                        note: r.note(),
                    };
                    let mut after = certificate.ledger.clone();
                    let result = act::apply_row(&unit.record.id, &mut after, row.clone(), r.over());
                    let valid = match result {
                        Ok(_) => true,
                        Err(e) => {
                            r.fail("cat", Problem::Act(e));
                            false
                        }
                    };
                    previews.push(preview(unit, &certificate.ledger, valid.then_some(&after)));
                    valid.then(|| {
                        ActPayload::EstablishmentChange(EstablishmentChange {
                            unit: unit.record.id.clone(),
                            row,
                            over_establishment: r.over(),
                        })
                    })
                }
                (unit, _) => {
                    if let Some((unit, certificate)) = unit {
                        previews.push(preview(unit, &certificate.ledger, None));
                    }
                    None
                }
            }
        }
        ActKind::EstablishmentTransfer => {
            let from = r.certificate("from");
            let to = r.certificate("to");
            let posts = r.categories(false);
            let document = r.document();
            if let (Some((a, _)), Some((b, _))) = (from, to)
                && a.record.id == b.record.id
            {
                r.fail("to", Problem::Act(ActError::SameUnit));
            }
            let transfer = match (from, to, document) {
                (Some((a, _)), Some((b, _)), Some(document)) if !posts.is_empty() => {
                    Some(EstablishmentTransfer {
                        from: a.record.id.clone(),
                        to: b.record.id.clone(),
                        document,
                        posts: posts
                            .iter()
                            .map(|(c, n)| (*c, Headcount::new(n.unsigned_abs())))
                            .collect(),
                        note: r.note(),
                        over_establishment: r.over(),
                    })
                }
                _ => None,
            };
            let rows = transfer.as_ref().map(act::transfer_rows);
            let mut valid = transfer.is_some() && r.errors.is_empty();
            for (side, unit, row) in [
                ("from", from, rows.as_ref().map(|r| &r.0)),
                ("to", to, rows.as_ref().map(|r| &r.1)),
            ] {
                let Some((unit, certificate)) = unit else {
                    continue;
                };
                let mut after = certificate.ledger.clone();
                let ok = match row {
                    Some(row) if valid => {
                        match act::apply_row(&unit.record.id, &mut after, row.clone(), r.over()) {
                            Ok(_) => true,
                            Err(e) => {
                                r.fail(if side == "from" { "cat" } else { "to" }, Problem::Act(e));
                                valid = false;
                                false
                            }
                        }
                    }
                    _ => false,
                };
                previews.push(preview(unit, &certificate.ledger, ok.then_some(&after)));
            }
            transfer
                .filter(|_| valid)
                .map(ActPayload::EstablishmentTransfer)
        }
        ActKind::UnitCreate => {
            let region = Region::from_division_code(r.text("region"));
            if region.is_none() {
                r.fail("region", Problem::Msg(Msg::ChooseOption));
            }
            let id = match r.text("id") {
                "" => region.map(|region| next_unit_id(units, region)),
                typed => Some(typed.to_owned()),
            };
            let id = id.and_then(|id| {
                UnitId::parse(&id)
                    .map_err(|e| r.fail("id", Problem::Domain(e)))
                    .ok()
            });
            if let Some(id) = &id
                && units.iter().any(|u| u.record.id == *id)
            {
                r.fail("id", Problem::Msg(Msg::ActsUnitIdTaken));
            }
            let name = r.parsed("name", Name::parse);
            let short_name = match r.text("short-name") {
                "" => None,
                text => Name::parse(text)
                    .map_err(|e| r.fail("short-name", Problem::Domain(e)))
                    .ok(),
            };
            let credit_code = match r.text("credit-code") {
                "" => None,
                text => CreditCode::parse(text)
                    .map_err(|e| r.fail("credit-code", Problem::Domain(e)))
                    .ok(),
            };
            let unit_kind = UnitKind::from_code(r.text("kind"));
            if unit_kind.is_none() {
                r.fail("kind", Problem::Msg(Msg::ChooseOption));
            }
            let level = UnitLevel::from_code(r.text("level"));
            if level.is_none() {
                r.fail("level", Problem::Msg(Msg::ChooseOption));
            }
            let category = InstitutionCategory::from_code(r.text("institution-category"));
            let supervising = optional_unit(&mut r, "supervising");
            let parent = optional_unit(&mut r, "parent");
            let document = r.document();
            match (id, name, unit_kind, level, region, document) {
                (Some(id), Some(name), Some(kind), Some(level), Some(region), Some(document))
                    if r.errors.is_empty() =>
                {
                    let record = UnitRecord {
                        id,
                        name,
                        short_name,
                        credit_code,
                        kind,
                        level,
                        institution_category: category,
                        region,
                        supervising_department: supervising.flatten(),
                        parent: parent.flatten(),
                        founded_on: Some(document.date),
                        founding_document: Some(document.number.clone()),
                        funding: Vec::new(),
                    };
                    match record.check() {
                        Ok(()) => Some(ActPayload::UnitCreate(Box::new(UnitCreate {
                            record,
                            document,
                        }))),
                        Err(e) => {
                            let field = match e.field() {
                                Field::InstitutionCategory => "institution-category",
                                Field::ParentUnit => "parent",
                                _ => "name",
                            };
                            r.fail(field, Problem::Domain(e));
                            None
                        }
                    }
                }
                _ => None,
            }
        }
        ActKind::UnitAmend => {
            let unit = r.unit("unit");
            let name = r.parsed("name", Name::parse);
            let level = UnitLevel::from_code(r.text("level"));
            if level.is_none() {
                r.fail("level", Problem::Msg(Msg::ChooseOption));
            }
            let category = InstitutionCategory::from_code(r.text("institution-category"));
            let supervising = optional_unit(&mut r, "supervising");
            let document = r.document();
            match (unit, name, level, supervising, document) {
                (Some(unit), Some(name), Some(level), Some(supervising), Some(document))
                    if r.errors.is_empty() =>
                {
                    let current = &unit.record;
                    let amend = UnitAmend {
                        unit: current.id.clone(),
                        document,
                        name: (name != current.name).then_some(name),
                        level: (level != current.level).then_some(level),
                        institution_category: category
                            .filter(|c| current.institution_category != Some(*c)),
                        supervising_department: (supervising != current.supervising_department)
                            .then_some(supervising),
                    };
                    match act::amend(current, &amend) {
                        Ok(_) => Some(ActPayload::UnitAmend(amend)),
                        Err(e) => {
                            r.fail("name", Problem::Act(e));
                            None
                        }
                    }
                }
                _ => None,
            }
        }
        ActKind::UnitMerge => {
            let absorbed = r.certificate("absorbed");
            let into = r.certificate("into");
            let document = r.document();
            match (absorbed, into, document) {
                (Some((a, ca)), Some((b, cb)), Some(document)) => {
                    let merge = UnitMerge {
                        absorbed: a.record.id.clone(),
                        into: b.record.id.clone(),
                        document,
                    };
                    match act::merge_ledgers(&merge, &ca.ledger, &cb.ledger) {
                        Ok((_, _, after, _)) => {
                            previews.push(preview(a, &ca.ledger, Some(&UnitLedger::new())));
                            previews.push(preview(b, &cb.ledger, Some(&after)));
                            (r.errors.is_empty()).then_some(ActPayload::UnitMerge(merge))
                        }
                        Err(e) => {
                            let field = if e == ActError::SameUnit {
                                "into"
                            } else {
                                "absorbed"
                            };
                            r.fail(field, Problem::Act(e));
                            previews.push(preview(a, &ca.ledger, None));
                            None
                        }
                    }
                }
                _ => None,
            }
        }
        ActKind::UnitAbolish => {
            let unit = r.certificate("unit");
            let document = r.document();
            match (unit, document) {
                (Some((unit, certificate)), Some(document)) => {
                    previews.push(preview(unit, &certificate.ledger, None));
                    match act::check_abolish(
                        &unit.record.id,
                        unit.staff as usize,
                        &certificate.ledger,
                    ) {
                        Ok(()) => Some(ActPayload::UnitAbolish(UnitAbolish {
                            unit: unit.record.id.clone(),
                            document,
                        })),
                        Err(e) => {
                            r.fail("unit", Problem::Act(e));
                            None
                        }
                    }
                }
                (unit, _) => {
                    if let Some((unit, certificate)) = unit {
                        previews.push(preview(unit, &certificate.ledger, None));
                    }
                    None
                }
            }
        }
        _ => {
            let unit = r.certificate("unit");
            let numbers = r.numbers("lead", LeadershipLevel::CODES, false);
            let document = r.document();
            match (unit, document) {
                (Some((unit, _)), Some(document)) if !numbers.is_empty() => {
                    Some(ActPayload::LeadershipPosts(LeadershipPostsChange {
                        unit: unit.record.id.clone(),
                        document,
                        approved: numbers
                            .iter()
                            .map(|(i, n)| {
                                (LeadershipLevel::ALL[*i], Headcount::new(n.unsigned_abs()))
                            })
                            .collect(),
                    }))
                }
                _ => None,
            }
        }
    };
    let mut errors = r.errors;
    crate::order::sort_by(&mut errors, |a, b| a.0.cmp(&b.0));
    Checked {
        payload: payload.filter(|_| errors.is_empty()),
        errors,
        previews,
    }
}

/// An optional unit picker: `Some(None)` when empty, `Some(Some(id))` for a unit of the scope,
/// `None` (with its error) otherwise.
fn optional_unit(r: &mut Reader<'_>, name: &str) -> Option<Option<UnitId>> {
    if r.text(name).is_empty() {
        return Some(None);
    }
    r.unit(name).map(|u| Some(u.record.id.clone()))
}

/// The next free id of a unit in `region`: the division code and the highest number in use
/// there plus one (`620502-0042`).
fn next_unit_id(units: &[ScopeUnit], region: Region) -> String {
    let code = region.division_code();
    let highest = units
        .iter()
        .filter_map(|u| {
            u.record
                .id
                .as_str()
                .strip_prefix(code)?
                .strip_prefix('-')?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    format!("{code}-{:04}", highest + 1)
}

/// The ids typed in the unit pickers of `kind`, in order (what the preview reads).
fn picked(kind: ActKind, values: &Values) -> Vec<String> {
    let fields: &[&str] = match kind {
        ActKind::EstablishmentTransfer => &["from", "to"],
        ActKind::UnitMerge => &["absorbed", "into"],
        ActKind::UnitCreate => &[],
        _ => &["unit"],
    };
    fields
        .iter()
        .filter_map(|f| values.get(*f).map(|v| v.trim().to_owned()))
        .filter(|v| !v.is_empty())
        .collect()
}

/// Where the page is.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Form,
    Confirm(Box<PreparedAct>),
    /// Signed, and no answer came: the same submission can be sent again.
    Unsent(Box<PreparedAct>, SignedSubmission),
    Done(ActVerdict),
}

/// The page's shared signals.
#[derive(Clone, Copy)]
struct Form {
    values: RwSignal<Values>,
    tried: RwSignal<bool>,
    checked: Memo<Checked>,
}

impl Form {
    fn value(self, name: &str) -> String {
        self.values
            .with(|v| v.get(name).cloned().unwrap_or_default())
    }

    fn set(self, name: &str, value: String) {
        self.values.update(|v| {
            v.insert(name.to_owned(), value);
        });
    }

    /// The error under `name`, once "next" was tried.
    fn error(self, name: &'static str) -> impl IntoView {
        let lang = use_app_context().lang;
        move || {
            if !self.tried.get() {
                return None;
            }
            self.checked
                .with(|c| {
                    c.errors
                        .iter()
                        .find(|(f, _)| f == name)
                        .map(|(_, p)| p.clone())
                })
                .map(|p| {
                    view! {
                        <span class="field-error" id=format!("act-{name}-error") role="alert">
                            {move || p.text(lang.get())}
                        </span>
                    }
                })
        }
    }
}

/// A text field.
fn text_field(form: Form, name: &'static str, label: Msg, hint: Option<Msg>) -> impl IntoView {
    view! {
        <label class="field" for=format!("act-{name}")>
            <span class="label">{t(label)}</span>
            <input
                id=format!("act-{name}")
                type="text"
                autocomplete="off"
                placeholder=move || hint.map(|h| t(h)()).unwrap_or_default()
                prop:value=move || form.value(name)
                on:input=move |ev| form.set(name, event_target_value(&ev))
            />
            {form.error(name)}
        </label>
    }
}

/// A list of a labelled domain enum's values (`(code, zh, en)`).
fn select_field(
    form: Form,
    name: &'static str,
    label: Msg,
    options: Vec<(&'static str, &'static str, &'static str)>,
) -> impl IntoView {
    let lang = use_app_context().lang;
    view! {
        <label class="field" for=format!("act-{name}")>
            <span class="label">{t(label)}</span>
            <select id=format!("act-{name}") on:change=move |ev| form.set(name, event_target_value(&ev))>
                <option value="" prop:selected=move || form.value(name).is_empty()>{t(Msg::ChooseOption)}</option>
                {move || {
                    let l = lang.get();
                    options
                        .iter()
                        .map(|(code, zh, en)| {
                            let code = *code;
                            view! {
                                <option value=code prop:selected=move || form.value(name) == code>
                                    {l.pick(zh, en)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            {form.error(name)}
        </label>
    }
}

/// A unit picker: the id typed or chosen from the list of the units in scope (searchable by
/// name), the chosen unit's name beside it.
fn unit_field(
    form: Form,
    name: &'static str,
    label: Msg,
    units: Signal<Vec<ScopeUnit>>,
) -> impl IntoView {
    let chosen = move || {
        let id = form.value(name);
        let id = id.trim();
        units.with(|u| {
            u.iter()
                .find(|u| u.record.id.as_str() == id)
                .map(|u| u.record.name.to_string())
        })
    };
    view! {
        <label class="field" for=format!("act-{name}")>
            <span class="label">{t(label)}</span>
            <input
                id=format!("act-{name}")
                type="text"
                list="act-units"
                autocomplete="off"
                placeholder=move || t(Msg::ActsUnitHint)()
                prop:value=move || form.value(name)
                on:input=move |ev| form.set(name, event_target_value(&ev))
            />
            <span class="field-hint act-unit-name" id=format!("act-{name}-name")>{chosen}</span>
            {form.error(name)}
        </label>
    }
}

/// One number per code (`prefix-<code>`), labelled.
fn numbers_field(
    form: Form,
    prefix: &'static str,
    label: Msg,
    items: Vec<(&'static str, &'static str, &'static str)>,
    hint: Msg,
) -> impl IntoView {
    let lang = use_app_context().lang;
    view! {
        <fieldset class="field act-numbers" id=format!("act-{prefix}")>
            <legend class="label">{t(label)}</legend>
            <div class="act-number-row">
                {items
                    .into_iter()
                    .map(|(code, zh, en)| {
                        let name = format!("{prefix}-{code}");
                        let id = format!("act-{name}");
                        let label_for = id.clone();
                        let (read, write) = (name.clone(), name.clone());
                        let error = {
                            let name = name.clone();
                            move || {
                                if !form.tried.get() {
                                    return None;
                                }
                                form.checked
                                    .with(|c| c.errors.iter().find(|(f, _)| *f == name).map(|(_, p)| p.clone()))
                                    .map(|p| view! { <span class="field-error" role="alert">{move || p.text(lang.get())}</span> })
                            }
                        };
                        view! {
                            <label class="act-number" for=label_for>
                                <span>{move || lang.get().pick(zh, en)}</span>
                                <input
                                    id=id
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete="off"
                                    placeholder=move || t(hint)()
                                    prop:value=move || form.value(&read)
                                    on:input=move |ev| form.set(&write, event_target_value(&ev))
                                />
                                {error}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            {form.error(prefix)}
        </fieldset>
    }
}

/// The ledger now → after of the units the act touches.
fn previews(form: Form) -> impl IntoView {
    let lang = use_app_context().lang;
    move || {
        let previews = form.checked.with(|c| c.previews.clone());
        (!previews.is_empty()).then(|| {
            let l = lang.get();
            view! {
                <div class="act-previews" id="act-previews">
                    <h3>{t(Msg::ActsPreviewTitle)}</h3>
                    {previews
                        .into_iter()
                        .map(|p| {
                            view! {
                                <table class="report-table act-preview" data-unit=p.unit.clone()>
                                    <caption>{p.name.clone()} " " <span class="muted">{p.unit.clone()}</span></caption>
                                    <thead>
                                        <tr>
                                            <th>{t(Msg::OversightCategory)}</th>
                                            <th class="num">{t(Msg::OversightApproved)}</th>
                                            <th class="num">{t(Msg::OversightFilled)}</th>
                                            <th class="num">{t(Msg::OversightReserved)}</th>
                                            <th class="num">{t(Msg::OversightVacant)}</th>
                                            <th class="num">{t(Msg::OversightOverBy)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.rows
                                            .into_iter()
                                            .filter(|(_, b, a)| {
                                                !b.approved.is_zero() || !b.filled.is_zero() || a.is_some_and(|a| a != *b)
                                            })
                                            .map(|(c, b, a)| {
                                                let cell = move |before: Headcount, after: Option<Headcount>| match after {
                                                    Some(after) if after != before => format!("{} → {}", before.get(), after.get()),
                                                    _ => before.get().to_string(),
                                                };
                                                let over = a.unwrap_or(b).is_over();
                                                view! {
                                                    <tr data-key=c.code() class:over=over>
                                                        <td>{l.pick(c.label_zh(), c.label_en())}</td>
                                                        <td class="num approved">{cell(b.approved, a.map(|a| a.approved))}</td>
                                                        <td class="num">{cell(b.filled, a.map(|a| a.filled))}</td>
                                                        <td class="num">{cell(b.reserved, a.map(|a| a.reserved))}</td>
                                                        <td class="num vacant">{cell(b.vacant(), a.map(|a| a.vacant()))}</td>
                                                        <td class="num" class:over=over>
                                                            {cell(b.over_establishment(), a.map(|a| a.over_establishment()))}
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
    }
}

/// The fields of `kind`.
fn fields(
    form: Form,
    kind: ActKind,
    units: Signal<Vec<ScopeUnit>>,
    regions: Vec<Region>,
) -> AnyView {
    let categories = || {
        EstablishmentCategory::ALL
            .iter()
            .map(|c| (c.code(), c.label_zh(), c.label_en()))
            .collect::<Vec<_>>()
    };
    let labelled = |all: &'static [UnitLevel]| {
        all.iter()
            .map(|c| (c.code(), c.label_zh(), c.label_en()))
            .collect::<Vec<_>>()
    };
    let institution_categories = || {
        InstitutionCategory::ALL
            .iter()
            .map(|c| (c.code(), c.label_zh(), c.label_en()))
            .collect::<Vec<_>>()
    };
    let over = move || {
        view! {
            <label class="act-over" for="act-over">
                <input
                    id="act-over"
                    type="checkbox"
                    prop:checked=move || !form.value("over").is_empty()
                    on:change=move |ev| {
                        form.set("over", if event_target_checked(&ev) { "1".to_owned() } else { String::new() })
                    }
                />
                {t(Msg::ActsOver)}
            </label>
        }
    };
    match kind {
        ActKind::EstablishmentChange => view! {
            {unit_field(form, "unit", Msg::OversightUnit, units)}
            {numbers_field(form, "cat", Msg::ActsChanges, categories(), Msg::ActsChangeHint)}
            {text_field(form, "note", Msg::ActsNote, None)}
            {over()}
        }
        .into_any(),
        ActKind::EstablishmentTransfer => view! {
            {unit_field(form, "from", Msg::ActsFrom, units)}
            {unit_field(form, "to", Msg::ActsTo, units)}
            {numbers_field(form, "cat", Msg::ActsPosts, categories(), Msg::ActsCountHint)}
            {text_field(form, "note", Msg::ActsNote, None)}
            {over()}
        }
        .into_any(),
        ActKind::UnitCreate => {
            let suggestion = move || {
                Region::from_division_code(&form.value("region"))
                    .map(|r| units.with(|u| next_unit_id(u, r)))
                    .unwrap_or_default()
            };
            let region_options = regions
                .iter()
                .map(|r| (r.division_code(), r.label_zh(), r.label_en()))
                .collect::<Vec<_>>();
            view! {
                {select_field(form, "region", Msg::OversightRegion, region_options)}
                <label class="field" for="act-id">
                    <span class="label">{t(Msg::ActsUnitId)}</span>
                    <input
                        id="act-id"
                        type="text"
                        autocomplete="off"
                        placeholder=suggestion
                        prop:value=move || form.value("id")
                        on:input=move |ev| form.set("id", event_target_value(&ev))
                    />
                    <span class="field-hint">{t(Msg::ActsUnitIdHint)}</span>
                    {form.error("id")}
                </label>
                {text_field(form, "name", Msg::FieldUnitName, None)}
                {text_field(form, "short-name", Msg::FieldShortName, None)}
                {text_field(form, "credit-code", Msg::FieldCreditCode, Some(Msg::ActsCreditCodeHint))}
                {select_field(
                    form,
                    "kind",
                    Msg::ActsUnitKind,
                    UnitKind::ALL.iter().map(|c| (c.code(), c.label_zh(), c.label_en())).collect(),
                )}
                {select_field(form, "level", Msg::FieldUnitLevel, labelled(UnitLevel::ALL))}
                {select_field(form, "institution-category", Msg::FieldInstitutionCategory, institution_categories())}
                {unit_field(form, "supervising", Msg::ActsSupervising, units)}
                {unit_field(form, "parent", Msg::ActsParent, units)}
            }
            .into_any()
        }
        ActKind::UnitAmend => view! {
            {unit_field(form, "unit", Msg::OversightUnit, units)}
            <p class="field-hint act-wide">{t(Msg::ActsAmendHint)}</p>
            {text_field(form, "name", Msg::FieldUnitName, None)}
            {select_field(form, "level", Msg::FieldUnitLevel, labelled(UnitLevel::ALL))}
            {select_field(form, "institution-category", Msg::FieldInstitutionCategory, institution_categories())}
            {unit_field(form, "supervising", Msg::ActsSupervising, units)}
        }
        .into_any(),
        ActKind::UnitMerge => view! {
            {unit_field(form, "absorbed", Msg::ActsAbsorbed, units)}
            {unit_field(form, "into", Msg::ActsInto, units)}
            <p class="field-hint act-wide">{t(Msg::ActsMergeHint)}</p>
        }
        .into_any(),
        ActKind::UnitAbolish => view! {
            {unit_field(form, "unit", Msg::OversightUnit, units)}
            <p class="field-hint act-wide">{t(Msg::ActsAbolishHint)}</p>
        }
        .into_any(),
        _ => {
            let levels = LeadershipLevel::ALL
                .iter()
                .map(|c| (c.code(), c.label_zh(), c.label_en()))
                .collect();
            view! {
                {unit_field(form, "unit", Msg::OversightUnit, units)}
                {numbers_field(form, "lead", Msg::ActsLeadership, levels, Msg::ActsLeadershipHint)}
                <LeadershipNow form=form/>
            }
            .into_any()
        }
    }
}

/// The chosen unit's leadership posts now (approved / filled), beside the numbers typed.
#[component]
fn LeadershipNow(form: Form) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let unit = Memo::new(move |_| form.value("unit").trim().to_owned());
    let posts = LocalResource::new(move || {
        let unit = unit.get();
        let holder = context.holder_id();
        async move {
            match holder {
                Some(h) if !unit.is_empty() => store::certificate_without_people(&h, &unit)
                    .await
                    .ok()
                    .flatten()
                    .map(|c| c.leadership_posts)
                    .unwrap_or_default(),
                _ => Vec::new(),
            }
        }
    });
    move || {
        let posts = posts.get().unwrap_or_default();
        (!posts.is_empty()).then(|| {
            let l = lang.get();
            view! {
                <table class="report-table act-leadership" id="act-leadership-now">
                    <thead>
                        <tr>
                            <th>{t(Msg::ActsLeadership)}</th>
                            <th class="num">{t(Msg::OversightApproved)}</th>
                            <th class="num">{t(Msg::OversightFilled)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {posts
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <tr data-key=p.level.code() class:over=!p.over().is_zero()>
                                        <td>{l.pick(p.level.label_zh(), p.level.label_en())}</td>
                                        <td class="num">{p.approved.get()}</td>
                                        <td class="num">{p.filled.get()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
        })
    }
}

/// What the act does, line by line, for the confirmation.
fn summary(
    payload: &ActPayload,
    names: &dyn Fn(&UnitId) -> String,
    lang: Lang,
) -> Vec<(Msg, String)> {
    let counts = |items: Vec<(&'static str, &'static str, i64)>| {
        items
            .into_iter()
            .map(|(zh, en, n)| {
                format!(
                    "{} {}{}",
                    lang.pick(zh, en),
                    if n > 0 { "+" } else { "" },
                    n
                )
            })
            .collect::<Vec<_>>()
            .join("，")
    };
    let mut lines = Vec::new();
    let document = |lines: &mut Vec<(Msg, String)>, d: &ActDocument| {
        lines.push((Msg::ActsDocument, d.number.to_string()));
        lines.push((Msg::ActsDate, d.date.to_string()));
        lines.push((Msg::ActsDocTitle, d.title.clone()));
    };
    match payload {
        ActPayload::EstablishmentChange(c) => {
            lines.push((Msg::OversightUnit, names(&c.unit)));
            document(
                &mut lines,
                &ActDocument {
                    number: c.row.document.clone(),
                    date: c.row.date,
                    title: c.row.title.clone(),
                },
            );
            lines.push((
                Msg::ActsChanges,
                counts(
                    c.row
                        .changes
                        .iter()
                        .map(|(k, n)| (k.label_zh(), k.label_en(), i64::from(n.get())))
                        .collect(),
                ),
            ));
            if let Some(note) = &c.row.note {
                lines.push((Msg::ActsNote, note.clone()));
            }
            if c.over_establishment {
                lines.push((Msg::ActsOver, Msg::ActsYes.text(lang).to_owned()));
            }
        }
        ActPayload::EstablishmentTransfer(c) => {
            lines.push((Msg::ActsFrom, names(&c.from)));
            lines.push((Msg::ActsTo, names(&c.to)));
            document(&mut lines, &c.document);
            lines.push((
                Msg::ActsPosts,
                counts(
                    c.posts
                        .iter()
                        .map(|(k, n)| (k.label_zh(), k.label_en(), i64::from(n.get())))
                        .collect(),
                ),
            ));
            if let Some(note) = &c.note {
                lines.push((Msg::ActsNote, note.clone()));
            }
            if c.over_establishment {
                lines.push((Msg::ActsOver, Msg::ActsYes.text(lang).to_owned()));
            }
        }
        ActPayload::UnitCreate(c) => {
            let r = &c.record;
            lines.push((Msg::ActsUnitId, r.id.to_string()));
            lines.push((Msg::FieldUnitName, r.name.to_string()));
            if let Some(s) = &r.short_name {
                lines.push((Msg::FieldShortName, s.to_string()));
            }
            if let Some(code) = &r.credit_code {
                lines.push((Msg::FieldCreditCode, code.to_string()));
            }
            lines.push((
                Msg::ActsUnitKind,
                lang.pick(r.kind.label_zh(), r.kind.label_en()).to_owned(),
            ));
            lines.push((
                Msg::FieldUnitLevel,
                lang.pick(r.level.label_zh(), r.level.label_en()).to_owned(),
            ));
            if let Some(c) = r.institution_category {
                lines.push((
                    Msg::FieldInstitutionCategory,
                    lang.pick(c.label_zh(), c.label_en()).to_owned(),
                ));
            }
            lines.push((
                Msg::OversightRegion,
                lang.pick(r.region.label_zh(), r.region.label_en())
                    .to_owned(),
            ));
            if let Some(d) = &r.supervising_department {
                lines.push((Msg::ActsSupervising, names(d)));
            }
            if let Some(p) = &r.parent {
                lines.push((Msg::ActsParent, names(p)));
            }
            document(&mut lines, &c.document);
        }
        ActPayload::UnitAmend(a) => {
            lines.push((Msg::OversightUnit, names(&a.unit)));
            document(&mut lines, &a.document);
            if let Some(n) = &a.name {
                lines.push((Msg::FieldUnitName, n.to_string()));
            }
            if let Some(l) = a.level {
                lines.push((
                    Msg::FieldUnitLevel,
                    lang.pick(l.label_zh(), l.label_en()).to_owned(),
                ));
            }
            if let Some(c) = a.institution_category {
                lines.push((
                    Msg::FieldInstitutionCategory,
                    lang.pick(c.label_zh(), c.label_en()).to_owned(),
                ));
            }
            if let Some(d) = &a.supervising_department {
                lines.push((
                    Msg::ActsSupervising,
                    d.as_ref()
                        .map_or_else(|| Msg::ActsNone.text(lang).to_owned(), names),
                ));
            }
        }
        ActPayload::UnitMerge(m) => {
            lines.push((Msg::ActsAbsorbed, names(&m.absorbed)));
            lines.push((Msg::ActsInto, names(&m.into)));
            document(&mut lines, &m.document);
        }
        ActPayload::UnitAbolish(a) => {
            lines.push((Msg::OversightUnit, names(&a.unit)));
            document(&mut lines, &a.document);
        }
        ActPayload::LeadershipPosts(p) => {
            lines.push((Msg::OversightUnit, names(&p.unit)));
            document(&mut lines, &p.document);
            lines.push((
                Msg::ActsLeadership,
                p.approved
                    .iter()
                    .map(|(l, n)| format!("{} {}", lang.pick(l.label_zh(), l.label_en()), n.get()))
                    .collect::<Vec<_>>()
                    .join("，"),
            ));
        }
        ActPayload::RosterImport(_) | ActPayload::VerificationConfirm(_) => {}
    }
    lines
}

/// 管理文书.
#[component]
pub fn Acts() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let grant = Memo::new(move |_| {
        context.session.with(|s| {
            s.as_ref()
                .and_then(|s| match (s.holder.role, s.holder.scope.clone()) {
                    (Some(role @ domain::Role::BureauAdmin), Some(scope)) => {
                        Grant::new(role, scope).ok()
                    }
                    _ => None,
                })
        })
    });
    // The units of the store the administrator may act on, in id order.
    let scope_units = LocalResource::new(move || {
        let holder = context.holder_id();
        let grant = grant.get();
        let _ = context.sync.with(|s| s.revision);
        async move {
            let (Some(holder), Some(grant)) = (holder, grant) else {
                return Vec::new();
            };
            let staff: BTreeMap<String, u32> = {
                let mut map = BTreeMap::new();
                for u in store::units(&holder).await.unwrap_or_default() {
                    map.insert(u.unit_id, u.staff);
                }
                map
            };
            let mut units: Vec<ScopeUnit> = store::unit_records(&holder)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|r| grant.may_administer(r.region))
                .map(|record| ScopeUnit {
                    staff: staff.get(record.id.as_str()).copied().unwrap_or(0),
                    record,
                })
                .collect();
            crate::order::sort_by(&mut units, |a, b| a.record.id.cmp(&b.record.id));
            units
        }
    });
    let units = Signal::derive(move || scope_units.get().unwrap_or_default());
    let kind = RwSignal::new(ActKind::EstablishmentChange);
    let values = RwSignal::new(Values::new());
    let tried = RwSignal::new(false);
    let step = RwSignal::new(Step::Form);
    let refusal = RwSignal::new(None::<ActVerdict>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let today = || {
        crate::clock::now()
            .map(|t| t.date_in_china().to_string())
            .unwrap_or_default()
    };
    values.update(|v| {
        v.insert("date".to_owned(), today());
    });
    // The certificates of the units picked, read from the store when the picks change; kept
    // with the picks they were read for.
    let picks = Memo::new(move |_| values.with(|v| picked(kind.get(), v)));
    let certificates = LocalResource::new(move || {
        let picks = picks.get();
        let holder = context.holder_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            let mut map = BTreeMap::new();
            if let Some(holder) = holder {
                for id in &picks {
                    if let Ok(Some(c)) = store::certificate_without_people(&holder, id).await {
                        map.insert(id.clone(), c);
                    }
                }
            }
            (picks, map)
        }
    });
    // Whether the certificates read are those of the units picked now (not still being read).
    let read = move || {
        certificates.with(|c| {
            c.as_ref()
                .is_some_and(|(read, _)| picks.with(|p| p == read))
        })
    };
    let checked = Memo::new(move |_| {
        let k = kind.get();
        values.with(|v| {
            units.with(|u| {
                certificates.with(|c| match c {
                    Some((_, c)) => check(k, v, u, c),
                    None => check(k, v, u, &BTreeMap::new()),
                })
            })
        })
    });
    // "Next" pressed while the picked units' certificates are still being read: it goes on
    // once they are (rather than judging the form against the units picked before).
    let next_waiting = RwSignal::new(false);
    let form = Form {
        values,
        tried,
        checked,
    };
    // An amendment starts from the unit's record as it is.
    Effect::new(move |last: Option<String>| {
        let id = form.value("unit").trim().to_owned();
        let amending = kind.get() == ActKind::UnitAmend;
        let key = format!("{amending}:{id}");
        if amending
            && last.as_deref() != Some(key.as_str())
            && let Some(u) = units.with(|u| u.iter().find(|u| u.record.id.as_str() == id).cloned())
        {
            let r = u.record;
            values.update(|v| {
                v.insert("name".into(), r.name.to_string());
                v.insert("level".into(), r.level.code().into());
                v.insert(
                    "institution-category".into(),
                    r.institution_category
                        .map(|c| c.code().to_owned())
                        .unwrap_or_default(),
                );
                v.insert(
                    "supervising".into(),
                    r.supervising_department
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                );
            });
        }
        key
    });
    let online = move || context.connectivity.get() == Connectivity::Online;
    let choose = move |k: ActKind| {
        if kind.get_untracked() != k {
            kind.set(k);
            tried.set(false);
            refusal.set(None);
            problem.set(None);
        }
    };
    let proceed = move || {
        if !read() {
            next_waiting.set(true);
            return;
        }
        next_waiting.set(false);
        tried.set(true);
        refusal.set(None);
        problem.set(None);
        let Some(payload) = checked.with_untracked(|c| c.payload.clone()) else {
            return;
        };
        let Some(session) = context.session.get_untracked() else {
            return;
        };
        match acting::prepare(&session, payload) {
            Ok(prepared) => step.set(Step::Confirm(Box::new(prepared))),
            Err(e) => problem.set(Some(e.text(lang.get_untracked()))),
        }
    };
    Effect::new(move |_| {
        if next_waiting.get() && read() {
            proceed();
        }
    });
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        proceed();
    };
    // Sends a signed act; an answer ends it (accepted: done; refused: back to the form with
    // the reason), no answer keeps it to send again.
    let send = move |prepared: Box<PreparedAct>, submission: SignedSubmission| {
        let token = context
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.csrf_token.clone()))
            .unwrap_or_default();
        busy.set(true);
        spawn_local(async move {
            let request = ActRequest {
                submission: submission.clone(),
            };
            match api::submit_act(&token, &request).await {
                Ok(verdict) if verdict.status == VerdictStatus::Accepted => {
                    crate::sync::kick(context);
                    step.set(Step::Done(verdict));
                }
                // The server failed on it and kept nothing: not a refusal; the same signed act
                // is sent again.
                Ok(verdict) if verdict.code.as_deref() == Some(protocol::identity::TRY_LATER) => {
                    problem.set(Some(
                        Msg::ActsTryLater.text(lang.get_untracked()).to_owned(),
                    ));
                    step.set(Step::Unsent(prepared, submission));
                }
                Ok(verdict) => {
                    // The server's figures may be newer than this computer's copy.
                    crate::sync::kick(context);
                    refusal.set(Some(verdict));
                    step.set(Step::Form);
                }
                Err(e) if e.is_network() || e.is_unreachable() => {
                    problem.set(Some(Msg::ActsUnsent.text(lang.get_untracked()).to_owned()));
                    step.set(Step::Unsent(prepared, submission));
                }
                Err(e) => {
                    problem.set(Some(e.text(lang.get_untracked())));
                    step.set(Step::Form);
                }
            }
            busy.set(false);
        });
    };
    let sign = move |prepared: Box<PreparedAct>| {
        let Some(session) = context.session.get_untracked() else {
            return;
        };
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match acting::sign(&prepared, &session).await {
                Ok(submission) => send(prepared, submission),
                Err(e) => {
                    problem.set(Some(e.text(lang.get_untracked())));
                    busy.set(false);
                }
            }
        });
    };
    let again = move |_| {
        values.set(Values::new());
        values.update(|v| {
            v.insert("date".to_owned(), today());
        });
        tried.set(false);
        refusal.set(None);
        problem.set(None);
        step.set(Step::Form);
    };
    let regions: Vec<Region> = Region::ALL
        .iter()
        .copied()
        .filter(|r| grant.with_untracked(|g| g.as_ref().is_some_and(|g| g.may_administer(*r))))
        .collect();
    let names = move |id: &UnitId| {
        units.with_untracked(|u| {
            u.iter().find(|u| u.record.id == *id).map_or_else(
                || id.to_string(),
                |u| format!("{}（{}）", u.record.name, id),
            )
        })
    };

    move || {
        if grant.get().is_none() {
            return view! {
                <section class="card admin" id="acts">
                    <h1>{t(Msg::ActsTitle)}</h1>
                    <p class="notice" id="acts-not-admin">{t(Msg::ActsNotAdmin)}</p>
                </section>
            }
            .into_any();
        }
        let offline_notice = move || {
            (!online()).then(|| view! { <p class="notice notice-warn" id="acts-offline" role="status">{t(Msg::ActsOffline)}</p> })
        };
        let problem_line = move || {
            problem
                .get()
                .map(|p| view! { <p class="error" id="acts-problem" role="alert">{p}</p> })
        };
        let body = match step.get() {
            Step::Form => {
                let regions = regions.clone();
                view! {
                    <div class="kind-tabs" id="act-kinds" role="tablist">
                        {KINDS
                            .iter()
                            .map(|k| {
                                let k = *k;
                                view! {
                                    <button
                                        type="button"
                                        class="kind-tab"
                                        role="tab"
                                        data-kind=k.code()
                                        class:selected=move || kind.get() == k
                                        attr:aria-selected=move || (kind.get() == k).to_string()
                                        on:click=move |_| choose(k)
                                    >
                                        {move || lang.get().pick(k.label_zh(), k.label_en())}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    {move || {
                        refusal
                            .get()
                            .map(|v| {
                                let code = v.code.clone().unwrap_or_default();
                                let text = move || acting::verdict_reason(&v, lang.get());
                                view! {
                                    <p class="error" id="act-refusal" data-code=code role="alert">
                                        {t(Msg::ActsRefused)} {text}
                                    </p>
                                }
                            })
                    }}
                    {problem_line}
                    <form class="form act-form" id="act-form" data-kind=move || kind.get().code() on:submit=next novalidate=true>
                        {move || fields(form, kind.get(), units, regions.clone())}
                        <fieldset class="act-document">
                            <legend>{t(Msg::ActsDocumentTitle)}</legend>
                            {text_field(form, "document", Msg::ActsDocument, Some(Msg::ActsDocumentHint))}
                            {text_field(form, "date", Msg::ActsDate, Some(Msg::DateHint))}
                            {text_field(form, "title", Msg::ActsDocTitle, None)}
                        </fieldset>
                        {previews(form)}
                        {offline_notice}
                        <button type="submit" class="primary" id="act-next">{t(Msg::ActsNext)}</button>
                    </form>
                }
                .into_any()
            }
            Step::Confirm(prepared) | Step::Unsent(prepared, _) => {
                let unsent = match step.get_untracked() {
                    Step::Unsent(_, s) => Some(s),
                    _ => None,
                };
                let l = lang.get();
                let lines = summary(&prepared.payload, &names, l);
                let json = prepared.text();
                let show_json = RwSignal::new(false);
                let signer = context
                    .session
                    .get_untracked()
                    .map(|s| format!("{}（{}）", s.holder.name, s.holder.login))
                    .unwrap_or_default();
                let kind = prepared.act.kind;
                let created = crate::clock::beijing_time(&prepared.act.created_at.to_string());
                let act_id = prepared.act.act_id.to_string();
                let go = {
                    let prepared = prepared.clone();
                    move |_| match unsent.clone() {
                        Some(submission) => send(prepared.clone(), submission),
                        None => sign(prepared.clone()),
                    }
                };
                let is_unsent = matches!(step.get_untracked(), Step::Unsent(..));
                view! {
                    <section class="confirm" id="act-confirm" data-kind=kind.code()>
                        <h2>{t(Msg::ActsConfirmTitle)}</h2>
                        <p>{t(Msg::ActsConfirmIntro)}</p>
                        <dl class="confirm-fields">
                            <div class="confirm-row">
                                <dt>{t(Msg::ActsKind)}</dt>
                                <dd>{l.pick(kind.label_zh(), kind.label_en())}</dd>
                            </div>
                            {lines
                                .into_iter()
                                .map(|(label, value)| {
                                    view! {
                                        <div class="confirm-row">
                                            <dt>{t(label)}</dt>
                                            <dd>{value}</dd>
                                        </div>
                                    }
                                })
                                .collect_view()}
                            <div class="confirm-row">
                                <dt>{t(Msg::ConfirmSigner)}</dt>
                                <dd>{signer}</dd>
                            </div>
                            <div class="confirm-row">
                                <dt>{t(Msg::ConfirmCreatedAt)}</dt>
                                <dd>{created}</dd>
                            </div>
                            <div class="confirm-row">
                                <dt>{t(Msg::ActsActId)}</dt>
                                <dd><code>{act_id}</code></dd>
                            </div>
                        </dl>
                        {previews(form)}
                        <button type="button" class="secondary" id="act-json-toggle" on:click=move |_| show_json.update(|s| *s = !*s)>
                            {move || if show_json.get() { Msg::HideJson } else { Msg::ShowJson }.text(lang.get())}
                        </button>
                        <Show when=move || show_json.get()>
                            <pre class="canonical" id="act-canonical">{json.clone()}</pre>
                        </Show>
                        {offline_notice}
                        {problem_line}
                        <div class="button-row">
                            <button
                                type="button"
                                class="secondary"
                                id="act-back"
                                disabled=move || busy.get() || is_unsent
                                on:click=move |_| {
                                    problem.set(None);
                                    step.set(Step::Form);
                                }
                            >
                                {t(Msg::ConfirmBack)}
                            </button>
                            <button
                                type="button"
                                class="primary"
                                id="act-sign"
                                disabled=move || busy.get() || !online()
                                on:click=go
                            >
                                {t(if is_unsent { Msg::ActsSendAgain } else { Msg::ActsSign })}
                            </button>
                        </div>
                        <Show when=move || busy.get()>
                            <p class="progress" id="act-progress" role="status">{t(Msg::ProgressTouchKey)}</p>
                        </Show>
                    </section>
                }
                .into_any()
            }
            Step::Done(verdict) => {
                let flagged = !verdict.flags.is_empty();
                let units_line = verdict
                    .units
                    .iter()
                    .map(|u| UnitId::parse(u).map_or_else(|_| u.clone(), |id| names(&id)))
                    .collect::<Vec<_>>()
                    .join("、");
                view! {
                    <section class="notice notice-ok" id="act-done" data-act=verdict.act_id.clone().unwrap_or_default()
                        data-flags=verdict.flags.join(",")>
                        <p><strong>{t(Msg::ActsAccepted)}</strong></p>
                        <p>{t(Msg::ActsAcceptedUnits)} {units_line}</p>
                        {flagged.then(|| view! { <p class="warn" id="act-flagged">{t(Msg::ActsFlagged)}</p> })}
                        <p class="muted">{t(Msg::ActsAcceptedHint)}</p>
                        <button type="button" class="primary" id="act-again" on:click=again>{t(Msg::ActsAgain)}</button>
                    </section>
                }
                .into_any()
            }
        };
        view! {
            <section class="card admin" id="acts">
                <h1>{t(Msg::ActsTitle)}</h1>
                <p class="muted">{t(Msg::ActsIntro)}</p>
                {body}
                <datalist id="act-units">
                    {move || {
                        units
                            .get()
                            .into_iter()
                            .map(|u| view! { <option value=u.record.id.to_string()>{u.record.name.to_string()}</option> })
                            .collect_view()
                    }}
                </datalist>
            </section>
        }
        .into_any()
    }
}
