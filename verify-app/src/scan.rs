//! Reading the QR code with the camera: the browser's `BarcodeDetector` where it has one, else
//! `rqrr` (pure Rust) on the camera's frames drawn to a canvas. The first code read is handed
//! to the page and the camera is switched off.

use std::time::Duration;

use leptos::html::{Canvas, Video};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Msg, t};

/// How often a frame is looked at.
const FRAME_EVERY: Duration = Duration::from_millis(300);

/// The widest frame handed to `rqrr` (larger frames are scaled down: a QR code printed on A4
/// fills a good part of the picture, and decoding grows with the pixels).
const MAX_WIDTH: u32 = 800;

/// What the camera is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Off,
    Scanning,
    Unavailable,
    Denied,
}

/// A button that switches the camera on and off, its preview, and a message when it cannot.
#[component]
pub fn ScanButton(#[prop(into)] on_found: Callback<String>) -> impl IntoView {
    let state = RwSignal::new(State::Off);
    let video = NodeRef::<Video>::new();
    let canvas = NodeRef::<Canvas>::new();
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    let timer = StoredValue::new_local(None::<IntervalHandle>);
    let busy = StoredValue::new_local(false);

    let stop = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if let Some(stream) = stream.try_update_value(Option::take).flatten() {
            for track in stream.get_tracks().iter() {
                if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                    track.stop();
                }
            }
        }
        if let Some(video) = video.get_untracked() {
            video.set_src_object(None);
        }
    };
    let start = move || {
        let Some(devices) = web_sys::window().and_then(|w| w.navigator().media_devices().ok())
        else {
            state.set(State::Unavailable);
            return;
        };
        let constraints = web_sys::MediaStreamConstraints::new();
        let facing = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&facing, &"facingMode".into(), &"environment".into());
        constraints.set_video(&facing);
        let Ok(promise) = devices.get_user_media_with_constraints(&constraints) else {
            state.set(State::Unavailable);
            return;
        };
        leptos::task::spawn_local(async move {
            let media = match JsFuture::from(promise).await {
                Ok(media) => media.unchecked_into::<web_sys::MediaStream>(),
                Err(_) => {
                    state.set(State::Denied);
                    return;
                }
            };
            let Some(element) = video.get_untracked() else {
                return;
            };
            element.set_src_object(Some(&media));
            let _ = element.play();
            stream.set_value(Some(media));
            state.set(State::Scanning);
            let detector = barcode_detector();
            let handle = set_interval_with_handle(
                move || {
                    if busy.get_value() {
                        return;
                    }
                    let (Some(video), Some(canvas)) =
                        (video.get_untracked(), canvas.get_untracked())
                    else {
                        return;
                    };
                    busy.set_value(true);
                    let detector = detector.clone();
                    leptos::task::spawn_local(async move {
                        let found = match &detector {
                            Some(detector) => detect_with(detector, &video).await,
                            None => decode_frame(&video, &canvas),
                        };
                        busy.set_value(false);
                        if let Some(content) = found {
                            stop();
                            state.set(State::Off);
                            on_found.run(content);
                        }
                    });
                },
                FRAME_EVERY,
            );
            timer.set_value(handle.ok());
        });
    };
    on_cleanup(stop);
    view! {
        <button type="button" class="secondary" id="scan-button" on:click=move |_| {
            if state.get_untracked() == State::Scanning {
                stop();
                state.set(State::Off);
            } else {
                start();
            }
        }>
            {move || if state.get() == State::Scanning { t(Msg::ScanStop)() } else { t(Msg::ScanStart)() }}
        </button>
        <div class="scan" class:hidden=move || state.get() != State::Scanning>
            <video node_ref=video class="scan-video" autoplay=true muted=true playsinline=true></video>
            <p class="muted">{t(Msg::ScanHint)}</p>
        </div>
        <canvas node_ref=canvas class="hidden"></canvas>
        {move || match state.get() {
            State::Unavailable => Some(view! { <p class="warn" id="scan-message">{t(Msg::ScanUnavailable)}</p> }),
            State::Denied => Some(view! { <p class="warn" id="scan-message">{t(Msg::ScanDenied)}</p> }),
            _ => None,
        }}
    }
}

/// `new BarcodeDetector({formats: ["qr_code"]})` where the browser has it.
fn barcode_detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let constructor = js_sys::Reflect::get(&window, &"BarcodeDetector".into()).ok()?;
    let constructor = constructor.dyn_into::<js_sys::Function>().ok()?;
    let options = js_sys::Object::new();
    let formats = js_sys::Array::of1(&"qr_code".into());
    js_sys::Reflect::set(&options, &"formats".into(), &formats).ok()?;
    js_sys::Reflect::construct(&constructor, &js_sys::Array::of1(&options)).ok()
}

/// `detector.detect(video)`: the first code's `rawValue`.
async fn detect_with(detector: &JsValue, video: &web_sys::HtmlVideoElement) -> Option<String> {
    let detect = js_sys::Reflect::get(detector, &"detect".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let promise = detect
        .call1(detector, video)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let codes = JsFuture::from(promise).await.ok()?;
    let first = js_sys::Reflect::get(&codes, &0.into()).ok()?;
    js_sys::Reflect::get(&first, &"rawValue".into())
        .ok()?
        .as_string()
}

/// The current frame drawn to `canvas`, turned grey and searched with `rqrr`.
fn decode_frame(
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<String> {
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return None;
    }
    let scale = f64::from(MAX_WIDTH.min(width)) / f64::from(width);
    let (w, h) = (
        (f64::from(width) * scale) as u32,
        (f64::from(height) * scale) as u32,
    );
    canvas.set_width(w);
    canvas.set_height(h);
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<web_sys::CanvasRenderingContext2d>()
        .ok()?;
    context
        .draw_image_with_html_video_element_and_dw_and_dh(
            video,
            0.0,
            0.0,
            f64::from(w),
            f64::from(h),
        )
        .ok()?;
    let pixels = context
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .ok()?
        .data();
    decode_rgba(&pixels, w as usize, h as usize)
}

/// Decodes the first QR code in an RGBA picture of `width` × `height`.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Option<String> {
    let grey: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8)
        .collect();
    if grey.len() < width * height {
        return None;
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, content)| content))
}
