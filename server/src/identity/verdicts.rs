//! What signed applications (`envelopes.rs`) and signed decisions (`decisions.rs`) share once
//! the verifier has spoken: the verdict of a rejection, the stored status codes, whether the
//! signature verified (only those submissions answer a repeat), and the key's counter.

use anyhow::Context;
use protocol::identity::VerdictStatus;
use sqlx::SqliteConnection;

use crate::signing::Rejection;

/// A verdict before it is stored: status, code and Chinese message (none when accepted).
pub type Outcome = (VerdictStatus, Option<String>, Option<String>);

/// Accepted.
pub fn accepted() -> Outcome {
    (VerdictStatus::Accepted, None, None)
}

/// Refused by a rule after the signature verified.
pub fn refused(code: &str, message: String) -> Outcome {
    (
        VerdictStatus::Rejected,
        Some(code.to_owned()),
        Some(message),
    )
}

/// The verdict of a verifier rejection: held for review (a counter that went backwards) or
/// rejected.
pub fn of_rejection(rejection: &Rejection) -> Outcome {
    let status = if rejection.held_for_review() {
        VerdictStatus::Held
    } else {
        VerdictStatus::Rejected
    };
    (
        status,
        Some(rejection.code().to_owned()),
        Some(rejection.message_zh()),
    )
}

/// The status as stored.
pub fn status_code(status: VerdictStatus) -> &'static str {
    match status {
        VerdictStatus::Accepted => "accepted",
        VerdictStatus::Rejected => "rejected",
        VerdictStatus::Held => "held",
    }
}

/// A stored status read back.
pub fn status_of(code: &str) -> VerdictStatus {
    match code {
        "accepted" => VerdictStatus::Accepted,
        "held" => VerdictStatus::Held,
        _ => VerdictStatus::Rejected,
    }
}

/// Whether the verifier got as far as a valid signature (accepted, or held for review): only
/// such submissions may answer a later repeat of the same bytes.
pub fn signature_verified<T>(outcome: &Result<T, Rejection>) -> bool {
    match outcome {
        Ok(_) => true,
        Err(rejection) => rejection.held_for_review(),
    }
}

/// Raises the key's highest counter to this signature's, whatever the rules then decide: a
/// valid signature was made, so a later one with a lower counter is suspicious.
pub async fn raise_counter(
    conn: &mut SqliteConnection,
    credential_id: &[u8],
    counter: u32,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE credential SET highest_envelope_counter = max(highest_envelope_counter, ?) \
         WHERE id = ?",
    )
    .bind(i64::from(counter))
    .bind(credential_id)
    .execute(&mut *conn)
    .await
    .context("recording the counter")?;
    Ok(())
}
