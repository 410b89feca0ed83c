//! Pairing CSV columns with profile fields (docs/importing.md, step 2).

use super::column_fixes::{ColumnFixes, FixError};
use super::header_words::same_words;
use super::value_maps::ValueMaps;
use crate::ProfileField;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a CSV column fills.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    FirstName,
    LastName,
    Email,
    /// The roles of each row, when roles come from a column.
    Roles,
    /// First and last name in one column, split by
    /// [`split_full_name`](super::column_fixes::split_full_name).
    FullName,
    /// A profile field, by key.
    Field(String),
}

impl Target {
    /// Whether it can be mapped now: a field the instance has, roles only
    /// when they come from a column.
    pub fn is_usable(&self, fields: &[ProfileField], roles_from_column: bool) -> bool {
        match self {
            Target::Roles => roles_from_column,
            Target::Field(key) => fields.iter().any(|f| &f.key == key),
            _ => true,
        }
    }

    pub fn title<'a>(&'a self, fields: &'a [ProfileField]) -> &'a str {
        match self {
            Target::FirstName => "First Name",
            Target::LastName => "Last Name",
            Target::Email => "Email",
            Target::Roles => "Role",
            Target::FullName => "Full Name (first and last)",
            Target::Field(key) => fields
                .iter()
                .find(|f| &f.key == key)
                .map_or(key.as_str(), |f| f.title.as_str()),
        }
    }
}

/// One target (or none: the column is ignored) per CSV column, in order,
/// and the file's values mapped to choice fields' options.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<Option<Target>>,
    #[serde(default, skip_serializing_if = "ValueMaps::is_empty")]
    pub values: ValueMaps,
    #[serde(default, skip_serializing_if = "ColumnFixes::is_empty")]
    pub fixes: ColumnFixes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MappingError {
    #[error("Choose the column that holds {0}: every person needs a first name, a last name and an email.")]
    Missing(String),
    #[error("Choose the column that holds the roles, or pick roles for everyone instead.")]
    MissingRoles,
    #[error("{title} is chosen for columns {first} and {second}: a field takes one column, so unmap one of them.")]
    Twice {
        title: String,
        first: usize,
        second: usize,
    },
    #[error("The mapping names a profile field that no longer exists ({0}): reload the page and map the columns again.")]
    UnknownField(String),
    #[error("“{option}” is not one of the {field} options: map the value to one of them.")]
    NotAnOption { field: String, option: String },
    #[error("{0} has no options, so its values cannot be mapped to one: map only choice fields' values.")]
    NotAChoice(String),
    #[error("A value mapped for {0} is empty or too long to be a choice: map only values the file holds.")]
    BadValue(String),
    #[error("At most {0} values can be mapped in one import: fix the file's values, then upload it again.")]
    TooManyValues(usize),
    #[error(
        "{0} and Full Name both fill the names: map either Full Name, or First Name and Last Name."
    )]
    NamesTwice(String),
    #[error(transparent)]
    Fix(#[from] FixError),
}

impl Mapping {
    /// These columns, with no values mapped.
    pub fn new(columns: Vec<Option<Target>>) -> Mapping {
        Mapping {
            columns,
            values: ValueMaps::default(),
            fixes: ColumnFixes::default(),
        }
    }

    /// The column (0-based) that fills `target`, if any.
    pub fn column_of(&self, target: &Target) -> Option<usize> {
        self.columns.iter().position(|t| t.as_ref() == Some(target))
    }

    /// A mapping is usable when the three required fields have a column,
    /// roles have one when they come from a column, and no field has two.
    pub fn validate(
        &self,
        fields: &[ProfileField],
        roles_from_column: bool,
    ) -> Result<(), MappingError> {
        for (index, target) in self.columns.iter().enumerate() {
            let Some(target) = target else { continue };
            if let Target::Field(key) = target {
                if !fields.iter().any(|f| &f.key == key) {
                    return Err(MappingError::UnknownField(key.clone()));
                }
            }
            if let Some(first) = self.columns[..index]
                .iter()
                .position(|t| t.as_ref() == Some(target))
            {
                return Err(MappingError::Twice {
                    title: target.title(fields).to_owned(),
                    first: first + 1,
                    second: index + 1,
                });
            }
        }
        let full_name = self.column_of(&Target::FullName).is_some();
        for required in [Target::FirstName, Target::LastName, Target::Email] {
            let name = required != Target::Email;
            let mapped = self.column_of(&required).is_some();
            if full_name && name && mapped {
                return Err(MappingError::NamesTwice(required.title(fields).to_owned()));
            }
            if !(mapped || full_name && name) {
                return Err(MappingError::Missing(required.title(fields).to_owned()));
            }
        }
        if roles_from_column && self.column_of(&Target::Roles).is_none() {
            return Err(MappingError::MissingRoles);
        }
        self.values.validate(fields)?;
        Ok(self.fixes.validate(fields)?)
    }

    /// Pre-matches columns by name, as admins name them: built-in synonyms
    /// (`E-mail`, `Work Email`, `Legal First Name`, `Given name`…), then
    /// profile field titles and keys, ignoring case, spaces and punctuation,
    /// then titles in other words (`Dept`, `Emp #`: [`same_words`]).
    /// A target goes to the first column that matches it.
    pub fn suggest(
        headers: &[String],
        fields: &[ProfileField],
        roles_from_column: bool,
    ) -> Mapping {
        Self::suggest_with(headers, fields, roles_from_column, &HashMap::new())
    }

    /// [`Mapping::suggest`], with `hints` first: what headers (folded)
    /// filled in this instance's remembered mappings.
    pub fn suggest_with(
        headers: &[String],
        fields: &[ProfileField],
        roles_from_column: bool,
        hints: &HashMap<String, Target>,
    ) -> Mapping {
        let usable = |t: &Target| t.is_usable(fields, roles_from_column);
        // What an admin mapped by hand before comes first, wherever it is.
        let mut columns: Vec<Option<Target>> = Vec::with_capacity(headers.len());
        for header in headers {
            let hint = hints.get(&fold(header)).cloned().filter(usable);
            columns.push(hint.filter(|t| !columns.contains(&Some(t.clone()))));
        }
        for (index, header) in headers.iter().enumerate() {
            if columns[index].is_some() {
                continue;
            }
            let folded = fold(header);
            let guess = builtin(&folded)
                .filter(usable)
                .or_else(|| {
                    fields
                        .iter()
                        .find(|f| fold(&f.title) == folded || fold(&f.key) == folded)
                        .or_else(|| fields.iter().find(|f| same_words(header, &f.title)))
                        .map(|f| Target::Field(f.key.clone()))
                })
                .filter(|t| !columns.contains(&Some(t.clone())));
            columns[index] = guess;
        }
        // A "Name" column fills both names only when no column fills either.
        let split = [Target::FirstName, Target::LastName];
        if columns.iter().flatten().any(|t| split.contains(t)) {
            for column in columns.iter_mut().filter(|c| **c == Some(Target::FullName)) {
                *column = None;
            }
        }
        Mapping::new(columns)
    }
}

/// Lower-case letters and digits only: "E-mail Address" → "emailaddress".
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn builtin(folded: &str) -> Option<Target> {
    const EMAIL: &[&str] = &[
        "email",
        "emailaddress",
        "mail",
        "workemail",
        "workemailaddress",
        "businessemail",
        "primaryemail",
        "emailid",
        "useremail",
        "username",
        "login",
    ];
    const FIRST: &[&str] = &[
        "firstname",
        "first",
        "givenname",
        "given",
        "forename",
        "legalfirstname",
        "preferredfirstname",
        "preferredname",
        "fname",
    ];
    const LAST: &[&str] = &[
        "lastname",
        "last",
        "surname",
        "familyname",
        "legallastname",
        "preferredlastname",
        "lname",
    ];
    const FULL: &[&str] = &[
        "name",
        "fullname",
        "employeename",
        "displayname",
        "personname",
    ];
    const ROLES: &[&str] = &[
        "role",
        "roles",
        "userrole",
        "userroles",
        "programrole",
        "programroles",
    ];
    if EMAIL.contains(&folded) {
        Some(Target::Email)
    } else if FIRST.contains(&folded) {
        Some(Target::FirstName)
    } else if LAST.contains(&folded) {
        Some(Target::LastName)
    } else if FULL.contains(&folded) {
        Some(Target::FullName)
    } else if ROLES.contains(&folded) {
        Some(Target::Roles)
    } else {
        None
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::FieldKind;

    /// Department (a choice), Job Title and Employee ID.
    pub(in crate::csv_upload) fn fields() -> Vec<ProfileField> {
        vec![
            ProfileField::new(
                "department",
                "Department",
                FieldKind::PickOne,
                &["Engineering", "Sales"],
            ),
            ProfileField::new("job_title", "Job Title", FieldKind::Text, &[]),
            ProfileField::new("employee_id", "Employee ID", FieldKind::Text, &[]),
        ]
    }

    pub(in crate::csv_upload) fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shortened_headers_and_hand_mapped_ones_are_pre_matched() {
        let h = headers(&["Email", "Dept", "Emp #", "Unit"]);
        let m = Mapping::suggest(&h, &fields(), false);
        assert_eq!(m.columns[1], Some(Target::Field("department".into())));
        assert_eq!(m.columns[2], Some(Target::Field("employee_id".into())));
        assert_eq!(m.columns[3], None);
        // "Unit" was mapped to the department by hand before: it wins.
        let hints = HashMap::from([("unit".to_owned(), Target::Field("department".into()))]);
        let m = Mapping::suggest_with(&h, &fields(), false, &hints);
        assert_eq!(m.columns[1], None);
        assert_eq!(m.columns[3], Some(Target::Field("department".into())));
    }

    #[test]
    fn pre_matches_the_names_admins_use() {
        let h = headers(&[
            "Legal First Name",
            "Surname",
            "Work E-mail",
            "DEPARTMENT",
            "job-title",
            "Employee_ID",
            "Shoe size",
        ]);
        let m = Mapping::suggest(&h, &fields(), false);
        assert_eq!(
            m.columns,
            vec![
                Some(Target::FirstName),
                Some(Target::LastName),
                Some(Target::Email),
                Some(Target::Field("department".into())),
                Some(Target::Field("job_title".into())),
                Some(Target::Field("employee_id".into())),
                None,
            ]
        );
        assert_eq!(m.validate(&fields(), false), Ok(()));
    }

    #[test]
    fn synonyms_from_the_issue_are_recognised() {
        for (header, target) in [
            ("E-mail", Target::Email),
            ("Email Address", Target::Email),
            ("Work Email", Target::Email),
            ("Legal First Name", Target::FirstName),
            ("Given name", Target::FirstName),
        ] {
            assert_eq!(
                Mapping::suggest(&headers(&[header]), &[], false).columns[0],
                Some(target),
                "{header}"
            );
        }
    }

    #[test]
    fn a_target_goes_to_the_first_matching_column_only() {
        let m = Mapping::suggest(&headers(&["Email", "Work Email"]), &[], false);
        assert_eq!(m.columns, vec![Some(Target::Email), None]);
    }

    #[test]
    fn roles_are_matched_only_when_they_come_from_a_column() {
        assert_eq!(
            Mapping::suggest(&headers(&["Role"]), &[], true).columns[0],
            Some(Target::Roles)
        );
        assert_eq!(
            Mapping::suggest(&headers(&["Role"]), &[], false).columns[0],
            None
        );
    }

    #[test]
    fn validation_names_what_is_missing_or_doubled() {
        let m = Mapping::new(vec![Some(Target::FirstName), Some(Target::Email)]);
        assert_eq!(
            m.validate(&[], false),
            Err(MappingError::Missing("Last Name".into()))
        );
        let m = Mapping::new(vec![
            Some(Target::FirstName),
            Some(Target::LastName),
            Some(Target::Email),
            Some(Target::Email),
        ]);
        let err = m.validate(&[], false).unwrap_err();
        assert_eq!(
            err,
            MappingError::Twice {
                title: "Email".into(),
                first: 3,
                second: 4
            }
        );
        assert!(err.to_string().contains("columns 3 and 4"));
        let m = Mapping::new(vec![
            Some(Target::FirstName),
            Some(Target::LastName),
            Some(Target::Email),
        ]);
        assert_eq!(m.validate(&[], true), Err(MappingError::MissingRoles));
        let m = Mapping::new(vec![Some(Target::Field("gone".into()))]);
        assert_eq!(
            m.validate(&fields(), false),
            Err(MappingError::UnknownField("gone".into()))
        );
    }

    #[test]
    fn a_full_name_column_fills_both_names_but_never_beside_them() {
        let fields = fields();
        let named = Mapping::suggest(&headers(&["Name", "Email"]), &fields, false);
        assert_eq!(named.columns[0], Some(Target::FullName));
        assert_eq!(named.validate(&fields, false), Ok(()));
        let both = Mapping::suggest(
            &headers(&["First Name", "Last Name", "Name", "Email"]),
            &fields,
            false,
        );
        assert_eq!(both.columns[2], None, "first and last names win");
        let twice = Mapping::new(vec![
            Some(Target::FullName),
            Some(Target::LastName),
            Some(Target::Email),
        ]);
        assert_eq!(
            twice.validate(&fields, false),
            Err(MappingError::NamesTwice("Last Name".into()))
        );
    }
}
