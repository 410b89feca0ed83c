//! The tables the areas in docs/ need (people, accounts, emails, history),
//! laid out so that later features add columns rather than redesign tables.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}
fn big(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().take()
}
fn big_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().take()
}
fn int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().take()
}
fn int_default(col: impl IntoIden, default: i32) -> ColumnDef {
    ColumnDef::new(col)
        .integer()
        .not_null()
        .default(default)
        .take()
}
fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().take()
}
fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().null().take()
}
fn flag(col: impl IntoIden, default: bool) -> ColumnDef {
    ColumnDef::new(col)
        .boolean()
        .not_null()
        .default(default)
        .take()
}
fn at(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}
fn at_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .take()
}

fn index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    if unique {
        stmt.unique();
    }
    stmt.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        // One row (id = 1): the instance's settings, synced from its TOML file.
        m.create_table(
            Table::create()
                .table(InstanceSettings::Table)
                .col(
                    ColumnDef::new(InstanceSettings::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(text(InstanceSettings::Name))
                .col(int(InstanceSettings::LicenseLimit))
                .col(int(InstanceSettings::UploadRowLimit))
                .col(flag(InstanceSettings::TrackAdminsUseGlobalPool, false))
                .col(int(InstanceSettings::EmailHoldMinutes))
                .col(at(InstanceSettings::UpdatedAt))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tracks::Table)
                .col(id(Tracks::Id))
                .col(text(Tracks::Slug))
                .col(text(Tracks::Name))
                .col(int(Tracks::Position))
                .col(flag(Tracks::Archived, false))
                .col(at(Tracks::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(index("tracks_slug_key", Tracks::Table, &["slug"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(ProfileFields::Table)
                .col(id(ProfileFields::Id))
                .col(text(ProfileFields::Key))
                .col(text(ProfileFields::Title))
                .col(text(ProfileFields::Kind))
                .col(flag(ProfileFields::Required, false))
                .col(int(ProfileFields::Position))
                .col(flag(ProfileFields::Archived, false))
                .col(at(ProfileFields::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(index(
            "profile_fields_key_key",
            ProfileFields::Table,
            &["key"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ProfileFieldOptions::Table)
                .col(id(ProfileFieldOptions::Id))
                .col(big(ProfileFieldOptions::FieldId))
                .col(int(ProfileFieldOptions::Position))
                .col(text(ProfileFieldOptions::Value))
                .foreign_key(&mut fk(
                    ProfileFieldOptions::Table,
                    ProfileFieldOptions::FieldId,
                    ProfileFields::Table,
                    ProfileFields::Id,
                    Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "profile_field_options_value_key",
            ProfileFieldOptions::Table,
            &["field_id", "value"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Admins::Table)
                .col(id(Admins::Id))
                .col(text(Admins::Email))
                .col(text(Admins::EmailNormalized))
                .col(text_null(Admins::PasswordHash))
                .col(flag(Admins::IsGlobal, false))
                .col(at(Admins::CreatedAt))
                .col(at_null(Admins::LastLoginAt))
                .take(),
        )
        .await?;
        m.create_index(index(
            "admins_email_key",
            Admins::Table,
            &["email_normalized"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AdminTracks::Table)
                .col(big(AdminTracks::AdminId))
                .col(big(AdminTracks::TrackId))
                .primary_key(
                    Index::create()
                        .col(AdminTracks::AdminId)
                        .col(AdminTracks::TrackId),
                )
                .foreign_key(&mut fk(
                    AdminTracks::Table,
                    AdminTracks::AdminId,
                    Admins::Table,
                    Admins::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    AdminTracks::Table,
                    AdminTracks::TrackId,
                    Tracks::Table,
                    Tracks::Id,
                    Cascade,
                ))
                .take(),
        )
        .await?;

        // One-time links that let a person set an admin password: the first
        // start's setup link (no admin yet) and create-admin's invitations.
        m.create_table(
            Table::create()
                .table(AdminInvites::Table)
                .col(id(AdminInvites::Id))
                .col(text(AdminInvites::TokenHash))
                .col(big_null(AdminInvites::AdminId))
                .col(at(AdminInvites::CreatedAt))
                .col(at(AdminInvites::ExpiresAt))
                .col(at_null(AdminInvites::UsedAt))
                .foreign_key(&mut fk(
                    AdminInvites::Table,
                    AdminInvites::AdminId,
                    Admins::Table,
                    Admins::Id,
                    Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "admin_invites_token_key",
            AdminInvites::Table,
            &["token_hash"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(id(Sessions::Id))
                .col(text(Sessions::TokenHash))
                .col(big(Sessions::AdminId))
                .col(at(Sessions::CreatedAt))
                .col(at(Sessions::ExpiresAt))
                .col(at(Sessions::LastSeenAt))
                .foreign_key(&mut fk(
                    Sessions::Table,
                    Sessions::AdminId,
                    Admins::Table,
                    Admins::Id,
                    Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "sessions_token_key",
            Sessions::Table,
            &["token_hash"],
            true,
        ))
        .await?;

        // Every bulk action and manual add (docs/history-and-undo.md). It comes
        // before users: users and memberships remember the import that
        // created them, for undo.
        m.create_table(
            Table::create()
                .table(Imports::Table)
                .col(id(Imports::Id))
                // csv_track | csv_dormant | manual | pool
                .col(text(Imports::Kind))
                .col(big_null(Imports::TrackId))
                .col(big_null(Imports::AdminId))
                // in_progress | completed | undone
                .col(text(Imports::Status))
                .col(text_null(Imports::FileName))
                .col(text_null(Imports::FileHash))
                // JSON: column → field pairs, and the role choice
                .col(text_null(Imports::Mapping))
                .col(text_null(Imports::RoleChoice))
                .col(int_default(Imports::RowsTotal, 0))
                .col(int_default(Imports::CreatedCount, 0))
                .col(int_default(Imports::UpdatedCount, 0))
                .col(int_default(Imports::AddedCount, 0))
                .col(int_default(Imports::RolesAddedCount, 0))
                .col(int_default(Imports::EmailsQueuedCount, 0))
                .col(int_default(Imports::SkippedCount, 0))
                .col(at(Imports::StartedAt))
                .col(at_null(Imports::FinishedAt))
                .col(at_null(Imports::UndoneAt))
                .col(big_null(Imports::UndoneBy))
                .foreign_key(&mut fk(
                    Imports::Table,
                    Imports::TrackId,
                    Tracks::Table,
                    Tracks::Id,
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    Imports::Table,
                    Imports::AdminId,
                    Admins::Table,
                    Admins::Id,
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    Imports::Table,
                    Imports::UndoneBy,
                    Admins::Table,
                    Admins::Id,
                    SetNull,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "imports_track_started_idx",
            Imports::Table,
            &["track_id", "started_at"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(id(Users::Id))
                .col(text(Users::Email))
                .col(text(Users::EmailNormalized))
                .col(text(Users::FirstName))
                .col(text(Users::LastName))
                .col(big_null(Users::CreatedByImportId))
                .col(at(Users::CreatedAt))
                .col(at(Users::UpdatedAt))
                .foreign_key(&mut fk(
                    Users::Table,
                    Users::CreatedByImportId,
                    Imports::Table,
                    Imports::Id,
                    SetNull,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "users_email_key",
            Users::Table,
            &["email_normalized"],
            true,
        ))
        .await?;
        m.create_index(index(
            "users_last_first_idx",
            Users::Table,
            &["last_name", "first_name"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ProfileAnswers::Table)
                .col(big(ProfileAnswers::UserId))
                .col(big(ProfileAnswers::FieldId))
                // The canonical text; several options are joined with ", ".
                .col(text(ProfileAnswers::Value))
                .col(at(ProfileAnswers::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(ProfileAnswers::UserId)
                        .col(ProfileAnswers::FieldId),
                )
                .foreign_key(&mut fk(
                    ProfileAnswers::Table,
                    ProfileAnswers::UserId,
                    Users::Table,
                    Users::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    ProfileAnswers::Table,
                    ProfileAnswers::FieldId,
                    ProfileFields::Table,
                    ProfileFields::Id,
                    Cascade,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(id(Memberships::Id))
                .col(big(Memberships::UserId))
                .col(big(Memberships::TrackId))
                // A bit set of roles (app::domain::Roles): adding is `roles | new`.
                .col(int(Memberships::Roles))
                .col(big_null(Memberships::CreatedByImportId))
                .col(at(Memberships::CreatedAt))
                .col(at(Memberships::UpdatedAt))
                .foreign_key(&mut fk(
                    Memberships::Table,
                    Memberships::UserId,
                    Users::Table,
                    Users::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Memberships::Table,
                    Memberships::TrackId,
                    Tracks::Table,
                    Tracks::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Memberships::Table,
                    Memberships::CreatedByImportId,
                    Imports::Table,
                    Imports::Id,
                    SetNull,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "memberships_user_track_key",
            Memberships::Table,
            &["user_id", "track_id"],
            true,
        ))
        .await?;
        m.create_index(index(
            "memberships_track_idx",
            Memberships::Table,
            &["track_id"],
            false,
        ))
        .await?;

        // One row per data line an import applied or refused; what it
        // changed is kept so that undo can put things back exactly.
        m.create_table(
            Table::create()
                .table(ImportRows::Table)
                .col(big(ImportRows::ImportId))
                .col(int(ImportRows::Line))
                // an app::RowOutcome key: created | added | roles_added | updated | skipped
                .col(text(ImportRows::Outcome))
                .col(big_null(ImportRows::UserId))
                .col(text_null(ImportRows::Email))
                // JSON: the row's errors (column, value, message)
                .col(text_null(ImportRows::Errors))
                // JSON: what the row overwrote (profile values, roles before)
                .col(text_null(ImportRows::Previous))
                .col(at(ImportRows::AppliedAt))
                .primary_key(
                    Index::create()
                        .col(ImportRows::ImportId)
                        .col(ImportRows::Line),
                )
                .foreign_key(&mut fk(
                    ImportRows::Table,
                    ImportRows::ImportId,
                    Imports::Table,
                    Imports::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    ImportRows::Table,
                    ImportRows::UserId,
                    Users::Table,
                    Users::Id,
                    SetNull,
                ))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EmailTemplates::Table)
                .col(id(EmailTemplates::Id))
                .col(big(EmailTemplates::TrackId))
                // mentor | mentee | teacher | admin (docs/system-emails.md)
                .col(text(EmailTemplates::Template))
                .col(text(EmailTemplates::Subject))
                .col(text(EmailTemplates::Body))
                .col(flag(EmailTemplates::Enabled, true))
                .col(at(EmailTemplates::UpdatedAt))
                .foreign_key(&mut fk(
                    EmailTemplates::Table,
                    EmailTemplates::TrackId,
                    Tracks::Table,
                    Tracks::Id,
                    Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "email_templates_track_key",
            EmailTemplates::Table,
            &["track_id", "template"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(id(Outbox::Id))
                .col(big(Outbox::TrackId))
                .col(big(Outbox::UserId))
                .col(big_null(Outbox::ImportId))
                .col(text(Outbox::Template))
                .col(text(Outbox::ToAddress))
                .col(text(Outbox::Subject))
                .col(text(Outbox::Body))
                // queued | sending | sent | failed | cancelled
                .col(text(Outbox::Status))
                .col(at(Outbox::NotBefore))
                .col(int_default(Outbox::Attempts, 0))
                .col(text_null(Outbox::LastError))
                .col(at(Outbox::CreatedAt))
                .col(at_null(Outbox::SentAt))
                .foreign_key(&mut fk(
                    Outbox::Table,
                    Outbox::TrackId,
                    Tracks::Table,
                    Tracks::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Outbox::Table,
                    Outbox::UserId,
                    Users::Table,
                    Users::Id,
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    Outbox::Table,
                    Outbox::ImportId,
                    Imports::Table,
                    Imports::Id,
                    SetNull,
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "outbox_due_idx",
            Outbox::Table,
            &["status", "not_before"],
            false,
        ))
        .await?;
        m.create_index(index(
            "outbox_import_idx",
            Outbox::Table,
            &["import_id"],
            false,
        ))
        .await?;

        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outbox::Table.into_iden(),
            EmailTemplates::Table.into_iden(),
            ImportRows::Table.into_iden(),
            Memberships::Table.into_iden(),
            ProfileAnswers::Table.into_iden(),
            Users::Table.into_iden(),
            Imports::Table.into_iden(),
            Sessions::Table.into_iden(),
            AdminInvites::Table.into_iden(),
            AdminTracks::Table.into_iden(),
            Admins::Table.into_iden(),
            ProfileFieldOptions::Table.into_iden(),
            ProfileFields::Table.into_iden(),
            Tracks::Table.into_iden(),
            InstanceSettings::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum InstanceSettings {
    Table,
    Id,
    Name,
    LicenseLimit,
    UploadRowLimit,
    TrackAdminsUseGlobalPool,
    EmailHoldMinutes,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Tracks {
    Table,
    Id,
    Slug,
    Name,
    Position,
    Archived,
    CreatedAt,
}
#[derive(DeriveIden)]
enum ProfileFields {
    Table,
    Id,
    Key,
    Title,
    Kind,
    Required,
    Position,
    Archived,
    CreatedAt,
}
#[derive(DeriveIden)]
enum ProfileFieldOptions {
    Table,
    Id,
    FieldId,
    Position,
    Value,
}
#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
    Email,
    EmailNormalized,
    PasswordHash,
    IsGlobal,
    CreatedAt,
    LastLoginAt,
}
#[derive(DeriveIden)]
enum AdminTracks {
    Table,
    AdminId,
    TrackId,
}
#[derive(DeriveIden)]
enum AdminInvites {
    Table,
    Id,
    TokenHash,
    AdminId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}
#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    AdminId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}
#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    Kind,
    TrackId,
    AdminId,
    Status,
    FileName,
    FileHash,
    Mapping,
    RoleChoice,
    RowsTotal,
    CreatedCount,
    UpdatedCount,
    AddedCount,
    RolesAddedCount,
    EmailsQueuedCount,
    SkippedCount,
    StartedAt,
    FinishedAt,
    UndoneAt,
    UndoneBy,
}
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    EmailNormalized,
    FirstName,
    LastName,
    CreatedByImportId,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum ProfileAnswers {
    Table,
    UserId,
    FieldId,
    Value,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    UserId,
    TrackId,
    Roles,
    CreatedByImportId,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum ImportRows {
    Table,
    ImportId,
    Line,
    Outcome,
    UserId,
    Email,
    Errors,
    Previous,
    AppliedAt,
}
#[derive(DeriveIden)]
enum EmailTemplates {
    Table,
    Id,
    TrackId,
    Template,
    Subject,
    Body,
    Enabled,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    TrackId,
    UserId,
    ImportId,
    Template,
    ToAddress,
    Subject,
    Body,
    Status,
    NotBefore,
    Attempts,
    LastError,
    CreatedAt,
    SentAt,
}
