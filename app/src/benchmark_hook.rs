//! What the in-browser benchmark (`end2end/bench`) times in the real page:
//! the wizard's reading and checking of a whole file, in this same wasm.

use crate::domain::csv_upload::{check_file, RoleChoice};
use crate::domain::{ProfileField, Role, Roles};
use wasm_bindgen::prelude::wasm_bindgen;

/// Checks `bytes` against the fields (JSON, as `import_context` sends
/// them); answers how many rows have errors, or why the file is refused.
#[wasm_bindgen]
pub async fn benchmark_check_file(bytes: Vec<u8>, fields_json: String) -> Result<u32, String> {
    count_error_rows(bytes, fields_json).await
}

/// Lazy, like the wizard's pages: the CSV code stays out of the first chunk.
#[leptos::lazy]
fn count_error_rows(bytes: Vec<u8>, fields_json: String) -> Result<u32, String> {
    let fields: Vec<ProfileField> =
        leptos::serde_json::from_str(&fields_json).map_err(|e| format!("fields: {e}"))?;
    let roles = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
    let checks = check_file(&bytes, &fields, &roles, usize::MAX)?;
    Ok(checks.iter().filter(|c| !c.errors.is_empty()).count() as u32)
}
