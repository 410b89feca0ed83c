//! API tokens (docs/api.md): a global admin, signed in, creates named
//! tokens for systems that call Roster's functions with nobody at the
//! keyboard, scoped to the global level or to chosen tracks.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The longest name a token may be given.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// What a new token may reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenScope {
    /// Everything a global admin reaches.
    Global,
    /// What an admin of these tracks (by slug) reaches.
    Tracks(Vec<String>),
}

/// A token just created: the only time the token itself is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: i64,
    pub token: String,
}

/// A token as the tokens page lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// "Global level and every track", or the tracks' names.
    pub scope: String,
    /// UTC, "YYYY-MM-DD HH:MM".
    pub created_at: String,
    pub created_by: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_from: Option<String>,
}

#[server(prefix = "/api", endpoint = "create_api_token", input = Json)]
pub async fn create_api_token(name: String, scope: TokenScope) -> Result<NewToken, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::api_tokens::create(&db, &admin, &name, scope).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "api_tokens", input = Json)]
pub async fn api_tokens() -> Result<Vec<ApiToken>, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::api_tokens::list(&db, &admin).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "revoke_api_token", input = Json)]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::api_tokens::revoke(&db, &admin, id).await
    })
    .await
}
