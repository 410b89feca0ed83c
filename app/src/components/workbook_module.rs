//! The wizard's door to the browser's workbook module (`workbook/`, built by
//! `scripts/build-workbook` into the site's `/workbook/`): a wasm of its own,
//! fetched and started the first time a workbook is chosen or an .xlsx is
//! downloaded, then kept. It holds calamine and rust_xlsxwriter, which would
//! otherwise double the page's first download. On the server (which never
//! runs these) each call says so.

use crate::domain::csv_upload::{ErrorLogRows, Workbook, WorkbookError};
use crate::domain::ProfileField;

/// What the admin is told when the module cannot be fetched or run.
const UNAVAILABLE: &str =
    "The workbook reader could not be loaded: check your connection and try again.";

/// Opens a workbook's bytes: its sheets, or why it cannot be read.
pub async fn open_workbook(bytes: &[u8]) -> Result<Workbook, String> {
    let answer = browser::open_workbook(bytes).await?;
    let opened: Result<Workbook, WorkbookError> =
        leptos::serde_json::from_str(&answer).map_err(|e| {
            leptos::logging::error!("workbook module answer: {e}");
            UNAVAILABLE.to_owned()
        })?;
    opened.map_err(|e| {
        if let WorkbookError::Unreadable { cause } = &e {
            leptos::logging::warn!("workbook unreadable: {cause}");
        }
        e.to_string()
    })
}

/// The .xlsx template for these fields.
pub async fn template_workbook(
    fields: &[ProfileField],
    with_roles: bool,
) -> Result<Vec<u8>, String> {
    let fields = leptos::serde_json::to_string(fields).map_err(|e| e.to_string())?;
    browser::template_workbook(&fields, with_roles).await
}

/// The .xlsx error log of these rows.
pub async fn error_log_workbook(rows: &ErrorLogRows) -> Result<Vec<u8>, String> {
    let rows = leptos::serde_json::to_string(rows).map_err(|e| e.to_string())?;
    browser::error_log_workbook(&rows).await
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::UNAVAILABLE;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(inline_js = r#"
let module;
function loaded() {
  module ??= import("/workbook/roster_workbook.js").then(async (m) => { await m.default(); return m; });
  module.catch(() => { module = undefined; });
  return module;
}
export async function openWorkbook(bytes) { return (await loaded()).open_workbook(bytes); }
export async function templateWorkbook(fields, withRoles) { return (await loaded()).template_workbook(fields, withRoles); }
export async function errorLogWorkbook(rows) { return (await loaded()).error_log_workbook(rows); }
"#)]
    extern "C" {
        #[wasm_bindgen(catch, js_name = openWorkbook)]
        async fn open_in_module(bytes: js_sys::Uint8Array) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch, js_name = templateWorkbook)]
        async fn template_in_module(fields: &str, with_roles: bool) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch, js_name = errorLogWorkbook)]
        async fn error_log_in_module(rows: &str) -> Result<JsValue, JsValue>;
    }

    /// A failed call: the module's own sentence (a string it threw), or,
    /// when the module itself failed, the cause logged and a sentence.
    fn failed(error: JsValue) -> String {
        error.as_string().unwrap_or_else(|| {
            leptos::logging::error!("workbook module: {error:?}");
            UNAVAILABLE.to_owned()
        })
    }

    fn bytes(value: JsValue) -> Vec<u8> {
        js_sys::Uint8Array::new(&value).to_vec()
    }

    pub async fn open_workbook(bytes: &[u8]) -> Result<String, String> {
        let answer = open_in_module(js_sys::Uint8Array::from(bytes))
            .await
            .map_err(failed)?;
        answer.as_string().ok_or_else(|| UNAVAILABLE.to_owned())
    }

    pub async fn template_workbook(fields: &str, with_roles: bool) -> Result<Vec<u8>, String> {
        template_in_module(fields, with_roles)
            .await
            .map(bytes)
            .map_err(failed)
    }

    pub async fn error_log_workbook(rows: &str) -> Result<Vec<u8>, String> {
        error_log_in_module(rows).await.map(bytes).map_err(failed)
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    const ON_SERVER: &str = "Workbooks are read in the browser.";

    pub async fn open_workbook(_: &[u8]) -> Result<String, String> {
        Err(ON_SERVER.to_owned())
    }

    pub async fn template_workbook(_: &str, _: bool) -> Result<Vec<u8>, String> {
        Err(ON_SERVER.to_owned())
    }

    pub async fn error_log_workbook(_: &str) -> Result<Vec<u8>, String> {
        Err(ON_SERVER.to_owned())
    }
}
