//! Tests of `row_check.rs`.
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
        let mut checker = RowChecker::resume(&table.headers, &fields, &mapping, &NO_ROLES, seen);
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
