//! The user list is ordered by last name, then first name, ignoring case;
//! this index lets a page of it be read in order instead of sorting every
//! user (100,000 and more) for each page. The same SQL works on SQLite and
//! PostgreSQL, which both index expressions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX users_name_order_idx ON users (lower(last_name), lower(first_name), id)",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX users_name_order_idx")
            .await
            .map(|_| ())
    }
}
