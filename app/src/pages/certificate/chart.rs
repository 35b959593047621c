//! 组织机构图: the unit, its internal and subordinate bodies and its affiliated institutions
//! (`domain::Certificate::org_chart`), drawn as SVG — the unit on top, each kind of body in its
//! own group of rows beneath, a line from the unit to every box. Readable at 40 boxes (at most
//! seven to a row, two lines of text each, the whole name on hover), printed alone on an A4
//! landscape page (`style/main.css`: `@page chart`).
//!
//! The line down from the unit (the trunk) passes every row but the last: those rows hold at
//! most six boxes and leave the trunk a gap between two of them (a row of an odd number is
//! moved half a box aside), so that no row seems to hang from a box of the row above.
//!
//! The SVG is written as text (names escaped) and set as the chart's markup: one string, not a
//! component per box.

use domain::certificate::{Certificate, OrgChartNodeKind};
use leptos::prelude::*;

use crate::i18n::{Lang, Msg, t};
use crate::state::use_app_context;

/// Boxes to a row: the last row of the chart; the rows the trunk passes hold one less.
const COLS: usize = 7;
const BOX_W: usize = 150;
const BOX_H: usize = 50;
const GAP: usize = 14;
const MARGIN: usize = 20;
/// Characters on a line of a box (13 px text in a 150 px box).
const LINE_CHARS: usize = 10;
/// A row: its line to the trunk (the bus) [`BUS_Y`] below its top, its boxes [`BOX_Y`] below.
const ROW_H: usize = BOX_H + 40;
const BUS_Y: usize = 10;
const BOX_Y: usize = 22;

/// Width of the drawing.
const WIDTH: usize = COLS * (BOX_W + GAP) - GAP + 2 * MARGIN;

/// `&`, `<`, `>` and `"` as XML writes them.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// A box at (x, y), its name in up to two lines, its kind as a class.
fn node(out: &mut String, x: usize, y: usize, w: usize, name: &str, kind: OrgChartNodeKind) {
    use std::fmt::Write;
    let chars: Vec<char> = name.chars().collect();
    let lines: Vec<String> = if chars.len() <= LINE_CHARS * w / BOX_W {
        vec![name.to_owned()]
    } else {
        let per = chars.len().div_ceil(2).min(LINE_CHARS * w / BOX_W);
        let first: String = chars[..per].iter().collect();
        let mut second: String = chars[per..].iter().take(per).collect();
        if chars.len() > 2 * per {
            second.pop();
            second.push('…');
        }
        vec![first, second]
    };
    let _ = write!(
        out,
        r#"<g class="org-node" data-kind="{}"><title>"#,
        kind.code()
    );
    escape(name, out);
    let _ = write!(
        out,
        r#"</title><rect class="org-box" x="{x}" y="{y}" width="{w}" height="{BOX_H}" rx="4"/>"#
    );
    let cx = x + w / 2;
    let first_y = y + BOX_H / 2 + 5 - (lines.len() - 1) * 8;
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(out, r#"<text x="{cx}" y="{}">"#, first_y + i * 16);
        escape(line, out);
        out.push_str("</text>");
    }
    out.push_str("</g>");
}

/// The heading of a group of boxes.
fn group_msg(kind: OrgChartNodeKind) -> Msg {
    match kind {
        OrgChartNodeKind::SubordinateBody => Msg::ChartSubordinate,
        OrgChartNodeKind::Affiliate => Msg::ChartAffiliates,
        _ => Msg::ChartInternal,
    }
}

/// The chart of `c` as SVG text, its labels in `lang`; and how many boxes it has.
pub fn svg(c: &Certificate, lang: Lang) -> (String, usize) {
    use std::fmt::Write;
    let chart = c.org_chart();
    let groups: Vec<(OrgChartNodeKind, Vec<&str>)> = [
        OrgChartNodeKind::InternalDivision,
        OrgChartNodeKind::SubordinateBody,
        OrgChartNodeKind::Affiliate,
    ]
    .into_iter()
    .map(|kind| {
        let names = chart
            .children
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>();
        (kind, names)
    })
    .filter(|(_, names)| !names.is_empty())
    .collect();
    // Each group's rows: seven to the chart's last row, six to any other (see the module).
    let last_group = groups.len().saturating_sub(1);
    let rows_of: Vec<Vec<&[&str]>> = groups
        .iter()
        .enumerate()
        .map(|(g, (_, names))| {
            let mut rows = Vec::new();
            let mut rest: &[&str] = names;
            while !rest.is_empty() {
                let take = if g == last_group && rest.len() <= COLS {
                    rest.len()
                } else {
                    rest.len().min(COLS - 1)
                };
                rows.push(&rest[..take]);
                rest = &rest[take..];
            }
            rows
        })
        .collect();
    let rows: usize = rows_of.iter().map(Vec::len).sum();
    let height = MARGIN + BOX_H + 30 + groups.len() * 26 + rows * ROW_H + MARGIN;
    let mut body = String::with_capacity(4096);
    let mut lines = String::with_capacity(2048);
    let center = WIDTH / 2;
    let root_w = 2 * BOX_W + GAP;
    node(
        &mut body,
        center - root_w / 2,
        MARGIN,
        root_w,
        chart.name.as_str(),
        OrgChartNodeKind::Unit,
    );
    let mut y = MARGIN + BOX_H + 30;
    let mut last_bus = None;
    let mut drawn = 0;
    for ((kind, names), group_rows) in groups.iter().zip(&rows_of) {
        let _ = write!(
            body,
            r#"<text class="org-group" x="{MARGIN}" y="{}">"#,
            y + 14
        );
        escape(group_msg(*kind).text(lang), &mut body);
        let _ = write!(body, " ({})</text>", names.len());
        y += 26;
        for row in group_rows {
            drawn += 1;
            let row_w = row.len() * (BOX_W + GAP) - GAP;
            // A row the trunk passes, of an odd number of boxes: half a box aside.
            let aside = if drawn < rows && row.len() % 2 == 1 {
                (BOX_W + GAP) / 2
            } else {
                0
            };
            let left = center - row_w / 2 - aside;
            let bus = y + BUS_Y;
            let (first, last) = (left + BOX_W / 2, left + row_w - BOX_W / 2);
            let _ = write!(
                lines,
                r#"<line x1="{}" y1="{bus}" x2="{}" y2="{bus}"/>"#,
                first.min(center),
                last.max(center)
            );
            for (i, name) in row.iter().enumerate() {
                let x = left + i * (BOX_W + GAP);
                let _ = write!(
                    lines,
                    r#"<line x1="{0}" y1="{bus}" x2="{0}" y2="{1}"/>"#,
                    x + BOX_W / 2,
                    y + BOX_Y
                );
                node(&mut body, x, y + BOX_Y, BOX_W, name, *kind);
            }
            last_bus = Some(bus);
            y += ROW_H;
        }
    }
    let mut out = String::with_capacity(body.len() + lines.len() + 256);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="org-svg"><g class="org-lines">"#
    );
    if let Some(bus) = last_bus {
        let _ = write!(
            out,
            r#"<line x1="{center}" y1="{}" x2="{center}" y2="{bus}"/>"#,
            MARGIN + BOX_H
        );
    }
    out.push_str(&lines);
    out.push_str("</g>");
    out.push_str(&body);
    out.push_str("</svg>");
    (out, 1 + chart.children.len())
}

/// The chart, redrawn in the other language when it changes, with a print button.
pub fn org_chart(c: &Certificate) -> AnyView {
    let lang = use_app_context().lang;
    let c = c.clone();
    let boxes = 1 + c.divisions.len() + c.affiliates.len();
    let lone = boxes == 1;
    let drawing = move || svg(&c, lang.get()).0;
    view! {
        <div class="section-tools no-print">
            <button type="button" class="secondary" id="chart-print" on:click=move |_| {
                let _ = window().print();
            }>{t(Msg::Print)}</button>
        </div>
        <Show when=move || lone>
            <p class="muted empty" id="chart-empty">{t(Msg::EmptyChart)}</p>
        </Show>
        <figure class="org-chart" id="org-chart" data-boxes=boxes.to_string() inner_html=drawing></figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_body_is_a_box_and_names_are_escaped() {
        let city = demo::generate(3, demo::Size::Tiny);
        let mut c = city.certificates[0].clone();
        c.unit.name = domain::Name::parse("甲<乙>&丙").unwrap();
        let (svg, boxes) = svg(&c, Lang::Zh);
        assert_eq!(boxes, 1 + c.divisions.len() + c.affiliates.len());
        assert_eq!(svg.matches("class=\"org-box\"").count(), boxes);
        assert!(svg.contains("甲&lt;乙&gt;&amp;丙"));
        assert!(!svg.contains("<乙>"));
    }

    #[wasm_bindgen_test]
    fn forty_boxes_keep_seven_to_a_row_and_two_short_lines_each() {
        let city = demo::generate(3, demo::Size::Tiny);
        let mut c = city.certificates[0].clone();
        let template = c.divisions.first().cloned().unwrap();
        c.divisions = (0..32)
            .map(|i| domain::unit::Division {
                name: domain::Name::parse(&format!("第{i}业务管理与综合协调科室")).unwrap(),
                ..template.clone()
            })
            .collect();
        c.affiliates = (0..7)
            .map(|i| domain::unit::Affiliate {
                unit: domain::UnitId::parse(&format!("aff-{i}")).unwrap(),
                name: domain::Name::parse(&format!("天水市某某事业服务中心{i}")).unwrap(),
            })
            .collect();
        let (svg, boxes) = svg(&c, Lang::En);
        assert_eq!(boxes, 40);
        assert_eq!(svg.matches("class=\"org-box\"").count(), 40);
        // The drawing stays as wide as seven boxes, and no line of text is longer than a box
        // holds.
        assert!(svg.contains(&format!("viewBox=\"0 0 {WIDTH} ")));
        // (The unit's own box is twice as wide.)
        for text in svg.split("<text x=").skip(2) {
            let line = text.split('>').nth(1).unwrap().split('<').next().unwrap();
            assert!(line.chars().count() <= LINE_CHARS, "{line}");
        }
        assert!(svg.contains("Internal divisions (32)"));
        assert!(svg.contains("Affiliated institutions (7)"));
        // 32 divisions in rows of six (the trunk passes them), the 7 affiliates in the last row.
        let rows = svg.matches("<line").count() - 1 - 39;
        assert_eq!(rows, 6 + 1);
        // The trunk (the unit's centre) passes every row but the last between two boxes.
        let number = |text: &str, attribute: &str| -> usize {
            let at = text.find(&format!(" {attribute}=\"")).unwrap() + attribute.len() + 3;
            text[at..].split('"').next().unwrap().parse().unwrap()
        };
        let boxes: Vec<(usize, usize, usize)> = svg
            .split("<rect class=\"org-box\"")
            .skip(2)
            .map(|r| (number(r, "x"), number(r, "y"), number(r, "width")))
            .collect();
        let last_row = boxes.iter().map(|b| b.1).max().unwrap();
        let center = WIDTH / 2;
        for (x, y, w) in &boxes {
            assert!(
                *y == last_row || !(*x..x + w).contains(&center),
                "a box under the trunk at {x},{y}"
            );
            assert!(x + w <= WIDTH - MARGIN && *x >= MARGIN);
        }
    }
}
