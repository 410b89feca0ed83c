use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// As first imported, trimmed.
    pub email: String,
    /// `domain::email::normalize`d (trimmed, NFKC, lower case): the identity
    /// key (unique).
    pub email_normalized: String,
    pub first_name: String,
    pub last_name: String,
    /// `domain::text::search_key` of the names and email.
    pub search_key: String,
    /// Their answer to the external-ID field, kept here to be unique and
    /// found fast (`backend::external_ids`).
    pub external_id: Option<String>,
    pub created_by_import_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
