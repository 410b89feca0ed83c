//! A track's system emails (docs/system-emails.md): the four templates, editable and
//! switchable, and the outbox of what was sent or is waiting.

use crate::domain::{OutboxStatus, SystemEmail};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailTemplate {
    pub email: SystemEmail,
    pub subject: String,
    pub body: String,
    pub enabled: bool,
    /// Changed from the default text.
    pub edited: bool,
}

/// One email of the outbox, as the track's admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub to: String,
    pub email: SystemEmail,
    pub subject: String,
    pub status: OutboxStatus,
    /// When it was queued, sent or last tried (UTC, "YYYY-MM-DD HH:MM").
    pub at: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackEmails {
    pub templates: Vec<EmailTemplate>,
    /// The newest first, at most [`OUTBOX_SHOWN`].
    pub outbox: Vec<OutboxEntry>,
    /// Minutes an email waits before it is sent.
    pub hold_minutes: u32,
    /// The `{sign_in_link}` of this instance.
    pub sign_in_url: String,
}

pub const OUTBOX_SHOWN: u64 = 200;

#[server(prefix = "/api", endpoint = "track_emails", input = Json)]
pub async fn load_track_emails(track_slug: String) -> Result<TrackEmails, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::emails::track_emails(&db, &admin, &track_slug).await
    })
    .await
}

/// Saves one template; a subject or body with an unknown placeholder is
/// refused with the sentence that names it.
#[server(prefix = "/api", endpoint = "save_email_template", input = Json)]
pub async fn save_email_template(
    track_slug: String,
    template: EmailTemplate,
) -> Result<EmailTemplate, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::emails::save_template(&db, &admin, &track_slug, template).await
    })
    .await
}
