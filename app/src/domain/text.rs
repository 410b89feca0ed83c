//! Small text helpers the row checks run on every cell, and the way
//! counts are written for people to read.

use std::fmt;

/// `s.trim()`, without decoding characters in the usual case: cells
/// rarely start or end with anything but ASCII, and only a non-ASCII
/// character at either end can be Unicode whitespace.
pub fn trim(s: &str) -> &str {
    // Exactly the ASCII characters `char::is_whitespace` accepts.
    let space = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    // Both ends sit next to ASCII bytes, so on character boundaries.
    let t = &s[start..end];
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(first), Some(last)) if !first.is_ascii() || !last.is_ascii() => t.trim(),
        _ => t,
    }
}

/// Whether `value` holds more than `max` characters; counts them only when
/// its bytes could (a character is at least one byte).
pub fn longer_than(value: &str, max: usize) -> bool {
    value.len() > max && value.chars().count() > max
}

/// Whether `s` holds two dots in a row (`str::contains("..")` sets up a
/// substring search, which costs more than this for an email's length).
pub fn has_double_dot(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"..")
}

/// A count as people read it, a comma every three digits ("1,001 rows"):
/// written here rather than taken from a crate, which would add to the wasm
/// bundle. Only for text people read — machine-read values stay plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thousands(i128);

/// `n` written with thousands separators, as in `format!("{} rows", thousands(n))`.
pub fn thousands(n: impl Into<Thousands>) -> Thousands {
    n.into()
}

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() * 4 / 3 + 1);
        if self.0 < 0 {
            out.push('-');
        }
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(digit);
        }
        // `pad`, so that widths and alignment work as for plain numbers.
        f.pad(&out)
    }
}

macro_rules! thousands_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Thousands {
            fn from(n: $t) -> Self {
                // Lossless: every one of these types fits in an i128.
                Thousands(n as i128)
            }
        }
    )*};
}
thousands_from!(usize, u64, u32, i64, i32);

/// Percent-encodes a value (a path, a search) for use in a query string.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a user is found by: names and email lower-cased in Rust, so that
/// SQLite (whose `lower()` folds ASCII only) and PostgreSQL find "Émile" by
/// "émile" alike. Searches lower-case each word the same way.
pub fn search_key(first_name: &str, last_name: &str, email: &str) -> String {
    format!("{first_name} {last_name} {email}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_are_percent_encoded_for_a_query_string() {
        assert_eq!(
            encode_query_value("/tracks/engineering/members"),
            "/tracks/engineering/members"
        );
        assert_eq!(encode_query_value("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
        assert_eq!(encode_query_value("/ü"), "/%C3%BC");
    }

    #[test]
    fn search_keys_fold_every_letter() {
        assert_eq!(
            search_key("Émile", "ÇELİK", "emile@example.org"),
            "émile çeli̇k emile@example.org"
        );
        assert!(search_key("ÅSA", "Öberg", "a@x.org").contains(&"åsa".to_lowercase()));
    }

    #[test]
    fn trims_ascii_and_unicode_whitespace() {
        assert_eq!(trim("  Ann \t"), "Ann");
        assert_eq!(trim("\u{a0}Ann\u{2003}"), "Ann");
        assert_eq!(trim("\u{b}Ann"), "Ann");
        assert_eq!(trim(" é "), "é");
        assert_eq!(trim(" \u{a0} "), "");
        assert_eq!(trim(""), "");
    }

    #[test]
    fn finds_double_dots() {
        assert!(has_double_dot("a..b"));
        assert!(!has_double_dot("a.b.c"));
        assert!(!has_double_dot("."));
    }

    #[test]
    fn counts_get_a_comma_every_three_digits() {
        assert_eq!(thousands(0u32).to_string(), "0");
        assert_eq!(thousands(999u32).to_string(), "999");
        assert_eq!(thousands(1_000usize).to_string(), "1,000");
        assert_eq!(thousands(1_001usize).to_string(), "1,001");
        assert_eq!(thousands(100_000u64).to_string(), "100,000");
        assert_eq!(thousands(1_234_567i64).to_string(), "1,234,567");
        assert_eq!(thousands(-1_234i32).to_string(), "-1,234");
        assert_eq!(thousands(-999i32).to_string(), "-999");
        assert_eq!(
            thousands(u64::MAX).to_string(),
            "18,446,744,073,709,551,615"
        );
        assert_eq!(
            thousands(i64::MIN).to_string(),
            "-9,223,372,036,854,775,808"
        );
        assert_eq!(format!("[{:>7}]", thousands(1_200u32)), "[  1,200]");
    }

    proptest! {
        #[test]
        fn trim_is_str_trim(s in "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}a-zé.]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn has_double_dot_is_contains(s in "[a.é]{0,8}") {
            prop_assert_eq!(has_double_dot(&s), s.contains(".."));
        }

        #[test]
        fn thousands_only_adds_commas_between_groups_of_three(n in any::<i64>()) {
            let written = thousands(n).to_string();
            prop_assert_eq!(written.replace(',', ""), n.to_string());
            let mut groups = written.trim_start_matches('-').split(',');
            let first = groups.next().unwrap_or_default();
            prop_assert!((1..=3).contains(&first.len()), "{}", written);
            for group in groups {
                prop_assert_eq!(group.len(), 3, "{}", written);
            }
        }
    }
}
