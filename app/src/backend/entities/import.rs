use super::stored::{Json, Named};
use crate::domain::csv_upload::{Mapping, RoleChoice};
use crate::domain::{AddRule, ImportKind, ImportStatus, UpdateRule, WriteRule};
use crate::ImportCounts;
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
    /// The update rule it was started with.
    pub add_rule: Named<AddRule>,
    pub write_rule: Named<WriteRule>,
    pub created_count: i32,
    pub updated_count: i32,
    pub added_count: i32,
    pub roles_added_count: i32,
    pub emails_queued_count: i32,
    pub skipped_count: i32,
    pub skipped_existing_count: i32,
    pub skipped_new_count: i32,
    pub left_count: i32,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub undone_at: Option<DateTimeUtc>,
    pub undone_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn rule(&self) -> UpdateRule {
        UpdateRule {
            add: *self.add_rule,
            write: *self.write_rule,
        }
    }

    /// What it has done so far.
    pub fn counts(&self) -> ImportCounts {
        let n = |v: i32| u64::try_from(v).unwrap_or(0);
        ImportCounts {
            created: n(self.created_count),
            updated: n(self.updated_count),
            added: n(self.added_count),
            roles_added: n(self.roles_added_count),
            emails_queued: n(self.emails_queued_count),
            skipped: n(self.skipped_count),
            skipped_existing: n(self.skipped_existing_count),
            skipped_new: n(self.skipped_new_count),
            left: n(self.left_count),
        }
    }

    /// Rows recorded so far, whatever became of them.
    pub fn rows_recorded(&self) -> i64 {
        [
            self.created_count,
            self.updated_count,
            self.skipped_count,
            self.skipped_existing_count,
            self.skipped_new_count,
            self.left_count,
        ]
        .into_iter()
        .map(i64::from)
        .sum()
    }
}

/// What `start` stores of the plan, read back by every batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMapping {
    pub headers: Vec<String>,
    pub mapping: Mapping,
}
