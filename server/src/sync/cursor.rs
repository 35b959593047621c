//! The pull cursor: where a client stands in the server's history, opaque to the client.
//!
//! On the wire it is base64url (no padding) of a small JSON object, version 1:
//!
//! ```json
//! {"v":1,"epoch":"<32 hex>","scope":"region:620502","phase":{"snapshot":{"after_unit":"620502-0012","high_water":40}}}
//! {"v":1,"epoch":"<32 hex>","scope":"region:620502","phase":{"log":{"version":57}}}
//! ```
//!
//! - `epoch`: the database's sync epoch (`sync_epoch`): another database's cursor is unknown.
//! - `scope`: the holder's `domain::Scope` when the cursor was made: a cursor carried over to a
//!   holder of another scope starts again.
//! - `snapshot`: a first sync in progress — units of the scope are sent in id order, the last
//!   one sent was `after_unit` (none yet: `null`), and the change log will be followed from
//!   `high_water`, its last version when the snapshot began.
//! - `log`: caught up to change-log `version`.
//!
//! Nothing in it is a client clock, and nothing in it is secret: a client that forges one can
//! only ask for its own scope again. [`Cursor::decode`] is strict (length, alphabet, canonical
//! base64url, JSON with no unknown or missing fields, version, non-negative numbers, a valid
//! unit id) and [`Cursor::resume`] checks it against the database; anything off means a reset.

use domain::UnitId;
use domain::canonical::{base64url, base64url_decode};
use serde::{Deserialize, Serialize};

/// The cursor format's version.
pub const VERSION: u32 = 1;

/// Longer cursors are not ours (ours are about 200 characters).
const MAX_LEN: usize = 1024;

/// Where in the history a cursor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// Sending a snapshot: units after `after_unit` come next; then the log from `high_water`.
    Snapshot {
        after_unit: Option<UnitId>,
        high_water: i64,
    },
    /// Following the change log after `version`.
    Log { version: i64 },
}

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub epoch: String,
    pub scope: String,
    pub position: Position,
}

/// What the database says now, to judge a cursor by.
#[derive(Debug, Clone, Copy)]
pub struct Now<'a> {
    pub epoch: &'a str,
    pub scope: &'a str,
    /// The change log's last version.
    pub high_water: i64,
    /// Versions up to this one may have been compacted away.
    pub compacted_through: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    v: u32,
    epoch: String,
    scope: String,
    phase: WirePhase,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum WirePhase {
    Snapshot {
        after_unit: Option<String>,
        high_water: i64,
    },
    Log {
        version: i64,
    },
}

impl Cursor {
    /// The opaque text sent to the client.
    pub fn encode(&self) -> anyhow::Result<String> {
        let phase = match &self.position {
            Position::Snapshot {
                after_unit,
                high_water,
            } => WirePhase::Snapshot {
                after_unit: after_unit.as_ref().map(|u| u.as_str().to_owned()),
                high_water: *high_water,
            },
            Position::Log { version } => WirePhase::Log { version: *version },
        };
        let wire = Wire {
            v: VERSION,
            epoch: self.epoch.clone(),
            scope: self.scope.clone(),
            phase,
        };
        let json =
            serde_json::to_vec(&wire).map_err(|e| anyhow::anyhow!("serialising a cursor: {e}"))?;
        Ok(base64url(&json))
    }

    /// The cursor in `text`, or `None` if it is not one of ours in form.
    pub fn decode(text: &str) -> Option<Cursor> {
        if text.is_empty() || text.len() > MAX_LEN {
            return None;
        }
        let bytes = canonical_base64url(text)?;
        let wire: Wire = serde_json::from_slice(&bytes).ok()?;
        if wire.v != VERSION {
            return None;
        }
        let position = match wire.phase {
            WirePhase::Snapshot {
                after_unit,
                high_water,
            } if high_water >= 0 => Position::Snapshot {
                after_unit: match after_unit {
                    None => None,
                    Some(id) => Some(UnitId::parse(&id).ok()?),
                },
                high_water,
            },
            WirePhase::Log { version } if version >= 0 => Position::Log { version },
            _ => return None,
        };
        Some(Cursor {
            epoch: wire.epoch,
            scope: wire.scope,
            position,
        })
    }

    /// Where to go on from, if this cursor still makes sense against the database `now`:
    /// same epoch and scope, no version after the log's end, none inside a compacted stretch.
    pub fn resume(self, now: Now<'_>) -> Option<Position> {
        if self.epoch != now.epoch || self.scope != now.scope {
            return None;
        }
        let from = match &self.position {
            Position::Snapshot { high_water, .. } => *high_water,
            Position::Log { version } => *version,
        };
        (from <= now.high_water && from >= now.compacted_through).then_some(self.position)
    }
}

/// The bytes of `text` if it is base64url in its one canonical spelling (no padding, no stray
/// bits in the last character).
fn canonical_base64url(text: &str) -> Option<Vec<u8>> {
    let bytes = base64url_decode(text)?;
    (base64url(&bytes) == text).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(position: Position) -> Cursor {
        Cursor {
            epoch: "0123456789abcdef0123456789abcdef".into(),
            scope: "region:620502".into(),
            position,
        }
    }

    fn now(high_water: i64) -> Now<'static> {
        Now {
            epoch: "0123456789abcdef0123456789abcdef",
            scope: "region:620502",
            high_water,
            compacted_through: 0,
        }
    }

    fn b64(json: &str) -> String {
        base64url(json.as_bytes())
    }

    #[test]
    fn cursors_round_trip_in_every_phase() {
        for position in [
            Position::Snapshot {
                after_unit: None,
                high_water: 0,
            },
            Position::Snapshot {
                after_unit: Some(UnitId::parse("620502-0012").unwrap()),
                high_water: 40,
            },
            Position::Log { version: 57 },
        ] {
            let original = cursor(position);
            let text = original.encode().unwrap();
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{text}"
            );
            assert_eq!(Cursor::decode(&text), Some(original));
        }
    }

    #[test]
    fn the_wire_form_is_the_documented_json() {
        let text = cursor(Position::Log { version: 57 }).encode().unwrap();
        let json = String::from_utf8(base64url_decode(&text).unwrap()).unwrap();
        assert_eq!(
            json,
            r#"{"v":1,"epoch":"0123456789abcdef0123456789abcdef","scope":"region:620502","phase":{"log":{"version":57}}}"#
        );
    }

    #[test]
    fn anything_that_is_not_exactly_a_cursor_is_refused() {
        let good = r#"{"v":1,"epoch":"e","scope":"region:620502","phase":{"log":{"version":3}}}"#;
        assert!(Cursor::decode(&b64(good)).is_some());
        let too_long = "A".repeat(MAX_LEN + 4);
        for bad in [
            String::new(),
            "not base64!".into(),
            "a".into(),
            too_long,
            b64("not json"),
            b64("{}"),
            b64(&good.replace(r#""v":1"#, r#""v":2"#)),
            b64(&good.replace(r#""version":3"#, r#""version":-1"#)),
            b64(&good.replace(r#""version":3"#, r#""version":"3""#)),
            b64(&good.replace(r#""version":3"#, r#""version":3,"extra":0"#)),
            b64(&good.replace(r#","scope":"region:620502""#, "")),
            b64(&good.replace(r#""log""#, r#""rewind""#)),
            b64(&good.replace(r#"{"v":1,"#, r#"{"v":1,"x":true,"#)),
            b64(
                r#"{"v":1,"epoch":"e","scope":"s","phase":{"snapshot":{"after_unit":"bad id with spaces","high_water":1}}}"#,
            ),
            b64(
                r#"{"v":1,"epoch":"e","scope":"s","phase":{"snapshot":{"after_unit":null,"high_water":-5}}}"#,
            ),
        ] {
            assert_eq!(Cursor::decode(&bad), None, "{bad:?}");
        }
        // The same bytes spelt with padding, or with stray low bits, are not ours either.
        assert_eq!(Cursor::decode(&format!("{}=", b64(good))), None);
        assert_eq!(base64url_decode("QR"), Some(b"A".to_vec()));
        assert_eq!(canonical_base64url("QR"), None);
        assert_eq!(canonical_base64url("QQ"), Some(b"A".to_vec()));
    }

    #[test]
    fn a_cursor_resumes_only_against_its_own_database_and_scope() {
        let log = cursor(Position::Log { version: 57 });
        assert_eq!(
            log.clone().resume(now(57)),
            Some(Position::Log { version: 57 })
        );
        assert_eq!(
            log.clone().resume(now(90)),
            Some(Position::Log { version: 57 })
        );
        // A version the log has not reached: another database, or one restored from a backup.
        assert_eq!(log.clone().resume(now(56)), None);
        let other_epoch = Now {
            epoch: "ffffffffffffffffffffffffffffffff",
            ..now(90)
        };
        assert_eq!(log.clone().resume(other_epoch), None);
        let other_scope = Now {
            scope: "region:620500",
            ..now(90)
        };
        assert_eq!(log.clone().resume(other_scope), None);
        let compacted = Now {
            compacted_through: 60,
            ..now(90)
        };
        assert_eq!(log.resume(compacted), None);

        let snapshot = cursor(Position::Snapshot {
            after_unit: None,
            high_water: 40,
        });
        assert!(snapshot.clone().resume(now(40)).is_some());
        assert_eq!(snapshot.resume(now(39)), None);
    }
}
