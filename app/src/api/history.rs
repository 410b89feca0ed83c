//! Import history (docs/history-and-undo.md): every import and manual or pool add, newest
//! first, with its counts and its rows' outcomes and errors.

use crate::api::undo::UndoWindow;
use crate::api::{ImportCounts, TrackRef};
use crate::domain::csv_upload::{CellError, RowOutcome};
use crate::domain::{ImportKind, ImportStatus, UpdateRule};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Imports on one page of the history.
pub const IMPORTS_PER_PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: i64,
    pub kind: ImportKind,
    /// `None`: the global level.
    pub track: Option<TrackRef>,
    pub admin_email: Option<String>,
    /// UTC, "YYYY-MM-DD HH:MM".
    pub started_at: String,
    pub file_name: Option<String>,
    /// The workbook sheet the people were read from.
    pub sheet: Option<String>,
    pub status: ImportStatus,
    pub counts: ImportCounts,
    /// Whom it added and what it wrote over.
    pub rule: UpdateRule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub imports: Vec<ImportSummary>,
    pub total: u64,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedRow {
    pub line: u64,
    pub outcome: RowOutcome,
    /// The normalised email, when the row had a valid one.
    pub email: Option<String>,
    pub errors: Vec<CellError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDetail {
    pub summary: ImportSummary,
    pub rows: Vec<ImportedRow>,
    pub undo: UndoWindow,
}

/// `track_slug`: that track's history (its admins); `None`: every import
/// of the instance (global admins).
#[server(prefix = "/api", endpoint = "import_history", input = Json)]
pub async fn import_history(
    track_slug: Option<String>,
    page: u32,
) -> Result<HistoryPage, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::history::list(&db, &admin, track_slug.as_deref(), page).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "import_detail", input = Json)]
pub async fn load_import_detail(id: i64) -> Result<ImportDetail, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::history::detail(&db, &admin, id).await
    })
    .await
}
