//! Each batch asks whether an email was already used by an earlier batch of
//! the same import; without this index that lookup scans the import's rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("import_rows_email_idx")
                .table(Alias::new("import_rows"))
                .col(Alias::new("import_id"))
                .col(Alias::new("email"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut drop = Index::drop();
        drop.name("import_rows_email_idx")
            .table(Alias::new("import_rows"));
        m.drop_index(drop).await
    }
}
