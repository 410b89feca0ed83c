//! Import history (docs/history-and-undo.md): what every import did, for the admins with
//! rights over where it wrote.

use crate::api::history::{
    HistoryPage, ImportDetail, ImportSummary, ImportedRow, IMPORTS_PER_PAGE,
};
use crate::backend::entities::{admin as admin_entity, import, import_row, track};
use crate::backend::error::ServiceError;
use crate::backend::imports::track_to_manage;
use crate::backend::overview::track_ref;
use crate::backend::undo::{minute, window_of};
use crate::domain::Admin;
use crate::AppError;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

#[tracing::instrument(skip_all, fields(track = track_slug, page))]
pub async fn list(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    page: u32,
) -> Result<HistoryPage, ServiceError> {
    let mut select = import::Entity::find();
    match track_slug {
        Some(slug) => {
            let t = track_to_manage(db, admin, slug).await?;
            select = select.filter(import::Column::TrackId.eq(t.id));
        }
        None if admin.is_global() => {}
        None => return Err(AppError::Forbidden.into()),
    }
    let total = select.clone().count(db).await?;
    let found = select
        .order_by_desc(import::Column::Id)
        .limit(u64::from(IMPORTS_PER_PAGE))
        .offset(u64::from(page) * u64::from(IMPORTS_PER_PAGE))
        .all(db)
        .await?;
    let imports = summaries(db, found).await?;
    Ok(HistoryPage {
        imports,
        total,
        page,
    })
}

/// The import, if this admin has rights over where it wrote.
pub(crate) async fn visible_import(
    db: &impl ConnectionTrait,
    admin: &Admin,
    id: i64,
) -> Result<import::Model, ServiceError> {
    let Some(found) = import::Entity::find_by_id(id).one(db).await? else {
        return Err(AppError::NotFound(
            "There is no such import: pick one from the history.".into(),
        )
        .into());
    };
    if !admin.administers(found.track_id) {
        return Err(AppError::Forbidden.into());
    }
    Ok(found)
}

#[tracing::instrument(skip_all, fields(import = id))]
pub async fn detail(
    db: &DatabaseConnection,
    admin: &Admin,
    id: i64,
) -> Result<ImportDetail, ServiceError> {
    let found = visible_import(db, admin, id).await?;
    let undone_by = match found.undone_by {
        Some(by) => admin_entity::Entity::find_by_id(by)
            .one(db)
            .await?
            .map(|a| a.email),
        None => None,
    };
    let undo = window_of(db, &found, undone_by).await?;
    let rows = import_row::Entity::find()
        .filter(import_row::Column::ImportId.eq(id))
        .order_by_asc(import_row::Column::Line)
        .all(db)
        .await?
        .into_iter()
        .map(|r| ImportedRow {
            line: u64::try_from(r.line).unwrap_or(0),
            outcome: *r.outcome,
            email: r.email,
            errors: r.errors.map(|e| e.0).unwrap_or_default(),
        })
        .collect();
    let summary = summaries(db, vec![found])
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Data("an import without its summary".into()))?;
    Ok(ImportDetail {
        summary,
        rows,
        undo,
    })
}

/// The imports with their tracks and admins, in the order given.
async fn summaries(
    db: &DatabaseConnection,
    found: Vec<import::Model>,
) -> Result<Vec<ImportSummary>, ServiceError> {
    let tracks: HashMap<i64, track::Model> = track::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let admin_ids: Vec<i64> = found.iter().filter_map(|i| i.admin_id).collect();
    let admins: HashMap<i64, String> = admin_entity::Entity::find()
        .filter(admin_entity::Column::Id.is_in(admin_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect();
    Ok(found
        .into_iter()
        .map(|i| ImportSummary {
            id: i.id,
            kind: *i.kind,
            track: i.track_id.and_then(|id| tracks.get(&id)).map(track_ref),
            admin_email: i.admin_id.and_then(|id| admins.get(&id).cloned()),
            started_at: minute(i.started_at),
            status: *i.status,
            counts: i.counts(),
            rule: i.rule(),
            file_name: i.file_name,
            sheet: i.sheet,
        })
        .collect())
}
