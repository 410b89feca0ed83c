//! Idempotency keys of `POST /api/v1/imports` (issue 23): a retried
//! request with the same key, from the same token, is answered with the
//! first one's answer instead of importing again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    TokenId,
    /// sha-256 of the key, hex: keys may be long.
    KeyHash,
    /// The first request's answer (JSON); NULL while it runs.
    Answer,
    CreatedAt,
}

const INDEX: &str = "idempotency_keys_token_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IdempotencyKeys::Table)
                .col(
                    ColumnDef::new(IdempotencyKeys::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(IdempotencyKeys::TokenId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(IdempotencyKeys::KeyHash).text().not_null())
                .col(ColumnDef::new(IdempotencyKeys::Answer).text().null())
                .col(
                    ColumnDef::new(IdempotencyKeys::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name(INDEX)
                .table(IdempotencyKeys::Table)
                .col(IdempotencyKeys::TokenId)
                .col(IdempotencyKeys::KeyHash)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdempotencyKeys::Table).take())
            .await
    }
}
