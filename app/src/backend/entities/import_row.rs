use super::stored::{Json, Named};
use crate::domain::csv_upload::{CellError, RowOutcome};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_rows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub line: i32,
    pub outcome: Named<RowOutcome>,
    pub user_id: Option<i64>,
    /// The normalised email, to catch a repeat in a later batch.
    pub email: Option<String>,
    /// The row's problems (JSON), when it had any.
    pub errors: Option<Json<Vec<CellError>>>,
    /// What the row overwrote, for undo (JSON).
    pub previous: Option<Json<Previous>>,
    pub applied_at: DateTimeUtc,
    /// The batch's place in the order people were written: undo's "later".
    pub write_order: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a row overwrote, so that undo can put it back (docs/history-and-undo.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Previous {
    pub user_created: bool,
    /// The names before, for an existing user.
    pub names: Option<(String, String)>,
    /// The address before, when the row's external ID found them under it.
    #[serde(default)]
    pub email: Option<String>,
    pub membership_created: bool,
    /// The roles before, for an existing member.
    pub roles: Option<i32>,
    /// Field key → value before (`None`: there was none).
    pub answers: Vec<(String, Option<String>)>,
    /// Tracks the row took them out of (or took roles in), with the roles
    /// they had there: a SCIM deactivation, deletion or group removal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left: Vec<(i64, i32)>,
}
