//! The browser's workbook module (docs/importing.md, "Workbooks"): the
//! domain crate's workbook code with calamine and rust_xlsxwriter, built
//! as a wasm of its own (`scripts/build-workbook`). The wizard fetches it
//! the first time a workbook is chosen or an .xlsx is downloaded. In the
//! page's own wasm, calamine's text-encoding tables alone would put the
//! first visit over its budget: they are data, and the page's lazily
//! loaded chunks carry code only.
//!
//! Values cross as JSON text, in the domain crate's own types.

use domain::csv_upload::{
    check_file, error_log_xlsx, template_xlsx, ErrorLogRows, RoleChoice, Workbook,
};
use domain::{ProfileField, Role, Roles};
use wasm_bindgen::prelude::wasm_bindgen;

/// Opens a workbook: `Result<Workbook, WorkbookError>` as JSON.
#[wasm_bindgen]
pub fn open_workbook(bytes: &[u8]) -> Result<String, String> {
    serde_json::to_string(&Workbook::open(bytes)).map_err(|e| e.to_string())
}

/// The .xlsx template for these fields (JSON, as `import_context` sends them).
#[wasm_bindgen]
pub fn template_workbook(fields_json: &str, with_roles: bool) -> Result<Vec<u8>, String> {
    let fields: Vec<ProfileField> = serde_json::from_str(fields_json).map_err(|e| e.to_string())?;
    template_xlsx(&fields, with_roles).map_err(|e| e.to_string())
}

/// The .xlsx error log of the rows given (an [`ErrorLogRows`] as JSON).
#[wasm_bindgen]
pub fn error_log_workbook(rows_json: &str) -> Result<Vec<u8>, String> {
    let log: ErrorLogRows = serde_json::from_str(rows_json).map_err(|e| e.to_string())?;
    error_log_xlsx(&log.headers, &log.rows, &log.checks).map_err(|e| e.to_string())
}

/// What the in-browser benchmark times for a workbook: opened, read and
/// every row checked, as the wizard does; the rows with errors.
#[wasm_bindgen]
pub fn benchmark_check_workbook(bytes: &[u8], fields_json: &str) -> Result<u32, String> {
    let fields: Vec<ProfileField> = serde_json::from_str(fields_json).map_err(|e| e.to_string())?;
    let roles = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
    let checks = check_file(bytes, &fields, &roles, usize::MAX)?;
    Ok(checks.iter().filter(|c| !c.errors.is_empty()).count() as u32)
}
