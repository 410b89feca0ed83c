//! The update rule an import was started with (issue 22), and how many
//! rows it skipped by that rule. Imports before it added and overwrote.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = [
    "add_rule",
    "write_rule",
    "skipped_existing_count",
    "skipped_new_count",
];

/// A new column, by name; SQLite alters a table one column at a time.
fn column(name: &'static str) -> ColumnDef {
    let mut def = ColumnDef::new(Alias::new(name));
    match name {
        "add_rule" => def.text().default("add_and_update"),
        "write_rule" => def.text().default("overwrite"),
        _ => def.integer().default(0),
    };
    def.not_null().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("imports"))
                    .add_column(column(name))
                    .take(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("imports"))
                    .drop_column(Alias::new(name))
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
