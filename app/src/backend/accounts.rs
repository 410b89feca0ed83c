//! Admin accounts: setup links, passwords, sessions (docs/access-and-security.md).

use crate::backend::entities::{admin, admin_invite, admin_track, track};
use crate::backend::error::ServiceError;
use crate::backend::secrets::{
    hash_in_turn, hash_password, new_token, token_hash, verify_password,
};
use crate::backend::sessions::NewSession;
use crate::backend::{sessions, sign_in_throttle};
use crate::domain::text::longer_than;
use crate::domain::{Email, NewPassword};
use crate::{AppError, SetupLinkInfo};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

pub const INVITE_DAYS: i64 = 7;

const LINK_UNUSABLE: &str = "This setup link has already been used or has expired. Ask a global admin for a new one (they can run `server create-admin`).";

async fn hash_off_runtime(password: NewPassword) -> Result<String, ServiceError> {
    hash_in_turn(move || hash_password(password.expose()))
        .await?
        .map_err(ServiceError::Hash)
}

/// Voids the first start's unused link: it is only for a database without admins.
async fn void_first_start_links(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    admin_invite::Entity::update_many()
        .col_expr(admin_invite::Column::UsedAt, Expr::value(now))
        .filter(admin_invite::Column::AdminId.is_null())
        .filter(admin_invite::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a new one-time setup link (for `admin_id`, or the first start's
/// when `None`) and returns its token; only the hash is kept.
async fn new_invite(
    db: &impl ConnectionTrait,
    admin_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let token = new_token();
    admin_invite::ActiveModel {
        token_hash: Set(token_hash(&token)),
        admin_id: Set(admin_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITE_DAYS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// On a database with no admin at all, a fresh one-time link that creates
/// the first global admin (earlier unused links stop working). `None` once
/// any admin exists.
pub async fn first_start_token(db: &DatabaseConnection) -> Result<Option<String>, ServiceError> {
    if admin::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let now = Utc::now();
    void_first_start_links(db, now).await?;
    Ok(Some(new_invite(db, None, now).await?))
}

/// What `create-admin` made: the account, and a setup link's token unless a
/// password was given.
pub struct CreatedAdmin {
    pub admin_id: i64,
    pub invite_token: Option<String>,
}

/// Creates an admin: global without tracks, else the admin of those tracks.
#[tracing::instrument(skip_all)]
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &Email,
    track_slugs: &[String],
    password: Option<NewPassword>,
) -> Result<CreatedAdmin, ServiceError> {
    if admin::Entity::find()
        .filter(admin::Column::EmailNormalized.eq(email.normalized()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Invalid(format!(
            "an admin with the email {email} already exists: use another email."
        ))
        .into());
    }
    let mut track_ids = Vec::with_capacity(track_slugs.len());
    for slug in track_slugs {
        let found = track::Entity::find()
            .filter(track::Column::Slug.eq(slug.as_str()))
            .filter(track::Column::Archived.eq(false))
            .one(db)
            .await?;
        match found {
            Some(t) => track_ids.push(t.id),
            None => {
                let known = track::Entity::find()
                    .filter(track::Column::Archived.eq(false))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|t| t.slug)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(AppError::Invalid(format!(
                    "there is no track {slug:?}: use one of {known}."
                ))
                .into());
            }
        }
    }
    let password_hash = match password {
        Some(p) => Some(hash_off_runtime(p).await?),
        None => None,
    };
    let now = Utc::now();
    let txn = crate::backend::db::begin_write(db).await?;
    let created = admin::ActiveModel {
        email: Set(email.as_str().to_owned()),
        email_normalized: Set(email.normalized()),
        password_hash: Set(password_hash.clone()),
        is_global: Set(track_ids.is_empty()),
        created_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if !track_ids.is_empty() {
        admin_track::Entity::insert_many(track_ids.iter().map(|&track_id| {
            admin_track::ActiveModel {
                admin_id: Set(created.id),
                track_id: Set(track_id),
            }
        }))
        .exec(&txn)
        .await?;
    }
    let invite_token = match password_hash {
        None => Some(new_invite(&txn, Some(created.id), now).await?),
        Some(_) => None,
    };
    void_first_start_links(&txn, now).await?;
    txn.commit().await?;
    Ok(CreatedAdmin {
        admin_id: created.id,
        invite_token,
    })
}

async fn usable_invite(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<admin_invite::Model, ServiceError> {
    let invite = admin_invite::Entity::find()
        .filter(admin_invite::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?;
    match invite {
        Some(i) if i.used_at.is_none() && i.expires_at > Utc::now() => Ok(i),
        _ => Err(AppError::Invalid(LINK_UNUSABLE.into()).into()),
    }
}

#[tracing::instrument(skip_all)]
pub async fn setup_info(
    db: &DatabaseConnection,
    token: &str,
) -> Result<SetupLinkInfo, ServiceError> {
    let invite = usable_invite(db, token).await?;
    let email = match invite.admin_id {
        Some(id) => admin::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| a.email),
        None => None,
    };
    Ok(SetupLinkInfo { email })
}

#[tracing::instrument(skip_all)]
pub async fn complete_setup(
    db: &DatabaseConnection,
    token: &str,
    email: Option<Email>,
    password: NewPassword,
) -> Result<NewSession, ServiceError> {
    let invite = usable_invite(db, token).await?;
    if invite.admin_id.is_none() && email.is_none() {
        return Err(AppError::Invalid(
            "Enter your email: it becomes the first global admin's sign-in.".into(),
        )
        .into());
    }
    let hash = hash_off_runtime(password).await?;
    let now = Utc::now();
    let txn = crate::backend::db::begin_write(db).await?;
    // Claim the link; a second tab or a replay finds it used.
    let claimed = admin_invite::Entity::update_many()
        .col_expr(admin_invite::Column::UsedAt, Expr::value(now))
        .filter(admin_invite::Column::Id.eq(invite.id))
        .filter(admin_invite::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Invalid(LINK_UNUSABLE.into()).into());
    }
    let admin_id = match (invite.admin_id, email) {
        (Some(id), _) => {
            admin::Entity::update_many()
                .col_expr(admin::Column::PasswordHash, Expr::value(hash))
                .col_expr(admin::Column::LastLoginAt, Expr::value(now))
                .filter(admin::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            id
        }
        (None, Some(email)) => {
            if admin::Entity::find().count(&txn).await? > 0 {
                return Err(AppError::Invalid(LINK_UNUSABLE.into()).into());
            }
            admin::ActiveModel {
                email: Set(email.as_str().to_owned()),
                email_normalized: Set(email.normalized()),
                password_hash: Set(Some(hash)),
                is_global: Set(true),
                created_at: Set(now),
                last_login_at: Set(Some(now)),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
        (None, None) => return Err(AppError::Invalid("Enter your email.".into()).into()),
    };
    let session = sessions::open(&txn, admin_id).await?;
    txn.commit().await?;
    Ok(session)
}

/// The longest password a sign-in is checked with (a new one may hold 256
/// characters): anything longer is refused before any work.
const MAX_SIGN_IN_PASSWORD_BYTES: usize = 1_024;

/// Signs in `email` from the client address `client`, within the limits of
/// [`sign_in_throttle`].
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<NewSession, ServiceError> {
    if longer_than(email, crate::domain::email::MAX_EMAIL_CHARS)
        || password.len() > MAX_SIGN_IN_PASSWORD_BYTES
    {
        return Err(AppError::SignInFailed.into());
    }
    let normalized = crate::domain::email::normalize(email);
    let attempt = sign_in_throttle::begin(
        db,
        &normalized,
        sign_in_throttle::client_key(client),
        Utc::now(),
    )
    .await?;
    let found = admin::Entity::find()
        .filter(admin::Column::EmailNormalized.eq(normalized))
        .one(db)
        .await?;
    let stored = found.as_ref().and_then(|a| a.password_hash.clone());
    let password = password.to_owned();
    // Unknown emails are checked against a dummy hash: same time, same answer.
    let ok = match hash_in_turn(move || verify_password(stored.as_deref(), &password)).await {
        Ok(ok) => ok,
        Err(e) => {
            sign_in_throttle::withdrawn(db, attempt).await?;
            return Err(e);
        }
    };
    let Some(admin) = found.filter(|_| ok) else {
        return Err(AppError::SignInFailed.into());
    };
    sign_in_throttle::succeeded(db, attempt).await?;
    admin::Entity::update_many()
        .col_expr(admin::Column::LastLoginAt, Expr::value(Utc::now()))
        .filter(admin::Column::Id.eq(admin.id))
        .exec(db)
        .await?;
    sessions::open(db, admin.id).await
}

/// The admin a command-line task acts as (`server import --as`), with
/// their own rights; an unknown address is refused with a sentence.
pub async fn acting_as(
    db: &DatabaseConnection,
    email: &str,
) -> Result<crate::domain::Admin, ServiceError> {
    let key = crate::domain::email::normalize(email);
    let found = admin::Entity::find()
        .filter(admin::Column::EmailNormalized.eq(key))
        .one(db)
        .await?;
    match found {
        Some(a) => sessions::admin_of(db, a).await,
        None => Err(AppError::NotFound(format!(
            "No admin account has the email {email}: give --as an admin's sign-in email \
             (create one with `server create-admin`)."
        ))
        .into()),
    }
}
