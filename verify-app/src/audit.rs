//! The auditor's page: an exported audit chain (`server export-audit`) and a signed head (a
//! file, or `GET /api/audit/head` online) in; every link, the head's SM2 signature and that the
//! chain ends at the head are checked on this computer, and the first broken entry is named.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::check::{self, AuditReport};
use crate::i18n::{Lang, Msg, t, use_lang};
use crate::keys;

/// The auditor's page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let chain = RwSignal::new(None::<String>);
    let head = RwSignal::new(None::<String>);
    let head_fetched = RwSignal::new(false);
    let message = RwSignal::new(None::<Msg>);
    let report = RwSignal::new(None::<AuditReport>);
    let read_into = move |target: RwSignal<Option<String>>| {
        move |ev: leptos::ev::Event| {
            let Some(file) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            report.set(None);
            spawn_local(async move {
                match JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                {
                    Some(text) => {
                        target.set(Some(text));
                        message.set(None);
                    }
                    None => message.set(Some(Msg::AuditReadFailed)),
                }
            });
        }
    };
    let fetch_head = move |_| {
        report.set(None);
        spawn_local(async move {
            match crate::api::get_text(check::AUDIT_HEAD_PATH).await {
                Ok(text) => {
                    head.set(Some(text));
                    head_fetched.set(true);
                    message.set(None);
                }
                Err(_) => message.set(Some(Msg::FetchFailed)),
            }
        });
    };
    let run = move |_| {
        let Some(chain_text) = chain.get_untracked() else {
            message.set(Some(Msg::AuditChainMissing));
            return;
        };
        let head_text = head.get_untracked();
        message.set(None);
        spawn_local(async move {
            let (_, held) = keys::refresh().await;
            let keys_json = held.map(|h| h.json).unwrap_or_default();
            report.set(Some(check::verify_audit(
                &chain_text,
                head_text.as_deref(),
                &keys_json,
            )));
        });
    };
    view! {
        <section class="card" id="verify-audit">
            <p class="intro">{t(Msg::AuditIntro)}</p>
            <div class="file-row">
                <label for="audit-chain" class="field-label">{t(Msg::AuditChainFile)}</label>
                <input type="file" id="audit-chain" accept=".json,.jsonl,.txt,application/json"
                    on:change=read_into(chain)/>
            </div>
            <div class="file-row">
                <label for="audit-head" class="field-label">{t(Msg::AuditHeadFile)}</label>
                <input type="file" id="audit-head" accept=".json,application/json"
                    on:change=move |ev| { head_fetched.set(false); read_into(head)(ev) }/>
                <button type="button" class="secondary" id="audit-fetch-head" on:click=fetch_head>
                    {t(Msg::AuditFetchHead)}
                </button>
                {move || head_fetched.get().then(|| view! {
                    <span class="muted" id="audit-head-fetched">{t(Msg::AuditHeadFetched)}</span>
                })}
                {move || head.with(Option::is_none).then(|| view! {
                    <p class="muted">{t(Msg::AuditHeadFromExport)}</p>
                })}
            </div>
            <div class="actions">
                <button type="button" class="primary" id="audit-check" on:click=run>
                    {t(Msg::AuditCheck)}
                </button>
            </div>
            {move || message.get().map(|m| view! { <p class="warn" id="audit-message">{t(m)}</p> })}
        </section>
        {move || report.get().map(|r| report_view(r, lang.get()))}
    }
}

fn report_view(report: AuditReport, lang: Lang) -> AnyView {
    let rows = view! {
        <tr><th>{Msg::AuditEntries.text(lang)}</th><td id="audit-entries">{report.entries}</td></tr>
        {report.head.map(|head| view! {
            <tr><th>{Msg::AuditHeadSequence.text(lang)}</th><td id="audit-head-sequence">{head.sequence}</td></tr>
            <tr><th>{Msg::AuditHeadHash.text(lang)}</th><td class="mono">{head.hash}</td></tr>
            <tr><th>{Msg::AuditHeadTime.text(lang)}</th><td>{keys::beijing_time(&head.time)}</td></tr>
        })}
    };
    match report.broken {
        None => view! {
            <section class="verdict genuine" id="audit-result" data-outcome="intact">
                <p class="verdict-word">{Msg::AuditIntact.text(lang)}</p>
                <table class="particulars"><tbody>{rows}</tbody></table>
            </section>
        }
        .into_any(),
        Some(broken) => view! {
            <section class="verdict not-genuine" id="audit-result" data-outcome="broken"
                data-first-broken=broken.sequence.map(|s| s.to_string()).unwrap_or_default()>
                <p class="verdict-word">{Msg::AuditBroken.text(lang)}</p>
                <p class="verdict-reason" id="audit-reason">
                    {Msg::AuditFirstBroken.text(lang)} {broken.text(lang)}
                </p>
                <table class="particulars"><tbody>{rows}</tbody></table>
            </section>
        }
        .into_any(),
    }
}
