//! Remembered mappings (docs/importing.md, "Remembered mappings"): a
//! completed file import remembers its mapping under its headers, at its
//! level (a track, or the global level); the next file with the same
//! headers, or nearly, opens the Map step with it applied.

use crate::domain::csv_upload::{Closeness, RememberedMapping, Target};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Headers one call may send, and the longest header looked at.
pub const MAX_HEADERS: usize = 1_000;
pub const MAX_HEADER_CHARS: usize = 1_000;
/// The longest name a remembered mapping may be given.
pub const MAX_MAPPING_NAME_CHARS: usize = 100;
/// Mappings remembered per level: the least recently saved go first.
pub const MAPPINGS_PER_LEVEL: u64 = 200;

/// A remembered mapping, as the Map step and the mappings page name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub id: i64,
    pub name: String,
    pub headers: Vec<String>,
    /// UTC, "YYYY-MM-DD HH:MM": when an import last saved it.
    pub saved_at: String,
    /// The admin whose import last saved it.
    pub saved_by: Option<String>,
}

/// What the Map step starts from for a file's headers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MappingStart {
    /// The remembered mapping for these headers (or nearly these).
    pub found: Option<FoundMapping>,
    /// Headers (folded) and what they filled in this level's remembered
    /// mappings: the pre-matching takes them first.
    pub hints: Vec<(String, Target)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundMapping {
    pub saved: SavedMapping,
    pub closeness: Closeness,
    pub mapping: RememberedMapping,
}

/// For a file's headers at a level (`track_slug`; `None`: global).
#[server(prefix = "/api", endpoint = "mapping_start", input = Json)]
pub async fn load_mapping_start(
    track_slug: Option<String>,
    headers: Vec<String>,
) -> Result<MappingStart, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::saved_mappings::start(&db, &admin, track_slug.as_deref(), headers).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "saved_mappings", input = Json)]
pub async fn saved_mappings(track_slug: Option<String>) -> Result<Vec<SavedMapping>, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::saved_mappings::list(&db, &admin, track_slug.as_deref()).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "rename_saved_mapping", input = Json)]
pub async fn rename_saved_mapping(id: i64, name: String) -> Result<(), AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::saved_mappings::rename(&db, &admin, id, &name).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "delete_saved_mapping", input = Json)]
pub async fn delete_saved_mapping(id: i64) -> Result<(), AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::saved_mappings::delete(&db, &admin, id).await
    })
    .await
}
