//! Credentials: `--auth USER:PASSWORD` or `--auth-file FILE`, checked in
//! constant time; repeated failures from one address are slowed down.
//! Passwords are never printed (not even by `Debug`).

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;

/// A user name and password the server accepts.
#[derive(Clone)]
pub struct Credentials {
    user: String,
    password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"***")
            .finish()
    }
}

impl Credentials {
    /// Reads `user:password` (the password may contain `:`).
    pub fn parse(text: &str) -> Result<Credentials, String> {
        match text.split_once(':') {
            Some((user, password)) if !user.is_empty() && !password.is_empty() => Ok(Credentials {
                user: user.to_string(),
                password: password.to_string(),
            }),
            _ => Err("credentials must look like USER:PASSWORD (both non-empty)".to_string()),
        }
    }

    /// Reads `user:password` from the first line of a file (so the
    /// password stays out of the process list).
    pub fn from_file(path: &Path) -> Result<Credentials, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
        Credentials::parse(line).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Whether `user` and `password` match, comparing both in full
    /// whatever the outcome (no early exit on the first difference).
    pub fn accepts(&self, user: &str, password: &str) -> bool {
        let u = self.user.as_bytes().ct_eq(user.as_bytes());
        let p = self.password.as_bytes().ct_eq(password.as_bytes());
        bool::from(u & p)
    }
}

/// Failures per client address, to slow down password guessing.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

/// How long failures are remembered.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// The longest delay before a failure is answered.
const MAX_DELAY: Duration = Duration::from_secs(5);
/// The most addresses remembered at once.
const MAX_TRACKED: usize = 10_000;

impl Throttle {
    /// Records a failure from `ip`; returns how long to wait before
    /// answering it (doubling from 100 ms, at most 5 s).
    pub fn failed(&self, ip: IpAddr) -> Duration {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if map.len() >= MAX_TRACKED {
            map.retain(|_, (_, at)| now.duration_since(*at) < FORGET_AFTER);
            if map.len() >= MAX_TRACKED {
                map.clear();
            }
        }
        let entry = map.entry(ip).or_insert((0, now));
        if now.duration_since(entry.1) >= FORGET_AFTER {
            entry.0 = 0;
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = now;
        let shift = entry.0.saturating_sub(1).min(16);
        (Duration::from_millis(100) * (1u32 << shift)).min(MAX_DELAY)
    }

    /// Forgets the failures of `ip` after a success.
    pub fn succeeded(&self, ip: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&ip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_parse_check_and_hide_the_password() {
        let c = Credentials::parse("neo4j:se:cret").unwrap();
        assert!(c.accepts("neo4j", "se:cret"));
        assert!(!c.accepts("neo4j", "se:cre"));
        assert!(!c.accepts("neo5j", "se:cret"));
        assert!(!format!("{c:?}").contains("se:cret"));
        assert!(Credentials::parse("nopassword").is_err());
        assert!(Credentials::parse(":x").is_err());
    }

    #[test]
    fn failures_slow_down_and_success_resets() {
        let t = Throttle::default();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let first = t.failed(ip);
        let second = t.failed(ip);
        assert!(second > first);
        for _ in 0..40 {
            t.failed(ip);
        }
        assert_eq!(t.failed(ip), MAX_DELAY);
        t.succeeded(ip);
        assert_eq!(t.failed(ip), first);
    }
}
