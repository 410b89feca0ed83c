//! Profile field definitions.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of profile field an instance can define (docs/configuration.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Paragraph,
    PickOne,
    PickMultiple,
    OrderedOptions,
    Date,
    Number,
}

impl FieldKind {
    pub const ALL: [FieldKind; 7] = [
        FieldKind::Text,
        FieldKind::Paragraph,
        FieldKind::PickOne,
        FieldKind::PickMultiple,
        FieldKind::OrderedOptions,
        FieldKind::Date,
        FieldKind::Number,
    ];

    /// The name used in instance files and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Paragraph => "paragraph",
            FieldKind::PickOne => "pick_one",
            FieldKind::PickMultiple => "pick_multiple",
            FieldKind::OrderedOptions => "ordered_options",
            FieldKind::Date => "date",
            FieldKind::Number => "number",
        }
    }

    pub fn parse(s: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether values must be taken from a list of options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            FieldKind::PickOne | FieldKind::PickMultiple | FieldKind::OrderedOptions
        )
    }

    /// Whether the kind can hold an ID: one short value, compared exactly.
    pub fn can_be_an_id(self) -> bool {
        matches!(self, FieldKind::Text | FieldKind::Number)
    }

    /// Whether a cell may hold several options separated by commas.
    pub fn is_multi(self) -> bool {
        matches!(self, FieldKind::PickMultiple | FieldKind::OrderedOptions)
    }

    /// How the kind is described to admins.
    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Text => "Text",
            FieldKind::Paragraph => "Paragraph",
            FieldKind::PickOne => "Pick one answer",
            FieldKind::PickMultiple => "Pick multiple answers",
            FieldKind::OrderedOptions => "Ordered options",
            FieldKind::Date => "Date",
            FieldKind::Number => "Number",
        }
    }
}

/// A profile field of the instance (docs/configuration.md): First Name, Last Name and
/// Email are built in and not listed here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileField {
    pub key: String,
    pub title: String,
    pub kind: FieldKind,
    pub required: bool,
    /// The exact answers a choice field allows; empty for other kinds.
    pub options: Vec<String>,
    /// The people's ID in other systems (an HR number): at most one field,
    /// text or number, unique per person; imports find people by it before
    /// their email (docs/importing.md, "Matching people by an ID").
    #[serde(default)]
    pub external_id: bool,
}

impl ProfileField {
    pub fn new(key: &str, title: &str, kind: FieldKind, options: &[&str]) -> Self {
        ProfileField {
            key: key.to_owned(),
            title: title.to_owned(),
            kind,
            required: false,
            options: options.iter().map(|o| o.to_string()).collect(),
            external_id: false,
        }
    }

    /// The field that holds the people's external ID, if the instance names one.
    pub fn external_id_of(fields: &[ProfileField]) -> Option<&ProfileField> {
        fields.iter().find(|f| f.external_id)
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for kind in FieldKind::ALL {
            assert_eq!(FieldKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(FieldKind::parse("dropdown"), None);
    }

    #[test]
    fn only_choice_kinds_have_options_and_only_two_hold_several() {
        let with_options: Vec<_> = FieldKind::ALL
            .into_iter()
            .filter(|k| k.has_options())
            .collect();
        assert_eq!(
            with_options,
            [
                FieldKind::PickOne,
                FieldKind::PickMultiple,
                FieldKind::OrderedOptions
            ]
        );
        let multi: Vec<_> = FieldKind::ALL
            .into_iter()
            .filter(|k| k.is_multi())
            .collect();
        assert_eq!(multi, [FieldKind::PickMultiple, FieldKind::OrderedOptions]);
    }
}
