//! Starting an import (what it will write, recorded before any batch) and
//! finishing it; who may write to one.

use super::context::{allow_dormant_at, import_target};
use super::{invalid, refuse};
use crate::backend::entities::import;
use crate::backend::entities::import::StoredMapping;
use crate::backend::entities::stored::{Json, Named};
use crate::backend::error::ServiceError;
use crate::backend::overview::{active_tracks, profile_fields, settings};
use crate::domain::csv_upload::{RoleChoice, TableError};
use crate::domain::{Admin, ImportKind, ImportStatus};
use crate::{AppError, ImportCounts, ImportPlan};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

/// Where the people of an import come from; recorded as its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportSource {
    CsvFile,
    /// Typed in by an admin (docs/adding.md, "Add a person").
    Manual,
    /// Picked from the global pool (docs/adding.md).
    Pool,
    /// Sent by an identity provider (docs/scim.md).
    Scim,
}

/// The longest file or sheet name an import records.
const MAX_NAME_CHARS: usize = 255;

pub async fn start(
    db: &DatabaseConnection,
    admin: &Admin,
    plan: ImportPlan,
) -> Result<i64, ServiceError> {
    start_as(db, admin, plan, ImportSource::CsvFile).await
}

#[tracing::instrument(skip_all, fields(track = plan.track_slug.as_deref(), rows = plan.rows_total, ?source))]
pub async fn start_as(
    db: &DatabaseConnection,
    admin: &Admin,
    plan: ImportPlan,
    source: ImportSource,
) -> Result<i64, ServiceError> {
    let target = import_target(db, admin, plan.track_slug.as_deref()).await?;
    match (&target, &plan.roles) {
        (_, RoleChoice::Dormant) => allow_dormant_at(db, target.as_ref()).await?,
        (None, _) => {
            return invalid("Users added at the global level are dormant and take no roles.")
        }
        (Some(_), RoleChoice::Everyone(roles)) if roles.is_empty() => {
            return invalid("Choose at least one role, or take roles from a column.")
        }
        _ => {}
    }
    let too_long = |name: &str| name.chars().count() > MAX_NAME_CHARS;
    if too_long(&plan.file_name) || plan.sheet.as_deref().is_some_and(too_long) {
        return invalid(
            "The file's name or its sheet's name is over 255 characters: shorten it and upload the file again.",
        );
    }
    let track_id = target.map(|t| t.id);
    let row_limit = settings(db).await?.upload_row_limit;
    if source == ImportSource::CsvFile && i64::from(plan.rows_total) > i64::from(row_limit) {
        return invalid(
            TableError::TooManyRows {
                count: plan.rows_total as usize,
                limit: usize::try_from(row_limit).unwrap_or(0),
            }
            .to_string(),
        );
    }
    if plan.mapping.columns.len() != plan.headers.len() {
        return invalid("The mapping does not fit the file's columns: map the columns again.");
    }
    let fields = profile_fields(db).await?;
    if let Err(e) = plan
        .mapping
        .validate(&fields, plan.roles == RoleChoice::FromColumn)
    {
        return invalid(e.to_string());
    }
    let created = import::ActiveModel {
        kind: Set(Named(match source {
            ImportSource::CsvFile if plan.roles == RoleChoice::Dormant => ImportKind::CsvDormant,
            ImportSource::CsvFile => ImportKind::CsvTrack,
            ImportSource::Manual => ImportKind::Manual,
            ImportSource::Pool => ImportKind::Pool,
            ImportSource::Scim => ImportKind::Scim,
        })),
        track_id: Set(track_id),
        admin_id: Set(Some(admin.id)),
        status: Set(Named(ImportStatus::InProgress)),
        file_name: Set(Some(plan.file_name.clone())),
        file_hash: Set(Some(plan.file_hash.clone())),
        sheet: Set(plan.sheet.clone()),
        mapping: Set(Some(Json(StoredMapping {
            headers: plan.headers,
            mapping: plan.mapping,
        }))),
        role_choice: Set(Some(Json(plan.roles))),
        rows_total: Set(i32::try_from(plan.rows_total).unwrap_or(i32::MAX)),
        add_rule: Set(Named(plan.rule.add)),
        write_rule: Set(Named(plan.rule.write)),
        started_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// Whether the program still takes what this import started to add: its
/// track may have been archived since (a restart with a new instance file),
/// and a dormant import at a single-track program's page is no longer one
/// once the program has a second track.
pub(super) async fn still_open_for(
    txn: &impl ConnectionTrait,
    imp: &import::Model,
    roles: &RoleChoice,
) -> Result<(), ServiceError> {
    let Some(track_id) = imp.track_id else {
        return Ok(());
    };
    let live = active_tracks(txn).await?;
    if !live.iter().any(|t| t.id == track_id) {
        return invalid(
            "This import's track was archived while the import ran: nobody more is added to it. \
             Upload the file again at a track of the program.",
        );
    }
    if *roles == RoleChoice::Dormant && live.len() > 1 {
        return invalid(
            "The program gained a track while this import ran, so dormant users can no longer be \
             added from one track's page: add the rest from “Add users from CSV” at the global level.",
        );
    }
    Ok(())
}

/// The import, if this admin may write to it.
pub(super) async fn writable_import(
    db: &impl ConnectionTrait,
    admin: &Admin,
    import_id: i64,
) -> Result<import::Model, ServiceError> {
    let Some(found) = import::Entity::find_by_id(import_id).one(db).await? else {
        return refuse(AppError::NotFound(
            "This import does not exist: start the upload again.".into(),
        ));
    };
    if !admin.administers(found.track_id) {
        return refuse(AppError::Forbidden);
    }
    Ok(found)
}

#[tracing::instrument(skip_all, fields(import = import_id))]
pub async fn finish(
    db: &DatabaseConnection,
    admin: &Admin,
    import_id: i64,
) -> Result<ImportCounts, ServiceError> {
    let imp = writable_import(db, admin, import_id).await?;
    if imp.status == ImportStatus::InProgress {
        import::Entity::update_many()
            .col_expr(
                import::Column::Status,
                Expr::value(Named(ImportStatus::Completed)),
            )
            .col_expr(import::Column::FinishedAt, Expr::value(Utc::now()))
            .filter(import::Column::Id.eq(import_id))
            .exec(db)
            .await?;
        // The import is complete either way: a mapping not remembered
        // costs the next upload a few clicks, and is logged.
        if imp.kind.is_file() {
            if let Err(error) = crate::backend::saved_mappings::remember(db, &imp).await {
                let error = crate::backend::error::with_causes(&error);
                tracing::error!(%error, import = imp.id, "the import's mapping was not remembered");
            }
        }
    }
    Ok(imp.counts())
}
