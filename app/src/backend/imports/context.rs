//! What an import may be started with: its target track, the fields and
//! licence the wizard checks against, and who in a file is already known.

use super::{invalid, refuse, users_by_email};
use crate::api::imports::KNOWN_PEOPLE_PER_CALL;
use crate::backend::bulk::{lookup_chunk, one_of};
use crate::backend::entities::{email_template, membership, track};
use crate::backend::error::ServiceError;
use crate::backend::external_ids::{id_field, users_by_id};
use crate::backend::overview::{
    active_tracks, license_use, profile_fields, settings, single_track, track_ref,
};
use crate::domain::text::thousands;
use crate::domain::{Admin, Roles};
use crate::{AppError, ImportContext, KnownPerson};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// The track an import at `slug` goes to (`None`: the global level), if
/// this admin may import there.
pub(crate) async fn import_target(
    db: &DatabaseConnection,
    admin: &Admin,
    slug: Option<&str>,
) -> Result<Option<track::Model>, ServiceError> {
    let Some(slug) = slug else {
        return if admin.is_global() {
            Ok(None)
        } else {
            refuse(AppError::Forbidden)
        };
    };
    let Some(t) = track::Entity::find()
        .filter(track::Column::Slug.eq(slug))
        .filter(track::Column::Archived.eq(false))
        .one(db)
        .await?
    else {
        return refuse(AppError::NotFound(format!(
            "There is no track called “{slug}”."
        )));
    };
    if !admin.can_manage_track(t.id) {
        return refuse(AppError::Forbidden);
    }
    Ok(Some(t))
}

/// The track at `slug`, if this admin manages it.
pub async fn track_to_manage(
    db: &DatabaseConnection,
    admin: &Admin,
    slug: &str,
) -> Result<track::Model, ServiceError> {
    import_target(db, admin, Some(slug))
        .await?
        .ok_or_else(|| ServiceError::Data("a track lookup without its track".into()))
}

#[tracing::instrument(skip_all, fields(track = track_slug, dormant))]
pub async fn import_context(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    dormant: bool,
) -> Result<ImportContext, ServiceError> {
    let target = import_target(db, admin, track_slug).await?;
    if dormant {
        allow_dormant_at(db, target.as_ref()).await?;
    }
    let emails_off = match &target {
        Some(t) if !dormant => email_template::Entity::find()
            .filter(email_template::Column::TrackId.eq(t.id))
            .filter(email_template::Column::Enabled.eq(false))
            .all(db)
            .await?
            .into_iter()
            .map(|t| *t.template)
            .collect(),
        _ => Vec::new(),
    };
    Ok(ImportContext {
        track: target.as_ref().map(track_ref),
        fields: profile_fields(db).await?,
        row_limit: u64::try_from(settings(db).await?.upload_row_limit).unwrap_or(0),
        license: license_use(db).await?,
        emails_off,
    })
}

/// A dormant import belongs to the global level; a track's page offers it
/// only in a single-track program (docs/importing.md).
pub(super) async fn allow_dormant_at(
    db: &DatabaseConnection,
    track: Option<&track::Model>,
) -> Result<(), ServiceError> {
    if track.is_some() && !single_track(db).await? {
        return invalid(
            "Dormant users cannot be added to one track of a program with several tracks: \
             add them from “Add users from CSV” at the global level.",
        );
    }
    Ok(())
}

/// What the platform knows of the people with these emails or external
/// IDs. Whoever imports a file naming an ID learns the address it is
/// on file under: that is how the preview shows an email change.
#[tracing::instrument(skip_all, fields(track = track_slug, emails = emails.len(), ids = ids.len()))]
pub async fn known_people(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    emails: Vec<String>,
    ids: Vec<String>,
) -> Result<Vec<KnownPerson>, ServiceError> {
    if emails.len() > KNOWN_PEOPLE_PER_CALL || ids.len() > KNOWN_PEOPLE_PER_CALL {
        return invalid(format!(
            "Ask about at most {} emails and {0} IDs at a time: send them in smaller groups.",
            thousands(KNOWN_PEOPLE_PER_CALL)
        ));
    }
    let track_id = import_target(db, admin, track_slug).await?.map(|t| t.id);
    let keys: Vec<String> = emails
        .iter()
        .map(|e| crate::domain::email::normalize(e))
        .collect();
    let mut found = users_by_email(db, &keys).await?;
    if !ids.is_empty() && id_field(db).await?.is_some() {
        found.extend(users_by_id(db, &ids).await?);
    }
    let users: HashMap<i64, (String, Option<String>)> = found
        .into_iter()
        .map(|u| (u.id, (u.email_normalized, u.external_id)))
        .collect();
    let ids: Vec<i64> = users.keys().copied().collect();
    // Members of archived tracks only are dormant: they would take a licence.
    let live: HashSet<i64> = active_tracks(db).await?.iter().map(|t| t.id).collect();
    let mut active: HashMap<i64, bool> = HashMap::new();
    let mut in_track: HashMap<i64, Roles> = HashMap::new();
    let backend = db.get_database_backend();
    for chunk in ids.chunks(lookup_chunk(backend)) {
        for m in membership::Entity::find()
            .filter(one_of(backend, membership::Column::UserId, chunk))
            .all(db)
            .await?
        {
            if !live.contains(&m.track_id) {
                continue;
            }
            active.insert(m.user_id, true);
            if Some(m.track_id) == track_id {
                in_track.insert(m.user_id, Roles::from_bits(m.roles));
            }
        }
    }
    let mut known: Vec<KnownPerson> = users
        .into_iter()
        .map(|(id, (email, external_id))| KnownPerson {
            email,
            active: active.contains_key(&id),
            roles_in_track: in_track.get(&id).copied(),
            external_id,
        })
        .collect();
    known.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(known)
}
