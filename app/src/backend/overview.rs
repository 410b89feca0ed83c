//! Read-only views: what the navigation, the home page and a track's pages show.

use crate::backend::entities::{
    instance_settings, profile_answer, profile_field, profile_field_option, track, user,
};
use crate::backend::error::ServiceError;
use crate::domain::{Admin, ProfileField};
use crate::{AppError, InstanceSummary, LicenseUse, TrackRef, TrackStats, TrackSummary, Viewer};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Statement,
};
use std::collections::HashMap;

pub async fn settings(db: &impl ConnectionTrait) -> Result<instance_settings::Model, ServiceError> {
    instance_settings::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| {
            tracing::error!("instance settings row missing: the instance file was never synced");
            ServiceError::from(AppError::Internal)
        })
}

pub async fn active_tracks(db: &impl ConnectionTrait) -> Result<Vec<track::Model>, ServiceError> {
    Ok(track::Entity::find()
        .filter(track::Column::Archived.eq(false))
        .order_by_asc(track::Column::Position)
        .all(db)
        .await?)
}

/// The instance has exactly one track (a single-track program, docs/dormant-and-active.md).
pub async fn single_track(db: &DatabaseConnection) -> Result<bool, ServiceError> {
    Ok(active_tracks(db).await?.len() == 1)
}

pub fn track_ref(t: &track::Model) -> TrackRef {
    TrackRef {
        id: t.id,
        slug: t.slug.clone(),
        name: t.name.clone(),
    }
}

async fn count(db: &impl ConnectionTrait, sql: &str) -> Result<u64, ServiceError> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let n: i64 = match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Users with at least one membership of a track that is not archived:
/// each counts once against the licence. Members of archived tracks only
/// are dormant again: the rule is `users::members`, which the Users page's
/// filters use too.
pub async fn active_users(db: &impl ConnectionTrait) -> Result<u64, ServiceError> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.in_subquery(crate::backend::users::members(None, None)))
        .count(db)
        .await?)
}

pub async fn license_use(db: &impl ConnectionTrait) -> Result<LicenseUse, ServiceError> {
    let active_users = active_users(db).await?;
    let limit = u64::try_from(settings(db).await?.license_limit).unwrap_or(0);
    Ok(LicenseUse {
        active_users,
        limit,
    })
}

async fn member_counts(db: &DatabaseConnection) -> Result<HashMap<i64, u64>, ServiceError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT track_id, COUNT(*) AS n FROM memberships GROUP BY track_id",
        ))
        .await?;
    let mut counts = HashMap::with_capacity(rows.len());
    for row in rows {
        let track_id: i64 = row.try_get("", "track_id")?;
        let n: i64 = row.try_get("", "n")?;
        counts.insert(track_id, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}

pub async fn viewer(db: &DatabaseConnection, admin: &Admin) -> Result<Viewer, ServiceError> {
    let tracks = active_tracks(db).await?;
    Ok(Viewer {
        email: admin.email.clone(),
        is_global: admin.is_global(),
        instance_name: settings(db).await?.name,
        tracks: tracks
            .iter()
            .filter(|t| admin.can_manage_track(t.id))
            .map(track_ref)
            .collect(),
    })
}

pub async fn profile_fields(db: &DatabaseConnection) -> Result<Vec<ProfileField>, ServiceError> {
    let fields = profile_field::Entity::find()
        .filter(profile_field::Column::Archived.eq(false))
        .order_by_asc(profile_field::Column::Position)
        .all(db)
        .await?;
    let mut options: HashMap<i64, Vec<String>> = HashMap::new();
    for o in profile_field_option::Entity::find()
        .order_by_asc(profile_field_option::Column::Position)
        .all(db)
        .await?
    {
        options.entry(o.field_id).or_default().push(o.value);
    }
    Ok(fields
        .into_iter()
        .map(|f| ProfileField {
            options: options.remove(&f.id).unwrap_or_default(),
            key: f.key,
            title: f.title,
            kind: *f.kind,
            required: f.required,
            external_id: f.external_id,
        })
        .collect())
}

/// These users' answers to the live profile fields, by field key, in the
/// fields' order.
pub(crate) async fn answers_by_key(
    db: &DatabaseConnection,
    user_ids: &[i64],
) -> Result<HashMap<i64, Vec<(String, String)>>, ServiceError> {
    let fields = profile_field::Entity::find()
        .filter(profile_field::Column::Archived.eq(false))
        .all(db)
        .await?;
    let field = |id: i64| fields.iter().find(|f| f.id == id);
    let mut answers: HashMap<i64, Vec<(i32, String, String)>> = HashMap::new();
    for chunk in user_ids.chunks(crate::backend::imports::CHUNK) {
        for a in profile_answer::Entity::find()
            .filter(profile_answer::Column::UserId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(f) = field(a.field_id) {
                let entry = (f.position, f.key.clone(), a.value);
                answers.entry(a.user_id).or_default().push(entry);
            }
        }
    }
    Ok(answers
        .into_iter()
        .map(|(user, mut list)| {
            list.sort_by_key(|(position, ..)| *position);
            (user, list.into_iter().map(|(_, k, v)| (k, v)).collect())
        })
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn instance_overview(
    db: &DatabaseConnection,
    admin: &Admin,
) -> Result<InstanceSummary, ServiceError> {
    let settings = settings(db).await?;
    let counts = member_counts(db).await?;
    let tracks = active_tracks(db)
        .await?
        .iter()
        .filter(|t| admin.can_manage_track(t.id))
        .map(|t| TrackStats {
            track: track_ref(t),
            members: counts.get(&t.id).copied().unwrap_or(0),
        })
        .collect();
    let dormant_users = if admin.is_global() {
        Some(
            count(
                db,
                "SELECT COUNT(*) AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)",
            )
            .await?,
        )
    } else {
        None
    };
    Ok(InstanceSummary {
        instance_name: settings.name,
        license: license_use(db).await?,
        dormant_users,
        upload_row_limit: u64::try_from(settings.upload_row_limit).unwrap_or(0),
        tracks,
        profile_fields: profile_fields(db).await?,
    })
}

#[tracing::instrument(skip_all, fields(track = slug))]
pub async fn track_overview(
    db: &DatabaseConnection,
    admin: &Admin,
    slug: &str,
) -> Result<TrackSummary, ServiceError> {
    let tracks = active_tracks(db).await?;
    let Some(t) = tracks.iter().find(|t| t.slug == slug) else {
        return Err(AppError::NotFound(format!(
            "There is no track called “{slug}”: pick a track from the menu."
        ))
        .into());
    };
    if !admin.can_manage_track(t.id) {
        return Err(AppError::Forbidden.into());
    }
    let settings = settings(db).await?;
    Ok(TrackSummary {
        track: track_ref(t),
        members: member_counts(db).await?.get(&t.id).copied().unwrap_or(0),
        single_track: tracks.len() == 1,
        pool_allowed: admin.can_use_pool_for(t.id, settings.track_admins_use_global_pool),
        license: license_use(db).await?,
    })
}
