//! The structure analysis's charts as SVG text, drawn here in Rust: horizontal bars, or a pie
//! (slices as dashes of one circle's stroke, so every coordinate is an integer and nothing
//! computes a sine), each part with its count and share beside it. Colours and sizes are
//! attributes, never inline styles (the CSP allows none); the page's CSS sets the fonts.

use crate::structure::Distribution;
use crate::table::ChartKind;
use crate::{Lang, percent};

/// The colours of the parts, in turn.
const PALETTE: &[&str] = &[
    "#9f1c1c", "#2f6f9f", "#d08a1e", "#3f8f4f", "#7a4f9a", "#c2527a", "#4f7f7f", "#8a6a3a",
    "#5a5a5a", "#1f4f8f", "#b0413e", "#6f8f2f",
];

const ROW: u32 = 26;
const LABEL: u32 = 220;
const BAR: u32 = 300;

/// `text` with the characters markup gives meaning to escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The chart of `d`, bars or a pie as its dimension is drawn.
pub fn chart(d: &Distribution, lang: Lang) -> String {
    match d.dimension.chart() {
        ChartKind::Bar => bars(d, lang),
        ChartKind::Pie => pie(d, lang),
    }
}

fn figures(count: u32, total: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{count}（{}）", percent(count, total)),
        Lang::En => format!("{count} ({})", percent(count, total)),
    }
}

/// Where a pie's legend puts its figures: after the longest label (English ones are long).
const LEGEND_FIGURES: u32 = 212 + 260;

/// Horizontal bars, the longest as wide as [`BAR`].
pub fn bars(d: &Distribution, lang: Lang) -> String {
    let height = ROW * d.buckets.len() as u32 + 8;
    let width = LABEL + BAR + 130;
    let max = d.buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let mut svg = open(d, lang, width, height);
    for (i, b) in d.buckets.iter().enumerate() {
        let y = ROW * i as u32 + 4;
        let w = (u64::from(b.count) * u64::from(BAR) / u64::from(max)) as u32;
        svg.push_str(&format!(
            "<g class=\"part\" data-label=\"{label}\" data-count=\"{count}\">\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{bx}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{fill}\"/>\
             <text x=\"{vx}\" y=\"{ty}\">{figures}</text></g>",
            label = escape(&b.label),
            count = b.count,
            lx = LABEL - 8,
            ty = y + 15,
            bx = LABEL,
            h = ROW - 8,
            fill = PALETTE[0],
            vx = LABEL + w + 6,
            figures = figures(b.count, d.total, lang),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A pie of radius 80 with a legend beside it.
pub fn pie(d: &Distribution, lang: Lang) -> String {
    let legend = ROW * d.buckets.len() as u32 + 8;
    let height = legend.max(176);
    let width = LEGEND_FIGURES + 130;
    let mut svg = open(d, lang, width, height);
    // A circle of circumference 1000 (r = 1000 / 2π), stroked as wide as its diameter: each
    // slice is a dash of its share of 1000, starting where the last one ended.
    svg.push_str(
        "<svg x=\"8\" y=\"8\" width=\"160\" height=\"160\" viewBox=\"-318.31 -318.31 636.62 636.62\">\
         <g transform=\"rotate(-90)\">",
    );
    let (mut cumulative, mut start) = (0u64, 0u64);
    for (i, b) in d.buckets.iter().enumerate() {
        if b.count == 0 {
            continue;
        }
        cumulative += u64::from(b.count);
        let end = cumulative * 1000 / u64::from(d.total.max(1));
        svg.push_str(&format!(
            "<circle r=\"159.155\" fill=\"none\" stroke=\"{fill}\" stroke-width=\"318.31\" \
             stroke-dasharray=\"{len} 1000\" stroke-dashoffset=\"-{start}\"/>",
            fill = PALETTE[i % PALETTE.len()],
            len = end - start,
        ));
        start = end;
    }
    svg.push_str("</g></svg>");
    for (i, b) in d.buckets.iter().enumerate() {
        let y = ROW * i as u32 + 4;
        svg.push_str(&format!(
            "<g class=\"part\" data-label=\"{label}\" data-count=\"{count}\">\
             <rect x=\"190\" y=\"{ry}\" width=\"14\" height=\"14\" fill=\"{fill}\"/>\
             <text x=\"212\" y=\"{ty}\">{label}</text>\
             <text x=\"{vx}\" y=\"{ty}\">{figures}</text></g>",
            label = escape(&b.label),
            count = b.count,
            ry = y + 3,
            ty = y + 15,
            fill = PALETTE[i % PALETTE.len()],
            vx = LEGEND_FIGURES,
            figures = figures(b.count, d.total, lang),
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn open(d: &Distribution, lang: Lang, width: u32, height: u32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-label=\"{title}\" data-dimension=\"{code}\" data-total=\"{total}\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">",
        title = escape(d.dimension.title(lang)),
        code = d.dimension.code(),
        total = d.total,
    )
}
