//! The review queue: the applications of the viewer's scope from the local store, filtered by
//! kind, unit, status and age, oldest first, with counts; routine onboardings can be chosen for
//! batch approval; below, the decisions signed here and what became of them.

use std::collections::BTreeMap;

use domain::{Action, ApplicationKind};
use leptos::prelude::*;

use super::{ReviewState, Reviewer, StatusFilter, days_since};
use crate::applications::deciding;
use crate::applications::decision::{QueuedDecision, allowed_actions, awaits};
use crate::applications::outbox::ItemStatus;
use crate::applications::tracked::TrackedApplication;
use crate::clock::beijing_time as local_time;
use crate::i18n::{Lang, Msg, t};
use crate::state::{AppContext, use_app_context};
use crate::store;

/// The unit names of the local store, by id (re-read when a sync changed it).
pub(super) fn unit_names(context: AppContext) -> LocalResource<BTreeMap<String, String>> {
    LocalResource::new(move || {
        let holder = context.holder_id();
        let _ = context.sync.with(|s| s.revision);
        async move {
            let Some(holder) = holder else {
                return BTreeMap::new();
            };
            // Inserted one by one: collecting would sort first (a copy of the stable sort).
            let mut names = BTreeMap::new();
            for u in store::units(&holder).await.unwrap_or_default() {
                names.insert(u.unit_id, u.name);
            }
            names
        }
    })
}

/// Whether `application` is a routine onboarding the viewer may approve in a batch (one filed
/// late is looked at on its own).
fn batchable(role: domain::Role, application: &TrackedApplication) -> bool {
    application.kind == ApplicationKind::Onboarding
        && !application.late
        && allowed_actions(role, application).contains(&Action::Approve)
}

/// Whether the unit filter `query` (trimmed, any case) keeps a unit: part of its name, or of its
/// id in lower case. ASCII case is folded only: unit names are Chinese, ids ASCII, and
/// `to_lowercase`'s Unicode tables and code would weigh 14 KB in the client.
fn unit_matches(query: &str, name: &str, unit_id: &str) -> bool {
    let query = query.trim().to_ascii_lowercase();
    query.is_empty() || name.to_ascii_lowercase().contains(&query) || unit_id.contains(&query)
}

/// The queue.
#[component]
pub(super) fn Queue(state: ReviewState, reviewer: Reviewer) -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let names = unit_names(context);
    let role = reviewer.role;
    let department = StoredValue::new(reviewer.department.clone());
    let mine = move |application: &TrackedApplication| {
        context.decisions.with(|decisions| {
            department.with_value(|d| awaits(role, d.as_deref(), application, decisions))
        })
    };
    // Every application of the scope with the viewer's part in it, oldest status first.
    let listed = Memo::new(move |_| {
        let names = names.get().unwrap_or_default();
        let kind = state.kind.get();
        let unit = state.unit.get();
        let status = state.status.get();
        let age = state.age.get();
        let mut rows: Vec<(TrackedApplication, String, bool)> = context.applications.with(|all| {
            all.values()
                .filter(|a| kind.is_empty() || a.kind.code() == kind)
                .filter(|a| match status {
                    StatusFilter::Mine => mine(a),
                    StatusFilter::Awaiting => a.status.awaits_decision(),
                    StatusFilter::Decided => !a.status.awaits_decision(),
                    StatusFilter::All => true,
                })
                .filter(|a| age == 0 || days_since(&a.updated_at) >= age)
                .map(|a| {
                    let name = names.get(&a.unit_id).cloned().unwrap_or_default();
                    (a.clone(), name, mine(a))
                })
                .filter(|(a, name, _)| unit_matches(&unit, name, &a.unit_id))
                .collect()
        });
        crate::order::sort_by(&mut rows, |a, b| a.0.updated_at.cmp(&b.0.updated_at));
        rows
    });
    let total = move || context.applications.with(BTreeMap::len);
    let mine_count = move || {
        context
            .applications
            .with(|all| all.values().filter(|a| mine(a)).count())
    };

    let batch = move |_| {
        let Some(session) = context.session.get_untracked() else {
            return;
        };
        let chosen = state.selected.get_untracked();
        let prepared: Result<Vec<_>, _> = context.applications.with_untracked(|all| {
            chosen
                .iter()
                .filter_map(|id| all.get(id))
                .filter(|a| batchable(role, a))
                .map(|a| deciding::prepare(&session, a, Action::Approve, ""))
                .collect()
        });
        match prepared {
            Ok(prepared) if !prepared.is_empty() => {
                state.error.set(None);
                state.prepared.set(prepared);
            }
            Ok(_) => {}
            Err(e) => state.error.set(Some(e)),
        }
    };
    let chosen = move || state.selected.with(|s| s.len());

    view! {
        <h1>{t(Msg::ReviewTitle)}</h1>
        <p class="muted" id="review-scope">
            {t(if role == domain::Role::Supervisor {
                Msg::ReviewScopeSupervisor
            } else {
                Msg::ReviewScopeBureau
            })}
        </p>
        {move || {
            // Only while what was signed waits to be sent: then its fate shows in the list.
            let waiting = context
                .decisions
                .with(|d| d.iter().any(|d| d.status == ItemStatus::Pending));
            state
                .signed
                .get()
                .filter(|_| waiting)
                .map(|n| {
                    view! {
                        <p class="success" id="review-signed" role="status">
                            {t(Msg::DecisionSigned)} " (" {n} ")"
                        </p>
                    }
                })
        }}
        {move || {
            state
                .error
                .get()
                .map(|e| view! { <p class="error" role="alert">{move || e.text(lang.get())}</p> })
        }}
        <div class="review-filters">
            <label>
                {t(Msg::FilterKind)}
                <select
                    id="filter-kind"
                    on:change=move |ev| state.kind.set(event_target_value(&ev))
                >
                    <option value="" prop:selected=move || state.kind.with(String::is_empty)>
                        {t(Msg::FilterAll)}
                    </option>
                    {ApplicationKind::ALL
                        .iter()
                        .map(|k| {
                            let code = k.code();
                            view! {
                                <option
                                    value=code
                                    prop:selected=move || state.kind.with(|c| c == code)
                                >
                                    {move || lang.get().pick(k.label_zh(), k.label_en())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t(Msg::FilterUnit)}
                <input
                    id="filter-unit"
                    type="search"
                    prop:value=move || state.unit.get()
                    on:input=move |ev| state.unit.set(event_target_value(&ev))
                />
            </label>
            <label>
                {t(Msg::FilterStatus)}
                <select
                    id="filter-status"
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        if let Some(f) = StatusFilter::ALL.into_iter().find(|f| f.code() == code) {
                            state.status.set(f);
                        }
                    }
                >
                    {StatusFilter::ALL
                        .into_iter()
                        .map(|f| {
                            view! {
                                <option value=f.code() prop:selected=move || state.status.get() == f>
                                    {t(f.msg())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t(Msg::FilterAge)}
                <select
                    id="filter-age"
                    on:change=move |ev| state.age.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {[(0, Msg::FilterAll), (3, Msg::AgeOver3), (7, Msg::AgeOver7), (30, Msg::AgeOver30)]
                        .into_iter()
                        .map(|(days, msg)| {
                            view! {
                                <option
                                    value=days.to_string()
                                    prop:selected=move || state.age.get() == days
                                >
                                    {t(msg)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </div>
        <p
            class="review-counts"
            id="review-counts"
            data-shown=move || listed.with(Vec::len).to_string()
            data-mine=move || mine_count().to_string()
        >
            {t(Msg::ReviewShown)} " " {move || listed.with(Vec::len)} " " {t(Msg::ReviewOf)} " "
            {total} " " {t(Msg::ReviewItems)} " · " {t(Msg::ReviewMineCount)} {mine_count}
        </p>
        <Show when=move || { chosen() > 0 }>
            <button type="button" class="primary" id="batch-approve" on:click=batch>
                {t(Msg::BatchApprove)} " (" {chosen} ")"
            </button>
        </Show>
        {move || {
            let rows = listed.get();
            if rows.is_empty() {
                return view! { <p class="muted" id="review-empty">{t(Msg::ReviewEmpty)}</p> }
                    .into_any();
            }
            view! {
                <table class="queue" id="review-queue">
                    <thead>
                        <tr>
                            <th></th>
                            <th>{t(Msg::FilterKind)}</th>
                            <th>{t(Msg::FilterUnit)}</th>
                            <th>{t(Msg::FilterStatus)}</th>
                            <th>{t(Msg::ColWaitingSince)}</th>
                            <th>{t(Msg::ColDays)}</th>
                            <th>{t(Msg::ColMyDecision)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(application, name, mine)| row(context, state, role, application, name, mine))
                            .collect_view()}
                    </tbody>
                </table>
            }
                .into_any()
        }}
        <MyDecisions/>
    }
}

/// One row of the queue.
fn row(
    context: AppContext,
    state: ReviewState,
    role: domain::Role,
    application: TrackedApplication,
    name: String,
    mine: bool,
) -> impl IntoView {
    let lang = context.lang;
    let id = application.application_id.clone();
    let (kind, status) = (application.kind, application.status);
    let days = days_since(&application.updated_at);
    let late = application.late.then_some(application.days_overdue);
    let batch = batchable(role, &application) && mine;
    let mine_now = context
        .decisions
        .with_untracked(|d| d.iter().rev().find(|d| d.application_id == id).cloned());
    let open = {
        let id = id.clone();
        move |_| {
            state.signed.set(None);
            state.error.set(None);
            state.action.set(None);
            state.note.set(String::new());
            state.open.set(Some(id.clone()));
        }
    };
    let checkbox = batch.then(|| {
        let id = id.clone();
        let checked = {
            let id = id.clone();
            move || state.selected.with(|s| s.contains(&id))
        };
        view! {
            <input
                type="checkbox"
                class="batch-choose"
                prop:checked=checked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state
                        .selected
                        .update(|s| {
                            if on {
                                s.insert(id.clone());
                            } else {
                                s.remove(&id);
                            }
                        });
                }
            />
        }
    });
    view! {
        <tr
            data-application-id=id.clone()
            data-status=status.code()
            data-mine=mine.to_string()
            class:mine=mine
        >
            <td>{checkbox}</td>
            <td>{move || lang.get().pick(kind.label_zh(), kind.label_en())}</td>
            <td>{name} " " <span class="muted">{application.unit_id.clone()}</span></td>
            <td class="review-status">
                {move || lang.get().pick(status.label_zh(), status.label_en())}
                {late.map(|days| view! { " " <span class="late" data-days-overdue=days.to_string()>{t(Msg::QueueLate)} {days} {t(Msg::DocDays)}</span> })}
            </td>
            <td>{local_time(&application.updated_at)}</td>
            <td class="num">{days}</td>
            <td class="review-mine">{mine_now.map(|d| decision_state(context, &d))}</td>
            <td>
                <button type="button" class="secondary review-open" on:click=open>
                    {t(Msg::ReviewOpen)}
                </button>
            </td>
        </tr>
    }
}

/// What became of a decision signed here, in words: waiting, in effect, or why not.
pub(super) fn decision_state(
    context: AppContext,
    decision: &QueuedDecision,
) -> impl IntoView + use<> {
    let lang = context.lang;
    let action = decision.action;
    let (name, text): (&'static str, Box<dyn Fn(Lang) -> String + Send + Sync>) =
        match &decision.status {
            ItemStatus::Pending => (
                "pending",
                Box::new(|l| Msg::DecisionPendingSync.text(l).to_owned()),
            ),
            ItemStatus::Accepted => {
                let number = decision.number.clone().unwrap_or_default();
                (
                    "accepted",
                    Box::new(move |l| format!("{} {number}", Msg::DecisionInEffect.text(l))),
                )
            }
            _ if decision.overtaken() => {
                let now = context
                    .applications
                    .with_untracked(|a| a.get(&decision.application_id).map(|a| a.status));
                (
                    "overtaken",
                    Box::new(move |l| {
                        let status = now
                            .map(|s| l.pick(s.label_zh(), s.label_en()))
                            .unwrap_or("");
                        format!("{}{status}", Msg::DecisionOvertaken.text(l))
                    }),
                )
            }
            status @ ItemStatus::Rejected { .. } => {
                let status = status.clone();
                (
                    "rejected",
                    Box::new(move |l| {
                        let reason = status.reason(l).unwrap_or_default();
                        format!("{}{reason}", Msg::DecisionRefused.text(l))
                    }),
                )
            }
            status @ ItemStatus::Held { .. } => {
                let status = status.clone();
                (
                    "held",
                    Box::new(move |l| {
                        let reason = status.reason(l).unwrap_or_default();
                        format!("{}{reason}", Msg::StatusHeld.text(l))
                    }),
                )
            }
        };
    view! {
        <span class=format!("decision-state status-{name}") data-decision-state=name>
            {move || lang.get().pick(action.label_zh(), action.label_en())} " · "
            {move || text(lang.get())}
        </span>
    }
}

/// 本机签署的审批决定: every decision signed here, newest first, with what became of it.
#[component]
fn MyDecisions() -> impl IntoView {
    let context = use_app_context();
    let names = unit_names(context);
    let lang = context.lang;
    view! {
        <section class="my-decisions" id="my-decisions">
            <h2>{t(Msg::MyDecisionsTitle)}</h2>
            {move || {
                let decisions = context.decisions.get();
                if decisions.is_empty() {
                    return view! { <p class="muted">{t(Msg::MyDecisionsEmpty)}</p> }.into_any();
                }
                let names = names.get().unwrap_or_default();
                view! {
                    <ul class="decision-list">
                        {decisions
                            .iter()
                            .rev()
                            .map(|d| {
                                let kind = d.kind;
                                let unit = names.get(&d.unit_id).cloned().unwrap_or_else(|| d.unit_id.clone());
                                view! {
                                    <li
                                        class="decision-item"
                                        data-decision-id=d.decision_id.clone()
                                        data-application-id=d.application_id.clone()
                                        data-status=d.status.name()
                                        data-number=d.number.clone().unwrap_or_default()
                                    >
                                        {move || lang.get().pick(kind.label_zh(), kind.label_en())} " · " {unit}
                                        " · " {local_time(&d.signed_at)} " · " {decision_state(context, d)}
                                        {(!d.note.is_empty()).then(|| view! { <span class="muted">" · " {d.note.clone()}</span> })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_unit_filter_finds_part_of_the_name_or_the_id_in_any_ascii_case() {
        assert!(unit_matches("", "天岳区教育局", "u-7"));
        assert!(unit_matches("  教育 ", "天岳区教育局", "u-7"));
        assert!(unit_matches("ABC", "abc 中心", "u-7"));
        assert!(unit_matches("U-7", "天岳区教育局", "u-7"));
        assert!(!unit_matches("卫生", "天岳区教育局", "u-7"));
        assert!(!unit_matches("u-8", "天岳区教育局", "u-7"));
    }
}
