//! The files in `fixtures/files` — the kinds of file admins really upload
//! (issue 9) — each with the exact verdict the wizard and the server give.
//! The same files seed the fuzzers (`scripts/fuzz`) and some of them are
//! uploaded in the browser tests.

use super::{check_file, decode, read_table, Delimiter, RoleChoice, RowCheck, TextEncoding};
use crate::{FieldKind, ProfileField, Role, Roles};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../fixtures/files/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fields() -> Vec<ProfileField> {
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
        ProfileField::new("start_date", "Start Date", FieldKind::Date, &[]),
        ProfileField::new("years", "Years of Experience", FieldKind::Number, &[]),
        ProfileField::new("employee_id", "Employee ID", FieldKind::Text, &[]),
        ProfileField::new("bio", "About Me", FieldKind::Paragraph, &[]),
    ]
}

fn checked(name: &str, roles: RoleChoice) -> Result<Vec<RowCheck>, String> {
    check_file(&fixture(name), &fields(), &roles, 1_000)
}

fn mentees() -> RoleChoice {
    RoleChoice::Everyone(Roles::empty().with(Role::Mentee))
}

/// The one person of a clean file: names, address, answers.
fn only_person(name: &str) -> (String, String, String, Vec<(String, String)>) {
    let checks = checked(name, mentees()).unwrap();
    assert_eq!(checks.len(), 1, "{name}: {checks:?}");
    let check = &checks[0];
    assert_eq!(check.line, 2);
    let p = check
        .person
        .as_ref()
        .unwrap_or_else(|| panic!("{name}: {:?}", check.errors));
    (
        p.first_name.clone(),
        p.last_name.clone(),
        p.email.as_str().to_owned(),
        p.answers
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

fn answers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn excel_csv_utf8_with_bom_and_crlf_reads_clean() {
    let decoded = decode(&fixture("excel-utf8-bom-crlf.csv")).unwrap();
    assert_eq!(decoded.encoding, TextEncoding::Utf8);
    assert!(!decoded.needs_confirmation());
    let table = read_table(&decoded.text, Delimiter::detect(&decoded.text), 10).unwrap();
    assert_eq!(table.headers[0], "First Name", "no BOM in the first header");
    assert_eq!(
        only_person("excel-utf8-bom-crlf.csv"),
        (
            "Ann".into(),
            "Lee".into(),
            "ann@example.com".into(),
            answers(&[("department", "Sales")])
        )
    );
}

#[test]
fn excel_legacy_windows_1252_with_semicolons_keeps_its_accents_once_confirmed() {
    let decoded = decode(&fixture("excel-legacy-1252-semicolons.csv")).unwrap();
    assert_eq!(decoded.encoding, TextEncoding::Windows1252);
    assert!(
        decoded.needs_confirmation(),
        "the admin confirms the conversion"
    );
    assert_eq!(Delimiter::detect(&decoded.text), Delimiter::Semicolon);
    assert_eq!(
        only_person("excel-legacy-1252-semicolons.csv"),
        (
            "José".into(),
            "Müller".into(),
            "jose@example.com".into(),
            answers(&[("department", "Sales")])
        )
    );
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let decoded = decode(&fixture("excel-unicode-text-utf16le.txt")).unwrap();
    assert_eq!(decoded.encoding, TextEncoding::Utf16Le);
    assert!(
        decoded.needs_confirmation(),
        "the admin confirms the conversion"
    );
    assert_eq!(Delimiter::detect(&decoded.text), Delimiter::Tab);
    assert_eq!(
        only_person("excel-unicode-text-utf16le.txt"),
        (
            "Ann".into(),
            "Lee".into(),
            "ann@example.com".into(),
            answers(&[("start_date", "2024-03-31")])
        )
    );
}

#[test]
fn google_sheets_keeps_newlines_and_commas_inside_cells() {
    assert_eq!(
        only_person("google-sheets-newlines.csv"),
        (
            "Ann".into(),
            "Lee".into(),
            "ann@example.com".into(),
            answers(&[
                ("languages", "English, French"),
                ("bio", "Line one\nline two, with a comma")
            ])
        )
    );
}

#[test]
fn an_hris_export_maps_its_headers_keeps_leading_zeros_and_catches_the_repeat() {
    let checks = checked("hris-export.csv", mentees()).unwrap();
    assert_eq!(checks.len(), 2);
    let ann = checks[0].person.as_ref().unwrap();
    assert_eq!(
        (ann.first_name.as_str(), ann.last_name.as_str()),
        ("Ann", "Lee")
    );
    assert_eq!(ann.email.normalized(), "ann@example.com");
    let ann_answers: Vec<_> = ann.answers.iter().collect();
    assert_eq!(
        ann_answers,
        [("years", "3.5"), ("employee_id", "000123")],
        "Shoe size is not imported"
    );
    let bo = &checks[1];
    assert_eq!(bo.line, 3);
    assert!(bo.person.is_none());
    let said: Vec<(&str, &str, &str)> = bo
        .errors
        .iter()
        .map(|e| (e.column.as_str(), e.value.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "Work E-mail",
                "ann@example.com",
                "Email has to be unique: ann@example.com is also on line 2. Keep one row per person."
            ),
            (
                "Years of Experience",
                "1e3",
                "Years of Experience must be a number, such as 12 or 3.5 (no thousands separators)."
            ),
        ]
    );
}

#[test]
fn bad_rows_get_a_sentence_each_and_formulas_stay_text() {
    let checks = checked("bad-rows.csv", RoleChoice::FromColumn).unwrap();
    let lines: Vec<u64> = checks.iter().map(|c| c.line).collect();
    assert_eq!(lines, [2, 3, 4], "the trailing empty rows are not rows");

    let bo = &checks[0];
    let said: Vec<(&str, &str, Option<&str>)> = bo
        .errors
        .iter()
        .map(|e| (e.column.as_str(), e.value.as_str(), e.suggestion.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            ("Email", "bo@", None),
            ("Department", "engineering", Some("Engineering"))
        ]
    );
    assert!(bo.errors[0]
        .message
        .starts_with("Email has no domain after the @"));

    let cy = &checks[1];
    assert_eq!(cy.errors.len(), 1);
    assert!(cy.errors[0]
        .message
        .starts_with("This row has 4 cells but the header has 5 columns"));

    // A formula in a name is only text to Roster; in the error log, where a
    // spreadsheet would open it, the cells that could run are made text.
    let evil = &checks[2];
    assert_eq!(evil.errors.len(), 1);
    assert_eq!(evil.errors[0].value, "=1+1@x");
    let log = super::error_log_csv(checks.iter().flat_map(|c| &c.errors), None);
    assert!(log.contains("\"'=1+1@x\""), "{log}");
    assert!(!log.contains(",\"=1+1@x\""), "{log}");
}

#[test]
fn files_that_are_not_tables_of_people_are_refused_with_what_to_do() {
    let refused = |name: &str| checked(name, mentees()).unwrap_err();
    assert_eq!(
        refused("header-only.csv"),
        "The file has a header row but no people: add one row per person under the headers."
    );
    let empty = refused("empty.csv");
    assert!(empty.starts_with("The file is empty"), "{empty}");
    assert_eq!(
        refused("duplicate-headers.csv"),
        "Columns 2 and 3 are both called “email”: rename or delete one of them."
    );
    assert_eq!(
        refused("blank-and-duplicate-headers.csv"),
        "Column 3 has no header: give every column a name in the first row, or delete the empty column."
    );
}

/// The same staff list saved by LibreOffice as .xlsx, .xls and .ods (and
/// the .xlsx renamed .csv): an empty first sheet, a title row above the
/// headers, dates, IDs typed with leading zeros, and a `#N/A` formula.
#[test]
fn workbooks_from_libreoffice_read_as_the_sheet_shows_them() {
    for name in [
        "staff.xlsx",
        "staff.xls",
        "staff.ods",
        "workbook-renamed.csv",
    ] {
        let checks = checked(name, mentees()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let lines: Vec<u64> = checks.iter().map(|c| c.line).collect();
        assert_eq!(lines, [4, 5, 6], "{name}: the sheet's row numbers");
        let ann = checks[0]
            .person
            .as_ref()
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            (ann.first_name.as_str(), ann.email.as_str()),
            ("Ann", "ann.lee@example.org")
        );
        let answer = |person: &super::Person, key: &str| {
            person
                .answers
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_owned())
        };
        assert_eq!(
            answer(ann, "employee_id").as_deref(),
            Some("000123"),
            "{name}"
        );
        assert_eq!(
            answer(ann, "start_date").as_deref(),
            Some("2024-03-01"),
            "{name}"
        );
        assert_eq!(answer(ann, "years").as_deref(), Some("3"), "{name}");
        let bo = checks[1]
            .person
            .as_ref()
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(answer(bo, "years").as_deref(), Some("12"), "{name}");
        let cy = &checks[2];
        if name.ends_with(".ods") {
            // calamine reads an OpenDocument error cell as empty text
            // (calamine#720): the ID is missing, not named as #N/A.
            assert!(cy.errors.is_empty(), "{name}: {:?}", cy.errors);
            let person = cy.person.as_ref().unwrap_or_else(|| panic!("{name}"));
            assert_eq!(answer(person, "employee_id"), None);
            continue;
        }
        assert_eq!(cy.errors.len(), 1, "{name}: {:?}", cy.errors);
        assert_eq!(cy.errors[0].column, "Employee ID", "{name}");
        assert_eq!(cy.errors[0].value, "#N/A", "{name}");
    }
}

/// Excel's "Encrypt with Password" (made with msoffcrypto-tool): refused
/// with what to do, not called damaged.
#[test]
fn an_encrypted_workbook_is_refused_as_protected() {
    let refused = checked("staff-password.xlsx", mentees()).unwrap_err();
    assert_eq!(refused, super::WorkbookError::Protected.to_string());
}
