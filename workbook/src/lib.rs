//! The browser's workbook module (docs/importing.md, "Workbooks"): the
//! domain crate's workbook code with calamine and rust_xlsxwriter, built
//! as a wasm of its own (`scripts/build-workbook`) and run in a Web Worker
//! (`workbook/worker.js`), so that opening a 100,000-row workbook never
//! holds up the page. The wizard starts the worker the first time a
//! workbook is chosen or an .xlsx is downloaded. In the page's own wasm,
//! calamine's text-encoding tables alone would put the first visit over
//! its budget: they are data, and the page's lazily loaded chunks carry
//! code only.
//!
//! Values cross as JSON text, in the domain crate's own types. The
//! workbook opened last stays here; the page gets its outline, then the
//! table of the sheet it asks for.

use domain::csv_upload::{
    check_file, error_log_xlsx, template_xlsx, ErrorLogRows, RoleChoice, TableError, TableHead,
    Workbook, ROWS_PER_PART,
};
use domain::{ProfileField, Role, Roles};
use std::cell::RefCell;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};

thread_local! {
    /// The workbook opened last, whose sheets the page reads.
    static OPENED: RefCell<Option<Workbook>> = const { RefCell::new(None) };
}

/// Opens a workbook and keeps it: `Result<WorkbookOutline, WorkbookError>`
/// as JSON.
#[wasm_bindgen]
pub fn open_workbook(bytes: &[u8]) -> Result<String, String> {
    OPENED.set(None); // the last workbook's memory, before the next one's
    let opened = Workbook::open(bytes);
    let outline = opened.as_ref().map(Workbook::outline);
    let answer = json(&outline)?;
    OPENED.set(opened.ok());
    Ok(answer)
}

/// Sheet `sheet` of the workbook opened last, as a table with its headers
/// in `header_row` (else the likely one): its rows go to `send_rows` in
/// parts, each a JSON list of [`domain::csv_upload::CsvRow`]; the answer
/// is `Result<TableHead, TableError>` as JSON.
#[wasm_bindgen]
pub fn sheet_table(
    sheet: usize,
    header_row: Option<u32>,
    row_limit: usize,
    send_rows: &js_sys::Function,
) -> Result<String, String> {
    OPENED.with_borrow(|book| {
        let book = book.as_ref().ok_or(
            "The workbook is no longer open in this tab: choose the file again.".to_owned(),
        )?;
        let (table, cell_names) = match book.table(sheet, header_row, row_limit) {
            Ok(read) => read,
            Err(refused) => return json(&Err::<TableHead, _>(refused)),
        };
        for part in table.rows.chunks(ROWS_PER_PART) {
            send_rows
                .call1(&JsValue::NULL, &JsValue::from_str(&json(part)?))
                .map_err(|e| format!("{e:?}"))?;
        }
        let headers = table.headers;
        json(&Ok::<_, TableError>(TableHead {
            headers,
            cell_names,
        }))
    })
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
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
