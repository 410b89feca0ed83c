//! The downloadable error log (docs/importing.md, "The error log").

use super::cell_names::CellNames;
use super::row_check::{CellError, RowCheck};
use super::table::CsvRow;
#[cfg(feature = "workbooks")]
pub use as_xlsx::error_log_xlsx;
use serde::{Deserialize, Serialize};

/// The errors as CSV: line, column, value, message, and for a workbook's
/// sheet (`cells`) each error's cell after its line. Cells that a
/// spreadsheet would run as a formula are neutralised with a leading `'`.
pub fn error_log_csv<'e>(
    errors: impl IntoIterator<Item = &'e CellError>,
    cells: Option<&CellNames>,
) -> String {
    let mut out = String::from(match cells {
        Some(_) => "Line,Cell,Column,Value,Message\r\n",
        None => "Line,Column,Value,Message\r\n",
    });
    for e in errors {
        let mut row = vec![e.line.to_string()];
        row.extend(cells.map(|names| names.place(e)));
        row.extend([e.column.clone(), e.value.clone(), e.message.clone()]);
        let quoted: Vec<String> = row.iter().map(|c| quote(&neutralise(c))).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The error log's file name for an uploaded file's, as a file of type
/// `extension`: `errors-staff.csv` for `staff.xlsx` as CSV.
pub fn error_log_name(file_name: &str, extension: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    format!("errors-{stem}.{extension}")
}

/// A cell whose first character that is not white space is `=`, `+`,
/// `-` or `@` is a formula to Excel and LibreOffice (they skip the spaces,
/// tabs and line breaks before it), and so is one starting with a tab or
/// carriage return; a leading apostrophe makes it text.
pub fn neutralise(cell: &str) -> String {
    let starts_formula = matches!(cell.chars().next(), Some('\t' | '\r'))
        || matches!(
            cell.trim_start().chars().next(),
            Some('=' | '+' | '-' | '@')
        );
    if starts_formula {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn quote(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

/// What the .xlsx error log is made from: the file's headers and its rows
/// with errors, each with its check (the wizard hands them to the
/// browser's workbook module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorLogRows {
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
    pub checks: Vec<RowCheck>,
}

/// The error log as an .xlsx.
#[cfg(feature = "workbooks")]
mod as_xlsx {
    use super::{CsvRow, RowCheck};
    use rust_xlsxwriter::{Color, Format, Note, Workbook, XlsxError};

    /// The error log as an .xlsx: the rows with errors as the file had them,
    /// each bad cell filled red with its message as a note, then the row's
    /// line (a workbook's: the sheet's row) and every message. Text cells only:
    /// nothing in it runs as a formula.
    pub fn error_log_xlsx(
        headers: &[String],
        rows: &[CsvRow],
        checks: &[RowCheck],
    ) -> Result<Vec<u8>, XlsxError> {
        let text = Format::new().set_num_format("@");
        let bold = Format::new().set_num_format("@").set_bold();
        let bad = Format::new()
            .set_num_format("@")
            .set_background_color(Color::RGB(0xFF_C7_CE))
            .set_font_color(Color::RGB(0x9C_00_06));
        let wrapped = Format::new().set_num_format("@").set_text_wrap();
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Errors")?;
        let line_column = headers.len() as u16;
        let messages_column = line_column + 1;
        for (column, title) in (0u16..).zip(headers) {
            sheet.write_string_with_format(0, column, title, &bold)?;
        }
        sheet.write_string_with_format(0, line_column, "Line", &bold)?;
        sheet.write_string_with_format(0, messages_column, "Errors", &bold)?;
        sheet.set_column_width(messages_column, 80)?;
        let with_errors = rows
            .iter()
            .zip(checks)
            .filter(|(_, c)| !c.errors.is_empty());
        for (at, (row, check)) in (1u32..).zip(with_errors) {
            for (column, value) in (0u16..).zip(row.cells.iter()) {
                sheet.write_string_with_format(at, column, value, &text)?;
            }
            for error in &check.errors {
                let Some(column) = headers.iter().position(|h| *h == error.column) else {
                    continue;
                };
                let column = column as u16;
                let value = row.cells.get(usize::from(column)).unwrap_or_default();
                sheet.write_string_with_format(at, column, value, &bad)?;
                sheet.insert_note(
                    at,
                    column,
                    &Note::new(&error.message).add_author_prefix(false),
                )?;
            }
            sheet.write_string_with_format(at, line_column, check.line.to_string(), &text)?;
            let messages: Vec<&str> = check.errors.iter().map(|e| e.message.as_str()).collect();
            sheet.write_string_with_format(at, messages_column, messages.join("\n"), &wrapped)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        book.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_upload::table::{read_table, Delimiter};

    /// The error log as the admin downloads it: quoting, line breaks,
    /// Unicode and formula payloads, compared with the reviewed file.
    #[test]
    fn the_error_log_file() {
        let cell =
            |line: u64, column: &str, value: &str, message: &str, suggestion: Option<&str>| {
                CellError {
                    line,
                    column: column.into(),
                    value: value.into(),
                    message: message.into(),
                    suggestion: suggestion.map(str::to_owned),
                }
            };
        let errors = [
            cell(2, "Email", "ann@", "Email is missing the part after @: type the whole address.", None),
            cell(3, "First Name", "", "First Name is empty: every person needs a first name.", None),
            cell(4, "Favourite colour", "Bleu", "\"Bleu\" is not a choice of Favourite colour.", Some("Blue")),
            cell(5, "Notes", "line one\nline two, with a comma", "Notes is too long: use at most 2,000 characters.", None),
            cell(6, "Team", "=HYPERLINK(\"http://evil.example\")", "\"=HYPERLINK(…)\" is not a choice of Team.", None),
            cell(7, "Nom de famille", "Ødegård", "Email has to be unique: zoë@example.org is also on line 2. Keep one row per person.", None),
        ];
        // Each record ends in CRLF, as Excel writes CSV: shown, not hidden.
        insta::assert_snapshot!(error_log_csv(&errors, None).replace("\r\n", "⏎\n"));
    }

    fn error(value: &str, message: &str) -> CellError {
        CellError {
            line: 7,
            column: "Email".into(),
            value: value.into(),
            message: message.into(),
            suggestion: None,
        }
    }

    #[test]
    fn formula_payloads_are_neutralised() {
        for payload in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            " =1+1",
            "  @SUM(A1)",
            "\n=HYPERLINK(\"http://x\")",
            "\u{a0}-2",
        ] {
            assert_eq!(neutralise(payload), format!("'{payload}"));
        }
        assert_eq!(neutralise("ann@example.com"), "ann@example.com");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn the_log_reads_back_as_the_errors_it_lists() {
        let errors = [
            error("john@", "Email has no domain, \"fix\" it."),
            error("=1+1", "Line\nbreak"),
        ];
        let text = error_log_csv(&errors, None);
        let table = read_table(&text, Delimiter::Comma, 10).unwrap();
        assert_eq!(table.headers, ["Line", "Column", "Value", "Message"]);
        assert_eq!(
            table.rows[0].cells,
            ["7", "Email", "john@", "Email has no domain, \"fix\" it."]
        );
        assert_eq!(table.rows[1].cells.get(2), Some("'=1+1"));
        assert_eq!(table.rows[1].cells.get(3), Some("Line\nbreak"));
    }

    #[test]
    fn a_workbook_log_names_each_error_cell() {
        let names = crate::csv_upload::CellNames::new("Staff".into(), 0, vec!["Email".into()]);
        let text = error_log_csv(&[error("john@", "No domain.")], Some(&names));
        let table = read_table(&text, Delimiter::Comma, 10).unwrap();
        assert_eq!(
            table.headers,
            ["Line", "Cell", "Column", "Value", "Message"]
        );
        assert_eq!(
            table.rows[0].cells,
            ["7", "Staff!A7", "Email", "john@", "No domain."]
        );
    }

    /// The .xlsx log holds the rows with errors as the file had them, the
    /// line and the messages beside each; the bad cells are filled and
    /// carry their message as a note; a formula payload stays text.
    #[test]
    #[cfg(feature = "workbooks")]
    fn the_xlsx_log_lists_the_bad_rows_with_their_messages() {
        use crate::csv_upload::{Cells, CsvRow, RowCheck, Workbook};
        let headers = vec!["Name".to_owned(), "Email".to_owned()];
        let row = |line: u64, cells: [&str; 2]| CsvRow {
            line,
            cells: Cells::from_iter(cells),
        };
        let rows = [row(2, ["Ann", "ann@x.org"]), row(3, ["=1+1", "bo@"])];
        let check = |line: u64, errors: Vec<CellError>| RowCheck {
            line,
            person: None,
            errors,
        };
        let mut bad = error("bo@", "Email has no domain.");
        bad.line = 3;
        let mut whole = error("", "This row has 3 cells.");
        (whole.line, whole.column) = (3, String::new());
        let checks = [check(2, vec![]), check(3, vec![bad, whole])];
        let bytes = error_log_xlsx(&headers, &rows, &checks).unwrap();
        let book = Workbook::open(&bytes).unwrap();
        let (table, _) = book.table(0, None, 10).unwrap();
        assert_eq!(table.headers, ["Name", "Email", "Line", "Errors"]);
        assert_eq!(table.rows.len(), 1, "only the row with errors");
        assert_eq!(
            table.rows[0].cells,
            [
                "=1+1",
                "bo@",
                "3",
                "Email has no domain.\nThis row has 3 cells."
            ]
        );
        let sheet =
            crate::csv_upload::template::tests::xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(!sheet.contains("<f>"), "no formulas");
        let styles = crate::csv_upload::template::tests::xlsx_part(&bytes, "xl/styles.xml");
        assert!(styles.contains("FFFFC7CE"), "a red fill");
        let notes = crate::csv_upload::template::tests::xlsx_part(&bytes, "xl/comments1.xml");
        assert!(notes.contains("Email has no domain."));
        assert!(
            !notes.contains("This row has 3 cells."),
            "a row's problem is not a cell's"
        );
    }

    #[test]
    fn the_log_is_named_after_the_upload() {
        assert_eq!(error_log_name("people.csv", "csv"), "errors-people.csv");
        assert_eq!(
            error_log_name("Staff 2024.xlsx", "csv"),
            "errors-Staff 2024.csv"
        );
        assert_eq!(error_log_name("people.csv", "xlsx"), "errors-people.xlsx");
        assert_eq!(error_log_name("import", "csv"), "errors-import.csv");
    }

    proptest::proptest! {
        #[test]
        fn no_cell_of_the_log_starts_a_formula(value in "\\PC{0,20}", message in "\\PC{0,20}") {
            let text = error_log_csv(&[error(&value, &message)], None);
            let table = read_table(&text, Delimiter::Comma, 10).unwrap();
            for cell in table.rows[0].cells.iter() {
                let formula = cell.starts_with(['\t', '\r'])
                    || cell.trim_start().starts_with(['=', '+', '-', '@']);
                proptest::prop_assert!(!formula, "{cell:?}");
            }
        }
    }
}
