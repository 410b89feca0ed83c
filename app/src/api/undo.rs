//! Undoing an import (docs/history-and-undo.md): what it would take back, then taking it back.
//!
//! The confirmation shows [`UndoPlan`]; the undo sends the counts the admin
//! saw, and the server refuses if they no longer match what it would do.

use crate::api::LicenseUse;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Whether an import can still be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UndoWindow {
    /// Until this time, UTC, "YYYY-MM-DD HH:MM".
    Open { until: String },
    /// Why not, as a sentence.
    Closed(String),
    /// Undone at this time (UTC), by this admin.
    Undone { at: String, by: Option<String> },
}

/// What undoing takes back, person by person; each person is counted in at
/// most one of the first four.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoCounts {
    /// People the import created, deleted with everything they hold.
    pub users_deleted: u64,
    /// People the import created who were already emailed: they leave the
    /// track and stay as dormant users, so the record of the email stays.
    pub emailed_kept_dormant: u64,
    /// People who stay on the platform but leave the track.
    pub memberships_removed: u64,
    /// Members who lose the roles the import gave them.
    pub roles_removed: u64,
    /// People whose names or profile values go back to what they were.
    pub profiles_restored: u64,
    /// Queued emails that will not be sent.
    pub emails_cancelled: u64,
    /// Emails already sent (or being sent): they stay sent.
    pub emails_sent: u64,
    /// Queued emails that still go out, to people a later import keeps in the track.
    pub emails_kept: u64,
    /// People a later import changed: what it wrote of theirs stays.
    pub kept_for_later_imports: u64,
    /// Tracks (or roles in them) that people left, given back (SCIM).
    #[serde(default)]
    pub memberships_restored: u64,
}

impl UndoCounts {
    /// Whether undoing would take nothing back.
    pub fn is_nothing(&self) -> bool {
        self.users_deleted
            + self.emailed_kept_dormant
            + self.memberships_removed
            + self.roles_removed
            + self.profiles_restored
            + self.emails_cancelled
            + self.memberships_restored
            == 0
    }
}

/// A later import that changed some of this import's people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaterImport {
    pub id: i64,
    /// UTC, "YYYY-MM-DD HH:MM".
    pub started_at: String,
    /// People of this import it changed.
    pub people: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoPlan {
    pub counts: UndoCounts,
    pub later_imports: Vec<LaterImport>,
    /// The track the import added people to, by name.
    pub track_name: Option<String>,
    /// Active users now, and after the undo.
    pub license_now: LicenseUse,
    pub active_after: u64,
    /// UTC, "YYYY-MM-DD HH:MM".
    pub until: String,
}

/// What undoing import `id` would do now.
#[server(prefix = "/api", endpoint = "preview_undo", input = Json)]
pub async fn preview_undo(id: i64) -> Result<UndoPlan, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::undo::preview(&db, &admin, id).await
    })
    .await
}

/// Undoes import `id`, if it would still do exactly what `expected` says.
#[server(prefix = "/api", endpoint = "undo_import", input = Json)]
pub async fn undo_import(id: i64, expected: UndoCounts) -> Result<UndoCounts, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::undo::undo(&db, &admin, id, expected).await
    })
    .await
}
