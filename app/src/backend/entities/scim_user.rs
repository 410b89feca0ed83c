use super::stored::Json;
use sea_orm::entity::prelude::*;

/// What SCIM keeps of a user beside the user (docs/scim.md).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scim_users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub user_name: String,
    /// `user_name` lower-cased; unique.
    pub user_name_key: String,
    pub external_id: Option<String>,
    /// The `emails` the provider sent, as it sent them.
    pub emails: Option<Json<serde_json::Value>>,
    /// `None`: the provider never said (or removed it): active.
    pub active: Option<bool>,
    /// Deleted through SCIM: gone from SCIM, kept in Roster as dormant.
    pub deleted: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
