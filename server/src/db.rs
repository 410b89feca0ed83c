//! The one database pool: opened once at start, schema brought up to date.

use crate::error::StartError;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, TransactionTrait,
};
use std::time::Duration;

/// Opens the pool and runs pending migrations.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, StartError> {
    let db = connect(url).await?;
    Migrator::up(&db, None).await.map_err(StartError::Migrate)?;
    Ok(db)
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, StartError> {
    let is_sqlite = url.starts_with("sqlite:");
    if is_sqlite {
        create_parent_dir(url)?;
    } else if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(StartError::Config(format!(
            "DATABASE_URL {:?} is neither sqlite:// nor postgres://: Roster runs on SQLite (the default) or PostgreSQL.",
            redact(url)
        )));
    }
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(if is_sqlite { 4 } else { 10 })
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // WAL lets pages read while an import writes; the busy timeout makes
        // a writer wait for another instead of failing.
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
                // Sorts and IN lists of big queries (the user list's
                // filters) in memory, not in temporary files.
                .pragma("temp_store", "memory")
        })
        // Statements are prepared once per connection and reused; after five
        // runs PostgreSQL may switch one to a generic plan made without its
        // values, and for "this import's rows with these emails" that plan
        // walks every row of the import: 87 ms a batch at 10,000 rows
        // instead of 0.2 ms. Planning each run with its values is cheap.
        .map_sqlx_postgres_opts(|o| o.options([("plan_cache_mode", "force_custom_plan")]));
    Database::connect(opts)
        .await
        .map_err(|source| StartError::Connect {
            url: redact(url),
            source,
        })
}

/// While several servers start at once on one PostgreSQL database, one at a
/// time migrates the schema and applies the instance file: the first holds
/// this transaction's advisory lock until it commits, the others wait for it
/// and then find nothing left to do. `None` on SQLite, whose file belongs to
/// one server.
pub async fn start_alone(db: &DatabaseConnection) -> Result<Option<DatabaseTransaction>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({STARTING_LOCK})"))
        .await?;
    Ok(Some(txn))
}

/// The advisory lock key of [`start_alone`] ("Roster" in ASCII).
const STARTING_LOCK: i64 = 0x526f_7374_6572;

fn create_parent_dir(url: &str) -> Result<(), StartError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StartError::Config(format!(
                "cannot create the data folder {}: {e}. Check ROSTER_DATA_DIR or DATABASE_URL.",
                dir.display()
            ))
        })?;
    }
    Ok(())
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            redact("postgres://roster:s3cret@db:5432/roster"),
            "postgres://roster:***@db:5432/roster"
        );
        assert_eq!(
            redact("postgres://roster@db/roster"),
            "postgres://roster@db/roster"
        );
        assert_eq!(
            redact("sqlite://data/roster.db?mode=rwc"),
            "sqlite://data/roster.db?mode=rwc"
        );
    }
}
