//! A whole file at once, from bytes to checked rows, as the wizard does it
//! between choosing a file and showing the preview: for the benchmarks,
//! native and in the browser.

use super::{
    decode, is_workbook, read_table, CsvTable, Delimiter, Mapping, RoleChoice, RowCheck,
    RowChecker, SeenPeople,
};
use crate::ProfileField;

/// Decodes, reads with the detected separator (a workbook: opens it and
/// reads its first sheet with content), pre-matches the columns and checks
/// every row; the first problem with the file itself, as the wizard would
/// say it.
pub fn check_file(
    bytes: &[u8],
    fields: &[ProfileField],
    roles: &RoleChoice,
    row_limit: usize,
) -> Result<Vec<RowCheck>, String> {
    let table = read_file(bytes, row_limit)?;
    Ok(check_table(&table, fields, roles))
}

/// The first half of [`check_file`]: the file as a table.
pub fn read_file(bytes: &[u8], row_limit: usize) -> Result<CsvTable, String> {
    if is_workbook(bytes) {
        let book = open_workbook(bytes)?;
        book.table(book.first_filled(), None, row_limit)
            .map(|(table, _)| table)
    } else {
        let decoded = decode(bytes).map_err(|e| e.to_string())?;
        read_table(&decoded.text, Delimiter::detect(&decoded.text), row_limit)
    }
    .map_err(|e| e.to_string())
}

/// The second half of [`check_file`]: every row checked with the
/// suggested mapping.
pub fn check_table(table: &CsvTable, fields: &[ProfileField], roles: &RoleChoice) -> Vec<RowCheck> {
    let mapping = Mapping::suggest(&table.headers, fields, *roles == RoleChoice::FromColumn);
    let seen = SeenPeople::with_capacity(table.rows.len());
    let mut checker = RowChecker::resume(&table.headers, fields, &mapping, roles, seen);
    table.rows.iter().map(|row| checker.check(row)).collect()
}

#[cfg(feature = "workbooks")]
fn open_workbook(bytes: &[u8]) -> Result<super::Workbook, String> {
    super::Workbook::open(bytes).map_err(|e| e.to_string())
}

/// Without the `workbooks` feature (the page's own wasm) a workbook is
/// the workbook module's to open.
#[cfg(not(feature = "workbooks"))]
fn open_workbook(_: &[u8]) -> Result<super::Workbook, String> {
    Err("Workbooks are opened by the workbook module.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldKind, Role, Roles};

    #[test]
    fn every_row_is_checked_with_the_suggested_mapping() {
        let fields = [ProfileField::new(
            "department",
            "Department",
            FieldKind::PickOne,
            &["Sales"],
        )];
        let text = "First Name;Last Name;Email;Department\nA;B;a@example.com;Sales\nC;D;c@;Nope\n";
        let roles = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
        let checks = check_file(text.as_bytes(), &fields, &roles, 10).unwrap();
        assert_eq!(checks.len(), 2);
        assert!(checks[0].errors.is_empty(), "{:?}", checks[0].errors);
        assert_eq!(checks[1].errors.len(), 2, "{:?}", checks[1].errors);
        let refused = check_file(text.as_bytes(), &fields, &roles, 1).unwrap_err();
        assert!(refused.contains("at most 1"), "{refused}");
    }
}
