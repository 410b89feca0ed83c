//! A person typed in by an admin (docs/adding.md, "Add a person"). The form is checked
//! as a one-row CSV file with every field mapped, so the form, an upload and
//! the server give the same verdict with the same sentences.

use super::csv_upload::{CsvRow, Mapping, RoleChoice, RowCheck, RowChecker, Target};
use super::{ProfileField, Roles};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Field key → the answer as a CSV cell holds it (several options
    /// joined with ", ", dates as YYYY-MM-DD); empty: not answered.
    pub answers: Vec<(String, String)>,
}

/// The line the form's row has, as if it were the first row of a file.
const LINE: u64 = 2;

impl PersonForm {
    /// The answer to one field, as typed so far.
    pub fn answer(&self, key: &str) -> &str {
        self.answers
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn set_answer(&mut self, key: &str, value: String) {
        match self.answers.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.answers.push((key.to_owned(), value)),
        }
    }

    /// The form as a header, a mapping and one row: the built-in columns,
    /// then every profile field.
    pub fn as_table(&self, fields: &[ProfileField]) -> (Vec<String>, Mapping, CsvRow) {
        let targets: Vec<Target> = [Target::FirstName, Target::LastName, Target::Email]
            .into_iter()
            .chain(fields.iter().map(|f| Target::Field(f.key.clone())))
            .collect();
        let headers = targets.iter().map(|t| t.title(fields).to_owned()).collect();
        let cells = targets
            .iter()
            .map(|t| match t {
                Target::FirstName => self.first_name.as_str(),
                Target::LastName => self.last_name.as_str(),
                Target::Email => self.email.as_str(),
                Target::Field(key) => self.answer(key),
                Target::Roles | Target::FullName => "",
            })
            .collect();
        let columns = targets.into_iter().map(Some).collect();
        (headers, Mapping::new(columns), CsvRow { line: LINE, cells })
    }

    /// The same checks as a CSV row with these roles.
    pub fn check(&self, fields: &[ProfileField], roles: Roles) -> RowCheck {
        let (headers, mapping, row) = self.as_table(fields);
        let choice = RoleChoice::Everyone(roles);
        RowChecker::new(&headers, fields, &mapping, &choice).check(&row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldKind, Role};

    fn fields() -> Vec<ProfileField> {
        let mut start = ProfileField::new("start", "Start Date", FieldKind::Date, &[]);
        start.required = true;
        vec![
            ProfileField::new(
                "department",
                "Department",
                FieldKind::PickOne,
                &["Engineering", "Sales"],
            ),
            ProfileField::new(
                "languages",
                "Languages",
                FieldKind::PickMultiple,
                &["English", "French"],
            ),
            start,
        ]
    }

    fn mentee() -> Roles {
        Roles::empty().with(Role::Mentee)
    }

    #[test]
    fn a_complete_form_becomes_a_person_with_canonical_answers() {
        let mut form = PersonForm {
            email: " Ada@Example.com ".into(),
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            answers: Vec::new(),
        };
        form.set_answer("languages", "French, English".into());
        form.set_answer("start", "2026-3-1".into());
        form.set_answer("start", "2026-03-01".into());
        let check = form.check(&fields(), mentee());
        assert!(check.errors.is_empty(), "{:?}", check.errors);
        let person = check.person.unwrap();
        assert_eq!(person.email.normalized(), "ada@example.com");
        assert_eq!(person.roles, mentee());
        assert_eq!(
            person.answers.iter().collect::<Vec<_>>(),
            [("languages", "French, English"), ("start", "2026-03-01")],
            "an unanswered optional field is left out"
        );
    }

    #[test]
    fn each_problem_names_the_field_it_belongs_to() {
        let mut form = PersonForm {
            email: "ada@".into(),
            first_name: "Ada".into(),
            ..Default::default()
        };
        form.set_answer("department", "engineering".into());
        let check = form.check(&fields(), mentee());
        let columns: Vec<&str> = check.errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, ["Last Name", "Email", "Department", "Start Date"]);
        let near = check
            .errors
            .iter()
            .find(|e| e.column == "Department")
            .unwrap();
        assert_eq!(near.suggestion.as_deref(), Some("Engineering"));
    }
}
