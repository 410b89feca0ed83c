//! Email identity keys in Unicode NFKC (issue 18): `\u{212A}ate@x.org`, with
//! a Kelvin sign, is now the key `kate@x.org`. Keys made before are made
//! again; only non-ASCII ones can change. Where the new key already belongs
//! to someone else, both people were already on file as two: the old key
//! stays, so neither is merged nor lost.

use domain::email::normalize;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use std::collections::HashSet;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["users", "admins"] {
            renormalize(m, table).await?;
        }
        Ok(())
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        // The new keys are as good a key for the old code: nothing to undo.
        Ok(())
    }
}

async fn renormalize(m: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = m.get_connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id, email, email_normalized FROM {table}"),
        ))
        .await?;
    let mut taken: HashSet<String> = HashSet::with_capacity(rows.len());
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let email: String = row.try_get("", "email")?;
        let key: String = row.try_get("", "email_normalized")?;
        taken.insert(key.clone());
        keys.push((id, email, key));
    }
    for (id, email, key) in keys {
        let new = normalize(&email);
        if new == key || !taken.insert(new.clone()) {
            continue;
        }
        m.exec_stmt(
            Query::update()
                .table(Alias::new(table))
                .value(Alias::new("email_normalized"), new)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}
