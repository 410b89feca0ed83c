//! A whole file at once, from bytes to checked rows, as the wizard does it
//! between choosing a file and showing the preview: for the benchmarks,
//! native and in the browser.

use super::{decode, read_table, Delimiter, Mapping, RoleChoice, RowCheck, RowChecker, SeenEmails};
use crate::ProfileField;

/// Decodes, reads with the detected separator, pre-matches the columns and
/// checks every row; the first problem with the file itself, as the
/// wizard would say it.
pub fn check_file(
    bytes: &[u8],
    fields: &[ProfileField],
    roles: &RoleChoice,
    row_limit: usize,
) -> Result<Vec<RowCheck>, String> {
    let decoded = decode(bytes).map_err(|e| e.to_string())?;
    let table = read_table(&decoded.text, Delimiter::detect(&decoded.text), row_limit)
        .map_err(|e| e.to_string())?;
    let mapping = Mapping::suggest(&table.headers, fields, *roles == RoleChoice::FromColumn);
    let seen = SeenEmails::with_capacity(table.rows.len());
    let mut checker = RowChecker::resume(&table.headers, fields, &mapping, roles, seen);
    Ok(table.rows.iter().map(|row| checker.check(row)).collect())
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
