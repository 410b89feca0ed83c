//! API tokens (issue 23): named credentials a global admin creates for
//! systems that add people with nobody at the keyboard. Only a hash of
//! each token is kept.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    /// sha-256 of the token, hex: the token itself is shown once.
    TokenHash,
    /// What it may reach, as an admin's scope (JSON).
    Scope,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    LastUsedAt,
    /// The client address of its last use.
    LastUsedFrom,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let at = |c: ApiTokens| ColumnDef::new(c).timestamp_with_time_zone().take();
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(
                    ColumnDef::new(ApiTokens::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(ApiTokens::Name).text().not_null())
                .col(
                    ColumnDef::new(ApiTokens::TokenHash)
                        .text()
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(ApiTokens::Scope).text().not_null())
                .col(
                    ColumnDef::new(ApiTokens::CreatedBy)
                        .big_integer()
                        .not_null(),
                )
                .col(at(ApiTokens::CreatedAt).not_null())
                .col(at(ApiTokens::RevokedAt).null())
                .col(at(ApiTokens::LastUsedAt).null())
                .col(ColumnDef::new(ApiTokens::LastUsedFrom).text().null())
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApiTokens::Table).take())
            .await
    }
}
