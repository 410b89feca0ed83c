//! The filters identity providers send to find one resource before they
//! create it: `userName eq "ann@example.com"`, `externalId eq "…"`,
//! `displayName eq "…"`. Only `eq` on one attribute; anything else is
//! answered with `invalidFilter`, as RFC 7644 §3.4.2.2 allows.

use super::ScimError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The attribute, lower-cased, its schema's URN left out
    /// (`username`, `emails.value`).
    pub attribute: String,
    pub value: String,
}

const MAX_FILTER_CHARS: usize = 1_000;

impl Filter {
    pub fn parse(text: &str) -> Result<Filter, ScimError> {
        let refuse = || {
            ScimError::new(
                400,
                Some("invalidFilter"),
                format!(
                    "This service answers filters of the form `attribute eq \"value\"` only \
                     (userName, externalId, emails.value, displayName); `{}` is not one.",
                    text.chars().take(100).collect::<String>()
                ),
            )
        };
        if text.len() > MAX_FILTER_CHARS {
            return Err(refuse());
        }
        let text = text.trim();
        let (attribute, rest) = text.split_once(char::is_whitespace).ok_or_else(refuse)?;
        let rest = rest.trim_start();
        let (op, value) = rest.split_once(char::is_whitespace).ok_or_else(refuse)?;
        if !op.eq_ignore_ascii_case("eq") {
            return Err(refuse());
        }
        let value = unquote(value.trim()).ok_or_else(refuse)?;
        let attribute = attribute.to_ascii_lowercase();
        let attribute = match attribute.rsplit_once(':') {
            Some((urn, name)) if urn.starts_with("urn:") => name.to_owned(),
            _ => attribute,
        };
        Ok(Filter { attribute, value })
    }
}

/// A JSON string literal's value (`"a\"b"` → `a"b`), or a bare
/// `true`/`false`/number as written.
fn unquote(text: &str) -> Option<String> {
    if text.starts_with('"') {
        let value: String = serde_json::from_str(text).ok()?;
        return Some(value);
    }
    (!text.is_empty() && !text.contains(char::is_whitespace)).then(|| text.to_owned())
}
