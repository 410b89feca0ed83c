//! Applying imports (docs/importing.md, step 4): every row checked again with the
//! domain code, then written with chunked multi-row statements, one
//! transaction per batch. What each row overwrote is recorded for undo.

mod batch;
mod context;
mod file_import;
mod id_match;
mod leave;
mod people;
mod start;
mod welcome_emails;

pub use batch::apply_batch;
pub(crate) use batch::apply_batch_moving;
pub(crate) use batch::{within_the_licence, write_people_alone};
pub(crate) use context::import_target;
pub use context::{import_context, known_people, track_to_manage};
pub use file_import::{import_file, FileImportOptions, Progress};
pub use leave::{leave, Leaving};
pub(crate) use people::{set_emails, upsert_answers, UserEmail};
pub use start::{finish, start, start_as, ImportSource};

use crate::backend::bulk::{lookup_chunk, one_of};
use crate::backend::entities::{import, user};
use crate::backend::error::ServiceError;
use crate::domain::csv_upload::RoleChoice;
use crate::AppError;
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};

/// Rows per multi-row statement: well under SQLite's and PostgreSQL's
/// bind-parameter limits for the widest table written here.
pub(crate) const CHUNK: usize = 500;
/// Rows one batch may carry.
const MAX_BATCH: usize = 1_000;

pub(crate) fn refuse<T>(error: AppError) -> Result<T, ServiceError> {
    Err(ServiceError::Refused(error))
}

pub(crate) fn invalid<T>(message: impl Into<String>) -> Result<T, ServiceError> {
    refuse(AppError::Invalid(message.into()))
}

/// The users with these normalised emails, asked in chunks.
async fn users_by_email(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<Vec<user::Model>, ServiceError> {
    let backend = db.get_database_backend();
    let mut found = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(lookup_chunk(backend)) {
        found.extend(
            user::Entity::find()
                .filter(one_of(backend, user::Column::EmailNormalized, chunk))
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

/// The track an import adds people to: none for a dormant import, even one
/// started from a single-track program's page.
fn joins_track(imp: &import::Model, roles: &RoleChoice) -> Option<i64> {
    match roles {
        RoleChoice::Dormant => None,
        _ => imp.track_id,
    }
}

/// The track a recorded import added people to, from its stored role choice.
pub(crate) fn joined_track(imp: &import::Model) -> Result<Option<i64>, ServiceError> {
    Ok(joins_track(imp, stored_roles(imp)?))
}

/// The role choice `start` stored; every import has one.
pub(super) fn stored_roles(imp: &import::Model) -> Result<&RoleChoice, ServiceError> {
    imp.role_choice
        .as_deref()
        .ok_or_else(|| ServiceError::Data(format!("import {} has no role choice", imp.id)))
}
