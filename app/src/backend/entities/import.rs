use super::stored::{Json, Named};
use crate::domain::csv_upload::{Mapping, RoleChoice};
use crate::domain::{ImportKind, ImportStatus};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: Named<ImportKind>,
    pub track_id: Option<i64>,
    pub admin_id: Option<i64>,
    pub status: Named<ImportStatus>,
    pub file_name: Option<String>,
    pub file_hash: Option<String>,
    /// The workbook sheet the people were read from.
    pub sheet: Option<String>,
    /// The file's headers and the column mapping (JSON).
    pub mapping: Option<Json<StoredMapping>>,
    /// How the people get their roles (JSON).
    pub role_choice: Option<Json<RoleChoice>>,
    pub rows_total: i32,
    pub created_count: i32,
    pub updated_count: i32,
    pub added_count: i32,
    pub roles_added_count: i32,
    pub emails_queued_count: i32,
    pub skipped_count: i32,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub undone_at: Option<DateTimeUtc>,
    pub undone_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What `start` stores of the plan, read back by every batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMapping {
    pub headers: Vec<String>,
    pub mapping: Mapping,
}
