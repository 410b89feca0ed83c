//! Email addresses: parsed once, compared trimmed and case-insensitively.

use crate::text::{has_double_dot, longer_than, trim};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A well-formed email address.
///
/// `as_str` is the address as the admin typed it, trimmed; `normalized` is
/// the key that identifies a person (`Ann@Example.com` and ` ann@example.com`
/// are one person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Email is missing: enter an address such as name@example.com.")]
    Empty,
    #[error("Email needs exactly one @: write it as name@example.com.")]
    At,
    #[error("Email has nothing before the @: add the name part, as in name@example.com.")]
    NoLocalPart,
    #[error("Email has no domain after the @: complete it, as in name@example.com.")]
    NoDomain,
    #[error("Email contains a space or a character that addresses cannot hold: remove it.")]
    BadCharacter,
    #[error("Email has a dot in the wrong place (at the start, the end or twice in a row): fix the dots.")]
    Dots,
    #[error("Email domain is incomplete: it needs a name and an ending, as in example.com.")]
    Domain,
    #[error("Email is too long: addresses hold at most 254 characters.")]
    TooLong,
}

/// The longest address (RFC 5321's path limit, less its angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let s = trim(input);
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if longer_than(s, MAX_EMAIL_CHARS) {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = s.split_once('@').filter(|(_, d)| !d.contains('@')) else {
            return Err(EmailError::At);
        };
        if local.is_empty() {
            return Err(EmailError::NoLocalPart);
        }
        if domain.is_empty() {
            return Err(EmailError::NoDomain);
        }
        check_local(local)?;
        check_domain(domain)?;
        Ok(Email(s.to_owned()))
    }

    /// The address as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identity key: trimmed and lower-cased.
    pub fn normalized(&self) -> String {
        normalize(&self.0)
    }
}

/// The identity key of an address-like string, whether or not it is valid:
/// used to spot duplicates before (or without) full parsing.
pub fn normalize(input: &str) -> String {
    let trimmed = trim(input);
    // The same result; several times faster for the usual ASCII address.
    if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        trimmed.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn check_local(local: &str) -> Result<(), EmailError> {
    if local.len() > 64 {
        return Err(EmailError::TooLong);
    }
    if local.starts_with('.') || local.ends_with('.') || has_double_dot(local) {
        return Err(EmailError::Dots);
    }
    // RFC 5322 atext plus dots; non-ASCII letters are allowed (RFC 6531).
    let ok = local.chars().all(|c| {
        c.is_alphanumeric()
            || c == '.'
            || "!#$%&'*+/=?^_`{|}~-".contains(c)
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    });
    if ok {
        Ok(())
    } else {
        Err(EmailError::BadCharacter)
    }
}

fn check_domain(domain: &str) -> Result<(), EmailError> {
    if domain.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(EmailError::BadCharacter);
    }
    if domain.starts_with('.') || domain.ends_with('.') || has_double_dot(domain) {
        return Err(EmailError::Dots);
    }
    if !domain.contains('.') {
        return Err(EmailError::Domain);
    }
    for label in domain.split('.') {
        let chars = label.chars().count();
        if chars == 0 || chars > 63 {
            return Err(EmailError::Domain);
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(EmailError::Domain);
        }
        // Internationalised domains: any letter or digit, plus hyphens.
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(EmailError::BadCharacter);
        }
    }
    let tld = domain.rsplit('.').next().unwrap_or(domain);
    if tld.chars().all(|c| c.is_ascii_digit()) {
        return Err(EmailError::Domain);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_plus_tagged_and_international_addresses() {
        for ok in [
            "ann@example.com",
            "plus+tag@example.com",
            "first.last@sub.example.co.uk",
            "user@bücher.de",
            "josé@example.com",
            "o'brien@example.ie",
            "a-b_c@ex-ample.org",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok} should be valid");
        }
    }

    #[test]
    fn flags_incomplete_and_malformed_addresses_with_a_reason() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("john@", EmailError::NoDomain),
            ("@example.com", EmailError::NoLocalPart),
            ("john", EmailError::At),
            ("a@b@example.com", EmailError::At),
            ("john@example", EmailError::Domain),
            ("john@example.", EmailError::Dots),
            (".john@example.com", EmailError::Dots),
            ("jo..hn@example.com", EmailError::Dots),
            ("jo hn@example.com", EmailError::BadCharacter),
            ("john@exa mple.com", EmailError::BadCharacter),
            ("john@-example.com", EmailError::Domain),
            ("john@example.123", EmailError::Domain),
            ("john@exa_mple.com", EmailError::BadCharacter),
        ];
        for (input, expected) in cases {
            assert_eq!(Email::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn keeps_casing_but_compares_trimmed_and_case_insensitively() {
        let a = Email::parse(" Ann@Example.com ").unwrap();
        let b = Email::parse("ann@example.com").unwrap();
        assert_eq!(a.as_str(), "Ann@Example.com");
        assert_eq!(a.normalized(), b.normalized());
    }

    #[test]
    fn every_error_message_says_what_to_do() {
        for e in [
            EmailError::Empty,
            EmailError::At,
            EmailError::NoLocalPart,
            EmailError::NoDomain,
            EmailError::BadCharacter,
            EmailError::Dots,
            EmailError::Domain,
            EmailError::TooLong,
        ] {
            let msg = e.to_string();
            assert!(msg.ends_with('.') && msg.contains(':'), "{msg}");
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = Email::parse(&s);
        }

        /// The ASCII shortcut changes nothing.
        #[test]
        fn normalize_is_trimmed_unicode_lower_case(s in "\\PC{0,30}|[ A-Za-z@.]{0,30}") {
            prop_assert_eq!(normalize(&s), s.trim().to_lowercase());
        }

        #[test]
        fn simple_addresses_round_trip(local in "[a-z0-9]{1,20}", host in "[a-z]{1,20}", tld in "[a-z]{2,6}") {
            let raw = format!("{local}@{host}.{tld}");
            let email = Email::parse(&raw).unwrap();
            prop_assert_eq!(email.as_str(), raw.as_str());
            prop_assert_eq!(Email::parse(&email.normalized()).unwrap().normalized(), email.normalized());
        }
    }
}
