//! Small text helpers the row checks run on every cell.

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

/// Whether `s` holds two dots in a row (`str::contains("..")` sets up a
/// substring search, which costs more than this for an email's length).
pub fn has_double_dot(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    proptest! {
        #[test]
        fn trim_is_str_trim(s in "[ \t\r\n\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}a-zé.]{0,12}") {
            prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn has_double_dot_is_contains(s in "[a.é]{0,8}") {
            prop_assert_eq!(has_double_dot(&s), s.contains(".."));
        }
    }
}
