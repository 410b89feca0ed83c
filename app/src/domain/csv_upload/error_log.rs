//! The downloadable error log (docs/importing.md, "The error log").

use super::row_check::CellError;

/// The errors as CSV: line, column, value, message. Cells that a
/// spreadsheet would run as a formula are neutralised with a leading `'`.
pub fn error_log_csv<'e>(errors: impl IntoIterator<Item = &'e CellError>) -> String {
    let mut out = String::from("Line,Column,Value,Message\r\n");
    for e in errors {
        let line = e.line.to_string();
        let cells = [
            line.as_str(),
            e.column.as_str(),
            e.value.as_str(),
            e.message.as_str(),
        ];
        let quoted: Vec<String> = cells.iter().map(|c| quote(&neutralise(c))).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
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
        insta::assert_snapshot!(error_log_csv(&errors).replace("\r\n", "⏎\n"));
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
        let text = error_log_csv(&errors);
        let table = read_table(&text, Delimiter::Comma, 10).unwrap();
        assert_eq!(table.headers, ["Line", "Column", "Value", "Message"]);
        assert_eq!(
            table.rows[0].cells,
            ["7", "Email", "john@", "Email has no domain, \"fix\" it."]
        );
        assert_eq!(table.rows[1].cells.get(2), Some("'=1+1"));
        assert_eq!(table.rows[1].cells.get(3), Some("Line\nbreak"));
    }

    proptest::proptest! {
        #[test]
        fn no_cell_of_the_log_starts_a_formula(value in "\\PC{0,20}", message in "\\PC{0,20}") {
            let text = error_log_csv(&[error(&value, &message)]);
            let table = read_table(&text, Delimiter::Comma, 10).unwrap();
            for cell in table.rows[0].cells.iter() {
                let formula = cell.starts_with(['\t', '\r'])
                    || cell.trim_start().starts_with(['=', '+', '-', '@']);
                proptest::prop_assert!(!formula, "{cell:?}");
            }
        }
    }
}
