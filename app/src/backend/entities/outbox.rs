use super::stored::Named;
use crate::domain::{OutboxStatus, SystemEmail};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub track_id: i64,
    pub user_id: i64,
    pub import_id: Option<i64>,
    pub template: Named<SystemEmail>,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub status: Named<OutboxStatus>,
    pub not_before: DateTimeUtc,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
