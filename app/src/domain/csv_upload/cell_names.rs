//! How a spreadsheet names a cell (`Staff!C7`), for messages about a
//! workbook's rows.

use serde::{Deserialize, Serialize};

/// Names a sheet's table's cells as the spreadsheet does: `Staff!C7`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellNames {
    sheet: String,
    /// The sheet's column (0 for A) of the table's first column.
    first_column: usize,
}

impl CellNames {
    pub(super) fn new(sheet: String, first_column: usize) -> Self {
        CellNames {
            sheet,
            first_column,
        }
    }

    /// The cell of the table's `column` (from 0) on `line`, the sheet's row.
    pub fn name(&self, column: usize, line: u64) -> String {
        let letters = column_letters(self.first_column + column);
        format!("{}!{letters}{line}", sheet_in_reference(&self.sheet))
    }
}

/// A column's letters: 0 is A, 25 Z, 26 AA.
fn column_letters(index: usize) -> String {
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
        let named = |sheet: &str| CellNames::new(sheet.into(), 0).name(27, 7);
        assert_eq!(named("Staff"), "Staff!AB7");
        assert_eq!(named("Pay 2024"), "'Pay 2024'!AB7");
        assert_eq!(named("Bob's list"), "'Bob''s list'!AB7");
        assert_eq!(named("2024"), "'2024'!AB7");
    }

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
