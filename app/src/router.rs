//! Client-side routing: which page the address shows ([`routes`]), links and [`use_navigate`]
//! that change the address without reloading, back and forward, `?login=` ([`use_query`]).
//!
//! It does for this app's flat routes what `leptos_router` did, the same way (the same links
//! taken over, the same history entries, the same scrolling), in a small part of its code: the
//! client's size budget (issue 10). A bundle's routes are a table of [`Page`]s
//! (`app::bundles`); a link or `navigate` to a path the bundle has no page for is a full page
//! load, so that the server answers it with the shell of the bundle that has.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The parts of the address the app reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Address {
    /// `location.pathname`, as the browser encodes it.
    path: String,
    /// The query, without its `?`.
    search: String,
    /// The fragment, with its `#` (or empty).
    hash: String,
}

impl Address {
    /// The browser's address now.
    fn current() -> Option<Address> {
        let location = window().location();
        let search = location.search().ok()?;
        Some(Address {
            path: location.pathname().ok()?,
            search: search.strip_prefix('?').unwrap_or_default().to_owned(),
            hash: location.hash().ok()?,
        })
    }

    /// `url` read against this origin: its origin and its address.
    fn parse(url: &str) -> Option<(String, Address)> {
        let origin = window().location().origin().ok()?;
        let url = web_sys::Url::new_with_base(url, &origin).ok()?;
        let search = url.search();
        Some((
            url.origin(),
            Address {
                path: url.pathname(),
                search: search.strip_prefix('?').unwrap_or_default().to_owned(),
                hash: url.hash(),
            },
        ))
    }

    /// Path, query and fragment, as the address bar shows them.
    fn full(&self) -> String {
        let mut full = self.path.clone();
        if !self.search.is_empty() {
            full.push('?');
            full.push_str(&self.search);
        }
        full.push_str(&self.hash);
        full
    }
}

/// Where a [`Page`] is.
#[derive(Clone, Copy, Debug)]
pub enum At {
    /// This path (a trailing `/` is accepted, as by the routes before).
    Path(&'static str),
    /// Every path that starts with this prefix.
    Under(&'static str),
}

/// A page of a bundle: where it is and how it is drawn.
#[derive(Clone, Copy)]
pub struct Page {
    pub at: At,
    pub view: fn() -> AnyView,
}

impl Page {
    /// The page at `path` (and `path/`).
    pub const fn at(path: &'static str, view: fn() -> AnyView) -> Page {
        Page {
            at: At::Path(path),
            view,
        }
    }

    /// The page of every path under `prefix`.
    pub const fn under(prefix: &'static str, view: fn() -> AnyView) -> Page {
        Page {
            at: At::Under(prefix),
            view,
        }
    }

    fn shows(&self, path: &str) -> bool {
        match self.at {
            At::Path(at) => path == at || path.strip_suffix('/') == Some(at),
            At::Under(prefix) => path.starts_with(prefix),
        }
    }
}

/// The position in `pages` of the first page for `path`, if the bundle has one.
pub fn page_of(pages: &[Page], path: &str) -> Option<usize> {
    pages.iter().position(|page| page.shows(path))
}

/// The router's state: the address the pages see, the entries this tab pushed (to tell a
/// link to the page shown, which adds no history entry, from a new one), and the bundle's
/// pages (none: every path is this app's).
#[derive(Clone, Copy)]
struct Routing {
    address: RwSignal<Address>,
    pushed: StoredValue<Vec<String>>,
    pages: Option<&'static [Page]>,
}

impl Routing {
    fn get() -> Routing {
        expect_context::<Routing>()
    }

    /// Whether this bundle draws `path` (else another bundle's shell must be loaded).
    fn draws(self, path: &str) -> bool {
        self.pages
            .is_none_or(|pages| page_of(pages, path).is_some())
    }

    /// Shows `to` (a path of this origin): the address signal, then the history entry and the
    /// scroll position.
    fn navigate(self, to: &str) {
        let Some((origin, address)) = Address::parse(to) else {
            return;
        };
        if window().location().origin().ok().as_deref() != Some(origin.as_str()) {
            let _ = window().location().set_href(to);
            return;
        }
        if !self.draws(&address.path) {
            // Another bundle's page: loaded by the browser once this page's databases are
            // settled (see `store::connection::settle`).
            let to = to.to_owned();
            leptos::task::spawn_local(async move {
                crate::store::connection::settle().await;
                let _ = window().location().set_href(&to);
            });
            return;
        }
        let full = address.full();
        if self.address.with_untracked(|a| *a != address) {
            self.address.set(address);
        }
        self.complete(&full, true);
    }

    /// Records `full` in the history (unless it is the entry shown), then scrolls to its
    /// fragment's element or, when `scroll`, to the top.
    fn complete(self, full: &str, scroll: bool) {
        let window = window();
        let add = self
            .pushed
            .with_value(|pushed| pushed.last().map(String::as_str) != Some(full));
        if add {
            if let Ok(history) = window.history() {
                let _ = history.push_state_with_url(&JsValue::UNDEFINED, "", Some(full));
            }
            if let Some(now) = Address::current() {
                self.pushed.update_value(|pushed| pushed.push(now.full()));
            }
        }
        let hash = window.location().hash().unwrap_or_default();
        if let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) {
            let id = js_sys::decode_uri(id)
                .ok()
                .and_then(|decoded| decoded.as_string())
                .unwrap_or(hash.clone());
            if let Some(element) = document().get_element_by_id(&id) {
                element.scroll_into_view();
                return;
            }
        }
        if scroll {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// A click on a link of this origin (no modifier key, no `target`, `download` or
    /// `rel="external"`) shows its page here instead of loading it.
    fn on_click(self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.alt_key()
            || ev.ctrl_key()
            || ev.shift_key()
        {
            return;
        }
        let path = ev.composed_path();
        // The outermost link around the target.
        let Some(a) = (0..path.length())
            .rev()
            .find_map(|i| path.get(i).dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let href = a.href();
        if !a.target().is_empty() || (href.is_empty() && !a.has_attribute("state")) {
            return;
        }
        let rel = a.get_attribute("rel").unwrap_or_default();
        if a.has_attribute("download") || rel.split([' ', '\t']).any(|p| p == "external") {
            return;
        }
        let Some((origin, address)) = Address::parse(&href) else {
            return;
        };
        if window().location().origin().ok().as_deref() != Some(origin.as_str()) {
            return;
        }
        // Another bundle's page: the browser loads it (and the server answers with its shell)
        // — at once, unless a database is being opened: then once it is settled.
        if !self.draws(&address.path) {
            if crate::store::connection::opening() {
                ev.prevent_default();
                self.navigate(&href);
            }
            return;
        }
        ev.prevent_default();
        let path = js_sys::decode_uri(&address.path)
            .ok()
            .and_then(|decoded| decoded.as_string())
            .unwrap_or_else(|| address.path.clone());
        let full = Address {
            path,
            ..address.clone()
        }
        .full();
        let scroll = !a.has_attribute("noscroll") && !a.has_attribute("data-noscroll");
        self.address.set(address);
        self.complete(&full, scroll);
    }

    /// Back or forward: the address the browser now shows.
    fn on_popstate(self) {
        let Some(now) = Address::current() else {
            return;
        };
        let full = now.full();
        self.pushed.update_value(|pushed| {
            let back = pushed.len() == 1
                || (pushed.len() >= 2 && pushed.get(pushed.len() - 2) == Some(&full));
            if back {
                pushed.pop();
            }
        });
        self.address.set(now);
    }
}

/// Provides the router to `children` and takes over this origin's links and the back and
/// forward buttons while they are mounted: the links to `pages` (all links without it).
#[component]
pub fn Router(
    children: Children,
    #[prop(optional)] pages: Option<&'static [Page]>,
) -> impl IntoView {
    let now = Address::current().unwrap_or_default();
    let routing = Routing {
        pushed: StoredValue::new(vec![now.full()]),
        address: RwSignal::new(now),
        pages,
    };
    provide_context(routing);
    let click = window_event_listener(ev::click, move |ev| routing.on_click(&ev));
    let popstate = window_event_listener(ev::popstate, move |_| routing.on_popstate());
    on_cleanup(move || {
        click.remove();
        popstate.remove();
    });
    children()
}

/// The page of the address: `route` names it from the path, `page` draws it. The page is
/// drawn again only when the route changes (not when only the query or fragment does).
pub fn routes<R>(
    route: impl Fn(&str) -> R + Send + Sync + 'static,
    page: impl Fn(R) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    R: Clone + PartialEq + Send + Sync + 'static,
{
    let address = Routing::get().address;
    let current = Memo::new(move |_| address.with(|a| route(&a.path)));
    move || page(current.get())
}

/// Shows another page of the app (an absolute path), as following a link would.
pub fn use_navigate() -> impl Fn(&str) + Clone + Send + Sync + 'static {
    let routing = Routing::get();
    move |to: &str| routing.navigate(to)
}

/// The last value of the query parameter `name` in the address now (not tracked).
pub fn use_query(name: &str) -> Option<String> {
    let search = Routing::get().address.with_untracked(|a| a.search.clone());
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let all = params.get_all(name);
    let last = all.get(all.length().checked_sub(1)?).as_string()?;
    // Decoded once more, as leptos_router's query map did.
    Some(js_sys::decode_uri_component(&last).map_or(last, String::from))
}

/// The path of the address now, tracked: a page that reads its own parts (`/certificate/<unit>/
/// <section>`) follows links that change only them.
pub fn use_path() -> Memo<String> {
    let address = Routing::get().address;
    Memo::new(move |_| address.with(|a| a.path.clone()))
}

/// The fragment of the address now (with its `#`, or empty), tracked. A fragment never leaves
/// the browser: `/person/<unit>#<身份证号>` keeps the number out of every server's log.
pub fn use_hash() -> Memo<String> {
    let address = Routing::get().address;
    Memo::new(move |_| address.with(|a| a.hash.clone()))
}
