//! The document check: QR content (pasted, typed, or read by the camera) or a document number
//! in; GENUINE or NOT GENUINE out, in large plain words, with the document's particulars or
//! the reason that failed — and, online, its current status when the session may see it;
//! offline, the status as last seen here, with the time.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::check::{self, Failure, Input, NotGenuine, Seen, Status, Verdict};
use crate::i18n::{Lang, Msg, t, use_lang};
use crate::keys;

/// What the page shows after a check.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    verdict: Verdict,
    /// The status looked up (online) or as last seen here (offline).
    seen: Seen,
}

/// The document check page.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let lang = use_lang();
    let input = RwSignal::new(String::new());
    let working = RwSignal::new(false);
    let shown = RwSignal::new(None::<Shown>);
    let synced = RwSignal::new(keys::held().map(|k| k.synced_at));
    // Fetch the keys once at start (online), so that the page works offline afterwards.
    spawn_local(async move {
        if let (_, Some(held)) = keys::refresh().await {
            synced.set(Some(held.synced_at));
        }
    });
    let run = move || {
        let text = input.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        working.set(true);
        spawn_local(async move {
            let (online, held) = keys::refresh().await;
            if let Some(held) = &held {
                synced.set(Some(held.synced_at.clone()));
            }
            let result = verify(&text, online, held.as_ref()).await;
            shown.set(Some(result));
            working.set(false);
        });
    };
    let scanned = move |content: String| {
        input.set(content);
        run();
    };
    view! {
        <section class="card" id="verify-document">
            <p class="intro">{t(Msg::DocumentIntro)}</p>
            <label for="verify-input" class="field-label">{t(Msg::InputLabel)}</label>
            <textarea id="verify-input" rows="4" spellcheck="false"
                placeholder=t(Msg::InputHint)
                prop:value=move || input.get()
                on:input=move |ev| input.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="primary" id="verify-button"
                    disabled=move || working.get()
                    on:click=move |_| run()>{t(Msg::Verify)}</button>
                <crate::scan::ScanButton on_found=scanned/>
                <button type="button" class="secondary" id="clear-button" on:click=move |_| {
                    input.set(String::new());
                    shown.set(None);
                }>{t(Msg::Clear)}</button>
            </div>
            <p class="muted" id="keys-synced">
                {t(Msg::KeysSyncedAt)}
                {move || synced.get().filter(|s| !s.is_empty()).map_or_else(
                    || Msg::KeysNever.text(lang.get()).to_owned(),
                    |s| keys::beijing_time(&s),
                )}
            </p>
            {move || working.get().then(|| view! { <p class="muted">{t(Msg::Working)}</p> })}
        </section>
        {move || shown.get().map(|s| result_view(s, lang.get(), synced.get()))}
    }
}

/// Checks `text`: QR content against the keys held (and, online, its status with the
/// server), a number with the server.
async fn verify(text: &str, online: bool, held: Option<&keys::HeldKeys>) -> Shown {
    let failed = |failure| Shown {
        verdict: Verdict::NotGenuine(NotGenuine::plain(failure)),
        seen: Seen::NotApplicable,
    };
    match check::classify(text) {
        Input::Number(number) => {
            if !online {
                return failed(Failure::NeedsNetwork);
            }
            match check::look_up(&number).await {
                Ok(answer) => Shown {
                    verdict: check::number_verdict(&answer, &number),
                    seen: check::seen(&answer),
                },
                Err(ApiError::Status(404)) => failed(Failure::NoSuchNumber),
                Err(_) => failed(Failure::NeedsNetwork),
            }
        }
        Input::Qr(content) => {
            let Some(held) = held else {
                return failed(Failure::NoKeys);
            };
            let genuine = match check::verify_qr(&content, &held.json) {
                Verdict::Genuine(genuine) => genuine,
                not => {
                    return Shown {
                        verdict: not,
                        seen: Seen::NotApplicable,
                    };
                }
            };
            let answer = if online {
                check::look_up(&genuine.number).await.ok()
            } else {
                None
            };
            let seen = answer
                .as_ref()
                .map_or_else(|| check::last_seen(&genuine.number), check::seen);
            // Signed by the bureau, but voided since (or unknown to the server): not to be
            // acted on.
            let refused = match &answer {
                Some(answer) if !answer.genuine => Some((
                    check::Failure::from_code(&answer.code, ""),
                    check::void_reason(answer),
                )),
                _ => matches!(
                    seen,
                    Seen::AsOf {
                        status: Status::Void,
                        ..
                    }
                )
                .then_some((Failure::Void, None)),
            };
            match refused {
                Some((failure, reason)) => Shown {
                    verdict: Verdict::NotGenuine(NotGenuine {
                        failure,
                        number: Some(genuine.number),
                        detail: reason.map(|r| check::Event {
                            zh: r.clone(),
                            en: r,
                        }),
                    }),
                    seen,
                },
                None => Shown {
                    verdict: Verdict::Genuine(genuine),
                    seen,
                },
            }
        }
    }
}

fn result_view(shown: Shown, lang: Lang, synced: Option<String>) -> AnyView {
    let status = status_view(shown.seen, lang, synced);
    match shown.verdict {
        // Nothing was checked (offline with a number alone, no keys yet): no verdict either way.
        Verdict::NotGenuine(not)
            if matches!(not.failure, Failure::NeedsNetwork | Failure::NoKeys) =>
        {
            view! {
                <section class="verdict unchecked" id="verify-result" data-outcome="unchecked"
                    data-reason=not.failure.code()>
                    <p class="verdict-word">{Msg::Unchecked.text(lang)}</p>
                    <p class="verdict-reason" id="verify-reason">{not.failure.msg().text(lang)}</p>
                </section>
            }
            .into_any()
        }
        Verdict::NotGenuine(not) => {
            let number_attr = not.number.clone().unwrap_or_default();
            view! {
            <section class="verdict not-genuine" id="verify-result" data-outcome="not-genuine"
                data-reason=not.failure.code() data-number=number_attr>
                <p class="verdict-word">{Msg::NotGenuine.text(lang)}</p>
                <p>{Msg::NotGenuineLine.text(lang)}</p>
                <p class="verdict-reason" id="verify-reason">{not.failure.msg().text(lang)}</p>
                {not.detail.map(|d| view! { <p class="verdict-detail" id="verify-detail">{d.text(lang)}</p> })}
                {not.number.map(|n| view! {
                    <p>{Msg::FieldNumber.text(lang)} "：" <span id="verify-number">{n}</span></p>
                })}
                {status}
            </section>
        }
        .into_any()
        }
        Verdict::Genuine(genuine) => {
            let line = if genuine.form.is_none() {
                Msg::GenuineNumberLine
            } else {
                Msg::GenuineLine
            };
            let rows = genuine
                .form
                .as_ref()
                .map(|form| check::particulars(form, lang))
                .unwrap_or_default()
                .into_iter()
                .chain(genuine.key_id.clone().map(|k| (Msg::FieldKey, k)))
                .map(|(label, value)| {
                    view! { <tr><th>{label.text(lang)}</th><td>{value}</td></tr> }
                })
                .collect_view();
            view! {
                <section class="verdict genuine" id="verify-result" data-outcome="genuine"
                    data-number=genuine.number.clone()>
                    <p class="verdict-word">{Msg::Genuine.text(lang)}</p>
                    <p>{line.text(lang)}</p>
                    <table class="particulars" id="verify-particulars">
                        <tbody>
                            <tr><th>{Msg::FieldNumber.text(lang)}</th>
                                <td id="verify-number">{genuine.number.clone()}</td></tr>
                            {rows}
                        </tbody>
                    </table>
                    {status}
                </section>
            }
            .into_any()
        }
    }
}

fn status_view(seen: Seen, lang: Lang, synced: Option<String>) -> AnyView {
    let word = move |status: Status| lang.pick(status.label_zh(), status.label_en());
    match seen {
        Seen::Now { status, history } => view! {
            <div class="status" id="verify-status" data-status=status.code()>
                <p><span class="status-label">{Msg::StatusTitle.text(lang)}</span>
                    <span class=format!("status-word status-{}", status.code())>{word(status)}</span></p>
                {(!history.is_empty()).then(|| view! {
                    <p class="status-label">{Msg::History.text(lang)}</p>
                    <ul class="history" id="verify-history">
                        {history.into_iter().map(|h| view! { <li>{h.text(lang)}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        }
        .into_any(),
        Seen::AsOf { status, at } => view! {
            <div class="status" id="verify-status" data-status=status.code() data-as-of=at.clone()>
                <p>{Msg::StatusAsOf.text(lang)} {keys::beijing_time(&at)} " "
                    <span class=format!("status-word status-{}", status.code())>{word(status)}</span></p>
                <p class="muted">{Msg::StatusOffline.text(lang)}</p>
            </div>
        }
        .into_any(),
        Seen::Hidden => view! {
            <div class="status" id="verify-status" data-status="hidden">
                <p class="muted">{Msg::StatusNotShown.text(lang)} {Msg::StatusSignIn.text(lang)}</p>
            </div>
        }
        .into_any(),
        Seen::NotApplicable => ().into_any(),
        Seen::Unknown => view! {
            <div class="status" id="verify-status" data-status="offline">
                <p>{Msg::StatusAsOf.text(lang)}
                    {synced.filter(|s| !s.is_empty()).map_or_else(
                        || Msg::KeysNever.text(lang).to_owned(),
                        |s| keys::beijing_time(&s),
                    )}
                    " " {Msg::StatusUnknown.text(lang)}</p>
                <p class="muted">{Msg::StatusOffline.text(lang)}</p>
            </div>
        }
        .into_any(),
    }
}
