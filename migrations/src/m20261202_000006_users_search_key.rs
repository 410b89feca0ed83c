//! A search key per user, folded in Rust (`domain::text::search_key`):
//! SQLite's `lower()` folds ASCII only, so "Émile" was not found by "émile"
//! there while PostgreSQL found it (issue 18). Existing users get theirs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    SearchKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(
                    ColumnDef::new(Users::SearchKey)
                        .text()
                        .not_null()
                        .default(""),
                )
                .take(),
        )
        .await?;
        let db = m.get_connection();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT id, first_name, last_name, email_normalized FROM users",
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let first: String = row.try_get("", "first_name")?;
            let last: String = row.try_get("", "last_name")?;
            let email: String = row.try_get("", "email_normalized")?;
            m.exec_stmt(
                Query::update()
                    .table(Users::Table)
                    .value(
                        Users::SearchKey,
                        domain::text::search_key(&first, &last, &email),
                    )
                    .and_where(Expr::col(Users::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Users::SearchKey)
                .take(),
        )
        .await
    }
}
