//! A fixed-window limit per client address, for the unauthenticated enrolment and sign-in
//! endpoints.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The address a request is counted against: the peer, unless the peer is a trusted proxy, in
/// which case the rightmost `X-Forwarded-For` address that is not a trusted proxy.
pub fn client_address(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|address| address.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|address| !trusted.contains(address))
        .unwrap_or(peer)
}

/// At most `max` requests per address per `window`.
pub struct RateLimiter {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `address`; `false` when it is over the limit.
    pub fn allow(&self, address: IpAddr) -> bool {
        self.allow_at(address, Instant::now())
    }

    fn allow_at(&self, address: IpAddr, now: Instant) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            // A poisoned lock only means another request panicked mid-update; refuse safely.
            return false;
        };
        if seen.len() > 100_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = seen.entry(address).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_a_trusted_proxy_the_forwarded_client_counts() {
        let proxy = IpAddr::from([10, 0, 0, 1]);
        let client = IpAddr::from([192, 0, 2, 7]);
        let spoofed = IpAddr::from([198, 51, 100, 9]);
        let mut headers = axum::http::HeaderMap::new();
        // The client may send its own header; the proxy appends the address it saw.
        headers.insert(
            "x-forwarded-for",
            format!("{spoofed}, {client}").parse().unwrap(),
        );
        assert_eq!(client_address(proxy, &headers, &[proxy]), client);
        // Not from a trusted proxy: the header is ignored.
        assert_eq!(client_address(client, &headers, &[proxy]), client);
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        // A proxy with nothing forwarded counts as itself.
        assert_eq!(
            client_address(proxy, &axum::http::HeaderMap::new(), &[proxy]),
            proxy
        );
    }

    #[test]
    fn the_limit_applies_per_address_and_resets_with_the_window() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let a = IpAddr::from([127, 0, 0, 1]);
        let b = IpAddr::from([127, 0, 0, 2]);
        let t0 = Instant::now();
        assert!(limiter.allow_at(a, t0));
        assert!(limiter.allow_at(a, t0));
        assert!(!limiter.allow_at(a, t0));
        assert!(limiter.allow_at(b, t0));
        assert!(limiter.allow_at(a, t0 + Duration::from_secs(61)));
    }
}
