use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// csv_track | csv_dormant | manual | pool
    pub kind: String,
    pub track_id: Option<i64>,
    pub admin_id: Option<i64>,
    /// in_progress | completed | undone
    pub status: String,
    pub file_name: Option<String>,
    pub file_hash: Option<String>,
    /// JSON: the file's headers and the column mapping.
    pub mapping: Option<String>,
    /// JSON: the role choice.
    pub role_choice: Option<String>,
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
