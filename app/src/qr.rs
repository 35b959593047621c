//! A QR code as the path of an SVG, made in Rust (`qrcodegen`, byte mode): the print
//! views carry an issued document's QR content (`DZ1.…`, the signed document, about 560–640
//! ASCII characters) this way.
//!
//! Error correction level M at least (15 % of the code words may be lost; qrcodegen raises it
//! when the same version holds a higher level): a printed sheet may be folded, stamped or
//! photocopied, which L (7 %) tolerates badly, while Q or H would push a notice from version
//! about 17–22 to 24–27. Printed 40 mm wide (`style/main.css`), a version-22 code has modules
//! of about 0.38 mm, which a phone camera resolves from 15–25 cm (docs/API.md, "The QR
//! content").

use qrcodegen::{QrCode, QrCodeEcc};

/// A QR code ready to draw: its width in modules and one SVG path of its dark modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSvg {
    /// Modules per side (without the quiet zone).
    pub width: usize,
    /// The `d` of a path drawing every dark module, runs of a row joined.
    pub path: String,
}

/// Modules of light margin around the code (the quiet zone the standard asks for).
pub const QUIET_ZONE: usize = 4;

impl QrSvg {
    /// The `viewBox` of the code with its quiet zone.
    pub fn view_box(&self) -> String {
        let side = self.width + 2 * QUIET_ZONE;
        format!("0 0 {side} {side}")
    }
}

/// Encodes `content` at level M (byte mode); `None` when it does not fit a QR code at all.
pub fn encode(content: &str) -> Option<QrSvg> {
    let code = QrCode::encode_binary(content.as_bytes(), QrCodeEcc::Medium).ok()?;
    let side = code.size();
    let width = usize::try_from(side).ok()?;
    let mut path = String::with_capacity(width * width);
    for y in 0..side {
        let mut x = 0;
        while x < side {
            if code.get_module(x, y) {
                let start = x;
                while x < side && code.get_module(x, y) {
                    x += 1;
                }
                let run = x - start;
                let (left, top) = (start as usize + QUIET_ZONE, y as usize + QUIET_ZONE);
                path.push_str(&format!("M{left} {top}h{run}v1h-{run}z"));
            } else {
                x += 1;
            }
        }
    }
    Some(QrSvg { width, path })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_document_sized_content_fits_with_its_quiet_zone() {
        let content = format!("DZ1.{}.k1.{}", "A".repeat(560), "B".repeat(96));
        let qr = encode(&content).unwrap();
        assert!((77..=101).contains(&qr.width), "{}", qr.width);
        assert!(
            qr.path.starts_with("M4 4h7v1h-7z"),
            "the finder pattern's top row"
        );
        assert_eq!(qr.view_box(), format!("0 0 {0} {0}", qr.width + 8));
    }
}
