//! Random tokens, their stored hashes, and password hashing (argon2id).

use crate::backend::error::ServiceError;
use crate::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// A fresh unguessable token (256 bits) for a cookie or a link.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: a stolen database copy holds no
/// usable session or setup link.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(digest)
}

/// Password hashing runs at most one per core at a time: each takes a core
/// and 19 MiB, and a flood of sign-ins would otherwise fill tokio's blocking
/// pool (512 threads, ~10 GB). Callers beyond it wait up to [`HASHING_WAIT`].
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));
const HASHING_WAIT: Duration = Duration::from_secs(3);

/// Runs `hashing` (a password hash or check) off the async runtime once a
/// hashing slot is free; `Busy` when none frees up in time.
pub async fn hash_in_turn<T: Send + 'static>(
    hashing: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServiceError> {
    let slot = tokio::time::timeout(HASHING_WAIT, HASHING.acquire())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|_| AppError::Busy)?;
    let result = tokio::task::spawn_blocking(hashing).await?;
    drop(slot);
    Ok(result)
}

/// An argon2id hash in PHC format. Deliberately slow: call through [`hash_in_turn`].
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash. With no stored hash (unknown
/// email, or a password never set) it checks against a dummy, so that the
/// answer takes as long and says as little as for a wrong password.
pub fn verify_password(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY
        .get_or_init(|| hash_password("dummy password that matches nothing").unwrap_or_default());
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_url_safe() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn passwords_verify_only_against_their_own_argon2id_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(&hash), "correct horse battery"));
        assert!(!verify_password(Some(&hash), "wrong horse battery"));
        assert!(!verify_password(
            None,
            "dummy password that matches nothing"
        ));
        assert!(!verify_password(Some("not a hash"), "anything"));
    }
}
