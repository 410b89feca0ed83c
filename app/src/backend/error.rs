//! The server side's own errors. Whatever reaches a person goes through
//! [`AppError`]; the details are logged here and never shown.

use crate::AppError;

/// What a server-side call can end in besides success: a refusal the
/// person can act on, or a failure inside the server that they cannot fix.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Refused(#[from] AppError),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("stored data is unreadable: {0}")]
    Data(String),
    #[error("a background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Refused(refusal) => refusal,
            internal => {
                tracing::error!(error = %internal, "internal error");
                AppError::Internal
            }
        }
    }
}
