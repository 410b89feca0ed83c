//! Failed sign-ins, kept in the database so that every server of a shared
//! PostgreSQL counts the same failures (issue 18).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    /// A hash of the normalised email: an attacker's long emails cost 43 bytes.
    EmailKey,
    /// The client's address (an IPv6 client's /64).
    Client,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SignInFailures::Table)
                .col(
                    ColumnDef::new(SignInFailures::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(SignInFailures::EmailKey).text().not_null())
                .col(ColumnDef::new(SignInFailures::Client).text().not_null())
                .col(
                    ColumnDef::new(SignInFailures::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("sign_in_failures_email_client")
                .table(SignInFailures::Table)
                .col(SignInFailures::EmailKey)
                .col(SignInFailures::Client)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("sign_in_failures_client")
                .table(SignInFailures::Table)
                .col(SignInFailures::Client)
                .take(),
        )
        .await?;
        // Old failures are swept out by time.
        m.create_index(
            Index::create()
                .name("sign_in_failures_at")
                .table(SignInFailures::Table)
                .col(SignInFailures::At)
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SignInFailures::Table).take())
            .await
    }
}
