//! The workbook sheet an import's people were read from (issue 21); empty
//! for a CSV file and for people added one by one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("imports"))
                .add_column(ColumnDef::new(Alias::new("sheet")).text().null())
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("imports"))
                .drop_column(Alias::new("sheet"))
                .take(),
        )
        .await
    }
}
