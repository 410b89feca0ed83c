//! Settings from flags or the environment (clap), with defaults that run
//! the demo locally.

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
            from: DEFAULT_FROM.to_owned(),
            poll: Duration::from_secs(5),
            retry_after: Duration::from_secs(60),
        }
    }
}

impl Config {
    /// Cookies get `Secure` when people reach Roster over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

const DEFAULT_DATA_DIR: &str = "data";
const DEFAULT_INSTANCE: &str = "instance/demo.toml";
const DEFAULT_FROM: &str = "Roster <roster@localhost>";
const DEFAULT_LOG: &str = "info,sqlx=warn,sea_orm=warn";

/// Every setting of the server, from a flag or its environment variable;
/// `server --help` lists them with their defaults. An empty variable is
/// the same as an unset one.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// The database: `sqlite://…` or `postgres://user@host/db`; the schema is
    /// migrated at start. [default: roster.db in the data directory]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Where the SQLite file lives, and emails written as files.
    #[arg(long, env = "ROSTER_DATA_DIR", default_value = DEFAULT_DATA_DIR, global = true)]
    pub data_dir: PathBuf,
    /// The instance definition: tracks, profile fields, licence limit, upload
    /// row limit, pool privacy, email hold minutes, sign-in URL.
    #[arg(
        long = "instance",
        env = "ROSTER_INSTANCE",
        default_value = DEFAULT_INSTANCE,
        global = true
    )]
    pub instance_file: PathBuf,
    /// The address people use to reach Roster (for printed links); `https://…`
    /// makes cookies `Secure`. [default: the address it listens on]
    #[arg(long, env = "ROSTER_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Where the server listens.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: std::net::SocketAddr,
    /// How system emails leave: `smtp://user:password@host:587` (STARTTLS) or
    /// `smtps://…:465` (TLS). [default: .eml files in <data dir>/outbox/]
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// The sender of system emails.
    #[arg(
        long,
        env = "SMTP_FROM",
        default_value = DEFAULT_FROM,
        global = true
    )]
    pub smtp_from: String,
    /// The log filter (tracing's EnvFilter syntax).
    #[arg(
        long = "log",
        env = "RUST_LOG",
        default_value = DEFAULT_LOG,
        global = true
    )]
    pub log: String,
}

impl Settings {
    /// The configuration these settings make. An empty setting is the same
    /// as an unset one (clap takes `VAR=` as a value), as it always was.
    pub fn config(&self) -> Config {
        let given = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        let text_or = |v: &str, default: &str| match v.trim() {
            "" => default.to_owned(),
            _ => v.to_owned(),
        };
        let or_default = |path: &PathBuf, default: &str| {
            if path.as_os_str().is_empty() {
                PathBuf::from(default)
            } else {
                path.clone()
            }
        };
        let data_dir = or_default(&self.data_dir, DEFAULT_DATA_DIR);
        let database_url = given(&self.database_url).unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("roster.db").display())
        });
        Config {
            database_url,
            instance_file: or_default(&self.instance_file, DEFAULT_INSTANCE),
            data_dir,
            public_url: given(&self.public_url).map(|u| u.trim_end_matches('/').to_owned()),
            mail: MailConfig {
                smtp_url: given(&self.smtp_url),
                from: text_or(&self.smtp_from, DEFAULT_FROM),
                ..MailConfig::default()
            },
        }
    }

    /// The log filter; an empty or unreadable one is the default.
    pub fn log_filter(&self) -> tracing_subscriber::EnvFilter {
        tracing_subscriber::EnvFilter::try_new(self.log.trim())
            .ok()
            .filter(|_| !self.log.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_LOG.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn flags_make_the_config_and_empty_ones_are_unset() {
        let cli = Cli::try_parse_from([
            "server",
            "--data-dir",
            "/srv/roster",
            "--public-url",
            "https://roster.example.org/",
            "--smtp-from",
            "",
            // Empty, whatever the environment running the test holds.
            "--database-url",
            "",
            "--smtp-url",
            " ",
        ])
        .unwrap();
        let config = cli.settings.config();
        assert_eq!(
            config.database_url,
            "sqlite:///srv/roster/roster.db?mode=rwc"
        );
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://roster.example.org")
        );
        assert!(config.secure_cookies());
        assert_eq!(config.mail.from, MailConfig::default().from);
        assert_eq!(config.mail.smtp_url, None);
    }
}
