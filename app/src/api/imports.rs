//! Applying a checked CSV file (SPEC §5 step 4, §6): the browser starts an
//! import, sends its rows in batches, and finishes it. The server checks
//! every row again with the same domain code and the caller's rights.

use crate::domain::csv_upload::{CellError, CsvRow, Mapping, RoleChoice};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Rows per batch the browser sends: far below the 2 MB request limit even
/// with twenty long cells a row.
pub const BATCH_ROWS: usize = 250;

/// What an import will do, fixed when it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    /// The track to add people to; `None` for a dormant import at the global level.
    pub track_slug: Option<String>,
    pub file_name: String,
    /// A hash of the file's bytes, to recognise the same file later.
    pub file_hash: String,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    pub roles: RoleChoice,
    /// Data rows in the file, errors included.
    pub rows_total: u32,
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// A new user (and, at a track, their membership).
    Created,
    /// An existing user added to the track.
    Added,
    /// An existing member who gained roles.
    RolesAdded,
    /// An existing user whose profile was updated, nothing else.
    Updated,
    /// Not imported: see the errors.
    Skipped,
}

impl RowOutcome {
    pub fn key(self) -> &'static str {
        match self {
            RowOutcome::Created => "created",
            RowOutcome::Added => "added",
            RowOutcome::RolesAdded => "roles_added",
            RowOutcome::Updated => "updated",
            RowOutcome::Skipped => "skipped",
        }
    }

    pub fn from_key(key: &str) -> Option<RowOutcome> {
        [
            RowOutcome::Created,
            RowOutcome::Added,
            RowOutcome::RolesAdded,
            RowOutcome::Updated,
            RowOutcome::Skipped,
        ]
        .into_iter()
        .find(|o| o.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowResult {
    pub line: u64,
    pub outcome: RowOutcome,
    pub errors: Vec<CellError>,
}

/// The Done page's figures (SPEC §5 step 5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// What the server knows of one of the file's people, for the preview's
/// counts and licence meter; only what the caller needs and may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownPerson {
    /// The normalised email (trimmed, lower-case).
    pub email: String,
    /// A member of at least one track: already counted against the licence.
    pub active: bool,
    /// Their roles in the import's track, when already a member of it.
    pub roles_in_track: Option<crate::domain::Roles>,
}

/// Which of these emails already exist (SPEC §5 step 3). Unknown emails are
/// simply left out of the answer.
#[server(prefix = "/api", endpoint = "known_people", input = Json)]
pub async fn known_people(
    track_slug: Option<String>,
    emails: Vec<String>,
) -> Result<Vec<KnownPerson>, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            call.backend()
                .known_people(&admin, track_slug.as_deref(), emails)
                .await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "start_import", input = Json)]
pub async fn start_import(plan: ImportPlan) -> Result<i64, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            call.backend().start_import(&admin, plan).await
        }
        .await,
    )
}

/// Applies one batch in one transaction. Sending the same batch again
/// creates nothing twice: it answers with what the first one did.
#[server(prefix = "/api", endpoint = "apply_batch", input = Json)]
pub async fn apply_batch(import_id: i64, rows: Vec<CsvRow>) -> Result<Vec<RowResult>, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            call.backend().apply_batch(&admin, import_id, rows).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "finish_import", input = Json)]
pub async fn finish_import(import_id: i64) -> Result<ImportCounts, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            call.backend().finish_import(&admin, import_id).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::RowOutcome;

    #[test]
    fn outcome_keys_round_trip() {
        for o in [
            RowOutcome::Created,
            RowOutcome::Added,
            RowOutcome::RolesAdded,
            RowOutcome::Updated,
            RowOutcome::Skipped,
        ] {
            assert_eq!(RowOutcome::from_key(o.key()), Some(o));
        }
        assert_eq!(RowOutcome::from_key("nope"), None);
    }
}
