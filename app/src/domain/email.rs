//! Email addresses: parsed once, compared by an identity key (trimmed,
//! Unicode NFKC, lower case), refused when they hold invisible characters.

use crate::text::{has_double_dot, longer_than, trim};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A well-formed email address.
///
/// `as_str` is the address as the admin typed it, trimmed; `normalized` is
/// the key that identifies a person (`Ann@Example.com`, ` ann@example.com`
/// and `\u{212A}ate@x.org`, with a Kelvin sign, against `kate@x.org` are one
/// person each).
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
    #[error(
        "Email contains an invisible character (a zero-width space or a text-direction mark, \
         often pasted along with it): type the address again."
    )]
    Invisible,
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
        // Before anything else: an invisible character would otherwise make
        // a second person out of one address, or hide which one it is.
        if !s.is_ascii() && s.chars().any(is_invisible) {
            return Err(EmailError::Invisible);
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
        // A domain is looked up in its normal form (IDNA maps it so): a
        // letter typed as a base and a combining accent is that letter.
        if domain.is_ascii() {
            check_domain(domain)?;
        } else {
            check_domain(&nfkc(domain))?;
        }
        Ok(Email(s.to_owned()))
    }

    /// The address as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identity key: trimmed, NFKC, lower-cased.
    pub fn normalized(&self) -> String {
        normalize(&self.0)
    }
}

/// The identity key of an address-like string, whether or not it is valid:
/// used to spot duplicates before (or without) full parsing. NFKC first, so
/// that look-alike compatibility characters (the Kelvin sign, full-width
/// letters, ligatures) become the letters they stand for; then lower case.
pub fn normalize(input: &str) -> String {
    let trimmed = trim(input);
    // The same result, several times faster, for the usual ASCII address:
    // NFKC leaves ASCII as it is.
    if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        // Trimmed again: NFKC can turn a character at either end into a
        // space and another character (the macron "¯" is " \u{304}").
        let folded = nfkc(trimmed).to_lowercase();
        trim(&folded).to_owned()
    }
}

/// Unicode NFKC: the same normal form in the browser (the browser's own)
/// and on the server (see Cargo.toml for why two).
#[cfg(not(target_arch = "wasm32"))]
fn nfkc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

#[cfg(target_arch = "wasm32")]
fn nfkc(s: &str) -> String {
    js_sys::JsString::from(s).normalize("NFKC").into()
}

/// Unicode's default-ignorable code points: rendered as nothing, so two
/// addresses that differ only by them look the same. Zero-width spaces and
/// joiners, the text-direction marks and overrides, the soft hyphen,
/// variation selectors, the byte-order mark, Hangul fillers and tags.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
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
    use unicode_normalization::UnicodeNormalization;

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
    fn look_alike_compatibility_characters_are_one_person() {
        let kelvin = Email::parse("\u{212A}ate@x.org").unwrap();
        assert_eq!(kelvin.normalized(), "kate@x.org");
        let full_width = Email::parse("\u{FF41}nn@example.com").unwrap();
        assert_eq!(full_width.normalized(), "ann@example.com");
        // A decomposed "ü" (u + combining diaeresis) is the precomposed one.
        assert_eq!(
            Email::parse("user@bu\u{0308}cher.de").unwrap().normalized(),
            Email::parse("user@bücher.de").unwrap().normalized()
        );
        assert_eq!(
            kelvin.as_str(),
            "\u{212A}ate@x.org",
            "the address as given stays"
        );
    }

    #[test]
    fn invisible_and_direction_characters_are_refused() {
        for input in [
            "ka\u{200B}te@x.org",
            "kate\u{200D}@x.org",
            "\u{FEFF}kate@x.org",
            "kate@x\u{00AD}.org",
            "\u{202E}gro.x@etak",
            "kate@x.org\u{2066}",
            "kat\u{E0061}e@x.org",
        ] {
            assert_eq!(Email::parse(input), Err(EmailError::Invisible), "{input:?}");
        }
    }

    #[test]
    fn every_error_message_says_what_to_do() {
        for e in [
            EmailError::Empty,
            EmailError::At,
            EmailError::NoLocalPart,
            EmailError::NoDomain,
            EmailError::BadCharacter,
            EmailError::Invisible,
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
        fn normalize_is_trimmed_nfkc_lower_case(s in "\\PC{0,30}|[ A-Za-z@.]{0,30}") {
            let folded = s.trim().nfkc().collect::<String>().to_lowercase();
            prop_assert_eq!(normalize(&s), folded.trim());
        }

        /// A key is its own key: normalising twice changes nothing, so a
        /// stored key always finds its person again.
        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,30}") {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
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
