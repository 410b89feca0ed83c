//! The server side's own errors. Whatever reaches a person goes through
//! [`AppError`]; the details, with every cause, are logged here and never
//! shown.

use crate::AppError;
use std::error::Error;

/// What a server-side call can end in besides success: a refusal the
/// person can act on, or a failure inside the server that they cannot fix.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Refused(#[from] AppError),
    #[error("database error")]
    Db(#[from] sea_orm::DbErr),
    #[error("password hashing failed")]
    Hash(#[from] argon2::password_hash::Error),
    /// Stored data that breaks an invariant the code relies on (a row
    /// without the row it belongs to, an import without its plan).
    #[error("stored data is inconsistent: {0}")]
    Data(String),
    #[error("a background task failed")]
    Task(#[from] tokio::task::JoinError),
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Refused(refusal) => refusal,
            internal => {
                tracing::error!(error = %with_causes(&internal), "internal error");
                AppError::Internal
            }
        }
    }
}

/// "what failed: because: because…", the whole chain of sources. A cause
/// whose words its error already wrote (many errors print their source
/// too) is not written twice.
pub fn with_causes(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let words = cause.to_string();
        if !text.contains(&words) {
            text.push_str(": ");
            text.push_str(&words);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logged_text_names_every_cause() {
        let db = sea_orm::DbErr::Conn(sea_orm::RuntimeErr::Internal("connection refused".into()));
        let text = with_causes(&ServiceError::Db(db));
        assert!(text.starts_with("database error: "), "{text}");
        assert!(text.contains("connection refused"), "{text}");
        assert_eq!(text.matches("connection refused").count(), 1, "{text}");
    }
}
