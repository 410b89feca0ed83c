//! Remembered mappings on the server: saved when a file import finishes,
//! found for a file's headers, listed, renamed and deleted — each only at
//! a level the caller administers.

use crate::api::mappings::{
    FoundMapping, MappingStart, SavedMapping, MAPPINGS_PER_LEVEL, MAX_HEADERS, MAX_HEADER_CHARS,
    MAX_MAPPING_NAME_CHARS,
};
use crate::backend::entities::saved_mapping::{self, scope_of};
use crate::backend::entities::stored::Json;
use crate::backend::entities::{admin as admin_entity, import};
use crate::backend::error::ServiceError;
use crate::backend::imports::{import_target, invalid, refuse};
use crate::backend::secrets::token_hash;
use crate::backend::undo::minute;
use crate::domain::csv_upload::{header_key, RememberedMapping, Target};
use crate::domain::text::{longer_than, thousands, trim};
use crate::domain::Admin;
use crate::AppError;
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The key a header set is remembered by.
fn key_of(headers: &[String]) -> String {
    token_hash(&header_key(headers))
}

/// The level's remembered mappings, most recently saved first.
async fn at_level(
    db: &impl ConnectionTrait,
    track_id: Option<i64>,
) -> Result<Vec<saved_mapping::Model>, ServiceError> {
    Ok(saved_mapping::Entity::find()
        .filter(saved_mapping::Column::Scope.eq(scope_of(track_id)))
        .order_by_desc(saved_mapping::Column::SavedAt)
        .order_by_desc(saved_mapping::Column::Id)
        .limit(MAPPINGS_PER_LEVEL)
        .all(db)
        .await?)
}

/// The remembered mapping for these headers, or nearly these (the same
/// set first), and every header's remembered target as a hint.
pub async fn start(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    headers: Vec<String>,
) -> Result<MappingStart, ServiceError> {
    if headers.len() > MAX_HEADERS || headers.iter().any(|h| longer_than(h, MAX_HEADER_CHARS)) {
        return invalid(format!(
            "A file may have at most {} columns of at most {} characters each: check the header row.",
            thousands(MAX_HEADERS),
            thousands(MAX_HEADER_CHARS)
        ));
    }
    let track_id = import_target(db, admin, track_slug).await?.map(|t| t.id);
    let saved = at_level(db, track_id).await?;
    // The most recently saved pairing of a header wins.
    let mut hints: HashMap<String, Target> = HashMap::new();
    for s in &saved {
        for (header, target) in s.mapping.hints() {
            hints.entry(header).or_insert(target);
        }
    }
    let best = saved
        .iter()
        .filter_map(|s| s.mapping.closeness(&headers).map(|c| (c, s)))
        .min_by_key(|(c, _)| *c);
    let found = match best {
        Some((closeness, s)) => {
            described(db, vec![s.clone()])
                .await?
                .pop()
                .map(|saved| FoundMapping {
                    saved,
                    closeness,
                    mapping: s.mapping.0.clone(),
                })
        }
        None => None,
    };
    Ok(MappingStart {
        found,
        hints: hints.into_iter().collect(),
    })
}

/// The mappings as the pages show them, with who saved each.
async fn described(
    db: &impl ConnectionTrait,
    saved: Vec<saved_mapping::Model>,
) -> Result<Vec<SavedMapping>, ServiceError> {
    let ids: Vec<i64> = saved.iter().filter_map(|s| s.saved_by).collect();
    let emails: HashMap<i64, String> = admin_entity::Entity::find()
        .filter(admin_entity::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect();
    Ok(saved
        .into_iter()
        .map(|s| SavedMapping {
            id: s.id,
            saved_by: s.saved_by.and_then(|id| emails.get(&id).cloned()),
            saved_at: minute(s.saved_at),
            headers: s.mapping.0.headers,
            name: s.name,
        })
        .collect())
}

pub async fn list(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
) -> Result<Vec<SavedMapping>, ServiceError> {
    let track_id = import_target(db, admin, track_slug).await?.map(|t| t.id);
    described(db, at_level(db, track_id).await?).await
}

/// The level's remembered mapping of this name (the most recently saved,
/// if two share it), for an import that names it.
pub async fn named(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    name: &str,
) -> Result<RememberedMapping, ServiceError> {
    let track_id = import_target(db, admin, track_slug).await?.map(|t| t.id);
    let found = at_level(db, track_id)
        .await?
        .into_iter()
        .find(|s| s.name.trim() == name.trim());
    match found {
        Some(saved) => Ok(saved.mapping.0),
        None => refuse(AppError::NotFound(format!(
            "No remembered mapping at this level is called “{name}”: see Remembered mappings \
             in the menu for their names."
        ))),
    }
}

/// The remembered mapping, if this admin administers its level.
async fn own(
    db: &DatabaseConnection,
    admin: &Admin,
    id: i64,
) -> Result<saved_mapping::Model, ServiceError> {
    let Some(found) = saved_mapping::Entity::find_by_id(id).one(db).await? else {
        return refuse(AppError::NotFound(
            "This remembered mapping no longer exists: reload the page.".into(),
        ));
    };
    if !admin.administers(found.track_id) {
        return refuse(AppError::Forbidden);
    }
    Ok(found)
}

pub async fn rename(
    db: &DatabaseConnection,
    admin: &Admin,
    id: i64,
    name: &str,
) -> Result<(), ServiceError> {
    let name = trim(name);
    if name.is_empty() || longer_than(name, MAX_MAPPING_NAME_CHARS) {
        return invalid(format!(
            "Give the mapping a name of 1 to {MAX_MAPPING_NAME_CHARS} characters."
        ));
    }
    let found = own(db, admin, id).await?;
    saved_mapping::Entity::update_many()
        .col_expr(
            saved_mapping::Column::Name,
            sea_orm::sea_query::Expr::value(name),
        )
        .filter(saved_mapping::Column::Id.eq(found.id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, admin: &Admin, id: i64) -> Result<(), ServiceError> {
    let found = own(db, admin, id).await?;
    saved_mapping::Entity::delete_by_id(found.id)
        .exec(db)
        .await?;
    Ok(())
}

/// Remembers a finished file import's mapping at its level, under its
/// headers: a new one is named after the file; one already remembered for
/// these headers takes the new mapping and keeps its name. Beyond
/// [`MAPPINGS_PER_LEVEL`], the least recently saved is forgotten.
pub(crate) async fn remember(
    db: &impl ConnectionTrait,
    imp: &import::Model,
) -> Result<(), ServiceError> {
    let Some(stored) = imp.mapping.as_deref() else {
        return Ok(());
    };
    let now = Utc::now();
    let name: String = imp
        .file_name
        .as_deref()
        .unwrap_or("Mapping")
        .chars()
        .take(MAX_MAPPING_NAME_CHARS)
        .collect();
    let row = saved_mapping::ActiveModel {
        scope: Set(scope_of(imp.track_id)),
        track_id: Set(imp.track_id),
        header_key: Set(key_of(&stored.headers)),
        name: Set(name),
        mapping: Set(Json(RememberedMapping::of(
            &stored.headers,
            &stored.mapping,
        ))),
        saved_at: Set(now),
        saved_by: Set(imp.admin_id),
        ..Default::default()
    };
    saved_mapping::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                saved_mapping::Column::Scope,
                saved_mapping::Column::HeaderKey,
            ])
            .update_columns([
                saved_mapping::Column::Mapping,
                saved_mapping::Column::SavedAt,
                saved_mapping::Column::SavedBy,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    forget_the_least_used(db, imp.track_id).await
}

async fn forget_the_least_used(
    db: &impl ConnectionTrait,
    track_id: Option<i64>,
) -> Result<(), ServiceError> {
    let scope = scope_of(track_id);
    let count = saved_mapping::Entity::find()
        .filter(saved_mapping::Column::Scope.eq(scope.clone()))
        .count(db)
        .await?;
    if count <= MAPPINGS_PER_LEVEL {
        return Ok(());
    }
    let old: Vec<i64> = saved_mapping::Entity::find()
        .filter(saved_mapping::Column::Scope.eq(scope))
        .order_by_asc(saved_mapping::Column::SavedAt)
        .order_by_asc(saved_mapping::Column::Id)
        .limit(count - MAPPINGS_PER_LEVEL)
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    saved_mapping::Entity::delete_many()
        .filter(saved_mapping::Column::Id.is_in(old))
        .exec(db)
        .await?;
    Ok(())
}
