use super::stored::Named;
use crate::domain::FieldKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profile_fields")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: String,
    pub title: String,
    pub kind: Named<FieldKind>,
    pub required: bool,
    pub position: i32,
    pub archived: bool,
    /// Holds the people's external ID (at most one field does).
    pub external_id: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
