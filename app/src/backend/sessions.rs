//! Admin sessions (docs/access-and-security.md): opened at sign-in, ended at sign-out, after
//! [`SESSION_HOURS`], or after [`IDLE`] without a request; ended sessions
//! are swept out of the database every [`SWEEP_EVERY`].

use crate::backend::entities::{admin, admin_track, session};
use crate::backend::error::ServiceError;
use crate::backend::secrets::{new_token, token_hash};
use crate::domain::{Admin, AdminScope};
use crate::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};

/// A session just opened: the cookie value and how long it lives.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

pub const SESSION_HOURS: i64 = 12;
/// A session unused this long has ended: a screen left signed in.
pub const IDLE: Duration = Duration::hours(2);
/// How stale `last_seen_at` may be before a request writes it again (a
/// write per request would serialise every page on SQLite's write lock).
const SEEN_EVERY: Duration = Duration::minutes(1);
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub(crate) async fn open(
    db: &impl ConnectionTrait,
    admin_id: i64,
) -> Result<NewSession, ServiceError> {
    let token = new_token();
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        admin_id: Set(admin_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(SESSION_HOURS)),
        last_seen_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NewSession {
        token,
        max_age_secs: SESSION_HOURS * 3600,
    })
}

#[tracing::instrument(skip_all)]
pub async fn logout(db: &DatabaseConnection, token: &str) -> Result<(), ServiceError> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

fn ended(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(session::Column::ExpiresAt.lte(now))
        .add(session::Column::LastSeenAt.lte(now - IDLE))
}

/// The admin behind a session token; `SessionExpired` once it has run out
/// or lain unused for [`IDLE`].
pub async fn authenticate(db: &DatabaseConnection, token: &str) -> Result<Admin, ServiceError> {
    let found = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?;
    let Some(s) = found else {
        return Err(AppError::NotSignedIn.into());
    };
    let now = Utc::now();
    if s.expires_at <= now || s.last_seen_at <= now - IDLE {
        session::Entity::delete_by_id(s.id).exec(db).await?;
        return Err(AppError::SessionExpired.into());
    }
    if s.last_seen_at <= now - SEEN_EVERY {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(s.id))
            .exec(db)
            .await?;
    }
    let Some(a) = admin::Entity::find_by_id(s.admin_id).one(db).await? else {
        return Err(AppError::NotSignedIn.into());
    };
    admin_of(db, a).await
}

/// An admin account with what it administers.
pub(crate) async fn admin_of(
    db: &DatabaseConnection,
    a: admin::Model,
) -> Result<Admin, ServiceError> {
    let scope = if a.is_global {
        AdminScope::Global
    } else {
        let ids = admin_track::Entity::find()
            .filter(admin_track::Column::AdminId.eq(a.id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.track_id)
            .collect();
        AdminScope::Tracks(ids)
    };
    Ok(Admin {
        id: a.id,
        email: a.email,
        scope,
        token: None,
    })
}

/// Deletes every ended session; how many.
pub async fn sweep(db: &DatabaseConnection) -> Result<u64, ServiceError> {
    Ok(session::Entity::delete_many()
        .filter(ended(Utc::now()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Sweeps ended sessions now and every [`SWEEP_EVERY`], until aborted.
pub fn sweep_periodically(db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            match sweep(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "ended sessions swept out"),
                Err(e) => tracing::warn!(error = %e, "cannot sweep ended sessions"),
            }
        }
    })
}
