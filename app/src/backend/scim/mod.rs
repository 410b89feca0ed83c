//! SCIM 2.0 provisioning (docs/scim.md): identity providers create,
//! change, deactivate and delete users, and put them in groups (a track's
//! role). Every change is an import of its own kind, through the same
//! import path as a file — the same checks, rights, licence line, emails,
//! history and undo.

mod groups;
mod user_views;
mod users;

pub use groups::{get_group, list_groups, patch_group, replace_group};
pub use users::{create_user, delete_user, get_user, list_users, patch_user, replace_user};

use crate::backend::error::ServiceError;
use crate::domain::scim::ScimError;
use crate::domain::Admin;
use crate::AppError;

/// A SCIM error from the service's own: its status, and its sentence.
pub fn scim_error(error: AppError) -> ScimError {
    let status = match error.status() {
        // SCIM says 400 for input it refuses.
        422 => 400,
        status => status,
    };
    let kind = (status == 400).then_some("invalidValue");
    ScimError::new(status, kind, error.to_string())
}

/// Errors the service meets, answered in SCIM's form (an internal one is
/// logged as it is turned into an `AppError`).
pub struct Failure(pub ScimError);

impl From<ServiceError> for Failure {
    fn from(error: ServiceError) -> Self {
        Failure(scim_error(AppError::from(error)))
    }
}

impl From<sea_orm::DbErr> for Failure {
    fn from(error: sea_orm::DbErr) -> Self {
        ServiceError::from(error).into()
    }
}

impl From<ScimError> for Failure {
    fn from(error: ScimError) -> Self {
        Failure(error)
    }
}

pub type ScimResult<T> = Result<T, Failure>;

/// SCIM provisions the whole organisation: a token with the global
/// level's rights.
fn global_token(admin: &Admin) -> ScimResult<()> {
    if admin.is_global() {
        Ok(())
    } else {
        Err(Failure(ScimError::new(
            403,
            None,
            "SCIM provisioning needs an API token with the global level's rights: a global admin \
             creates one on the API tokens page.",
        )))
    }
}

/// The rows' problems, if any, as one SCIM error: nothing was written.
fn refused_rows(results: Vec<crate::RowResult>) -> ScimResult<()> {
    let errors: Vec<String> = results
        .into_iter()
        .flat_map(|r| r.errors)
        .map(|e| e.message)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure(ScimError::invalid_value(errors.join(" "))))
    }
}

/// Where a list starts (1-based) and how many it holds, bounded.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub start_index: u64,
    pub count: u64,
}

impl Page {
    pub fn new(start_index: Option<u64>, count: Option<u64>) -> Page {
        Page {
            start_index: start_index.unwrap_or(1).max(1),
            count: count
                .unwrap_or(crate::domain::scim::MAX_RESULTS)
                .min(crate::domain::scim::MAX_RESULTS),
        }
    }
}
