//! Applying a checked CSV file (docs/importing.md, step 4): the browser starts an
//! import, sends its rows in batches, and finishes it. The server checks
//! every row again with the same domain code and the caller's rights.

use crate::api::{LicenseUse, TrackRef};
use crate::domain::csv_upload::{CellError, CsvRow, Mapping, RoleChoice};
pub use crate::domain::csv_upload::{KnownPerson, RowOutcome};
use crate::domain::{ProfileField, SystemEmail, UpdateRule};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Rows per batch the browser sends, at most. Chosen by measurement
/// (docs/performance.md, "Batch size"): 500 rows write 10,000 people a
/// sixth faster than 250 on SQLite and a tenth on PostgreSQL, while 1,000
/// gained 1 % and 6 % more and held the write lock, which other imports
/// wait on, twice as long.
pub const BATCH_ROWS: usize = 500;
/// Cell text a batch carries, at most (one row at least): a quarter of
/// the 4 MB request limit, leaving room for JSON's quotes and escapes.
pub const BATCH_BYTES: usize = 1024 * 1024;

/// How many of `rows` the next batch takes: up to [`BATCH_ROWS`], and
/// past the first no more cell text than [`BATCH_BYTES`].
pub fn batch_len(rows: &[CsvRow]) -> usize {
    let mut bytes = 0;
    for (n, row) in rows.iter().take(BATCH_ROWS).enumerate() {
        bytes += row.cells.text_len();
        if bytes > BATCH_BYTES && n > 0 {
            return n;
        }
    }
    rows.len().min(BATCH_ROWS)
}

/// What an import will do, fixed when it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    /// The track to add people to; `None` for a dormant import at the global level.
    pub track_slug: Option<String>,
    pub file_name: String,
    /// The workbook's sheet the people were read from; `None` for CSV.
    pub sheet: Option<String>,
    /// A hash of the file's bytes, to recognise the same file later.
    pub file_hash: String,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    pub roles: RoleChoice,
    /// Data rows in the file, errors included.
    pub rows_total: u32,
    /// Whom it adds and what it writes over (docs/importing.md, "Update rules").
    #[serde(default)]
    pub rule: UpdateRule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowResult {
    pub line: u64,
    pub outcome: RowOutcome,
    pub errors: Vec<CellError>,
}

/// The Done page's figures (docs/importing.md, step 5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    /// New users.
    pub created: u64,
    /// Existing users whose profile was updated.
    pub updated: u64,
    /// Memberships created in the track (new users included).
    pub added: u64,
    /// Existing members who gained roles.
    pub roles_added: u64,
    pub emails_queued: u64,
    /// Rows not imported because of errors.
    pub skipped: u64,
    /// People already on the platform, left alone by "only add new people".
    pub skipped_existing: u64,
    /// New emails left out by "only update existing people".
    pub skipped_new: u64,
    /// People taken out of a track, or of some of its roles (SCIM).
    #[serde(default)]
    pub left: u64,
}

/// What the wizard needs to check a file before anything is sent: the
/// same fields and limits the server will check it against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportContext {
    /// `None` at the global level (a dormant import).
    pub track: Option<TrackRef>,
    pub fields: Vec<ProfileField>,
    pub row_limit: u64,
    pub license: LicenseUse,
    /// The track's system emails that are switched off.
    pub emails_off: Vec<SystemEmail>,
}

#[server(prefix = "/api", endpoint = "import_context", input = Json)]
pub async fn load_import_context(
    track_slug: Option<String>,
    dormant: bool,
) -> Result<ImportContext, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::imports::import_context(&db, &admin, track_slug.as_deref(), dormant).await
    })
    .await
}

/// What `POST /api/v1/imports` answers (docs/api.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileImportAnswer {
    /// The import, in the history; `None` for a dry run.
    pub import_id: Option<i64>,
    /// The file's data rows.
    pub rows: u64,
    /// What the import did.
    pub counts: Option<ImportCounts>,
    /// What it would do: a dry run writes nothing.
    pub dry_run: Option<DryRunCounts>,
    /// The rows' problems, in line order: the first 1,000.
    pub errors: Vec<crate::domain::csv_upload::CellError>,
    pub errors_total: u64,
}

/// The preview's counts, for a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DryRunCounts {
    pub new: u64,
    pub joining: u64,
    pub roles_added: u64,
    pub updated: u64,
    pub skipped_existing: u64,
    pub skipped_new: u64,
    pub email_changes: u64,
    pub newly_active: u64,
    /// System emails that would be queued (switched-off ones left out).
    pub emails: u64,
}

impl DryRunCounts {
    pub fn of(f: &crate::domain::csv_upload::Forecast) -> DryRunCounts {
        DryRunCounts {
            new: f.new,
            joining: f.joining,
            roles_added: f.roles_added,
            updated: f.unchanged,
            skipped_existing: f.skipped_existing,
            skipped_new: f.skipped_new,
            email_changes: f.email_changes,
            newly_active: f.newly_active,
            emails: f.emails.iter().filter(|e| !e.off).map(|e| e.people).sum(),
        }
    }
}

/// Emails one `known_people` call may ask about; the preview asks in
/// chunks of this size.
pub const KNOWN_PEOPLE_PER_CALL: usize = 5_000;

/// Which of these emails, or external IDs, already exist
/// (docs/importing.md, step 3). Unknown ones are simply left out of the answer.
#[server(prefix = "/api", endpoint = "known_people", input = Json)]
pub async fn known_people(
    track_slug: Option<String>,
    emails: Vec<String>,
    #[server(default)] ids: Vec<String>,
) -> Result<Vec<KnownPerson>, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::imports::known_people(&db, &admin, track_slug.as_deref(), emails, ids).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "start_import", input = Json)]
pub async fn start_import(plan: ImportPlan) -> Result<i64, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::imports::start(&db, &admin, plan).await
    })
    .await
}

/// Applies one batch in one transaction. Sending the same batch again
/// creates nothing twice: it answers with what the first one did.
#[server(prefix = "/api", endpoint = "apply_batch", input = Json)]
pub async fn apply_batch(import_id: i64, rows: Vec<CsvRow>) -> Result<Vec<RowResult>, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::imports::apply_batch(&db, &admin, import_id, rows).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "finish_import", input = Json)]
pub async fn finish_import(import_id: i64) -> Result<ImportCounts, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::imports::finish(&db, &admin, import_id).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::{batch_len, BATCH_BYTES, BATCH_ROWS};
    use crate::domain::csv_upload::{Cells, CsvRow};

    fn rows(n: usize, cell_bytes: usize) -> Vec<CsvRow> {
        (0..n)
            .map(|i| CsvRow {
                line: i as u64 + 2,
                cells: Cells::from(vec!["x".repeat(cell_bytes)]),
            })
            .collect()
    }

    #[test]
    fn a_batch_takes_up_to_its_rows() {
        assert_eq!(batch_len(&rows(BATCH_ROWS * 2, 10)), BATCH_ROWS);
        assert_eq!(batch_len(&rows(7, 10)), 7);
        assert_eq!(batch_len(&[]), 0);
    }

    #[test]
    fn long_cells_make_a_batch_shorter_but_never_empty() {
        let per_row = BATCH_BYTES / 10;
        assert_eq!(batch_len(&rows(BATCH_ROWS, per_row)), 10);
        assert_eq!(batch_len(&rows(3, BATCH_BYTES * 2)), 1);
    }
}
