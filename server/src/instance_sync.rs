//! Brings the database in line with the instance definition. Writes only
//! what differs, so loading the same file again changes nothing.

use crate::instance_file::InstanceDefinition;
use app::backend::entities::stored::Named;
use app::backend::entities::{instance_settings, profile_field, profile_field_option, track};
use app::backend::external_ids::{copy_every_answer, id_field};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use std::collections::HashMap;

/// How many rows a sync wrote; all zero when nothing changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    pub settings_written: usize,
    pub tracks_written: usize,
    pub fields_written: usize,
    pub options_written: usize,
    /// Users whose external ID was copied again: all of them, once, when
    /// the file names another field as the ID (or none).
    pub external_ids_copied: bool,
}

impl SyncReport {
    pub fn is_empty(&self) -> bool {
        *self == SyncReport::default()
    }
}

pub async fn sync(db: &DatabaseConnection, def: &InstanceDefinition) -> Result<SyncReport, DbErr> {
    let txn = app::backend::db::begin_write(db).await?;
    let now = Utc::now();
    let mut report = SyncReport::default();
    sync_settings(&txn, def, now, &mut report).await?;
    sync_tracks(&txn, def, now, &mut report).await?;
    let id_before = id_field(&txn).await?.map(|f| f.id);
    sync_fields(&txn, def, now, &mut report).await?;
    let id_now = id_field(&txn).await?;
    if id_now.as_ref().map(|f| f.id) != id_before {
        copy_every_answer(&txn, id_now.as_ref()).await?;
        report.external_ids_copied = true;
    }
    txn.commit().await?;
    Ok(report)
}

/// The instance's settings row, written when any setting changed.
async fn sync_settings(
    txn: &DatabaseTransaction,
    def: &InstanceDefinition,
    now: DateTime<Utc>,
    report: &mut SyncReport,
) -> Result<(), DbErr> {
    let settings = instance_settings::Model {
        id: 1,
        name: def.name.clone(),
        license_limit: clamp_i32(def.license_limit),
        upload_row_limit: clamp_i32(def.upload_row_limit),
        track_admins_use_global_pool: def.track_admins_use_global_pool,
        email_hold_minutes: clamp_i32(def.email_hold_minutes),
        sign_in_url: def.sign_in_url.clone(),
        updated_at: now,
    };
    match instance_settings::Entity::find_by_id(1).one(txn).await? {
        None => {
            settings.into_active_model().reset_all().insert(txn).await?;
            report.settings_written += 1;
        }
        Some(current)
            if current
                != instance_settings::Model {
                    updated_at: current.updated_at,
                    ..settings.clone()
                } =>
        {
            settings.into_active_model().reset_all().update(txn).await?;
            report.settings_written += 1;
        }
        Some(_) => {}
    }
    Ok(())
}

/// The tracks, in the file's order; tracks gone from the file are archived.
async fn sync_tracks(
    txn: &DatabaseTransaction,
    def: &InstanceDefinition,
    now: DateTime<Utc>,
    report: &mut SyncReport,
) -> Result<(), DbErr> {
    let mut existing: HashMap<String, track::Model> = track::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|t| (t.slug.clone(), t))
        .collect();
    for (position, wanted) in def.tracks.iter().enumerate() {
        let position = clamp_i32(position as i64);
        match existing.remove(&wanted.slug) {
            None => {
                track::ActiveModel {
                    slug: Set(wanted.slug.clone()),
                    name: Set(wanted.name.clone()),
                    position: Set(position),
                    archived: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                report.tracks_written += 1;
            }
            Some(t) if t.name != wanted.name || t.position != position || t.archived => {
                let mut active = t.into_active_model();
                active.name = Set(wanted.name.clone());
                active.position = Set(position);
                active.archived = Set(false);
                active.update(txn).await?;
                report.tracks_written += 1;
            }
            Some(_) => {}
        }
    }
    // Tracks gone from the file keep their members and history, hidden.
    for (_, t) in existing.into_iter().filter(|(_, t)| !t.archived) {
        let mut active = t.into_active_model();
        active.archived = Set(true);
        active.update(txn).await?;
        report.tracks_written += 1;
    }
    Ok(())
}

/// The profile fields and their options, in the file's order; fields gone
/// from the file are archived (their answers stay).
async fn sync_fields(
    txn: &DatabaseTransaction,
    def: &InstanceDefinition,
    now: DateTime<Utc>,
    report: &mut SyncReport,
) -> Result<(), DbErr> {
    let mut fields: HashMap<String, profile_field::Model> = profile_field::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|f| (f.key.clone(), f))
        .collect();
    for (position, wanted) in def.profile_fields.iter().enumerate() {
        let position = clamp_i32(position as i64);
        let kind = Named(wanted.kind);
        let field_id = match fields.remove(&wanted.key) {
            None => {
                let created = profile_field::ActiveModel {
                    key: Set(wanted.key.clone()),
                    title: Set(wanted.title.clone()),
                    kind: Set(kind),
                    required: Set(wanted.required),
                    position: Set(position),
                    archived: Set(false),
                    external_id: Set(wanted.external_id),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                report.fields_written += 1;
                created.id
            }
            Some(f)
                if f.title != wanted.title
                    || f.kind != kind
                    || f.required != wanted.required
                    || f.position != position
                    || f.archived
                    || f.external_id != wanted.external_id =>
            {
                let id = f.id;
                let mut active = f.into_active_model();
                active.title = Set(wanted.title.clone());
                active.kind = Set(kind);
                active.required = Set(wanted.required);
                active.position = Set(position);
                active.archived = Set(false);
                active.external_id = Set(wanted.external_id);
                active.update(txn).await?;
                report.fields_written += 1;
                id
            }
            Some(f) => f.id,
        };
        report.options_written += sync_options(txn, field_id, &wanted.options).await?;
    }
    for (_, f) in fields.into_iter().filter(|(_, f)| !f.archived) {
        let mut active = f.into_active_model();
        active.archived = Set(true);
        active.external_id = Set(false);
        active.update(txn).await?;
        report.fields_written += 1;
    }
    Ok(())
}

async fn sync_options(
    txn: &DatabaseTransaction,
    field_id: i64,
    wanted: &[String],
) -> Result<usize, DbErr> {
    let mut written = 0;
    let mut current: HashMap<String, profile_field_option::Model> =
        profile_field_option::Entity::find()
            .filter(profile_field_option::Column::FieldId.eq(field_id))
            .all(txn)
            .await?
            .into_iter()
            .map(|o| (o.value.clone(), o))
            .collect();
    for (position, value) in wanted.iter().enumerate() {
        let position = clamp_i32(position as i64);
        match current.remove(value) {
            None => {
                profile_field_option::ActiveModel {
                    field_id: Set(field_id),
                    position: Set(position),
                    value: Set(value.clone()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                written += 1;
            }
            Some(o) if o.position != position => {
                let mut active = o.into_active_model();
                active.position = Set(position);
                active.update(txn).await?;
                written += 1;
            }
            Some(_) => {}
        }
    }
    // An option removed from the file can no longer be chosen; answers
    // already stored keep their text.
    let gone: Vec<i64> = current.into_values().map(|o| o.id).collect();
    if !gone.is_empty() {
        written += gone.len();
        profile_field_option::Entity::delete_many()
            .filter(profile_field_option::Column::Id.is_in(gone))
            .exec(txn)
            .await?;
    }
    Ok(written)
}

fn clamp_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}
