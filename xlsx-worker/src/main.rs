//! The export worker (a dedicated web worker, built by Trunk beside the client as
//! `xlsx-worker_loader.js` + `xlsx-worker.js` + `xlsx-worker_bg.wasm`): the client posts it
//! `yyyy-mm-dd` (the file's date) followed by a report workbook in `reports::wire`'s form, and
//! it answers with the bytes of the .xlsx file (a `Uint8Array`) or, when something fails, a
//! message (a string). It posts `ready` once it has started. The .xlsx writer
//! (rust_xlsxwriter) lives only here, so the client downloads it only when a user exports.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The allocator: Talc, as in the client.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The .xlsx bytes of a request, or why not.
fn answer(request: &str) -> Result<Vec<u8>, String> {
    let date = request.get(..10).ok_or("request too short")?;
    let date = domain::Date::parse(date).map_err(|e| e.to_string())?;
    let workbook = reports::wire::decode(&request[10..]).map_err(|e| e.to_string())?;
    reports::xlsx::xlsx(&workbook, date).map_err(|e| e.to_string())
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        let sent = match answer(&request) {
            Ok(bytes) => {
                let array = js_sys::Uint8Array::from(bytes.as_slice());
                let transfer = js_sys::Array::of1(&array.buffer());
                reply_to.post_message_with_transfer(&array, &transfer)
            }
            Err(message) => reply_to.post_message(&JsValue::from_str(&message)),
        };
        if let Err(error) = sent {
            web_sys::console::error_1(&error);
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    if let Err(error) = scope.post_message(&JsValue::from_str("ready")) {
        web_sys::console::error_1(&error);
    }
}
