//! Report files as the user downloads them: CSV built here (`reports::csv`), .xlsx built by the
//! export worker (`xlsx-worker`, started only when a user exports, so that its .xlsx writer is
//! never part of the main client), each saved through a Blob URL under a Chinese file name.

use futures::StreamExt;
use futures::channel::mpsc;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

/// The worker's loader (Trunk's `data-loader-shim`), cached by the service worker with the
/// rest of the app, so exporting works offline.
pub const WORKER: &str = "/xlsx-worker_loader.js";

/// The media type of .xlsx files.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Saves `csv` (already starting with its BOM) as `name`.csv.
pub fn save_csv(name: &str, csv: &str) -> Result<(), String> {
    let parts = Array::of1(&JsValue::from_str(csv));
    save(&format!("{name}.csv"), &parts, "text/csv;charset=utf-8")
}

/// Builds the .xlsx of `workbook` in the export worker (dated `today`) and saves it as
/// `name`.xlsx.
pub async fn save_xlsx(
    name: &str,
    workbook: &reports::Workbook,
    today: domain::Date,
) -> Result<(), String> {
    let mut request = today.to_string();
    request.push_str(&reports::wire::encode(workbook));
    let bytes = in_worker(request).await?;
    save(&format!("{name}.xlsx"), &Array::of1(&bytes), XLSX)
}

/// Starts the worker, waits for its `ready`, sends `request`, and returns the bytes it answers.
async fn in_worker(request: String) -> Result<Uint8Array, String> {
    let worker = Worker::new(WORKER).map_err(|e| format!("{e:?}"))?;
    let (sender, mut answers) = mpsc::unbounded::<JsValue>();
    let on_message = {
        let sender = sender.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let _ = sender.unbounded_send(event.data());
        })
    };
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        let _ = sender.unbounded_send(JsValue::NULL);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let answer = async {
        let ready = answers.next().await.unwrap_or(JsValue::NULL);
        if ready.as_string().as_deref() != Some("ready") {
            return Err("the export worker did not start".to_owned());
        }
        worker
            .post_message(&JsValue::from_str(&request))
            .map_err(|e| format!("{e:?}"))?;
        let answer = answers.next().await.unwrap_or(JsValue::NULL);
        answer.dyn_into::<Uint8Array>().map_err(|other| {
            other
                .as_string()
                .unwrap_or_else(|| "the export worker failed".to_owned())
        })
    }
    .await;
    worker.terminate();
    drop((on_message, on_error));
    answer
}

/// Offers `parts` as a download named `file`.
fn save(file: &str, parts: &Array, media_type: &str) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    let blob =
        Blob::new_with_blob_sequence_and_options(parts, &options).map_err(|e| format!("{e:?}"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file);
    link.click();
    // Revoked once the click has been handled (the download holds the blob by then).
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ = leptos::prelude::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}
