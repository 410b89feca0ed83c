//! Why the server could not start or a CLI command could not run.

use app::backend::error::ServiceError;

/// Why the server could not start or a CLI command could not run: each
/// message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(String),
    #[error("cannot open the database at {url}: {source}. Check DATABASE_URL (for example sqlite://data/roster.db?mode=rwc or postgres://user@host/dbname) and that the database server is running.")]
    Connect { url: String, source: sea_orm::DbErr },
    #[error("cannot bring the database schema up to date: {0}. Check that DATABASE_URL points to a Roster database and that its user may create tables.")]
    Migrate(sea_orm::DbErr),
    #[error("the instance definition is not valid: {0}")]
    Instance(#[from] crate::instance_file::InstanceFileError),
    #[error("cannot apply the instance definition to the database: {0}")]
    Sync(sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}. Is another program using that port? Set LEPTOS_SITE_ADDR to another address.")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}
