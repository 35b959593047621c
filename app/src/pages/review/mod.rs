//! 审核工作台 (`/review`): the supervising department's and the bureau reviewer's work, from
//! the local store, so that it works offline — the queue ([`queue`]: filters, counts, a dense
//! table, batch approval of routine onboardings), one submission on one screen
//! ([`submission`]), and the confirmation that signs one decision or a batch ([`confirm`]),
//! each kept in the outbox and sent by the sync. What they share: [`ReviewState`].

mod confirm;
mod queue;
mod submission;

use std::collections::BTreeSet;

use domain::{Role, Scope};
use leptos::prelude::*;

use crate::applications::deciding::{DecideError, PreparedDecision};
use crate::i18n::{Msg, t};
use crate::state::use_app_context;

/// The signals the parts of the page share.
#[derive(Clone, Copy)]
pub(super) struct ReviewState {
    /// The application on screen (none: the queue).
    pub(super) open: RwSignal<Option<String>>,
    /// Decisions prepared and waiting for the confirmation (one, or a batch).
    pub(super) prepared: RwSignal<Vec<PreparedDecision>>,
    pub(super) signing: RwSignal<bool>,
    pub(super) error: RwSignal<Option<DecideError>>,
    /// How many decisions the last confirmation signed.
    pub(super) signed: RwSignal<Option<usize>>,
    /// The decision chosen on the open application, and its comment (kept while the
    /// confirmation is shown, so that going back keeps them).
    pub(super) action: RwSignal<Option<domain::Action>>,
    pub(super) note: RwSignal<String>,
    /// Onboardings chosen for batch approval.
    pub(super) selected: RwSignal<BTreeSet<String>>,
    /// The queue's filters (kept while a submission is open): a kind code, text in the
    /// unit's name or id, a [`StatusFilter`], at least this many days waiting.
    pub(super) kind: RwSignal<String>,
    pub(super) unit: RwSignal<String>,
    pub(super) status: RwSignal<StatusFilter>,
    pub(super) age: RwSignal<i64>,
}

/// Which applications the queue lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StatusFilter {
    /// Awaiting a decision of the viewer's (the default).
    Mine,
    /// Filed and not decided.
    Awaiting,
    /// Approved, rejected, returned, withdrawn.
    Decided,
    All,
}

impl StatusFilter {
    pub(super) const ALL: [StatusFilter; 4] = [
        StatusFilter::Mine,
        StatusFilter::Awaiting,
        StatusFilter::Decided,
        StatusFilter::All,
    ];

    pub(super) fn code(self) -> &'static str {
        match self {
            StatusFilter::Mine => "mine",
            StatusFilter::Awaiting => "awaiting",
            StatusFilter::Decided => "decided",
            StatusFilter::All => "all",
        }
    }

    pub(super) fn msg(self) -> Msg {
        match self {
            StatusFilter::Mine => Msg::FilterMine,
            StatusFilter::Awaiting => Msg::FilterAwaiting,
            StatusFilter::Decided => Msg::FilterDecided,
            StatusFilter::All => Msg::FilterAll,
        }
    }
}

impl ReviewState {
    fn new() -> Self {
        ReviewState {
            open: RwSignal::new(None),
            prepared: RwSignal::new(Vec::new()),
            signing: RwSignal::new(false),
            error: RwSignal::new(None),
            signed: RwSignal::new(None),
            action: RwSignal::new(None),
            note: RwSignal::new(String::new()),
            selected: RwSignal::new(BTreeSet::new()),
            kind: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            status: RwSignal::new(StatusFilter::Mine),
            age: RwSignal::new(0),
        }
    }
}

/// Who looks at the page.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Reviewer {
    pub(super) role: Role,
    /// A supervisor's department (its own applications are not for it to endorse).
    pub(super) department: Option<String>,
}

/// 审核工作台.
#[component]
pub fn Review() -> impl IntoView {
    let context = use_app_context();
    let reviewer = Memo::new(move |_| {
        context.session.with(|s| {
            let holder = &s.as_ref()?.holder;
            let role = holder.role.filter(|_| holder.reviews())?;
            let department = match &holder.scope {
                Some(Scope::Department(id)) => Some(id.to_string()),
                _ => None,
            };
            Some(Reviewer { role, department })
        })
    });
    let state = ReviewState::new();
    move || match reviewer.get() {
        None => view! {
            <section class="card review" id="review">
                <h1>{t(Msg::ReviewTitle)}</h1>
                <p class="notice" id="review-not-reviewer">
                    {t(Msg::ReviewNotReviewer)}
                </p>
            </section>
        }
        .into_any(),
        Some(reviewer) => {
            let on_screen = Memo::new(move |_| {
                if !state.prepared.with(Vec::is_empty) {
                    Screen::Confirm
                } else if state.open.with(Option::is_some) {
                    Screen::Submission
                } else {
                    Screen::Queue
                }
            });
            let reviewer = StoredValue::new(reviewer);
            view! {
                <section class="card review" id="review">
                    {move || match on_screen.get() {
                        Screen::Queue => {
                            view! { <queue::Queue state=state reviewer=reviewer.get_value()/> }
                                .into_any()
                        }
                        Screen::Submission => {
                            view! {
                                <submission::Submission state=state reviewer=reviewer.get_value()/>
                            }
                                .into_any()
                        }
                        Screen::Confirm => view! { <confirm::Confirm state=state/> }.into_any(),
                    }}
                </section>
            }
            .into_any()
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Queue,
    Submission,
    Confirm,
}

/// Whole days from `rfc3339` to now (0 when either cannot be read).
pub(super) fn days_since(rfc3339: &str) -> i64 {
    let (Ok(then), Ok(now)) = (domain::Timestamp::parse(rfc3339), crate::clock::now()) else {
        return 0;
    };
    ((now.unix_seconds() - then.unix_seconds()) / 86_400).max(0)
}
