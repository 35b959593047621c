//! JSON from bytes, read through `serde_json::from_str` like every other JSON input of the
//! client: serde_json compiles its deserialisers once per reader, so bytes are checked as UTF-8
//! first instead of read by its byte-slice reader (a second copy of every deserialiser).

use serde::de::DeserializeOwned;

/// `bytes` (UTF-8 JSON) as `T`; the error as text.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
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
}
