//! What SCIM provisioning (issue 23, docs/scim.md) keeps of a user beside
//! the user: the identity provider's own name for them, its id, the
//! addresses it sent, whether it has them active, and whether it deleted
//! them (a deleted user stays in Roster, dormant, and is gone from SCIM).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ScimUsers {
    Table,
    UserId,
    UserName,
    /// The user name lower-cased: SCIM's userName is unique, case aside.
    UserNameKey,
    ExternalId,
    /// The `emails` the provider sent (JSON).
    Emails,
    Active,
    Deleted,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    /// People an import took out of a track (SCIM deactivations, deletions
    /// and group removals).
    LeftCount,
}

const INDEX: &str = "scim_users_user_name_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Imports::Table)
                .add_column(
                    ColumnDef::new(Imports::LeftCount)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ScimUsers::Table)
                .col(
                    ColumnDef::new(ScimUsers::UserId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ScimUsers::UserName).text().not_null())
                .col(ColumnDef::new(ScimUsers::UserNameKey).text().not_null())
                .col(ColumnDef::new(ScimUsers::ExternalId).text().null())
                .col(ColumnDef::new(ScimUsers::Emails).text().null())
                // NULL: the provider never said (or removed it); counts as active.
                .col(ColumnDef::new(ScimUsers::Active).boolean().null())
                .col(ColumnDef::new(ScimUsers::Deleted).boolean().not_null())
                .col(
                    ColumnDef::new(ScimUsers::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ScimUsers::Table, ScimUsers::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name(INDEX)
                .table(ScimUsers::Table)
                .col(ScimUsers::UserNameKey)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ScimUsers::Table).take())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Imports::Table)
                .drop_column(Imports::LeftCount)
                .take(),
        )
        .await
    }
}
