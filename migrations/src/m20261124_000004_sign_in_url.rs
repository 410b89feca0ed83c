//! Where the people added sign in to the platform: the `{sign_in_link}` of
//! system emails, from the instance file.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("instance_settings"))
                .add_column(
                    ColumnDef::new(Alias::new("sign_in_url"))
                        .text()
                        .not_null()
                        .default(""),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("instance_settings"))
                .drop_column(Alias::new("sign_in_url"))
                .take(),
        )
        .await
    }
}
