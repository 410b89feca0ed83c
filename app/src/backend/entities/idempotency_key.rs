use super::stored::Json;
use crate::api::imports::FileImportAnswer;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_id: i64,
    /// `secrets::token_hash` of the key.
    pub key_hash: String,
    /// The first request's answer; `None` while it runs.
    pub answer: Option<Json<FileImportAnswer>>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
