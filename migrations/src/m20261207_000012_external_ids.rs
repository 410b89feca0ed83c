//! The people's ID in other systems (issue 22, item 5): the instance may
//! name one profile field as it; each user's value of that field is kept
//! beside the user too, where one unique index finds people by it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProfileFields {
    Table,
    ExternalId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    /// The user's answer to the external-ID field (NULL: none, or no
    /// such field); written wherever that answer is.
    ExternalId,
}

const INDEX: &str = "users_external_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ProfileFields::Table)
                .add_column(
                    ColumnDef::new(ProfileFields::ExternalId)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(ColumnDef::new(Users::ExternalId).text().null())
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name(INDEX)
                .table(Users::Table)
                .col(Users::ExternalId)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut drop = Index::drop();
        drop.name(INDEX).table(Users::Table);
        m.drop_index(drop).await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::ExternalId)
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ProfileFields::Table)
                .drop_column(ProfileFields::ExternalId)
                .take(),
        )
        .await
    }
}
