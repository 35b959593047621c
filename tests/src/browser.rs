//! Headless Chromium for the end-to-end suite: a fresh profile per browser, small helpers to
//! find and wait, a WebAuthn virtual authenticator, and a screenshot when a check fails.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use chromiumoxide::cdp::browser_protocol::target::SetAutoAttachParams;
use chromiumoxide::cdp::browser_protocol::web_authn::{
    AddVirtualAuthenticatorParams, AuthenticatorId, AuthenticatorProtocol, AuthenticatorTransport,
    Credential, EnableParams, GetCredentialsParams, VirtualAuthenticatorOptions,
};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use serde_json::Value;
use tokio::task::JoinHandle;

/// Debian's Chromium (installed by `cargo xtask test`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// How long `wait_*` helpers wait by default.
pub const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

/// The service worker's registration states and cache sizes, as JSON, for an error message.
const SERVICE_WORKER_STATE: &str = "async () => {
  const r = await navigator.serviceWorker.getRegistration();
  const state = (w) => (w ? w.state : null);
  const caches_ = await Promise.all((await caches.keys()).map(async (k) =>
    k + ': ' + (await (await caches.open(k)).keys()).length + ' files'));
  return JSON.stringify({
    registered: !!r,
    installing: state(r && r.installing),
    waiting: state(r && r.waiting),
    active: state(r && r.active),
    controller: !!navigator.serviceWorker.controller,
    caches: caches_,
  });
}";

/// How long dropping a [`TestBrowser`] waits for the killed Chromium to exit.
const EXIT_WAIT: Duration = Duration::from_secs(10);

/// A headless Chromium process with its own throw-away profile.
///
/// A guard: however the test ends — its last line, `?`, a failed assertion — dropping it
/// kills Chromium, waits for it to exit and then removes the profile, so no browser outlives
/// its test. There is no `close` to forget.
pub struct TestBrowser {
    browser: Browser,
    handler: JoinHandle<()>,
    /// Dropped after `Drop::drop` has reaped Chromium (fields drop after it).
    _profile: tempfile::TempDir,
}

impl TestBrowser {
    /// Launches Chromium headless, as root (no sandbox), without background networking
    /// (this machine's network is closed and Chromium would flood it).
    pub async fn launch() -> anyhow::Result<Self> {
        let profile = tempfile::tempdir().context("creating a browser profile")?;
        let config = BrowserConfig::builder()
            .chrome_executable(CHROMIUM)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1280, 900)
            .launch_timeout(Duration::from_secs(30))
            .request_timeout(Duration::from_secs(20))
            .args([
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
            ])
            .build()
            .map_err(anyhow::Error::msg)?;
        let (browser, mut handler) = Browser::launch(config)
            .await
            .context("launching Chromium (is /usr/bin/chromium installed?)")?;
        // The handler must be polled for the connection to work; a message the crate cannot
        // parse (a newer Chromium) is not fatal, so errors do not end the loop.
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Ok(Self {
            browser,
            handler,
            _profile: profile,
        })
    }

    /// Opens a new tab on `url` and waits for its load.
    pub async fn open(&self, url: &str) -> anyhow::Result<TestPage> {
        let page = self
            .browser
            .new_page("about:blank")
            .await
            .context("opening a tab")?;
        // chromiumoxide attaches to new targets with waitForDebuggerOnStart, which keeps
        // service workers from ever starting; turn that off for this tab.
        page.execute(SetAutoAttachParams::new(false, false))
            .await
            .context("turning off auto-attach")?;
        let console = console_of(&page).await?;
        page.goto(url)
            .await
            .with_context(|| format!("loading {url}"))?;
        Ok(TestPage { page, console })
    }
}

impl TestBrowser {
    /// Saves the downloads of every tab into `dir` under the names the page gives them, as a
    /// user's browser would (Chromium's own download, so the bytes are the ones a user gets).
    pub async fn save_downloads_in(&self, dir: &std::path::Path) -> anyhow::Result<()> {
        use chromiumoxide::cdp::browser_protocol::browser::{
            SetDownloadBehaviorBehavior, SetDownloadBehaviorParams,
        };
        let params = SetDownloadBehaviorParams::builder()
            .behavior(SetDownloadBehaviorBehavior::Allow)
            .download_path(dir.display().to_string())
            .build()
            .map_err(anyhow::Error::msg)?;
        self.browser
            .execute(params)
            .await
            .context("allowing downloads")?;
        Ok(())
    }
}

/// Waits until the file `name` in `dir` is completely downloaded; returns its bytes.
pub async fn downloaded(dir: &std::path::Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(name);
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        let partial = std::fs::read_dir(dir)?
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
        if !partial
            && let Ok(bytes) = std::fs::read(&path)
            && !bytes.is_empty()
        {
            return Ok(bytes);
        }
        tokio::time::sleep(POLL).await;
    }
    let found: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    bail!("{name} was not downloaded within {WAIT:?} (the folder holds {found:?})")
}

impl Drop for TestBrowser {
    /// Kills Chromium with every process it started (SIGKILL: renderers, GPU and utility
    /// processes, the zygote) and reaps it, before the profile directory is removed.
    /// Synchronous, as a drop during a panic must be: a few milliseconds at the end of a test.
    fn drop(&mut self) {
        self.handler.abort();
        let Some(child) = self.browser.get_mut_child() else {
            return;
        };
        let child = child.as_mut_inner();
        if let Some(pid) = child.id() {
            // Its helpers would outlive it by a second or so; take them down with it.
            let mut pids = descendants(pid);
            pids.push(pid);
            let _ = std::process::Command::new("kill")
                .arg("-KILL")
                .args(pids.iter().map(u32::to_string))
                .stderr(std::process::Stdio::null())
                .status();
        }
        let _ = child.start_kill();
        let deadline = std::time::Instant::now() + EXIT_WAIT;
        while std::time::Instant::now() < deadline {
            match child.try_wait() {
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Ok(Some(_)) | Err(_) => return,
            }
        }
        eprintln!("Chromium did not exit within {EXIT_WAIT:?} of being killed");
    }
}

/// The ids of the processes below `root` (its children, theirs, …), read from `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    // (pid, parent pid) of every process; `stat` is `pid (name) state ppid …`, and the name
    // may hold spaces or parentheses, so the fields are read after its last `)`.
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (_, fields) = stat.rsplit_once(')')?;
            let ppid = fields.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        next += 1;
    }
    found.split_off(1)
}

/// One tab, with the helpers tests use.
pub struct TestPage {
    page: Page,
    /// The page's console warnings and errors and its uncaught exceptions, newest last.
    console: Console,
}

/// What a page wrote to its console (warnings and errors) and threw, kept for a failed check.
type Console = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// At most this many console lines are kept per page (the newest).
const CONSOLE_LINES: usize = 40;

/// Starts collecting the console warnings, errors and uncaught exceptions of `page`.
async fn console_of(page: &Page) -> anyhow::Result<Console> {
    use chromiumoxide::cdp::js_protocol::runtime::{
        ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown, RemoteObject,
    };
    fn text(object: &RemoteObject) -> String {
        object
            .description
            .clone()
            .or_else(|| object.value.as_ref().map(|v| v.to_string()))
            .unwrap_or_default()
    }
    let console = Console::default();
    let exceptions = page
        .event_listener::<EventExceptionThrown>()
        .await
        .context("listening for exceptions")?
        .map(|e| {
            let details = &e.exception_details;
            let thrown = details.exception.as_ref().map(text).unwrap_or_default();
            format!("exception: {} {thrown}", details.text)
        });
    let calls = page
        .event_listener::<EventConsoleApiCalled>()
        .await
        .context("listening to the console")?
        .filter_map(|e| {
            let kept = matches!(
                e.r#type,
                ConsoleApiCalledType::Error | ConsoleApiCalledType::Warning
            );
            let line = format!(
                "console.{:?}: {}",
                e.r#type,
                e.args.iter().map(text).collect::<Vec<_>>().join(" ")
            );
            std::future::ready(kept.then_some(line))
        });
    let sink = console.clone();
    tokio::spawn(async move {
        let mut lines = futures::stream::select(exceptions, calls);
        while let Some(line) = lines.next().await {
            if let Ok(mut kept) = sink.lock() {
                if kept.len() == CONSOLE_LINES {
                    kept.remove(0);
                }
                kept.push(line);
            }
        }
    });
    Ok(console)
}

impl TestPage {
    /// The underlying chromiumoxide page, for what the helpers do not cover.
    pub fn raw(&self) -> &Page {
        &self.page
    }

    /// Runs `checks`; if they fail, saves a screenshot and names it in the error.
    pub async fn check<F>(&self, name: &str, checks: F) -> anyhow::Result<()>
    where
        F: Future<Output = anyhow::Result<()>>,
    {
        match checks.await {
            Ok(()) => Ok(()),
            Err(error) => {
                let shot = self.screenshot(name).await;
                let console = self.console_lines();
                Err(error.context(match shot {
                    Ok(path) => format!("{name} failed; screenshot at {}{console}", path.display()),
                    Err(e) => format!("{name} failed; no screenshot: {e:#}{console}"),
                }))
            }
        }
    }

    /// The console warnings, errors and exceptions seen so far, one per line after a heading
    /// (empty when there were none), for an error message.
    pub fn console_lines(&self) -> String {
        let kept = self.console.lock().map(|k| k.clone()).unwrap_or_default();
        if kept.is_empty() {
            return String::new();
        }
        format!("; the page's console:\n  {}", kept.join("\n  "))
    }

    /// Saves a PNG of the whole page under `tests/screenshots/` and returns its path.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let dir = crate::workspace_root().join("tests/screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        self.page
            .save_screenshot(ScreenshotParams::builder().full_page(true).build(), &path)
            .await?;
        Ok(path)
    }

    /// Evaluates a JavaScript expression and converts its (JSON) value.
    pub async fn eval<T: serde::de::DeserializeOwned>(
        &self,
        expression: &str,
    ) -> anyhow::Result<T> {
        let value = self
            .page
            .evaluate(expression)
            .await
            .with_context(|| format!("evaluating `{expression}`"))?;
        value.into_value().context("converting the result")
    }

    /// Calls an (async) JavaScript function and waits for its promise.
    pub async fn call<T: serde::de::DeserializeOwned>(&self, function: &str) -> anyhow::Result<T> {
        let value = self
            .page
            .evaluate_function(function)
            .await
            .context("calling a function in the page")?;
        value.into_value().context("converting the result")
    }

    /// Clicks the first element matching `selector`; fails if there is none.
    pub async fn click(&self, selector: &str) -> anyhow::Result<()> {
        let quoted = serde_json::to_string(selector)?;
        let clicked: bool = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({quoted}); if (!e) return false; e.click(); return true; }})()"
            ))
            .await?;
        anyhow::ensure!(clicked, "nothing to click at `{selector}`");
        Ok(())
    }

    /// The text of the first element matching `selector`, if there is one.
    pub async fn text(&self, selector: &str) -> anyhow::Result<Option<String>> {
        let selector = serde_json::to_string(selector)?;
        self.eval_optional(&format!("document.querySelector({selector})?.textContent"))
            .await
    }

    /// An attribute of the first element matching `selector`, if there is one.
    pub async fn attribute(&self, selector: &str, name: &str) -> anyhow::Result<Option<String>> {
        let selector = serde_json::to_string(selector)?;
        let name = serde_json::to_string(name)?;
        self.eval_optional(&format!(
            "document.querySelector({selector})?.getAttribute({name})"
        ))
        .await
    }

    /// Evaluates an expression that may be `null` or `undefined` (which chromiumoxide returns
    /// without a value): it crosses as JSON text.
    async fn eval_optional(&self, expression: &str) -> anyhow::Result<Option<String>> {
        let json: String = self
            .eval(&format!("JSON.stringify(({expression}) ?? null)"))
            .await?;
        serde_json::from_str(&json).context("reading the JSON of a result")
    }

    /// Waits until the element matching `selector` contains `expected`; returns its text.
    pub async fn wait_for_text(&self, selector: &str, expected: &str) -> anyhow::Result<String> {
        let mut last = None;
        let deadline = tokio::time::Instant::now() + WAIT;
        while tokio::time::Instant::now() < deadline {
            // An evaluation may fail while the page navigates; try again.
            if let Ok(text) = self.text(selector).await {
                if let Some(text) = &text
                    && text.contains(expected)
                {
                    return Ok(text.clone());
                }
                last = text;
            }
            tokio::time::sleep(POLL).await;
        }
        bail!("`{selector}` never contained {expected:?} within {WAIT:?} (last text: {last:?})")
    }

    /// Waits until `selector`'s attribute `name` equals `expected`.
    pub async fn wait_for_attribute(
        &self,
        selector: &str,
        name: &str,
        expected: &str,
    ) -> anyhow::Result<()> {
        let mut last = None;
        let deadline = tokio::time::Instant::now() + WAIT;
        while tokio::time::Instant::now() < deadline {
            if let Ok(value) = self.attribute(selector, name).await {
                if value.as_deref() == Some(expected) {
                    return Ok(());
                }
                last = value;
            }
            tokio::time::sleep(POLL).await;
        }
        bail!("`{selector}` [{name}] never became {expected:?} within {WAIT:?} (last: {last:?})")
    }

    /// Waits until a JavaScript expression is truthy.
    pub async fn wait_until(&self, expression: &str, what: &str) -> anyhow::Result<()> {
        self.wait_until_within(expression, what, WAIT).await
    }

    /// Waits up to `wait` until a JavaScript expression is truthy.
    pub async fn wait_until_within(
        &self,
        expression: &str,
        what: &str,
        wait: Duration,
    ) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Value::Bool(true)) = self.eval::<Value>(&format!("!!({expression})")).await {
                return Ok(());
            }
            tokio::time::sleep(POLL).await;
        }
        bail!("{what}: `{expression}` never became true within {wait:?}")
    }

    /// Waits up to `wait` until the service worker controls the page. If it never does, the
    /// error says how far the worker got: its registration's states and what its cache holds.
    pub async fn wait_for_service_worker(&self, wait: Duration) -> anyhow::Result<()> {
        let waited = self
            .wait_until_within(
                "navigator.serviceWorker.controller",
                "service worker controls the page",
                wait,
            )
            .await;
        if let Err(error) = waited {
            let state = self
                .call::<String>(SERVICE_WORKER_STATE)
                .await
                .unwrap_or_else(|e| format!("state unknown: {e:#}"));
            return Err(error.context(format!("service worker: {state}")));
        }
        Ok(())
    }

    /// Shows the page at `width`×`height` CSS pixels (a laptop's 1366×768, say).
    pub async fn set_viewport(&self, width: i64, height: i64) -> anyhow::Result<()> {
        use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
        self.page
            .execute(SetDeviceMetricsOverrideParams::new(
                width, height, 1.0, false,
            ))
            .await
            .context("setting the viewport")?;
        Ok(())
    }

    /// Reloads the page (without waiting for the network: the service worker may answer).
    pub async fn reload(&self) -> anyhow::Result<()> {
        self.page.reload().await.context("reloading")?;
        Ok(())
    }

    /// Adds a WebAuthn virtual authenticator that behaves like a USB security key with a
    /// PIN: CTAP2, resident keys, user verification (already verified), presence simulated,
    /// PRF available.
    pub async fn add_virtual_authenticator(&self) -> anyhow::Result<AuthenticatorId> {
        self.page
            .execute(EnableParams::default())
            .await
            .context("enabling the WebAuthn domain")?;
        let options = VirtualAuthenticatorOptions::builder()
            .protocol(AuthenticatorProtocol::Ctap2)
            .transport(AuthenticatorTransport::Usb)
            .has_resident_key(true)
            .has_user_verification(true)
            .is_user_verified(true)
            .automatic_presence_simulation(true)
            .has_prf(true)
            .build()
            .map_err(anyhow::Error::msg)?;
        let added = self
            .page
            .execute(AddVirtualAuthenticatorParams::new(options))
            .await
            .context("adding a virtual authenticator")?;
        Ok(added.result.authenticator_id.clone())
    }

    /// The credentials the virtual authenticator holds.
    pub async fn authenticator_credentials(
        &self,
        id: &AuthenticatorId,
    ) -> anyhow::Result<Vec<Credential>> {
        let got = self
            .page
            .execute(GetCredentialsParams::new(id.clone()))
            .await
            .context("reading the authenticator's credentials")?;
        Ok(got.result.credentials.clone())
    }
}
