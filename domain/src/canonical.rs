//! The one canonical byte form of signed data: RFC 8785 JSON Canonicalization Scheme (JCS).
//!
//! The rule, so another implementation can reproduce it byte for byte:
//! - The input is a JSON value (objects, arrays, strings, numbers, `true`, `false`, `null`).
//! - Output is UTF-8 with no whitespace at all between tokens.
//! - Object members are sorted by their names compared as sequences of UTF-16 code units
//!   (not by UTF-8 bytes and not by code points; the two differ above U+FFFF); names are unique.
//! - Strings are written between `"` with only these escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
//!   `\t`, and `\u00xx` with lower-case hex for the other control characters U+0000–U+001F.
//!   Everything else, including `/`, U+007F, non-ASCII and U+2028/U+2029, is written as is.
//! - Numbers are IEEE-754 doubles written as ECMAScript `Number.prototype.toString` does:
//!   shortest round-trip digits, `-0` as `0`, exponent form `1e+21` / `1e-7` outside
//!   `1e-6 <= |x| < 1e21`. Integers beyond ±2^53 cannot round-trip through a double and are
//!   refused (`CanonicalError::UnsafeInteger`) rather than silently rounded.
//!
//! The challenge a security key signs is `SHA-256(canonical bytes)`, base64url without padding
//! in WebAuthn's `clientData.challenge`.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Why a value has no canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    /// An integer outside ±2^53.
    #[error("integer {0} is outside the range a double holds exactly")]
    UnsafeInteger(String),
    /// A number that is not finite (cannot come from JSON text).
    #[error("number is not finite")]
    NotFinite,
    /// The input was not JSON.
    #[error("input is not json: {0}")]
    NotJson(String),
}

const MAX_SAFE: u64 = 9_007_199_254_740_992; // 2^53

/// The canonical bytes of a JSON value.
pub fn canonicalize(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    let mut out = String::new();
    write_value(&mut out, value)?;
    Ok(out.into_bytes())
}

/// Parses JSON text and returns its canonical bytes.
pub fn canonicalize_json(text: &[u8]) -> Result<Vec<u8>, CanonicalError> {
    let value: Value =
        serde_json::from_slice(text).map_err(|e| CanonicalError::NotJson(e.to_string()))?;
    canonicalize(&value)
}

fn write_value(out: &mut String, value: &Value) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n)?,
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(Vec<u16>, &String, &Value)> = map
                .iter()
                .map(|(k, v)| (k.encode_utf16().collect(), k, v))
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (_, k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let v = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[v >> 4]));
                out.push(char::from(HEX[v & 0xF]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_number(out: &mut String, n: &serde_json::Number) -> Result<(), CanonicalError> {
    if let Some(u) = n.as_u64() {
        if u > MAX_SAFE {
            return Err(CanonicalError::UnsafeInteger(u.to_string()));
        }
        out.push_str(&u.to_string());
        return Ok(());
    }
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() > MAX_SAFE {
            return Err(CanonicalError::UnsafeInteger(i.to_string()));
        }
        out.push_str(&i.to_string());
        return Ok(());
    }
    let f = n.as_f64().ok_or(CanonicalError::NotFinite)?;
    write_f64(out, f)
}

/// Writes a double as ECMAScript's `Number.prototype.toString` does (RFC 8785 §3.2.2.3).
///
/// The digits come from `ryu-js`, Ryū adjusted to ECMAScript's Number::toString: the shortest
/// digits that read back as the same double and, among those, the ones closest to its exact
/// value (the even one on a tie). Rust's own shortest formatting (`{:e}`) breaks such ties
/// differently (`1424953923781206.3` where ECMAScript writes `1424953923781206.2`).
/// `domain/tests/jcs.rs` checks it against the JCS authors' sample of a million doubles.
///
/// Without the `exact-floats` feature — the browser client, which parses no float exactly and
/// builds none (every number of the domain types is an integer), and keeps its size — the
/// digits are Rust's shortest (`{:e}`) in ECMAScript's layout: the same but for the rare ties
/// (the server, which has the feature, refuses such bytes as not canonical).
pub fn write_f64(out: &mut String, f: f64) -> Result<(), CanonicalError> {
    if !f.is_finite() {
        return Err(CanonicalError::NotFinite);
    }
    if f == 0.0 {
        // `-0` too.
        out.push('0');
        return Ok(());
    }
    #[cfg(feature = "exact-floats")]
    out.push_str(ryu_js::Buffer::new().format_finite(f));
    #[cfg(not(feature = "exact-floats"))]
    write_shortest(out, f);
    Ok(())
}

/// Rust's shortest digits of a non-zero finite `f` in ECMAScript's layout.
#[cfg(not(feature = "exact-floats"))]
fn write_shortest(out: &mut String, f: f64) {
    if f < 0.0 {
        out.push('-');
    }
    // `{:e}` gives the shortest round-trip digits: "d[.ddd]e<exp>".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let n = exp + 1; // position of the decimal point relative to the digits
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).abs().to_string());
    }
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xF)]));
    }
    s
}

/// base64url without padding (RFC 4648 §5), as WebAuthn writes challenges. Fifteen lines do not
/// justify a dependency.
pub fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            s.push(char::from(ABC[((n >> (18 - 6 * i)) & 0x3F) as usize]));
        }
    }
    s
}

/// Decodes base64url without padding; `None` on any other character or an impossible length.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        }))
    }
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= val(*c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push(((n >> (16 - 8 * i)) & 0xFF) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(text: &str) -> String {
        String::from_utf8(canonicalize_json(text.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    #[cfg(feature = "exact-floats")] // its numbers need exact parsing
    fn rfc8785_example() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            canon(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn rfc8785_sorting_by_utf16() {
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let out = canon(input);
        let order: Vec<&str> = ["\\r", "\"1\"", "\u{80}", "ö", "€", "😀", "\u{fb33}"].to_vec();
        let mut last = 0;
        for key in order {
            let pos = out.find(key).unwrap();
            assert!(pos >= last, "{key} out of order in {out}");
            last = pos;
        }
    }

    #[test]
    #[cfg(feature = "exact-floats")]
    fn numbers_as_ecmascript() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (-1.5, "-1.5"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (9007199254740994.0, "9007199254740994"),
            (0.000001234, "0.000001234"),
            (295147905179352830000.0, "295147905179352830000"),
            // Ties Rust's `{:e}` breaks the other way (issue 15).
            (f64::from_bits(0x4314_3ff3_c1cb_0959), "1424953923781206.2"),
            (f64::from_bits(0xc2db_fec8_a208_1be8), "-123124406820975.62"),
        ];
        for (f, want) in cases {
            let mut s = String::new();
            write_f64(&mut s, *f).unwrap();
            assert_eq!(&s, want, "{f:e}");
        }
    }

    #[test]
    fn unsafe_integers_are_refused() {
        assert!(canonicalize(&json!(9_007_199_254_740_992u64)).is_ok());
        assert!(matches!(
            canonicalize(&json!(9_007_199_254_740_993u64)),
            Err(CanonicalError::UnsafeInteger(_))
        ));
        assert!(matches!(
            canonicalize(&json!(-9_007_199_254_740_993i64)),
            Err(CanonicalError::UnsafeInteger(_))
        ));
    }

    #[test]
    fn strings_escape_only_what_jcs_escapes() {
        let v = json!({"s": "a/b\u{7f}\u{2028}\u{1f}\t中"});
        assert_eq!(
            String::from_utf8(canonicalize(&v).unwrap()).unwrap(),
            "{\"s\":\"a/b\u{7f}\u{2028}\\u001f\\t中\"}"
        );
    }

    #[test]
    fn base64url_known_answers() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        for n in 0..40u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            assert_eq!(base64url_decode(&base64url(&data)), Some(data));
        }
        assert_eq!(base64url_decode("Zm9v="), None);
        assert_eq!(base64url_decode("Z"), None);
    }

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
