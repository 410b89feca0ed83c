//! CSV uploads (docs/importing.md): from a file's bytes to checked rows, the same
//! code in the browser and on the server.
//!
//! [`decode`] reads the bytes as text, [`read_table`] splits it into a
//! header and rows, [`Mapping`] pairs columns with fields, [`RowChecker`]
//! gives each row its verdict, [`Forecast`] predicts what applying them
//! does, [`error_log_csv`] writes the errors and [`template_csv`] a
//! file to start from. [`Workbook`] holds a workbook's sheets, read as the
//! same tables; opening one, and writing the .xlsx template and error log,
//! take the `workbooks` feature (calamine, rust_xlsxwriter).

pub mod answers;
pub mod cell_names;
pub mod cell_values;
pub mod cells;
pub mod column_fixes;
pub mod decode;
pub mod error_log;
#[cfg(test)]
#[cfg(feature = "workbooks")]
mod fixture_files;
pub mod forecast;
pub mod header_words;
pub mod mapping;
pub mod mapping_memory;
pub mod row_check;
pub mod table;
pub mod template;
pub mod value_maps;
mod whole_file;
pub mod workbook;
#[cfg(feature = "workbooks")]
mod workbook_open;
#[cfg(feature = "workbooks")]
mod xlsx_formats;

pub use answers::Answers;
pub use cell_names::CellNames;
pub use cells::Cells;
pub use column_fixes::{
    read_date, split_full_name, AppliedFix, ColumnFixes, DateOrder, DateWriting, FixError,
    Replacement, Separator, FULL_NAME_RULE, MAX_REPLACEMENT_CHARS,
};
pub use decode::{decode, fingerprint, DecodeError, DecodedFile, TextEncoding};
#[cfg(feature = "workbooks")]
pub use error_log::error_log_xlsx;
pub use error_log::{error_log_csv, error_log_name, ErrorLogRows};
pub use forecast::{EmailForecast, Forecast, IdConflict, Known, KnownPerson, RowOutcome};
pub use mapping::{Mapping, MappingError, Target};
pub use mapping_memory::{header_key, Closeness, RememberedMapping};
pub use row_check::{CellError, Person, RoleChoice, RowCheck, RowChecker, SeenPeople};
pub use table::{read_table, CsvRow, CsvTable, Delimiter, TableError, TableReader};
pub use template::template_csv;
#[cfg(feature = "workbooks")]
pub use template::template_xlsx;
pub use value_maps::{values_not_options, FieldValues, ValueMaps, ValueNotAnOption};
pub use whole_file::{check_file, check_table, read_file};
pub use workbook::{
    is_workbook, Sheet, SheetOutline, TableHead, Workbook, WorkbookError, WorkbookOutline,
    ROWS_PER_PART,
};
