//! The wizard's door to the browser's workbook module (`workbook/`, built by
//! `scripts/build-workbook` into the site's `/workbook/`): a wasm of its own,
//! run in a Web Worker started the first time a workbook is chosen or an
//! .xlsx is downloaded, then kept. It holds calamine and rust_xlsxwriter,
//! which would otherwise double the page's first download, and it opens a
//! 100,000-row workbook without holding up the page. The worker keeps the
//! workbook it opened; the page gets its outline, then the table of the
//! sheet it asks for, the rows in parts it takes in a slice at a time. On
//! the server (which never runs these) each call says so.

use crate::domain::csv_upload::{
    CsvRow, ErrorLogRows, TableError, TableHead, WorkbookError, WorkbookOutline,
};
use crate::domain::ProfileField;
use leptos::serde_json;

pub use browser::TableParts;

/// What the admin is told when the module cannot be fetched or run.
const UNAVAILABLE: &str =
    "The workbook reader could not be loaded: check your connection and try again.";

/// Opens a workbook's bytes, which the worker keeps: its sheets, or why
/// it cannot be read.
pub async fn open_workbook(bytes: &[u8]) -> Result<WorkbookOutline, String> {
    let answer = browser::open_workbook(bytes).await?;
    let opened: Result<WorkbookOutline, WorkbookError> = parse(&answer)?;
    opened.map_err(|e| {
        if let WorkbookError::Unreadable { cause } = &e {
            leptos::logging::warn!("workbook unreadable: {cause}");
        }
        e.to_string()
    })
}

/// A sheet of the workbook opened last, as a table: its head, and its rows
/// still to be taken in.
pub struct SheetTable {
    pub head: TableHead,
    pub parts: TableParts,
}

/// Sheet `sheet` of the workbook opened last, with its headers in
/// `header_row` (else the likely one): or why it cannot be a table.
pub async fn sheet_table(
    sheet: usize,
    header_row: Option<u32>,
    row_limit: usize,
) -> Result<SheetTable, String> {
    let (answer, parts) = browser::sheet_table(sheet, header_row, row_limit).await?;
    let head: Result<TableHead, TableError> = parse(&answer)?;
    let head = head.map_err(|e| e.to_string())?;
    Ok(SheetTable { head, parts })
}

impl TableParts {
    /// The next part's rows; `None` once all are taken.
    pub fn next_rows(&mut self) -> Option<Result<Vec<CsvRow>, String>> {
        self.next_part().map(|part| parse(&part))
    }
}

/// The .xlsx template for these fields.
pub async fn template_workbook(
    fields: &[ProfileField],
    with_roles: bool,
) -> Result<Vec<u8>, String> {
    let fields = serde_json::to_string(fields).map_err(|e| e.to_string())?;
    browser::template_workbook(&fields, with_roles).await
}

/// The .xlsx error log of these rows.
pub async fn error_log_workbook(rows: &ErrorLogRows) -> Result<Vec<u8>, String> {
    let rows = serde_json::to_string(rows).map_err(|e| e.to_string())?;
    browser::error_log_workbook(&rows).await
}

/// An answer of the module's, in the domain's types.
fn parse<T: serde::de::DeserializeOwned>(answer: &str) -> Result<T, String> {
    serde_json::from_str(answer).map_err(|e| {
        leptos::logging::error!("workbook module answer: {e}");
        UNAVAILABLE.to_owned()
    })
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::UNAVAILABLE;
    use js_sys::{Array, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;

    // One worker, started on first use. Calls are answered in turn; a call
    // whose worker failed is refused, and the next call starts a new one.
    #[wasm_bindgen(inline_js = r#"
let worker;
let next = 0;
const pending = new Map();
function stop(why) {
  worker?.terminate();
  worker = undefined;
  for (const call of pending.values()) call.reject(new Error(why));
  pending.clear();
}
function started() {
  if (worker) return worker;
  worker = new Worker("/workbook/worker.js", { type: "module" });
  worker.onmessage = ({ data }) => {
    const call = pending.get(data.id);
    if (!call) return;
    if ("part" in data) return void call.parts.push(data.part);
    pending.delete(data.id);
    if ("refused" in data) call.reject(data.refused);
    else if ("failed" in data) { call.reject(new Error(data.failed)); stop(data.failed); }
    else call.resolve({ answer: data.answer, parts: call.parts });
  };
  worker.onerror = (event) => stop(event.message || "the workbook worker could not start");
  return worker;
}
export function callWorker(call, args, transfer) {
  return new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject, parts: [] });
    started().postMessage({ id, call, args }, transfer);
  });
}
"#)]
    extern "C" {
        #[wasm_bindgen(catch, js_name = callWorker)]
        async fn call_worker(call: &str, args: Array, transfer: Array) -> Result<JsValue, JsValue>;
    }

    /// A refused call: the module's own sentence (a string it threw), or,
    /// when the module itself failed, the cause logged and a sentence.
    fn failed(error: JsValue) -> String {
        error.as_string().unwrap_or_else(|| {
            leptos::logging::error!("workbook module: {error:?}");
            UNAVAILABLE.to_owned()
        })
    }

    /// Calls the module's function `name` in the worker: its answer, and
    /// the parts of rows sent before it.
    async fn call(name: &str, args: Array, transfer: Array) -> Result<(JsValue, Array), String> {
        let reply = call_worker(name, args, transfer).await.map_err(failed)?;
        let field = |key: &str| Reflect::get(&reply, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let parts = field("parts").dyn_into().unwrap_or_default();
        Ok((field("answer"), parts))
    }

    fn text(answer: JsValue) -> Result<String, String> {
        answer.as_string().ok_or_else(|| UNAVAILABLE.to_owned())
    }

    fn bytes(answer: JsValue) -> Vec<u8> {
        Uint8Array::new(&answer).to_vec()
    }

    pub async fn open_workbook(bytes: &[u8]) -> Result<String, String> {
        // A copy out of the page's memory, handed over to the worker.
        let copy = Uint8Array::from(bytes);
        let (answer, _) = call(
            "open_workbook",
            Array::of1(&copy),
            Array::of1(&copy.buffer()),
        )
        .await?;
        text(answer)
    }

    pub async fn sheet_table(
        sheet: usize,
        header_row: Option<u32>,
        row_limit: usize,
    ) -> Result<(String, TableParts), String> {
        let header_row = header_row.map_or(JsValue::UNDEFINED, JsValue::from);
        let args = Array::of3(&sheet.into(), &header_row, &row_limit.into());
        let (answer, parts) = call("sheet_table", args, Array::new()).await?;
        Ok((text(answer)?, TableParts { parts, taken: 0 }))
    }

    pub async fn template_workbook(fields: &str, with_roles: bool) -> Result<Vec<u8>, String> {
        let args = Array::of2(&fields.into(), &with_roles.into());
        call("template_workbook", args, Array::new())
            .await
            .map(|(answer, _)| bytes(answer))
    }

    pub async fn error_log_workbook(rows: &str) -> Result<Vec<u8>, String> {
        call("error_log_workbook", Array::of1(&rows.into()), Array::new())
            .await
            .map(|(answer, _)| bytes(answer))
    }

    /// A table's rows as the worker sent them: JSON text, a part at a time,
    /// each read into the page's memory only when taken.
    pub struct TableParts {
        parts: Array,
        taken: u32,
    }

    impl TableParts {
        pub(super) fn next_part(&mut self) -> Option<String> {
            let part = self.parts.get(self.taken).as_string()?;
            self.taken += 1;
            Some(part)
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    const ON_SERVER: &str = "Workbooks are read in the browser.";

    pub async fn open_workbook(_: &[u8]) -> Result<String, String> {
        Err(ON_SERVER.to_owned())
    }

    pub async fn sheet_table(
        _: usize,
        _: Option<u32>,
        _: usize,
    ) -> Result<(String, TableParts), String> {
        Err(ON_SERVER.to_owned())
    }

    pub async fn template_workbook(_: &str, _: bool) -> Result<Vec<u8>, String> {
        Err(ON_SERVER.to_owned())
    }

    pub async fn error_log_workbook(_: &str) -> Result<Vec<u8>, String> {
        Err(ON_SERVER.to_owned())
    }

    /// Never made on the server.
    pub struct TableParts;

    impl TableParts {
        pub(super) fn next_part(&mut self) -> Option<String> {
            None
        }
    }
}
