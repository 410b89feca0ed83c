//! The order in which rows wrote people (issue 18): undo decides which
//! imports changed a person *after* the one being undone by this sequence,
//! not by import id — two imports running at once can write in the opposite
//! order of their ids. Every row of one batch shares the batch's number,
//! taken while the batch is the only writer. Rows written before this
//! migration keep the old order: their number is their import's id.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportRows {
    Table,
    ImportId,
    UserId,
    WriteOrder,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ImportRows::Table)
                .add_column(
                    ColumnDef::new(ImportRows::WriteOrder)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .take(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table(ImportRows::Table)
                .value(ImportRows::WriteOrder, Expr::col(ImportRows::ImportId))
                .to_owned(),
        )
        .await?;
        // The next number is the largest so far plus one.
        m.create_index(
            Index::create()
                .name("import_rows_write_order_idx")
                .table(ImportRows::Table)
                .col(ImportRows::WriteOrder)
                .take(),
        )
        .await?;
        // Undo looks up what was written of its people after it.
        m.create_index(
            Index::create()
                .name("import_rows_user_write_order_idx")
                .table(ImportRows::Table)
                .col(ImportRows::UserId)
                .col(ImportRows::WriteOrder)
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "import_rows_user_write_order_idx",
            "import_rows_write_order_idx",
        ] {
            let mut drop = Index::drop();
            drop.name(name).table(ImportRows::Table);
            m.drop_index(drop).await?;
        }
        m.alter_table(
            Table::alter()
                .table(ImportRows::Table)
                .drop_column(ImportRows::WriteOrder)
                .take(),
        )
        .await
    }
}
