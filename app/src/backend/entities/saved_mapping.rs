use super::stored::Json;
use crate::domain::csv_upload::RememberedMapping;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_mappings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// "global" or "track:<id>" (see [`scope_of`]).
    pub scope: String,
    pub track_id: Option<i64>,
    /// A hash of `csv_upload::header_key` of the headers.
    pub header_key: String,
    pub name: String,
    pub mapping: Json<RememberedMapping>,
    pub saved_at: DateTimeUtc,
    pub saved_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The level a mapping is remembered at: a track, or the global level.
pub fn scope_of(track_id: Option<i64>) -> String {
    match track_id {
        Some(id) => format!("track:{id}"),
        None => "global".to_owned(),
    }
}
