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
mod tests {
    use super::*;
    use crate::csv_upload::cell_values::{
        near_match, parse_date, MAX_ANSWER_CHARS, MAX_PARAGRAPH_CHARS,
    };
    use crate::csv_upload::table::{read_table, Delimiter};
    use crate::{FieldKind, Role};
    use std::collections::HashMap;

    fn fields() -> Vec<ProfileField> {
        let mut department = ProfileField::new(
            "department",
            "Department",
            FieldKind::PickOne,
            &["Engineering", "Sales"],
        );
        department.required = true;
        vec![
            department,
            ProfileField::new(
                "languages",
                "Languages",
                FieldKind::PickMultiple,
                &["English", "French", "German"],
            ),
            ProfileField::new(
                "goals",
                "Goals",
                FieldKind::OrderedOptions,
                &["Leadership", "Speaking", "Growth"],
            ),
            ProfileField::new("start", "Start Date", FieldKind::Date, &[]),
            ProfileField::new("years", "Years", FieldKind::Number, &[]),
            ProfileField::new("id", "Employee ID", FieldKind::Text, &[]),
        ]
    }

    /// Reads `text` as a file and checks every row with the pre-matched mapping.
    fn check_file(text: &str, roles: RoleChoice) -> Vec<RowCheck> {
        let table = read_table(text, Delimiter::detect(text), 1_000).unwrap();
        let fields = fields();
        let mapping = Mapping::suggest(&table.headers, &fields, roles == RoleChoice::FromColumn);
        let mut checker = RowChecker::new(&table.headers, &fields, &mapping, &roles);
        table.rows.iter().map(|row| checker.check(row)).collect()
    }

    const HEADER: &str =
        "First Name,Last Name,Email,Department,Languages,Goals,Start Date,Years,Employee ID\n";
    const NO_ROLES: RoleChoice = RoleChoice::Everyone(Roles::empty());

    #[test]
    fn a_clean_row_becomes_a_person_with_canonical_answers() {
        let text = format!("{HEADER} Ann , Lee ,Ann@Example.com,Engineering,\"French, English\",\"Growth,Leadership\",2024-3-5,3.5,000123\n");
        let checks = check_file(
            &text,
            RoleChoice::Everyone(Roles::empty().with(Role::Mentee)),
        );
        let person = checks[0].person.clone().expect("no errors");
        assert_eq!(
            (person.first_name.as_str(), person.last_name.as_str()),
            ("Ann", "Lee")
        );
        assert_eq!(person.email.as_str(), "Ann@Example.com");
        assert!(person.roles.contains(Role::Mentee));
        let answers: HashMap<_, _> = person.answers.iter().collect();
        assert_eq!(answers["languages"], "French, English");
        assert_eq!(
            answers["goals"], "Growth, Leadership",
            "order kept for ordered options"
        );
        assert_eq!(answers["start"], "2024-03-05");
        assert_eq!(answers["id"], "000123", "leading zeros stay");
    }

    #[test]
    fn a_spreadsheet_error_in_any_mapped_cell_is_said_once() {
        let text = format!("{HEADER}Ann,Lee,#N/A,Sales,,,,,#REF!\n");
        let check = &check_file(&text, NO_ROLES)[0];
        assert!(check.person.is_none());
        let said: Vec<(&str, &str)> = check
            .errors
            .iter()
            .map(|e| (e.column.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(said, [("Email", "#N/A"), ("Employee ID", "#REF!")]);
        let message = &check.errors[0].message;
        assert!(
            message.starts_with("Email shows #N/A, a formula's error"),
            "{message}"
        );
    }

    #[test]
    fn required_names_and_a_well_formed_email_are_checked_with_line_and_column() {
        let text = format!("{HEADER},Lee,john@,Sales,,,,,\n");
        let check = &check_file(&text, NO_ROLES)[0];
        assert!(check.person.is_none());
        let by_column: HashMap<_, _> = check
            .errors
            .iter()
            .map(|e| (e.column.as_str(), e))
            .collect();
        assert_eq!(
            by_column["First Name"].message,
            "First Name is empty: every person needs a first name."
        );
        assert_eq!(by_column["Email"].value, "john@");
        assert!(
            by_column["Email"].message.contains("no domain"),
            "{}",
            by_column["Email"].message
        );
        assert!(check.errors.iter().all(|e| e.line == 2));
    }

    #[test]
    fn names_and_answers_are_bounded_in_length() {
        let long_name = "N".repeat(MAX_NAME_CHARS + 1);
        let long_id = "é".repeat(MAX_ANSWER_CHARS + 1);
        let text = format!(
            "{HEADER}{long_name},Lee,a@example.com,Sales,,,,,\n\
             Ann,{},b@example.com,Sales,,,,,{long_id}\n\
             Ann,Lee,c@example.com,Sales,,,,,{}\n",
            "é".repeat(MAX_NAME_CHARS),
            "é".repeat(MAX_ANSWER_CHARS),
        );
        let checks = check_file(&text, NO_ROLES);
        assert_eq!(checks[0].errors.len(), 1);
        assert_eq!(
            checks[0].errors[0].message,
            "First Name is too long: use at most 200 characters."
        );
        assert_eq!(checks[1].errors.len(), 1, "{:?}", checks[1].errors);
        assert_eq!(
            checks[1].errors[0].message,
            "Employee ID is too long: use at most 2,000 characters."
        );
        assert!(checks[2].person.is_some(), "{:?}", checks[2].errors);

        let about = ProfileField::new("about", "About Me", FieldKind::Paragraph, &[]);
        let mut chosen = Vec::new();
        let mut out = String::new();
        let paragraph = "word ".repeat(MAX_PARAGRAPH_CHARS / 5);
        assert!(write_answer(&about, &paragraph, None, &mut out, &mut chosen).is_ok());
        assert!(write_answer(
            &about,
            &format!("{paragraph}!"),
            None,
            &mut out,
            &mut chosen
        )
        .is_err());
    }

    #[test]
    fn a_long_cell_is_never_a_near_match() {
        let options = ["Engineering".to_owned(), "Sales".to_owned()];
        assert_eq!(near_match("Enginering", &options), Some("Engineering"));
        let long = "Engineering".repeat(10_000);
        assert_eq!(near_match(&long, &options), None);
    }

    #[test]
    fn a_repeated_email_names_the_line_it_first_appeared_on() {
        let text = format!(
            "{HEADER}Ann,Lee,ann@example.com,Sales,,,,,\nAnn,Lee, ANN@example.com,Sales,,,,,\n"
        );
        let checks = check_file(&text, NO_ROLES);
        assert!(checks[0].person.is_some(), "the first one is kept");
        assert_eq!(checks[1].errors.len(), 1);
        assert!(checks[1].errors[0]
            .message
            .starts_with("Email has to be unique"));
        assert!(checks[1].errors[0].message.contains("line 2"));
    }

    #[test]
    fn a_repeated_external_id_names_its_line_and_blank_ids_never_clash() {
        let text = format!(
            "{HEADER}Ann,Lee,ann@example.com,Sales,,,,,E7\nBo,Li,bo@example.com,Sales,,,,,\n\
             Cy,Ng,cy@example.com,Sales,,,,, \nDi,Ok,di@example.com,Sales,,,,,E7 \n"
        );
        let table = read_table(&text, Delimiter::Comma, 10).unwrap();
        let mut fields = fields();
        let checks = |fields: &[ProfileField]| {
            let mapping = Mapping::suggest(&table.headers, fields, false);
            let mut checker = RowChecker::new(&table.headers, fields, &mapping, &NO_ROLES);
            table
                .rows
                .iter()
                .map(|r| checker.check(r))
                .collect::<Vec<_>>()
        };
        // Not the instance's ID: two rows may share an Employee ID.
        assert!(checks(&fields).iter().all(|c| c.person.is_some()));
        fields[5].external_id = true;
        let checked = checks(&fields);
        assert!(checked[..3].iter().all(|c| c.person.is_some()));
        assert_eq!(checked[3].errors.len(), 1);
        let error = &checked[3].errors[0];
        assert_eq!(error.column, "Employee ID");
        assert_eq!(
            error.message,
            "Employee ID has to be unique: E7 is also on line 2. Keep one row per person."
        );
    }

    #[test]
    fn column_fixes_rewrite_cells_before_the_checks_and_a_full_name_splits() {
        use crate::csv_upload::{ColumnFixes, DateOrder, Separator};
        let text = "Name,Email,Languages,Start Date\n\
                    Ann Marie Lee, ANN@Example.com ,English; French,05/01/2024\n\
                    \"Chen, Bo\",bo@example.com,German,2024-02-03\n\
                    Cher,cher@example.com,,\n";
        let table = read_table(text, Delimiter::Comma, 10).unwrap();
        let fields = fields();
        let mut mapping = Mapping::suggest(&table.headers, &fields, false);
        assert_eq!(
            mapping.columns[0],
            Some(Target::FullName),
            "a Name column fills both names"
        );
        let check = |mapping: &Mapping| {
            let mut checker = RowChecker::new(&table.headers, &fields, mapping, &NO_ROLES);
            table
                .rows
                .iter()
                .map(|r| checker.check(r))
                .collect::<Vec<_>>()
        };
        let before = check(&mapping);
        assert_eq!(before[0].errors.len(), 2, "{:?}", before[0].errors);
        mapping.fixes = ColumnFixes {
            lower_case_emails: true,
            separators: [("languages".to_owned(), Separator::Semicolon)].into(),
            dates: [("start".to_owned(), DateOrder::DayFirst)].into(),
            ..Default::default()
        };
        let after = check(&mapping);
        let ann = after[0].person.as_ref().expect("fixed, Ann passes");
        assert_eq!(
            (ann.first_name.as_str(), ann.last_name.as_str()),
            ("Ann Marie", "Lee")
        );
        assert_eq!(ann.email.as_str(), "ann@example.com");
        let answers: Vec<_> = ann.answers.iter().collect();
        assert_eq!(
            answers,
            [("languages", "English, French"), ("start", "2024-01-05")]
        );
        let bo = after[1].person.as_ref().unwrap();
        assert_eq!(
            (bo.first_name.as_str(), bo.last_name.as_str()),
            ("Bo", "Chen")
        );
        assert_eq!(after[2].errors.len(), 1);
        assert_eq!(after[2].errors[0].column, "Name");
        assert!(after[2].errors[0]
            .message
            .starts_with("Full Name needs a first and a last name"));
    }

    #[test]
    fn a_checker_resumed_in_the_next_slice_still_knows_earlier_emails() {
        let text = format!(
            "{HEADER}Ann,Lee,ann@example.com,Sales,,,,,\nBo,Li,bo@example.com,Sales,,,,,\nAnn,Lee,Ann@example.com,Sales,,,,,\n"
        );
        let table = read_table(&text, Delimiter::Comma, 10).unwrap();
        let fields = fields();
        let mapping = Mapping::suggest(&table.headers, &fields, false);
        let mut seen = SeenPeople::default();
        let mut sliced = Vec::new();
        for slice in table.rows.chunks(2) {
            let mut checker =
                RowChecker::resume(&table.headers, &fields, &mapping, &NO_ROLES, seen);
            sliced.extend(slice.iter().map(|row| checker.check(row)));
            seen = checker.into_seen();
        }
        assert_eq!(sliced, check_file(&text, NO_ROLES));
        assert!(sliced[2].errors[0].message.contains("also on line 2"));
    }

    #[test]
    fn choice_values_must_match_exactly_and_near_misses_get_a_suggestion() {
        let text = format!("{HEADER}Ann,Lee,a@example.com,engineering,\"English, Klingon\",,,,\n");
        let check = &check_file(&text, NO_ROLES)[0];
        let department = check
            .errors
            .iter()
            .find(|e| e.column == "Department")
            .unwrap();
        assert_eq!(department.suggestion.as_deref(), Some("Engineering"));
        assert!(
            department.message.contains("Did you mean “Engineering”?"),
            "{}",
            department.message
        );
        let languages = check
            .errors
            .iter()
            .find(|e| e.column == "Languages")
            .unwrap();
        assert_eq!(languages.suggestion, None);
        assert!(languages.message.contains("“Klingon”"));
        assert_eq!(
            near_match("Enginering", &["Engineering".to_string()]),
            Some("Engineering")
        );
        assert_eq!(near_match("Marketing", &["Engineering".to_string()]), None);
    }

    #[test]
    fn required_fields_dates_and_numbers_are_checked() {
        let text = format!("{HEADER}Ann,Lee,a@example.com,,,,2024-02-30,\"1,000\",\n");
        let check = &check_file(&text, NO_ROLES)[0];
        let messages: Vec<&str> = check.errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages.contains(&"Department is required: fill it in for every person."),
            "{messages:?}"
        );
        assert!(messages
            .iter()
            .any(|m| m.starts_with("Start Date must be a date")));
        assert!(messages
            .iter()
            .any(|m| m.starts_with("Years must be a number")));
    }

    #[test]
    fn roles_from_a_column_must_be_known_names() {
        let text = "First Name,Last Name,Email,Role\nAnn,Lee,a@example.com,\"Mentor, mentee\"\nBo,Lee,b@example.com,coach\nCy,Lee,c@example.com,\n";
        let checks = check_file(text, RoleChoice::FromColumn);
        let roles = checks[0].person.as_ref().unwrap().roles;
        assert!(roles.contains(Role::Mentor) && roles.contains(Role::Mentee));
        assert!(checks[1].errors[0]
            .message
            .starts_with("“coach” is not a role"));
        assert!(checks[2].errors[0].message.starts_with("Role is empty"));
    }

    #[test]
    fn a_ragged_row_is_a_row_error_not_a_crash() {
        let text = "First Name,Last Name,Email\nAnn,Lee\nBo,Lee,b@example.com,extra\n";
        let checks = check_file(text, NO_ROLES);
        assert!(checks[0].errors[0]
            .message
            .starts_with("This row has 2 cells but the header has 3 columns"));
        assert!(checks[1].errors[0]
            .message
            .starts_with("This row has 4 cells"));
        assert_eq!(checks[1].line, 3);
    }

    #[test]
    fn dormant_imports_carry_no_roles() {
        let checks = check_file(
            "First Name,Last Name,Email\nAnn,Lee,a@example.com\n",
            RoleChoice::Dormant,
        );
        assert!(checks[0].person.as_ref().unwrap().roles.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn checking_never_panics(cells in proptest::collection::vec("\\PC{0,12}", 0..12)) {
            let headers: Vec<String> = ["First Name", "Last Name", "Email", "Department", "Languages", "Goals", "Start Date", "Years", "Role"].iter().map(|s| s.to_string()).collect();
            let fields = fields();
            let mapping = Mapping::suggest(&headers, &fields, true);
            let roles = RoleChoice::FromColumn;
            let mut checker = RowChecker::new(&headers, &fields, &mapping, &roles);
            let check = checker.check(&CsvRow { line: 2, cells: cells.into() });
            proptest::prop_assert_eq!(check.person.is_some(), check.errors.is_empty());
        }

        #[test]
        fn valid_dates_round_trip(y in 0u32..=9999, m in 1u32..=12, d in 1u32..=28) {
            let text = format!("{y:04}-{m}-{d}");
            let written = parse_date(&text).map(|date| {
                let mut out = String::new();
                date.write_to(&mut out);
                out
            });
            proptest::prop_assert_eq!(written, Some(format!("{y:04}-{m:02}-{d:02}")));
        }
    }
}
