//! Any errors written to the downloadable log read back as the same cells,
//! and no cell of it starts a spreadsheet formula.
#![no_main]

use domain::csv_upload::error_log::neutralise;
use domain::csv_upload::{error_log_csv, read_table, CellError, Delimiter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|errors: Vec<(u64, String, String, String)>| {
    let errors: Vec<CellError> = errors
        .into_iter()
        .take(50)
        .map(|(line, column, value, message)| CellError {
            line,
            column,
            value,
            message,
            suggestion: None,
        })
        .collect();
    if errors.is_empty() {
        return; // a log of nothing is only its header, which reads as "no rows"
    }
    let log = error_log_csv(&errors);
    let table = read_table(&log, Delimiter::Comma, usize::MAX).expect("the log is a table");
    assert_eq!(table.rows.len(), errors.len());
    for (row, error) in table.rows.iter().zip(&errors) {
        assert_eq!(row.cells.get(2), Some(neutralise(&error.value).as_str()));
        assert_eq!(row.cells.get(3), Some(neutralise(&error.message).as_str()));
        for cell in row.cells.iter() {
            let formula = cell.starts_with(['\t', '\r'])
                || cell.trim_start().starts_with(['=', '+', '-', '@']);
            assert!(!formula, "a formula in the log: {cell:?}");
        }
    }
});
