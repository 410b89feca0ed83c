//! Values of a file mapped to a choice field's options (docs/importing.md,
//! "Values that are not options"): "Eng" → "Engineering" once, for every
//! row. The admin chooses each; nothing is mapped without that choice.

use super::cell_values::{is_spreadsheet_error, near_match};
use super::mapping::{Mapping, MappingError, Target};
use super::table::CsvRow;
use crate::text::{longer_than, trim};
use crate::ProfileField;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// Mapped values one import may carry.
pub const MAX_VALUE_MAPS: usize = 1_000;
/// The longest value that may be mapped: longer ones are not choices.
pub const MAX_MAPPED_VALUE_CHARS: usize = 255;
/// Values the preview lists per field; the rest are counted.
pub const VALUES_LISTED: usize = 50;

/// One choice field's mapped values: a value as the file writes it
/// (trimmed) → the option it means.
pub type FieldValueMap = BTreeMap<String, String>;

/// Per choice field, by key: its mapped values.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ValueMaps(BTreeMap<String, FieldValueMap>);

impl ValueMaps {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many values are mapped, over every field.
    pub fn len(&self) -> usize {
        self.0.values().map(BTreeMap::len).sum()
    }

    pub fn of_field(&self, key: &str) -> Option<&FieldValueMap> {
        self.0.get(key)
    }

    pub fn set(&mut self, field: &str, value: &str, option: &str) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .insert(value.to_owned(), option.to_owned());
    }

    pub fn remove(&mut self, field: &str, value: &str) {
        if let Some(map) = self.0.get_mut(field) {
            map.remove(value);
            if map.is_empty() {
                self.0.remove(field);
            }
        }
    }

    /// Keeps only what still fits the instance: choice fields, real options.
    pub fn retain_fields(&mut self, fields: &[ProfileField]) {
        self.0.retain(|key, map| {
            let Some(field) = fields.iter().find(|f| &f.key == key) else {
                return false;
            };
            map.retain(|_, option| field.options.contains(option));
            field.kind.has_options() && !map.is_empty()
        });
    }

    /// Every mapped value names a choice field and one of its options.
    pub fn validate(&self, fields: &[ProfileField]) -> Result<(), MappingError> {
        if self.len() > MAX_VALUE_MAPS {
            return Err(MappingError::TooManyValues(MAX_VALUE_MAPS));
        }
        for (key, map) in &self.0 {
            let field = fields
                .iter()
                .find(|f| &f.key == key)
                .ok_or_else(|| MappingError::UnknownField(key.clone()))?;
            if !field.kind.has_options() {
                return Err(MappingError::NotAChoice(field.title.clone()));
            }
            for (value, option) in map {
                if trim(value).is_empty() || longer_than(value, MAX_MAPPED_VALUE_CHARS) {
                    return Err(MappingError::BadValue(field.title.clone()));
                }
                if !field.options.contains(option) {
                    return Err(MappingError::NotAnOption {
                        field: field.title.clone(),
                        option: option.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// A value of the file that is not one of its field's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueNotAnOption {
    pub value: String,
    /// Cells that hold it.
    pub cells: usize,
    /// The option it most likely means, to pre-select; never applied unasked.
    pub suggestion: Option<String>,
    /// The option the admin mapped it to.
    pub mapped_to: Option<String>,
}

/// One choice field's values that are not options, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValues {
    pub field: ProfileField,
    pub values: Vec<ValueNotAnOption>,
    /// Values left off the list (beyond [`VALUES_LISTED`]).
    pub more: usize,
}

/// For each choice field mapped to a column, the values its cells hold
/// that are not options, mapped or not. A multi-choice cell is split as
/// the checks split it.
pub fn values_not_options(
    rows: &[CsvRow],
    fields: &[ProfileField],
    mapping: &Mapping,
) -> Vec<FieldValues> {
    fields
        .iter()
        .filter(|f| f.kind.has_options())
        .filter_map(|field| {
            let target = Target::Field(field.key.clone());
            let column = mapping.column_of(&target)?;
            // As the checks read them: after the column's fixes.
            let cells: Vec<Cow<str>> = rows
                .iter()
                .filter_map(|row| row.cells.get(column))
                .map(|cell| mapping.fixes.fix(&target, cell))
                .collect();
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for cell in &cells {
                let cell = trim(cell);
                if cell.is_empty() || is_spreadsheet_error(cell) {
                    continue;
                }
                // A single-choice cell is one part, never split.
                let multi = field.kind.is_multi();
                for part in cell.split(|c| multi && c == ',').map(trim) {
                    if !part.is_empty() && !field.options.iter().any(|o| o == part) {
                        *counts.entry(part).or_default() += 1;
                    }
                }
            }
            listed(field, counts, mapping.values.of_field(&field.key))
        })
        .collect()
}

fn listed(
    field: &ProfileField,
    counts: HashMap<&str, usize>,
    mapped: Option<&FieldValueMap>,
) -> Option<FieldValues> {
    if counts.is_empty() {
        return None;
    }
    let mut found: Vec<(&str, usize)> = counts.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let more = found.len().saturating_sub(VALUES_LISTED);
    let values = found
        .into_iter()
        .take(VALUES_LISTED)
        .map(|(value, cells)| ValueNotAnOption {
            value: value.to_owned(),
            cells,
            suggestion: near_match(value, &field.options).map(str::to_owned),
            mapped_to: mapped.and_then(|m| m.get(value)).cloned(),
        })
        .collect();
    Some(FieldValues {
        field: field.clone(),
        values,
        more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_upload::{RoleChoice, RowChecker};
    use crate::FieldKind;

    fn department() -> ProfileField {
        ProfileField {
            key: "department".into(),
            title: "Department".into(),
            kind: FieldKind::PickOne,
            required: false,
            options: vec!["Engineering".into(), "Finance".into()],
            external_id: false,
        }
    }

    fn languages() -> ProfileField {
        ProfileField {
            key: "languages".into(),
            title: "Languages".into(),
            kind: FieldKind::PickMultiple,
            required: false,
            options: vec!["English".into(), "French".into()],
            external_id: false,
        }
    }

    fn rows(cells: &[[&str; 5]]) -> Vec<CsvRow> {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| CsvRow {
                line: i as u64 + 2,
                cells: c.iter().copied().collect(),
            })
            .collect()
    }

    fn mapping() -> (Vec<String>, Mapping) {
        let headers = ["First", "Last", "Email", "Dept", "Langs"]
            .map(str::to_owned)
            .to_vec();
        let mapping = Mapping::new(vec![
            Some(Target::FirstName),
            Some(Target::LastName),
            Some(Target::Email),
            Some(Target::Field("department".into())),
            Some(Target::Field("languages".into())),
        ]);
        (headers, mapping)
    }

    #[test]
    fn values_that_are_not_options_are_grouped_and_counted() {
        let rows = rows(&[
            ["A", "B", "a@x.io", "Eng", "English, Fr"],
            ["C", "D", "c@x.io", "Eng", "Fr"],
            ["E", "F", "e@x.io", "finance", ""],
            ["G", "H", "g@x.io", "Engineering", "English"],
        ]);
        let (_, mut mapping) = mapping();
        mapping.values.set("department", "Eng", "Engineering");
        let found = values_not_options(&rows, &[department(), languages()], &mapping);
        type Listed<'a> = (&'a str, usize, Option<&'a str>, Option<&'a str>);
        let summary: Vec<(&str, Vec<Listed>)> = found
            .iter()
            .map(|f| {
                let values = f
                    .values
                    .iter()
                    .map(|v| {
                        (
                            v.value.as_str(),
                            v.cells,
                            v.suggestion.as_deref(),
                            v.mapped_to.as_deref(),
                        )
                    })
                    .collect();
                (f.field.key.as_str(), values)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "department",
                    vec![
                        ("Eng", 2, None, Some("Engineering")),
                        ("finance", 1, Some("Finance"), None)
                    ]
                ),
                ("languages", vec![("Fr", 2, None, None)]),
            ]
        );
    }

    #[test]
    fn a_mapped_value_passes_the_checks_as_its_option_on_every_row() {
        let rows = rows(&[
            ["A", "B", "a@x.io", "Eng", "Fr, English"],
            ["C", "D", "c@x.io", "Eng", ""],
        ]);
        let fields = [department(), languages()];
        let (headers, mut mapping) = mapping();
        let roles = RoleChoice::Dormant;
        let before: Vec<_> = {
            let mut checker = RowChecker::new(&headers, &fields, &mapping, &roles);
            rows.iter().map(|r| checker.check(r)).collect()
        };
        assert!(before.iter().all(|c| c.person.is_none()));

        mapping.values.set("department", "Eng", "Engineering");
        mapping.values.set("languages", "Fr", "French");
        let mut checker = RowChecker::new(&headers, &fields, &mapping, &roles);
        let people: Vec<_> = rows
            .iter()
            .map(|r| checker.check(r).person.expect("the row passes"))
            .collect();
        let answer = |i: usize, key: &str| {
            people[i]
                .answers
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_owned())
        };
        assert_eq!(answer(0, "department").as_deref(), Some("Engineering"));
        assert_eq!(answer(0, "languages").as_deref(), Some("French, English"));
        assert_eq!(answer(1, "department").as_deref(), Some("Engineering"));
    }

    #[test]
    fn a_value_map_must_name_a_choice_field_and_one_of_its_options() {
        let fields = [department(), languages()];
        let mut maps = ValueMaps::default();
        maps.set("department", "Eng", "Engineering");
        assert_eq!(maps.validate(&fields), Ok(()));
        maps.set("department", "Mktg", "Marketing");
        assert!(matches!(
            maps.validate(&fields),
            Err(MappingError::NotAnOption { .. })
        ));
        maps.remove("department", "Mktg");
        maps.set("nickname", "x", "y");
        assert!(matches!(
            maps.validate(&fields),
            Err(MappingError::UnknownField(_))
        ));
        maps.remove("nickname", "x");
        let mut text = fields.to_vec();
        text[0].kind = FieldKind::Text;
        assert!(matches!(
            maps.validate(&text),
            Err(MappingError::NotAChoice(_))
        ));
        maps.set(
            "department",
            &"x".repeat(MAX_MAPPED_VALUE_CHARS + 1),
            "Finance",
        );
        assert!(matches!(
            maps.validate(&fields),
            Err(MappingError::BadValue(_))
        ));

        let mut many = ValueMaps::default();
        for i in 0..=MAX_VALUE_MAPS {
            many.set("department", &format!("v{i}"), "Finance");
        }
        assert!(matches!(
            many.validate(&fields),
            Err(MappingError::TooManyValues(_))
        ));
    }

    #[test]
    fn an_old_mapping_without_values_reads_as_none_mapped() {
        let read: Mapping = serde_json::from_str(r#"{"columns":["Email"]}"#).unwrap();
        assert!(read.values.is_empty());
    }
}
