//! `Idempotency-Key` for `POST /api/v1/imports` (docs/api.md): a request
//! sent again with the same key by the same token is answered with the
//! first one's answer, and imports nothing twice. Kept in the database, so
//! every server of a shared PostgreSQL sees the same keys.

use crate::api::imports::FileImportAnswer;
use crate::backend::entities::idempotency_key;
use crate::backend::entities::stored::Json;
use crate::backend::error::ServiceError;
use crate::backend::imports::invalid;
use crate::backend::secrets::token_hash;
use crate::AppError;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
};

/// The longest key taken.
pub const MAX_KEY_CHARS: usize = 255;
/// A first request that has not answered in this long has died: its key
/// may be used again.
const ABANDONED_AFTER: Duration = Duration::minutes(15);

/// What a request with a key does.
pub enum Claim {
    /// The first request's answer.
    Answered(Box<FileImportAnswer>),
    /// The key is this request's to answer (by its row).
    Mine(i64),
}

/// Claims `key` for this token's request, or finds the first answer. A
/// first request still running is a refusal: send again once it answered.
pub async fn claim(
    db: &DatabaseConnection,
    token_id: i64,
    key: &str,
) -> Result<Claim, ServiceError> {
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return invalid("An Idempotency-Key is 1 to 255 characters: a UUID is a good one.");
    }
    let key_hash = token_hash(key);
    let found = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::TokenId.eq(token_id))
        .filter(idempotency_key::Column::KeyHash.eq(key_hash.clone()))
        .one(db)
        .await?;
    if let Some(row) = found {
        if let Some(answer) = row.answer {
            return Ok(Claim::Answered(Box::new(answer.0)));
        }
        if row.created_at > Utc::now() - ABANDONED_AFTER {
            return Err(still_running());
        }
        // Abandoned: this request takes it over.
        idempotency_key::Entity::delete_by_id(row.id)
            .exec(db)
            .await?;
    }
    let inserted = idempotency_key::ActiveModel {
        token_id: Set(token_id),
        key_hash: Set(key_hash),
        answer: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => Ok(Claim::Mine(row.id)),
        // The same key sent twice at once: the other one runs.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(still_running())
        }
        Err(e) => Err(e.into()),
    }
}

fn still_running() -> ServiceError {
    AppError::Invalid(
        "A request with this Idempotency-Key is still running: send it again in a minute for its answer."
            .into(),
    )
    .into()
}

/// Keeps the answer for requests sent again with the key.
pub async fn answered(
    db: &DatabaseConnection,
    claim: i64,
    answer: &FileImportAnswer,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::Answer,
            Expr::value(Json(answer.clone())),
        )
        .filter(idempotency_key::Column::Id.eq(claim))
        .exec(db)
        .await?;
    Ok(())
}

/// Frees the key of a request that was refused: a corrected one may use it.
pub async fn release(db: &DatabaseConnection, claim: i64) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_by_id(claim)
        .exec(db)
        .await?;
    Ok(())
}
