//! API tokens (docs/api.md): created by a global admin, signed in, for a
//! system that calls Roster with nobody at the keyboard. A call with
//! `Authorization: Bearer <token>` acts as the admin who created the
//! token, within the token's own scope; only a hash of it is kept.

use crate::api::tokens::{ApiToken, NewToken, TokenScope, MAX_TOKEN_NAME_CHARS};
use crate::backend::entities::stored::Json;
use crate::backend::entities::{admin, api_token, track};
use crate::backend::error::ServiceError;
use crate::backend::imports::invalid;
use crate::backend::secrets::{new_token, token_hash};
use crate::backend::undo::minute;
use crate::domain::text::longer_than;
use crate::domain::{Admin, AdminScope};
use crate::AppError;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;

/// What a token is prefixed with, so that secret scanners and people can
/// tell it from other secrets.
pub const TOKEN_PREFIX: &str = "roster_";
/// Tokens one instance may hold, revoked ones included.
const MAX_TOKENS: u64 = 500;
/// A token's last use is written at most this often.
const USED_EVERY: Duration = Duration::minutes(1);

fn in_person(admin: &Admin) -> Result<(), ServiceError> {
    // A token cannot mint or revoke tokens: a leaked one must not outlive
    // its revocation by making more.
    if !admin.is_global() || !admin.in_person() {
        return Err(AppError::Forbidden.into());
    }
    Ok(())
}

/// Creates a token; the answer is the only time the token is shown.
pub async fn create(
    db: &DatabaseConnection,
    admin: &Admin,
    name: &str,
    scope: TokenScope,
) -> Result<NewToken, ServiceError> {
    in_person(admin)?;
    let name = name.trim();
    if name.is_empty() || longer_than(name, MAX_TOKEN_NAME_CHARS) {
        return invalid(format!(
            "Name the token in 1 to {MAX_TOKEN_NAME_CHARS} characters, after the system that will use it."
        ));
    }
    let scope = match scope {
        TokenScope::Global => AdminScope::Global,
        TokenScope::Tracks(slugs) => AdminScope::Tracks(track_ids(db, &slugs).await?),
    };
    if api_token::Entity::find().count(db).await? >= MAX_TOKENS {
        return invalid(
            "This instance holds 500 tokens: delete revoked ones before creating more.",
        );
    }
    let token = format!("{TOKEN_PREFIX}{}", new_token());
    let created = api_token::ActiveModel {
        name: Set(name.to_owned()),
        token_hash: Set(token_hash(&token)),
        scope: Set(Json(scope)),
        created_by: Set(admin.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    tracing::info!(token = created.id, admin = admin.id, "API token created");
    Ok(NewToken {
        id: created.id,
        token,
    })
}

/// The ids of these tracks' slugs; a slug that is no track is refused.
async fn track_ids(db: &DatabaseConnection, slugs: &[String]) -> Result<Vec<i64>, ServiceError> {
    if slugs.is_empty() {
        return invalid("Choose the tracks the token may add people to, or the global level.");
    }
    let tracks: HashMap<String, i64> = track::Entity::find()
        .filter(track::Column::Archived.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.id))
        .collect();
    slugs
        .iter()
        .map(|slug| match tracks.get(slug) {
            Some(id) => Ok(*id),
            None => invalid(format!(
                "There is no track “{slug}”: reload the page and choose again."
            )),
        })
        .collect()
}

/// Every token, newest first, with who created it and its last use.
pub async fn list(db: &DatabaseConnection, admin: &Admin) -> Result<Vec<ApiToken>, ServiceError> {
    in_person(admin)?;
    let admins: HashMap<i64, String> = admin::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect();
    let tracks: HashMap<i64, String> = track::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let tokens = api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?;
    Ok(tokens
        .into_iter()
        .map(|t| ApiToken {
            id: t.id,
            name: t.name,
            scope: match &*t.scope {
                AdminScope::Global => "Global level and every track".to_owned(),
                AdminScope::Tracks(ids) => ids
                    .iter()
                    .filter_map(|id| tracks.get(id).cloned())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            created_at: minute(t.created_at),
            created_by: admins.get(&t.created_by).cloned(),
            revoked_at: t.revoked_at.map(minute),
            last_used_at: t.last_used_at.map(minute),
            last_used_from: t.last_used_from,
        })
        .collect())
}

/// Revokes a token: its next call is refused. Revoking twice changes nothing.
pub async fn revoke(db: &DatabaseConnection, admin: &Admin, id: i64) -> Result<(), ServiceError> {
    in_person(admin)?;
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if result.rows_affected == 0 && api_token::Entity::find_by_id(id).one(db).await?.is_none() {
        return Err(
            AppError::NotFound("There is no such API token: reload the page.".into()).into(),
        );
    }
    tracing::info!(token = id, admin = admin.id, "API token revoked");
    Ok(())
}

/// The token of an `Authorization: Bearer` header, if any. Bounded: a
/// token is 50 characters, and nothing much longer is looked up.
pub fn bearer_token(headers: &http::HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty() && token.len() <= 200).then_some(token)
}

/// The admin a bearer token acts as, within the token's scope; refused as
/// not signed in when it is unknown or revoked. Notes when and from where
/// it was used.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    from: Option<std::net::IpAddr>,
) -> Result<Admin, ServiceError> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    let Some(t) = found else {
        return Err(AppError::TokenRefused.into());
    };
    let Some(creator) = admin::Entity::find_by_id(t.created_by).one(db).await? else {
        return Err(AppError::TokenRefused.into());
    };
    let now = Utc::now();
    let from = from.map(|a| a.to_string());
    if t.last_used_at.is_none_or(|at| at <= now - USED_EVERY) || t.last_used_from != from {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .col_expr(api_token::Column::LastUsedFrom, Expr::value(from))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(db)
            .await?;
    }
    // Only a global admin creates tokens; one no longer global loses them.
    if !creator.is_global {
        return Err(AppError::TokenRefused.into());
    }
    Ok(Admin {
        id: creator.id,
        email: creator.email,
        scope: t.scope.0,
        token: Some(t.id),
    })
}
