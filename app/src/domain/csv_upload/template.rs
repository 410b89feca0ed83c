//! The CSV template an upload page offers (issue 4): the built-in columns,
//! one column per profile field in the instance's order, and one example
//! row that passes every check — so a file started from it maps itself.

use crate::{FieldKind, ProfileField};

/// The template's text: a header row and one example row, CRLF-ended as
/// spreadsheets write it. `with_roles` adds a Role column (roles taken
/// from a column at a track).
pub fn template_csv(fields: &[ProfileField], with_roles: bool) -> String {
    let mut headers = vec!["First Name", "Last Name", "Email"];
    let mut example = vec![
        "Ada".to_owned(),
        "Lovelace".to_owned(),
        "ada.lovelace@example.com".to_owned(),
    ];
    if with_roles {
        headers.push("Role");
        example.push("Mentee".to_owned());
    }
    for field in fields {
        headers.push(&field.title);
        example.push(example_value(field));
    }
    let mut out = String::new();
    for row in [
        headers.iter().map(|h| cell(h)).collect::<Vec<_>>(),
        example.iter().map(|v| cell(v)).collect(),
    ] {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A value the field accepts, to show its format.
fn example_value(field: &ProfileField) -> String {
    match field.kind {
        FieldKind::Text => "Example".to_owned(),
        FieldKind::Paragraph => "A sentence or two about this person.".to_owned(),
        FieldKind::PickOne => field.options.first().cloned().unwrap_or_default(),
        // Several answers show how they are separated.
        FieldKind::PickMultiple | FieldKind::OrderedOptions => field
            .options
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        FieldKind::Date => "2026-01-31".to_owned(),
        FieldKind::Number => "3".to_owned(),
    }
}

/// A CSV cell, quoted only when it has to be.
fn cell(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_upload::{read_table, Delimiter, Mapping, RoleChoice, RowChecker};
    use crate::{Role, Roles};

    fn fields() -> Vec<ProfileField> {
        let mut required = ProfileField::new("team", "Team, or group", FieldKind::Text, &[]);
        required.required = true;
        vec![
            ProfileField::new("job_title", "Job Title", FieldKind::Text, &[]),
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
                &["English", "French", "German"],
            ),
            ProfileField::new(
                "goals",
                "Goals",
                FieldKind::OrderedOptions,
                &["Leadership", "Career growth"],
            ),
            ProfileField::new("bio", "About \"me\"", FieldKind::Paragraph, &[]),
            ProfileField::new("start", "Start Date", FieldKind::Date, &[]),
            ProfileField::new("years", "Years", FieldKind::Number, &[]),
            required,
        ]
    }

    /// Reads the template back as an upload would, maps it by its headers
    /// and checks its example row.
    fn check_template(with_roles: bool) {
        let fields = fields();
        let text = template_csv(&fields, with_roles);
        let table = read_table(&text, Delimiter::detect(&text), 1_000).unwrap();
        let titles: Vec<&str> = fields.iter().map(|f| f.title.as_str()).collect();
        let built_in = if with_roles { 4 } else { 3 };
        assert_eq!(&table.headers[built_in..], titles.as_slice());
        assert_eq!(table.rows.len(), 1);

        let choice = if with_roles {
            RoleChoice::FromColumn
        } else {
            RoleChoice::Everyone(Roles::empty().with(Role::Mentor))
        };
        let mapping = Mapping::suggest(&table.headers, &fields, with_roles);
        mapping.validate(&fields, with_roles).unwrap();
        assert!(
            mapping.columns.iter().all(Option::is_some),
            "every column maps itself: {mapping:?}"
        );
        let check =
            RowChecker::new(&table.headers, &fields, &mapping, &choice).check(&table.rows[0]);
        assert!(check.errors.is_empty(), "{:?}", check.errors);
        let person = check.person.unwrap();
        assert_eq!(person.answers.len(), fields.len());
        if with_roles {
            assert_eq!(person.roles, Roles::empty().with(Role::Mentee));
        }
    }

    #[test]
    fn the_example_row_passes_every_check_and_every_column_maps_itself() {
        check_template(false);
    }

    #[test]
    fn with_roles_from_a_column_the_template_has_a_role_column() {
        check_template(true);
        assert!(template_csv(&fields(), true).starts_with("First Name,Last Name,Email,Role,"));
        assert!(!template_csv(&fields(), false).contains("Role"));
    }

    #[test]
    fn headers_follow_the_field_order_and_are_quoted_only_when_needed() {
        let text = template_csv(&fields(), false);
        let header = text.lines().next().unwrap();
        assert_eq!(
            header,
            "First Name,Last Name,Email,Job Title,Department,Languages,Goals,\"About \"\"me\"\"\",Start Date,Years,\"Team, or group\""
        );
        assert!(text.contains(",\"English, French\",\"Leadership, Career growth\","));
    }

    #[test]
    fn an_instance_without_fields_gets_the_three_built_in_columns() {
        assert_eq!(
            template_csv(&[], false),
            "First Name,Last Name,Email\r\nAda,Lovelace,ada.lovelace@example.com\r\n"
        );
    }
}
