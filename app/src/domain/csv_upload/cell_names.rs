//! How a spreadsheet names a cell (`Staff!C7`), for messages about a
//! workbook's rows.

use super::row_check::CellError;
use serde::{Deserialize, Serialize};

/// Names a sheet's table's cells as the spreadsheet does: `Staff!C7`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellNames {
    sheet: String,
    /// The sheet's column (0 for A) of the table's first column.
    first_column: usize,
    /// The table's headers, which errors name their column by.
    headers: Vec<String>,
}

impl CellNames {
    pub(super) fn new(sheet: String, first_column: usize, headers: Vec<String>) -> Self {
        CellNames {
            sheet,
            first_column,
            headers,
        }
    }

    /// Where an error is: its cell (`Staff!C7`), or its row (`Staff, row
    /// 7`) when it is about the whole row.
    pub fn place(&self, error: &CellError) -> String {
        match self.headers.iter().position(|h| *h == error.column) {
            Some(column) if !error.column.is_empty() => self.name(column, error.line),
            _ => format!("{}, row {}", self.sheet, error.line),
        }
    }

    /// The cell of the table's `column` (from 0) on `line`, the sheet's row.
    pub fn name(&self, column: usize, line: u64) -> String {
        let letters = column_letters(self.first_column + column);
        format!("{}!{letters}{line}", sheet_in_reference(&self.sheet))
    }
}

/// A column's letters: 0 is A, 25 Z, 26 AA.
pub(super) fn column_letters(index: usize) -> String {
    let mut letters = String::new();
    let mut rest = index + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.insert(0, char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters
}

/// A sheet's name as a reference writes it: quoted (with quotes doubled)
/// unless it is a plain word.
fn sheet_in_reference(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_quoted_in_references_unless_plain_words() {
        let named = |sheet: &str| CellNames::new(sheet.into(), 0, Vec::new()).name(27, 7);
        assert_eq!(named("Staff"), "Staff!AB7");
        assert_eq!(named("Pay 2024"), "'Pay 2024'!AB7");
        assert_eq!(named("Bob's list"), "'Bob''s list'!AB7");
        assert_eq!(named("2024"), "'2024'!AB7");
    }

    #[test]
    fn an_error_is_placed_at_its_cell_or_its_row() {
        let names = CellNames::new("Staff".into(), 1, vec!["First Name".into(), "Email".into()]);
        let error = |column: &str| CellError {
            line: 7,
            column: column.into(),
            value: String::new(),
            message: String::new(),
            suggestion: None,
        };
        assert_eq!(names.place(&error("Email")), "Staff!C7");
        assert_eq!(names.place(&error("First Name")), "Staff!B7");
        assert_eq!(names.place(&error("")), "Staff, row 7");
    }

    #[cfg(feature = "workbooks")]
    proptest::proptest! {
        /// Column letters read back as the column they name.
        #[test]
        fn column_letters_name_their_column(column in 0usize..16_384) {
            let reference = format!("{}1", column_letters(column));
            let read = crate::csv_upload::xlsx_formats::cell_position(reference.as_bytes());
            proptest::prop_assert_eq!(read, Some((0, column as u32)));
        }
    }
}
