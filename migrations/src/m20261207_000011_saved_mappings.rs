//! Mappings remembered from completed file imports (issue 22), one per
//! level (a track, or the global level) and set of headers.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedMappings {
    Table,
    Id,
    /// "global", or "track:<id>": a text, so that the global level is
    /// one value of the unique index (NULLs never collide).
    Scope,
    TrackId,
    /// A hash of the folded header set: a file's headers may be long.
    HeaderKey,
    Name,
    /// The remembered mapping (JSON).
    Mapping,
    /// When an import last saved it: "least recently saved" goes first.
    SavedAt,
    SavedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SavedMappings::Table)
                .col(
                    ColumnDef::new(SavedMappings::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(SavedMappings::Scope).text().not_null())
                .col(ColumnDef::new(SavedMappings::TrackId).big_integer().null())
                .col(ColumnDef::new(SavedMappings::HeaderKey).text().not_null())
                .col(ColumnDef::new(SavedMappings::Name).text().not_null())
                .col(ColumnDef::new(SavedMappings::Mapping).text().not_null())
                .col(
                    ColumnDef::new(SavedMappings::SavedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(SavedMappings::SavedBy).big_integer().null())
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("saved_mappings_scope_header_key")
                .table(SavedMappings::Table)
                .col(SavedMappings::Scope)
                .col(SavedMappings::HeaderKey)
                .unique()
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SavedMappings::Table).take())
            .await
    }
}
