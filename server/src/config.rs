//! Settings from the environment, with defaults that run the demo locally.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (the default, a file under the data directory) or `postgres://…`.
    pub database_url: String,
    /// Where the SQLite file (and later, emails written as files) live.
    pub data_dir: PathBuf,
    /// The instance definition (tracks, profile fields, settings).
    pub instance_file: PathBuf,
    /// The address people use to reach Roster, for links printed to the
    /// console; `None` means the address it listens on.
    pub public_url: Option<String>,
    pub mail: MailConfig,
}

/// How system emails leave (docs/system-emails.md).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://user:pass@host:587` (STARTTLS), `smtps://…:465` (TLS);
    /// `None`: each email is written as an `.eml` file under the data
    /// directory, in `outbox/`.
    pub smtp_url: Option<String>,
    /// The sender, e.g. `Northwind Mentoring <mentoring@example.com>`.
    pub from: String,
    /// How often the worker looks for emails due.
    pub poll: Duration,
    /// The wait after a first transient failure; it doubles each time.
    pub retry_after: Duration,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            from: "Roster <roster@localhost>".to_owned(),
            poll: Duration::from_secs(5),
            retry_after: Duration::from_secs(60),
        }
    }
}

impl Config {
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("ROSTER_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("roster.db").display())
        });
        Config {
            database_url,
            data_dir,
            instance_file: PathBuf::from(
                var("ROSTER_INSTANCE").unwrap_or_else(|| "instance/demo.toml".into()),
            ),
            public_url: var("ROSTER_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()),
            mail: MailConfig {
                smtp_url: var("SMTP_URL"),
                from: var("SMTP_FROM").unwrap_or_else(|| MailConfig::default().from),
                ..MailConfig::default()
            },
        }
    }

    /// Cookies get `Secure` when people reach Roster over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}
