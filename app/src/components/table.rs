//! The one table of the certificate's sections (机构信息 aside): column headers named by
//! [`Msg`], rows of text cells (a cell may be a link, a number, flagged), an empty-table
//! message that says why, and optionally headers that sort. One component, not one per section:
//! the client's size budget.
//!
//! Rows are drawn by position: when the rows change — a roster filtered, another page — the
//! table, its header and its row and cell elements stay, and only the texts and attributes
//! that differ are set; rows are built or removed only when there are more or fewer of them
//! (building 50 rows of 11 cells took most of a roster's keystroke; keyed rows were new rows
//! on every search).

use leptos::prelude::*;

use crate::i18n::{Msg, t};

/// One cell: its text, a link when it opens something, and its classes (`num`, `over`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub class: &'static str,
}

impl Cell {
    /// A cell of plain text.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    /// A number, right-aligned.
    pub fn num(n: impl ToString) -> Cell {
        Cell {
            text: n.to_string(),
            href: None,
            class: "num",
        }
    }

    /// A number flagged when `over` (超编, 超职数: red).
    pub fn flagged(n: impl ToString, over: bool) -> Cell {
        Cell {
            text: n.to_string(),
            href: None,
            class: if over { "num over" } else { "num" },
        }
    }

    /// A link to `href`.
    pub fn link(text: impl Into<String>, href: String) -> Cell {
        Cell {
            text: text.into(),
            href: Some(href),
            class: "",
        }
    }

    /// With these classes.
    pub fn class(mut self, class: &'static str) -> Cell {
        self.class = class;
        self
    }
}

/// A row: its cells, a class, a key the tests and links find it by (`data-key`) and a state
/// (`data-state`, e.g. a slip's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub class: &'static str,
    pub key: String,
    pub state: &'static str,
}

impl Row {
    pub fn new(key: impl Into<String>, cells: Vec<Cell>) -> Row {
        Row {
            cells,
            class: "",
            key: key.into(),
            state: "",
        }
    }
}

/// Which column sorts, and whether ascending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub ascending: bool,
}

/// A table with `id`, `columns` as headers and `rows` (a table of a page of a long list is
/// given that page only), drawn by position: a change of the rows sets only the texts and
/// attributes that differ. No rows: `empty` in place of the table. With `sort`, each header is a button that sorts
/// by its column (again: the other way).
#[component]
pub fn Table(
    id: &'static str,
    columns: Signal<Vec<Msg>>,
    rows: Signal<Vec<Row>>,
    empty: Msg,
    #[prop(optional)] sort: Option<RwSignal<Sort>>,
) -> impl IntoView {
    // Read once per change (the rows may be derived), and nothing redrawn when they are equal.
    let rows = Memo::new(move |_| rows.get());
    let header = move || {
        columns
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, msg)| match sort {
                None => view! { <th>{t(msg)}</th> }.into_any(),
                Some(sort) => {
                    let mark = move || {
                        let s = sort.get();
                        match (s.column == i, s.ascending) {
                            (false, _) => "",
                            (true, true) => " ▲",
                            (true, false) => " ▼",
                        }
                    };
                    let by = move |_| {
                        sort.update(|s| {
                            *s = Sort {
                                column: i,
                                ascending: s.column != i || !s.ascending,
                            }
                        })
                    };
                    view! {
                        <th>
                            <button type="button" class="sort" data-column=i on:click=by>
                                {t(msg)}
                                {mark}
                            </button>
                        </th>
                    }
                    .into_any()
                }
            })
            .collect_view()
    };
    let none = move || rows.with(Vec::is_empty);
    view! {
        <Show
            when=move || !none()
            fallback=move || view! { <p class="muted empty" id=format!("{id}-empty")>{t(empty)}</p> }
        >
            <div class="table-wrap">
                <table class="data" id=id data-rows=move || rows.with(Vec::len).to_string()>
                    <thead>
                        <tr>{header}</tr>
                    </thead>
                    <tbody>
                        {move || rows.get().into_iter().map(row).collect_view()}
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

/// A row's view: rebuilt in place of the one drawn at its position (same element, its
/// attributes and cells updated).
fn row(row: Row) -> impl IntoView {
    view! {
        <tr class=row.class data-key=row.key data-state=row.state>
            {row.cells.into_iter().map(cell).collect_view()}
        </tr>
    }
}

fn cell(cell: Cell) -> AnyView {
    match cell.href {
        Some(href) => view! {
            <td class=cell.class>
                <a href=href>{cell.text}</a>
            </td>
        }
        .into_any(),
        None => view! { <td class=cell.class>{cell.text}</td> }.into_any(),
    }
}
