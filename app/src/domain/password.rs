//! The rule for admin passwords, shared by the setup form and the server.

use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD_CHARS: usize = 10;

/// A password that satisfies the rule. Hashing happens on the server only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Password is too short: use at least {MIN_PASSWORD_CHARS} characters.")]
    TooShort,
    #[error("Password is too long: use at most 256 characters.")]
    TooLong,
    #[error("The two passwords differ: type the same password in both boxes.")]
    Mismatch,
}

impl NewPassword {
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, PasswordError> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > 256 {
            return Err(PasswordError::TooLong);
        }
        if password != confirmation {
            return Err(PasswordError::Mismatch);
        }
        Ok(NewPassword(password.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

// Never print a password, even by accident in a log line.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_and_confirmation() {
        assert_eq!(
            NewPassword::parse("short", "short"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            NewPassword::parse("long enough pw", "long enough pX"),
            Err(PasswordError::Mismatch)
        );
        let long = "x".repeat(257);
        assert_eq!(
            NewPassword::parse(&long, &long),
            Err(PasswordError::TooLong)
        );
        assert!(NewPassword::parse("long enough pw", "long enough pw").is_ok());
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = NewPassword::parse("correct horse battery", "correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
