//! Print views (`/print?application=<id>`): the quota-use slip 《机关事业单位编制使用单》, the
//! onboarding notice 《机关事业单位入编通知单》 and the offboarding notice 《机关事业单位出编通知单》
//! of an approved application, on one A4 page (the print stylesheet hides the rest), from the
//! local copy only, so that they print offline: number, issuing bureau, date, unit, category
//! and count or the person's particulars, validity, the approving reviewer, who printed it and
//! when, a space for the seal, and the QR code of the document the bureau signed (`qr.rs`)
//! with its number and the address of the verification page.

use domain::payload::ApplicationPayload;
use domain::slip::IssuedDocumentKind;
use leptos::prelude::*;

use crate::applications::form::FormField;
use crate::applications::registration::{self, LocalCopy};
use crate::i18n::{Lang, Msg, t};
use crate::router::use_query;
use crate::state::use_app_context;
use crate::store;

/// What one printed document shows, read from the store.
#[derive(Clone)]
struct Printed {
    kind: IssuedDocumentKind,
    number: Option<String>,
    bureau: String,
    decided_on: String,
    unit: String,
    rows: Vec<(String, String)>,
    valid_until: Option<String>,
    decider: Option<String>,
    /// The signed document's QR content, as the sync brought it (`DZ1.…`).
    qr: Option<String>,
    /// Its status code (`current`, `used`, `void`, `lapsed`) as of the last sync, and a
    /// voiding's reason.
    status: Option<String>,
    void_reason: Option<String>,
}

/// The document's status as of the last sync (not printed), and on the sheet a plain stamp
/// when it was voided.
fn status_line(status: Option<String>, void_reason: Option<String>) -> impl IntoView {
    status.map(|code| {
        let msg = crate::i18n::document_status(&code);
        view! {
            <p class="print-status no-print" id="print-document-status" data-status=code.clone()>
                {t(Msg::DocumentStatusLabel)}
                <strong class=format!("document-status document-{code}")>{msg.map(t)}</strong>
                {void_reason.map(|r| view! { " · " {t(Msg::DocumentVoidReason)} {r} })}
            </p>
        }
    })
}

/// The QR code of the signed document with its number and where to check it; until the sync
/// has brought the signed document, a note saying so (the sheet is still printable).
fn qr_block(content: Option<String>, number: Option<String>) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let verify_at = format!("{origin}/verify/");
    let code = content.as_deref().and_then(crate::qr::encode);
    view! {
        <div class="print-qr-block" id="print-qr">
            {match code {
                Some(code) => view! {
                    <svg class="print-qr" id="print-qr-code" viewBox={code.view_box()}
                        xmlns="http://www.w3.org/2000/svg" role="img" shape-rendering="crispEdges"
                        data-content=content.clone().unwrap_or_default()
                        attr:aria-label=t(Msg::PrintQrLabel)>
                        <path d={code.path.clone()}/>
                    </svg>
                }.into_any(),
                None => view! { <div class="print-qr print-qr-missing">{t(Msg::PrintQrMissing)}</div> }.into_any(),
            }}
            <div class="print-qr-text">
                <p class="print-qr-number" id="print-qr-number">{number.clone().unwrap_or_default()}</p>
                <p>{t(Msg::PrintQrScan)}</p>
                <p class="print-qr-url" id="print-verify-url">{t(Msg::PrintVerifyAt)} {verify_at}</p>
            </div>
        </div>
    }
}

/// The print view of the application named in the address.
#[component]
pub fn PrintPage() -> impl IntoView {
    let context = use_app_context();
    let lang = context.lang;
    let wanted = use_query("application").unwrap_or_default();
    let data = LocalResource::new(move || {
        let wanted = wanted.clone();
        let holder = context.holder_id();
        let item = context
            .outbox
            .with(|items| items.iter().find(|i| i.application_id == wanted).cloned());
        let tracked = context.applications.with(|a| a.get(&wanted).cloned());
        let lang = lang.get();
        async move {
            let (holder, item, tracked) = (holder?, item?, tracked?);
            let payload = item.payload()?;
            let unit_id = item.envelope()?.unit;
            let certificate = store::certificate(&holder, unit_id.as_str())
                .await
                .ok()
                .flatten()?;
            let local = LocalCopy {
                unit: Some(unit_id),
                roster: certificate
                    .staff
                    .iter()
                    .cloned()
                    .chain(certificate.departed.iter().map(|d| d.person.clone()))
                    .collect(),
                slips: registration::slips_of(&certificate),
                ..LocalCopy::default()
            };
            Some(printed(&payload, &tracked, &certificate, &local, lang))
        }
    });
    let printer = move || {
        context
            .session
            .with(|s| s.as_ref().map(|s| s.holder.name.clone()))
            .unwrap_or_default()
    };
    let printed_at = crate::clock::now()
        .map(|t| crate::clock::beijing_time(&t.to_string()))
        .unwrap_or_default();
    view! {
        <div class="print-tools no-print">
            <button type="button" class="primary" id="print-button" on:click=move |_| {
                let _ = window().print();
            }>{t(Msg::Print)}</button>
            <a href="/certificate" class="button-link">{t(Msg::NavCertificate)}</a>
        </div>
        {move || match data.get().flatten() {
            None => view! { <p class="muted no-print" id="print-missing">{t(Msg::PrintMissing)}</p> }.into_any(),
            Some(p) => {
                let printer = printer();
                let printed_at = printed_at.clone();
                let void = p.status.as_deref() == Some("void");
                view! {
                    {status_line(p.status.clone(), p.void_reason.clone())}
                    <article class="print-sheet" id="print-sheet" data-kind=p.kind.code()>
                        {void.then(|| view! { <p class="print-void" id="print-void">{t(Msg::DocumentVoidStamp)}</p> })}
                        <h1>{p.kind.label_zh()}</h1>
                        <p class="print-number" id="print-number">
                            {t(Msg::PrintNumber)} {p.number.clone().unwrap_or_default()}
                        </p>
                        <table class="print-table">
                            <tbody>
                                <tr>
                                    <th>{t(Msg::ApplyUnit)}</th>
                                    <td id="print-unit">{p.unit.clone()}</td>
                                </tr>
                                {p.rows.iter().map(|(label, value)| view! {
                                    <tr><th>{label.clone()}</th><td>{value.clone()}</td></tr>
                                }).collect_view()}
                                {p.valid_until.clone().map(|v| view! {
                                    <tr><th>{t(Msg::PrintValidUntil)}</th><td id="print-valid-until">{v}</td></tr>
                                })}
                                <tr>
                                    <th>{t(Msg::PrintDecider)}</th>
                                    <td id="print-decider">{p.decider.clone().unwrap_or_default()}</td>
                                </tr>
                            </tbody>
                        </table>
                        <div class="print-foot">
                            {qr_block(p.qr.clone(), p.number.clone())}
                            <div class="print-seal">
                                <p>{p.bureau.clone()}</p>
                                <p class="print-seal-space">{t(Msg::PrintSeal)}</p>
                                <p>{p.decided_on.clone()}</p>
                            </div>
                        </div>
                        <p class="print-by" id="print-by">
                            {t(Msg::PrintedBy)} {printer} " " {t(Msg::PrintedAt)} {printed_at}
                        </p>
                    </article>
                }
                .into_any()
            }
        }}
    }
}

fn printed(
    payload: &ApplicationPayload,
    tracked: &crate::applications::tracked::TrackedApplication,
    certificate: &domain::Certificate,
    local: &LocalCopy,
    lang: Lang,
) -> Printed {
    let rows = super::apply::payload_rows(payload, local, lang, false)
        .into_iter()
        .filter(|r| r.name != FormField::Reason.name())
        .map(|r| (r.label, r.value))
        .collect();
    let kind = match payload {
        ApplicationPayload::Onboarding(_) => IssuedDocumentKind::OnboardingNotice,
        ApplicationPayload::Offboarding(_) => IssuedDocumentKind::OffboardingNotice,
        _ => IssuedDocumentKind::QuotaUseSlip,
    };
    // The document the approval issued, as the certificate keeps it (number, bureau, date,
    // approver); until the pull brings it, what the application itself says.
    let issued = certificate
        .issued
        .iter()
        .find(|d| d.application_id.as_str() == tracked.application_id && d.kind == kind);
    let number = issued.map(|d| d.number.to_string()).or_else(|| match kind {
        IssuedDocumentKind::QuotaUseSlip => tracked.slip_number.clone(),
        _ => tracked.notice_number.clone(),
    });
    let slip = match kind {
        IssuedDocumentKind::QuotaUseSlip => number.as_deref(),
        _ => None,
    }
    .and_then(|n| local.slips.iter().find(|s| s.number.as_str() == n));
    let decided_on = issued.map_or_else(
        || {
            let time = crate::clock::beijing_time(&tracked.updated_at);
            time.split(' ').next().unwrap_or_default().to_owned()
        },
        |d| d.issued_on.to_string(),
    );
    Printed {
        kind,
        number,
        bureau: issued
            .map_or(certificate.unit.region.bureau(), |d| d.bureau)
            .name_zh(),
        decided_on,
        unit: certificate.unit.name.to_string(),
        rows,
        valid_until: slip.map(|s| s.valid_until.to_string()),
        decider: issued.map(|d| d.approver_name.clone()),
        qr: tracked.document.as_ref().map(|d| d.qr.clone()),
        status: tracked.document.as_ref().map(|d| d.status.clone()),
        void_reason: tracked
            .document
            .as_ref()
            .and_then(|d| d.void_reason.clone()),
    }
}
