//! The client's JSON paths that keep its code small (issue 10):
//! - JSON from bytes is read through `serde_json::from_str` like every other JSON input: serde_json
//!   compiles its deserialisers once per reader, so bytes are checked as UTF-8 first instead of
//!   read by its byte-slice reader (a second copy of every deserialiser);
//! - a `serde_json::Value` is written as text by `domain`'s canonical writer, never by
//!   serde_json's serialiser, whose float formatting (zmij and its 10 KB table) the client then
//!   does without. The text is the same JSON value (members sorted, no whitespace).

use serde::de::DeserializeOwned;
use serde_json::Value;

/// `bytes` (UTF-8 JSON) as `T`; the error as text.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// `value` as JSON text (RFC 8785's form: what `domain` signs); an integer beyond ±2^53, which
/// no double holds, is refused.
pub fn value_text(value: &Value) -> Result<String, String> {
    let bytes = domain::canonical::canonicalize(value).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn bytes_read_as_their_text_and_bad_bytes_are_refused() {
        assert_eq!(
            from_bytes::<Vec<String>>("[\"编制\"]".as_bytes()).unwrap(),
            vec!["编制".to_owned()]
        );
        assert!(from_bytes::<Vec<String>>(b"[\"\xff\"]").is_err());
        assert!(from_bytes::<Vec<String>>(b"[1]").is_err());
    }

    #[wasm_bindgen_test]
    fn a_value_is_written_as_the_same_json() {
        let value = serde_json::json!({
            "publicKey": {"challenge": "q\"u", "timeout": 60000, "ratio": 0.5, "ok": true,
                          "none": null, "list": [1, -2, "编制"]}
        });
        let text = value_text(&value).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        assert!(!text.contains(' '));
        assert!(value_text(&serde_json::json!(u64::MAX)).is_err());
    }
}
