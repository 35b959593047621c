//! Random tokens (sessions, CSRF, ceremonies) and the hashes that secrets are stored by.

/// 32 random bytes, base64url: session tokens, CSRF tokens, ceremony ids.
pub fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    Ok(domain::canonical::base64url(&bytes))
}

/// Hex SHA-256, for storing secrets (codes, tokens) by their hash only.
pub fn hash_secret(secret: &str) -> String {
    domain::canonical::hex(&domain::canonical::sha256(secret.as_bytes()))
}
