//! The text of a system email (docs/system-emails.md): placeholders such as
//! `{first_name}`, checked when a template is saved so that a typo is an
//! error on the page and never a broken email later; filled per person; and
//! the HTML part, where everything (above all what people typed) is escaped.

use super::Roles;
use serde::{Deserialize, Serialize};

/// Every placeholder a template may use, with what it becomes.
pub const PLACEHOLDERS: [(&str, &str); 5] = [
    ("first_name", "the person's first name"),
    ("last_name", "the person's last name"),
    ("track_name", "the track's name"),
    ("roles", "the roles given, such as \"mentor, mentee\""),
    ("sign_in_link", "the link to sign in to the platform"),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TextError {
    #[error("“{{{0}}}” is not a placeholder: use {1}.")]
    Unknown(String, String),
    #[error("A “{{” is never closed: write placeholders as {{first_name}}.")]
    Unclosed,
}

/// What fills the placeholders for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub track_name: &'a str,
    pub roles: Roles,
    pub sign_in_link: &'a str,
}

impl Recipient<'_> {
    fn value(&self, name: &str) -> Option<String> {
        Some(match name {
            "first_name" => self.first_name.to_owned(),
            "last_name" => self.last_name.to_owned(),
            "track_name" => self.track_name.to_owned(),
            "roles" => self.roles.to_string().to_lowercase(),
            "sign_in_link" => self.sign_in_link.to_owned(),
            _ => return None,
        })
    }
}

/// The placeholders of a text, in order, or the first mistake.
fn placeholders(text: &str) -> Result<Vec<(usize, usize, &str)>, TextError> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{').map(|i| rest + i) {
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            return Err(TextError::Unclosed);
        };
        let name = &text[open + 1..close];
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            let list: Vec<String> = PLACEHOLDERS
                .iter()
                .map(|(p, _)| format!("{{{p}}}"))
                .collect();
            return Err(TextError::Unknown(name.to_owned(), list.join(", ")));
        }
        found.push((open, close + 1, name));
        rest = close + 1;
    }
    Ok(found)
}

/// Checks a subject or body before it is saved.
pub fn check(text: &str) -> Result<(), TextError> {
    placeholders(text).map(|_| ())
}

/// The text with its placeholders filled. A text that does not check is
/// returned as it is (templates are checked when saved).
pub fn fill(text: &str, to: &Recipient<'_>) -> String {
    let Ok(found) = placeholders(text) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut at = 0;
    for (start, end, name) in found {
        out.push_str(&text[at..start]);
        out.push_str(&to.value(name).unwrap_or_default());
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The HTML part of a filled plain-text body: every character escaped,
/// blank lines as paragraphs, single line breaks kept.
pub fn html_body(plain: &str) -> String {
    let paragraphs: Vec<String> = plain
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>\n")))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><body>\n{}\n</body></html>\n",
        paragraphs.join("\n")
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn ada() -> Recipient<'static> {
        Recipient {
            first_name: "Ada",
            last_name: "Lovelace",
            track_name: "Engineering",
            roles: Roles::empty().with(Role::Mentor).with(Role::Mentee),
            sign_in_link: "https://mentoring.example.com/sign-in",
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        let text = "{first_name} {last_name}, {track_name} ({roles}): {sign_in_link}";
        assert_eq!(
            fill(text, &ada()),
            "Ada Lovelace, Engineering (mentor, mentee): https://mentoring.example.com/sign-in"
        );
        assert_eq!(fill("No placeholders.", &ada()), "No placeholders.");
    }

    #[test]
    fn a_misspelt_or_unclosed_placeholder_is_refused_before_saving() {
        assert_eq!(check("Hello {first_name}"), Ok(()));
        let Err(TextError::Unknown(name, list)) = check("Hello {firstname}") else {
            panic!("accepted a misspelt placeholder");
        };
        assert_eq!(name, "firstname");
        assert!(list.contains("{first_name}") && list.contains("{sign_in_link}"));
        assert_eq!(check("Hello {first_name"), Err(TextError::Unclosed));
        assert!(check("Hello {first_name} and {}").is_err());
    }

    #[test]
    fn a_value_that_looks_like_a_placeholder_is_not_filled_again() {
        let sly = Recipient {
            first_name: "{last_name}",
            ..ada()
        };
        assert_eq!(fill("Hi {first_name}", &sly), "Hi {last_name}");
    }

    #[test]
    fn the_html_part_escapes_what_people_typed() {
        let mallory = Recipient {
            first_name: "<script>alert('x')</script>",
            last_name: "O'Brien & Co",
            ..ada()
        };
        let plain = fill(
            "Hello {first_name} {last_name},\n\nWelcome\nto {track_name}.",
            &mallory,
        );
        let html = html_body(&plain);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("O&#39;Brien &amp; Co"));
        assert!(html.contains("<p>Welcome<br>\nto Engineering.</p>"));
    }
}
