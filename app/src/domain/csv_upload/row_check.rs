//! The checks every data row goes through, in the browser and again on the
//! server (docs/importing.md, "The checks, row by row"). A row either yields a [`Person`] or the
//! errors that say what to fix, each with its line, column and value.

use super::answers::Answers;
use super::cell_values::{is_spreadsheet_error, parse_roles, write_answer, MAX_NAME_CHARS};
use super::column_fixes::split_full_name;
use super::mapping::{Mapping, Target};
use super::table::CsvRow;
use crate::text::{longer_than, thousands, trim};
use crate::{Email, ProfileField, Roles};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// How the people of an import get their roles (docs/importing.md, step 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleChoice {
    /// Everyone in the file gets these roles.
    Everyone(Roles),
    /// Each row names its roles in the column mapped to [`Target::Roles`].
    FromColumn,
    /// Dormant import: no roles, no track.
    Dormant,
}

/// One problem in one cell, as the preview and the error log show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellError {
    /// The line in the file, as a spreadsheet numbers it.
    pub line: u64,
    /// The column's header ("" for a problem with the whole row).
    pub column: String,
    pub value: String,
    /// What is wrong and what to do.
    pub message: String,
    /// A near match the admin can accept in one click; never applied silently.
    pub suggestion: Option<String>,
}

/// A row that passed every check: what the server will apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub line: u64,
    pub email: Email,
    pub first_name: String,
    pub last_name: String,
    pub roles: Roles,
    /// Profile field key → canonical value, for the mapped, non-empty cells.
    pub answers: Answers,
}

/// The verdict on one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCheck {
    pub line: u64,
    /// `Some` exactly when `errors` is empty.
    pub person: Option<Person>,
    pub errors: Vec<CellError>,
}

/// Checks the rows of one file in order; it remembers emails so that a
/// repeated address is caught, naming the line it first appeared on.
pub struct RowChecker<'a> {
    headers: &'a [String],
    fields: &'a [ProfileField],
    mapping: &'a Mapping,
    roles: &'a RoleChoice,
    columns: Columns,
    /// The fields' keys, shared by every row's answers.
    keys: Vec<Arc<str>>,
    /// Options chosen in one cell, reused from cell to cell.
    chosen: Vec<&'a str>,
    first_line_of: SeenPeople,
    /// The columns the mapping's fixes rewrite, with what each fills.
    fixing: Vec<(usize, &'a Target)>,
}

/// The emails and IDs met so far and the line of each, so that the rows
/// of one file can be checked in slices by one checker after another. (Fx
/// hashing: SipHash took a tenth of the checks' time, and nobody gains
/// by making the emails of their own file collide.)
#[derive(Debug, Clone, Default)]
pub struct SeenPeople {
    emails: FxHashMap<String, u64>,
    ids: FxHashMap<String, u64>,
}

impl SeenPeople {
    /// Room for the emails of `rows` rows: growing a map of 100,000 emails
    /// step by step hashes every email again at each step.
    pub fn with_capacity(rows: usize) -> Self {
        SeenPeople {
            emails: FxHashMap::with_capacity_and_hasher(rows, Default::default()),
            ids: FxHashMap::default(),
        }
    }
}

/// Where each target sits in a row: looked up once per file, not per cell.
struct Columns {
    first_name: Option<usize>,
    /// A column of full names, split into both names.
    full_name: Option<usize>,
    last_name: Option<usize>,
    email: Option<usize>,
    roles: Option<usize>,
    /// Parallel to the profile fields.
    fields: Vec<Option<usize>>,
    /// The external ID's field, by its place among the profile fields.
    external_id: Option<usize>,
}

impl Columns {
    /// Every mapped column, as `Some(index)`.
    fn mapped(&self) -> impl Iterator<Item = Option<usize>> + '_ {
        [
            self.first_name,
            self.full_name,
            self.last_name,
            self.email,
            self.roles,
        ]
        .into_iter()
        .chain(self.fields.iter().copied())
        .filter(Option::is_some)
    }
}

impl<'a> RowChecker<'a> {
    pub fn new(
        headers: &'a [String],
        fields: &'a [ProfileField],
        mapping: &'a Mapping,
        roles: &'a RoleChoice,
    ) -> Self {
        Self::resume(headers, fields, mapping, roles, SeenPeople::default())
    }

    /// A checker for the rows after those that met `seen`.
    pub fn resume(
        headers: &'a [String],
        fields: &'a [ProfileField],
        mapping: &'a Mapping,
        roles: &'a RoleChoice,
        seen: SeenPeople,
    ) -> Self {
        let columns = Columns {
            first_name: mapping.column_of(&Target::FirstName),
            full_name: mapping.column_of(&Target::FullName),
            last_name: mapping.column_of(&Target::LastName),
            email: mapping.column_of(&Target::Email),
            roles: mapping.column_of(&Target::Roles),
            fields: fields
                .iter()
                .map(|f| mapping.column_of(&Target::Field(f.key.clone())))
                .collect(),
            external_id: fields.iter().position(|f| f.external_id),
        };
        RowChecker {
            headers,
            fields,
            mapping,
            roles,
            columns,
            keys: fields.iter().map(|f| Arc::from(f.key.as_str())).collect(),
            chosen: Vec::new(),
            first_line_of: seen,
            fixing: mapping
                .columns
                .iter()
                .enumerate()
                .filter_map(|(i, t)| Some((i, t.as_ref()?)))
                .filter(|(_, t)| mapping.fixes.touches(t))
                .collect(),
        }
    }

    /// What this checker met, for the checker of the next slice.
    pub fn into_seen(self) -> SeenPeople {
        self.first_line_of
    }

    pub fn check(&mut self, row: &CsvRow) -> RowCheck {
        if row.cells.len() != self.headers.len() {
            return self.ragged(row);
        }
        match self.fixed(row) {
            Some(fixed) => self.check_cells(&fixed),
            None => self.check_cells(row),
        }
    }

    /// The row as the mapping's column fixes make it; `None` when they
    /// change none of its cells (most rows, once a file is tidy).
    fn fixed(&self, row: &CsvRow) -> Option<CsvRow> {
        let fixes = &self.mapping.fixes;
        let changed: Vec<(usize, String)> = self
            .fixing
            .iter()
            .filter_map(
                |&(index, target)| match fixes.fix(target, row.cells.get(index)?) {
                    Cow::Owned(new) => Some((index, new)),
                    Cow::Borrowed(_) => None,
                },
            )
            .collect();
        if changed.is_empty() {
            return None;
        }
        let cells = row.cells.iter().enumerate().map(|(i, cell)| {
            changed
                .iter()
                .find(|(index, _)| *index == i)
                .map_or(cell, |(_, new)| new.as_str())
        });
        Some(CsvRow {
            line: row.line,
            cells: cells.collect(),
        })
    }

    fn check_cells(&mut self, row: &CsvRow) -> RowCheck {
        let line = row.line;
        let mut errors = Vec::new();
        let headers = self.headers;
        let cell = |column: Option<usize>| -> Option<(&'a str, &str)> {
            let index = column?;
            Some((headers.get(index)?.as_str(), row.cells.get(index)?))
        };
        for (column, value) in self.columns.mapped().filter_map(cell) {
            if is_spreadsheet_error(value) {
                errors.push(CellError {
                    line,
                    column: column.to_owned(),
                    value: value.to_owned(),
                    message: format!(
                        "{column} shows {value}, a formula's error in the spreadsheet: correct the formula, \
                         or type the value in, and upload the file again."
                    ),
                    suggestion: None,
                });
            }
        }
        let mut fail = |column: &str, value: &str, message: String, suggestion: Option<String>| {
            // Said once, above, whatever the column expects.
            if is_spreadsheet_error(value) {
                return;
            }
            errors.push(CellError {
                line,
                column: column.to_owned(),
                value: value.to_owned(),
                message,
                suggestion,
            });
        };

        let (first_name, last_name) = match cell(self.columns.full_name) {
            Some(full) => split_names(full, &mut fail),
            None => (
                required_name(
                    cell(self.columns.first_name),
                    "First Name",
                    "a first name",
                    &mut fail,
                ),
                required_name(
                    cell(self.columns.last_name),
                    "Last Name",
                    "a last name",
                    &mut fail,
                ),
            ),
        };
        let email = self.unique_email(cell(self.columns.email), line, &mut fail);
        let roles = self.roles_in(cell(self.columns.roles), &mut fail);
        let answers = self.answers(cell, &mut fail);
        self.unique_id(&answers, cell, line, &mut fail);

        let person = match (errors.is_empty(), email, first_name, last_name) {
            (true, Some(email), Some(first_name), Some(last_name)) => Some(Person {
                line,
                email,
                first_name,
                last_name,
                roles,
                answers,
            }),
            _ => None,
        };
        RowCheck {
            line,
            person,
            errors,
        }
    }

    /// A row whose cells do not line up with the header: one error for the
    /// whole row, since no cell can be trusted to be what its column says.
    fn ragged(&self, row: &CsvRow) -> RowCheck {
        RowCheck {
            line: row.line,
            person: None,
            errors: vec![CellError {
                line: row.line,
                column: String::new(),
                value: row.cells.iter().collect::<Vec<_>>().join(", "),
                message: format!(
                    "This row has {} cells but the header has {} columns: look for a missing or extra separator, \
                     often a comma inside a value that is not in quotes.",
                    thousands(row.cells.len()),
                    thousands(self.headers.len())
                ),
                suggestion: None,
            }],
        }
    }

    /// The row's email, if it is one and no earlier row of the file had it.
    fn unique_email(
        &mut self,
        cell: Option<(&str, &str)>,
        line: u64,
        fail: &mut impl FnMut(&str, &str, String, Option<String>),
    ) -> Option<Email> {
        let Some((column, value)) = cell else {
            fail(
                "Email",
                "",
                "Map a column to Email: every person needs an email.".into(),
                None,
            );
            return None;
        };
        let email = match Email::parse(value) {
            Ok(email) => email,
            Err(e) => {
                fail(column, value, e.to_string(), None);
                return None;
            }
        };
        let key = email.normalized();
        if let Some(&first) = self.first_line_of.emails.get(&key) {
            fail(
                column,
                value,
                format!(
                    "Email has to be unique: {value} is also on line {first}. Keep one row per person."
                ),
                None,
            );
            return None;
        }
        self.first_line_of.emails.insert(key, line);
        Some(email)
    }

    /// A row's external ID must not be on an earlier row of the file: two
    /// rows would be one person (compared exactly, as the server finds them).
    fn unique_id<'r>(
        &mut self,
        answers: &Answers,
        cell: impl Fn(Option<usize>) -> Option<(&'a str, &'r str)>,
        line: u64,
        fail: &mut impl FnMut(&str, &str, String, Option<String>),
    ) {
        let Some(at) = self.columns.external_id else {
            return;
        };
        let (Some(field), Some((column, _))) = (
            self.fields.get(at),
            cell(self.columns.fields.get(at).copied().flatten()),
        ) else {
            return;
        };
        let Some(id) = answers.get(&field.key) else {
            return;
        };
        match self.first_line_of.ids.get(id) {
            Some(&first) => fail(
                column,
                id,
                format!(
                    "{} has to be unique: {id} is also on line {first}. Keep one row per person.",
                    field.title
                ),
                None,
            ),
            None => {
                self.first_line_of.ids.insert(id.to_owned(), line);
            }
        }
    }

    /// The roles the row's person gets, by the import's role choice.
    fn roles_in(
        &self,
        cell: Option<(&str, &str)>,
        fail: &mut impl FnMut(&str, &str, String, Option<String>),
    ) -> Roles {
        match self.roles {
            RoleChoice::Everyone(roles) => *roles,
            RoleChoice::Dormant => Roles::empty(),
            RoleChoice::FromColumn => match cell {
                None => {
                    fail(
                        "Role",
                        "",
                        "Map a column to Role, or pick roles for everyone.".into(),
                        None,
                    );
                    Roles::empty()
                }
                Some((column, value)) => parse_roles(value).unwrap_or_else(|message| {
                    fail(column, value, message, None);
                    Roles::empty()
                }),
            },
        }
    }

    /// The row's profile answers, each in its field's canonical form.
    fn answers<'r>(
        &mut self,
        cell: impl Fn(Option<usize>) -> Option<(&'a str, &'r str)>,
        fail: &mut impl FnMut(&str, &str, String, Option<String>),
    ) -> Answers {
        let mapped = self.columns.fields.iter().filter_map(|&index| cell(index));
        let mut answers = Answers::with_capacity(
            mapped.clone().count(),
            // Canonical values are about as long as the cells.
            mapped.map(|(_, value)| value.len() + 2).sum(),
        );
        let fields = self.fields;
        for ((field, &index), key) in fields.iter().zip(&self.columns.fields).zip(&self.keys) {
            let Some((column, value)) = cell(index) else {
                continue;
            };
            let trimmed = trim(value);
            if trimmed.is_empty() {
                if field.required {
                    fail(
                        column,
                        value,
                        format!("{} is required: fill it in for every person.", field.title),
                        None,
                    );
                }
                continue;
            }
            let mapped = self.mapping.values.of_field(&field.key);
            match write_answer(
                field,
                trimmed,
                mapped,
                answers.value_buffer(),
                &mut self.chosen,
            ) {
                Ok(()) => answers.end(key.clone()),
                Err((message, suggestion)) => {
                    answers.discard_unended();
                    fail(column, value, message, suggestion);
                }
            }
        }
        answers
    }
}

/// Both names from a full-name cell, each checked as its own column is.
fn split_names(
    (column, value): (&str, &str),
    fail: &mut impl FnMut(&str, &str, String, Option<String>),
) -> (Option<String>, Option<String>) {
    if trim(value).is_empty() {
        fail(
            column,
            value,
            "Full Name is empty: every person needs a first and a last name.".into(),
            None,
        );
        return (None, None);
    }
    let Some((first, last)) = split_full_name(value) else {
        fail(
            column,
            value,
            "Full Name needs a first and a last name, such as Ann Lee or Lee, Ann: add the \
             missing one."
                .into(),
            None,
        );
        return (None, None);
    };
    (
        required_name(Some((column, &first)), "First Name", "a first name", fail),
        required_name(Some((column, &last)), "Last Name", "a last name", fail),
    )
}

fn required_name(
    cell: Option<(&str, &str)>,
    title: &str,
    what: &str,
    fail: &mut impl FnMut(&str, &str, String, Option<String>),
) -> Option<String> {
    match cell {
        None => {
            fail(
                title,
                "",
                format!("Map a column to {title}: every person needs {what}."),
                None,
            );
            None
        }
        Some((column, value)) if trim(value).is_empty() => {
            fail(
                column,
                value,
                format!("{title} is empty: every person needs {what}."),
                None,
            );
            None
        }
        Some((column, value)) if longer_than(trim(value), MAX_NAME_CHARS) => {
            fail(
                column,
                value,
                format!(
                    "{title} is too long: use at most {} characters.",
                    thousands(MAX_NAME_CHARS)
                ),
                None,
            );
            None
        }
        Some((_, value)) => Some(trim(value).to_owned()),
    }
}

#[cfg(test)]
#[path = "row_check_tests.rs"]
mod tests;
