//! Failed sign-ins, counted per email address: after a few in a row, that
//! address is refused for a while, whether or not an admin has it (so the
//! refusal says nothing about which emails exist). Kept in memory: a
//! restart forgets the count, and each server of a shared PostgreSQL
//! counts its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed within [`WINDOW`] before the address is refused.
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Beyond this many addresses, forgotten failures are swept out first.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl SignInThrottle {
    /// `Err(wait)` while `email` (normalised) is refused.
    pub fn check(&self, email: &str, now: Instant) -> Result<(), Duration> {
        let mut failures = self.lock();
        let Some(times) = failures.get_mut(email) else {
            return Ok(());
        };
        times.retain(|t| now.duration_since(*t) < WINDOW);
        match times.first() {
            Some(first) if times.len() >= MAX_FAILURES => {
                Err(WINDOW.saturating_sub(now.duration_since(*first)))
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, email: &str, now: Instant) {
        let mut failures = self.lock();
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < WINDOW));
        }
        failures.entry(email.to_owned()).or_default().push(now);
    }

    pub fn succeeded(&self, email: &str) {
        self.lock().remove(email);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        // A panic elsewhere while holding the lock leaves counts, not harm.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_repeated_failures_until_the_window_passes() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(throttle.check("ann@example.com", start), Ok(()), "try {i}");
            throttle.failed("ann@example.com", start);
        }
        let wait = throttle.check("ann@example.com", start).unwrap_err();
        assert_eq!(wait, WINDOW);
        // Other addresses are not affected.
        assert_eq!(throttle.check("bo@example.com", start), Ok(()));
        // Once the first failure is older than the window, one more try.
        assert_eq!(throttle.check("ann@example.com", start + WINDOW), Ok(()));
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            throttle.failed("ann@example.com", now);
        }
        throttle.succeeded("ann@example.com");
        throttle.failed("ann@example.com", now);
        assert_eq!(throttle.check("ann@example.com", now), Ok(()));
    }
}
