use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_rows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub line: i32,
    /// An `crate::RowOutcome` name.
    pub outcome: String,
    pub user_id: Option<i64>,
    /// The normalised email, to catch a repeat in a later batch.
    pub email: Option<String>,
    /// JSON: the row's `CellError`s.
    pub errors: Option<String>,
    /// JSON: what the row overwrote, for undo.
    pub previous: Option<String>,
    pub applied_at: DateTimeUtc,
    /// The batch's place in the order people were written: undo's "later".
    pub write_order: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
