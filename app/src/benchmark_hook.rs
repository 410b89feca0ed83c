//! What the in-browser benchmark (`end2end/bench`) times in the real page:
//! the wizard's reading and checking of a whole file, in this same wasm;
//! and the same in stages (read, check, free), each its own call, to show
//! where the time goes (docs/performance.md, issue 24).

use crate::domain::csv_upload::{
    check_file, check_table, read_file, CsvTable, RoleChoice, RowCheck,
};
use crate::domain::{ProfileField, Role, Roles};
use std::cell::RefCell;
use wasm_bindgen::prelude::wasm_bindgen;

/// Checks `bytes` against the fields (JSON, as `import_context` sends
/// them); answers how many rows have errors, or why the file is refused.
/// Everything it made is freed before it answers.
#[wasm_bindgen]
pub async fn benchmark_check_file(bytes: Vec<u8>, fields_json: String) -> Result<u32, String> {
    count_error_rows(bytes, fields_json).await
}

/// Decodes and reads `bytes` as a table, kept for [`benchmark_check_kept`]:
/// the rows read.
#[wasm_bindgen]
pub async fn benchmark_read_file(bytes: Vec<u8>) -> Result<u32, String> {
    read_and_keep(bytes).await
}

/// Pre-matches and checks the table kept by [`benchmark_read_file`],
/// keeping the verdicts as the wizard does: the rows with errors.
#[wasm_bindgen]
pub async fn benchmark_check_kept(fields_json: String) -> Result<u32, String> {
    check_kept(fields_json).await
}

/// Frees the table and verdicts kept.
#[wasm_bindgen]
pub async fn benchmark_free_kept() {
    free_kept().await
}

/// Lazy, like the wizard's pages: the CSV code stays out of the first chunk.
#[leptos::lazy]
fn count_error_rows(bytes: Vec<u8>, fields_json: String) -> Result<u32, String> {
    let fields = parse_fields(&fields_json)?;
    let checks = check_file(&bytes, &fields, &mentees(), usize::MAX)?;
    Ok(error_rows(&checks))
}

/// What the staged calls keep between them, as the wizard keeps it.
#[derive(Default)]
struct Kept {
    table: Option<CsvTable>,
    checks: Vec<RowCheck>,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::default();
}

#[leptos::lazy]
fn read_and_keep(bytes: Vec<u8>) -> Result<u32, String> {
    let table = read_file(&bytes, usize::MAX)?;
    let rows = table.rows.len() as u32;
    KEPT.with_borrow_mut(|kept| kept.table = Some(table));
    Ok(rows)
}

#[leptos::lazy]
fn check_kept(fields_json: String) -> Result<u32, String> {
    let fields = parse_fields(&fields_json)?;
    KEPT.with_borrow_mut(|kept| {
        let table = kept.table.as_ref().ok_or("no table read")?;
        kept.checks = check_table(table, &fields, &mentees());
        Ok(error_rows(&kept.checks))
    })
}

#[leptos::lazy]
fn free_kept() {
    KEPT.with_borrow_mut(|kept| *kept = Kept::default());
}

fn parse_fields(fields_json: &str) -> Result<Vec<ProfileField>, String> {
    leptos::serde_json::from_str(fields_json).map_err(|e| format!("fields: {e}"))
}

fn mentees() -> RoleChoice {
    RoleChoice::Everyone(Roles::empty().with(Role::Mentee))
}

fn error_rows(checks: &[RowCheck]) -> u32 {
    checks.iter().filter(|c| !c.errors.is_empty()).count() as u32
}
