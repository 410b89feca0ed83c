//! The CSV template an upload page offers (issue 4): the built-in columns,
//! one column per profile field in the instance's order, and one example
//! row that passes every check — so a file started from it maps itself.

use crate::{FieldKind, ProfileField};
#[cfg(feature = "workbooks")]
pub use as_xlsx::template_xlsx;

/// The template's text: a header row and one example row, CRLF-ended as
/// spreadsheets write it. `with_roles` adds a Role column (roles taken
/// from a column at a track).
pub fn template_csv(fields: &[ProfileField], with_roles: bool) -> String {
    let (headers, example) = template_rows(fields, with_roles);
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

/// The template's headers and example row.
fn template_rows(fields: &[ProfileField], with_roles: bool) -> (Vec<&str>, Vec<String>) {
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
    (headers, example)
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

/// The template as an .xlsx workbook.
#[cfg(feature = "workbooks")]
mod as_xlsx {
    use super::template_rows;
    use crate::csv_upload::cell_names::column_letters;
    use crate::{FieldKind, ProfileField, Role};
    use rust_xlsxwriter::{
        DataValidation, DataValidationErrorStyle, Format, Formula, Note, Workbook, Worksheet,
        XlsxError,
    };

    /// Rows below the header given the template's text format and dropdowns.
    const TEMPLATE_ROWS: u32 = 10_000;

    /// The template as an .xlsx workbook: the columns and example row of
    /// [`template_csv`], every cell formatted as text (so `000123` and dates
    /// stay as typed), a dropdown on every choice column and a note on those
    /// taking several answers. The choices are on a hidden sheet, so options
    /// with commas and long lists (over Excel's 255 characters inline) work.
    pub fn template_xlsx(fields: &[ProfileField], with_roles: bool) -> Result<Vec<u8>, XlsxError> {
        let (headers, example) = template_rows(fields, with_roles);
        let text = Format::new().set_num_format("@");
        let header = Format::new().set_num_format("@").set_bold();
        let mut people = Worksheet::new();
        people.set_name("People")?;
        for (column, (title, value)) in (0u16..).zip(headers.iter().zip(&example)) {
            let width = title.chars().count().max(value.chars().count()) + 2;
            people.set_column_width(column, width.min(40) as f64)?;
            people.set_column_format(column, &text)?;
            people.write_string_with_format(0, column, *title, &header)?;
            people.write_string_with_format(1, column, value, &text)?;
        }
        people.set_freeze_panes(1, 0)?;
        let mut choices = Worksheet::new();
        choices.set_name(CHOICES_SHEET)?.set_hidden(true);
        let offset = headers.len() - fields.len();
        let role_column = with_roles.then(|| (offset as u16 - 1, choice_list_of_roles()));
        let field_columns = (offset as u16..)
            .zip(fields)
            .filter(|(_, f)| f.kind.has_options())
            .map(|(column, f)| (column, choice_list(f)));
        for (list, (column, (options, note))) in
            (0u16..).zip(role_column.into_iter().chain(field_columns))
        {
            choices.write_string(0, list, headers[usize::from(column)])?;
            for (row, option) in (1u32..).zip(&options) {
                choices.write_string(row, list, option)?;
            }
            let letters = column_letters(usize::from(list));
            let range = format!(
                "={CHOICES_SHEET}!${letters}$2:${letters}${}",
                options.len() + 1
            );
            let mut dropdown = DataValidation::new().allow_list_formula(Formula::new(range));
            if let Some(note) = note {
                // Several answers in one cell are not on the list: allowed.
                dropdown = dropdown.set_error_style(DataValidationErrorStyle::Information);
                people.insert_note(0, column, &Note::new(note).add_author_prefix(false))?;
            }
            people.add_data_validation(1, column, TEMPLATE_ROWS, column, &dropdown)?;
        }
        let mut book = Workbook::new();
        book.push_worksheet(people);
        book.push_worksheet(choices);
        book.save_to_buffer()
    }

    /// The hidden sheet holding the dropdowns' choices.
    const CHOICES_SHEET: &str = "Choices";

    /// A choice column's options, and for one taking several answers the note
    /// that says how to give them.
    type ChoiceList = (Vec<String>, Option<String>);

    fn choice_list(field: &ProfileField) -> ChoiceList {
        let note = match field.kind {
            FieldKind::PickMultiple => Some(format!(
                "One or more of the choices, separated by commas: {}.",
                field.options.join(", ")
            )),
            FieldKind::OrderedOptions => Some(format!(
                "One or more of the choices in order of preference, separated by commas: {}.",
                field.options.join(", ")
            )),
            _ => None,
        };
        (field.options.clone(), note)
    }

    fn choice_list_of_roles() -> ChoiceList {
        let roles: Vec<String> = Role::ALL.iter().map(|r| r.label().to_owned()).collect();
        let note = format!(
            "One or more roles, separated by commas: {}.",
            roles.join(", ")
        );
        (roles, Some(note))
    }
}

#[cfg(test)]
pub(super) mod tests {
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

    /// A part of an .xlsx, as text.
    #[cfg(feature = "workbooks")]
    pub(in crate::csv_upload) fn xlsx_part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }

    /// The .xlsx template read back as an upload reads a workbook: the
    /// same columns and example row as the CSV one, which pass every check.
    #[test]
    #[cfg(feature = "workbooks")]
    fn the_xlsx_template_reads_back_as_the_csv_template() {
        for with_roles in [false, true] {
            let bytes = template_xlsx(&fields(), with_roles).unwrap();
            let book = crate::csv_upload::Workbook::open(&bytes).unwrap();
            let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["People", "Choices"]);
            let (table, _) = book.table(book.first_filled(), None, 10).unwrap();
            let text = template_csv(&fields(), with_roles);
            let csv = read_table(&text, Delimiter::Comma, 10).unwrap();
            assert_eq!(table.headers, csv.headers);
            assert_eq!(table.rows[0].cells, csv.rows[0].cells);
            assert_eq!(table.rows[0].line, 2);
        }
    }

    /// A dropdown on each choice column (Department, Languages, Goals and
    /// Role) from the hidden Choices sheet, notes on the multi-choice ones,
    /// every cell text, and no formula in any cell.
    #[test]
    #[cfg(feature = "workbooks")]
    fn the_xlsx_template_has_dropdowns_notes_and_text_cells() {
        let bytes = template_xlsx(&fields(), true).unwrap();
        let people = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
        let lists: Vec<&str> = people
            .split("<formula1>")
            .skip(1)
            .filter_map(|s| s.split("</formula1>").next())
            .collect();
        assert_eq!(
            lists,
            [
                "Choices!$A$2:$A$5",
                "Choices!$B$2:$B$3",
                "Choices!$C$2:$C$4",
                "Choices!$D$2:$D$3"
            ]
        );
        assert!(people.contains(r#"sqref="D2:D10001""#), "Role: {people}");
        assert!(!people.contains("<f>"), "no formulas");
        let notes = xlsx_part(&bytes, "xl/comments1.xml");
        assert!(notes
            .contains("One or more roles, separated by commas: Mentor, Mentee, Teacher, Admin."));
        assert!(notes.contains("separated by commas: English, French, German."));
        assert!(notes.contains("in order of preference"));
        let workbook = xlsx_part(&bytes, "xl/workbook.xml");
        assert!(
            workbook.contains(r#"name="Choices" sheetId="2" state="hidden""#),
            "{workbook}"
        );
        let styles = xlsx_part(&bytes, "xl/styles.xml");
        assert!(
            styles.contains(r#"formatCode="@""#),
            "cells formatted as text"
        );
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
