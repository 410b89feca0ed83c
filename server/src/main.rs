//! `server`: runs Roster, or an admin task from the command line.

use app::domain::{Email, NewPassword};
use clap::{Parser, Subcommand};
use server::config::{Config, Settings};
use server::error::StartError;
use server::import_command::{self, ImportArgs};
use server::startup::{prepare_database, Application};
use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Roster: add people to a mentoring platform, in bulk or one by one."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web app (the default).
    Serve,
    /// Create an admin account and print a one-time link to set its password.
    CreateAdmin {
        /// The admin's sign-in email.
        #[arg(long)]
        email: String,
        /// Make them the admin of this track (by slug); repeat for several.
        /// Without --track the admin is a global admin.
        #[arg(long = "track", value_name = "SLUG")]
        tracks: Vec<String>,
        /// Read the password from standard input instead of printing a link.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Import a CSV file, as the admin named with --as (for cron jobs).
    /// Exits with 1 when nothing could be imported, 2 when some rows could
    /// not be (they are printed).
    Import(ImportArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(cli.settings.log_filter())
        .init();
    let config = cli.settings.config();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Import(args) => {
            return match import_command::run(config, args).await {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(2),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Serve => serve(config, cli.settings.site_addr).await,
        Command::CreateAdmin {
            email,
            tracks,
            password_stdin,
        } => {
            create_admin(
                config,
                cli.settings.site_addr,
                &email,
                &tracks,
                password_stdin,
            )
            .await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config, site_addr: SocketAddr) -> Result<(), StartError> {
    let mut conf = leptos::config::get_configuration(None).map_err(|e| {
        StartError::Config(format!("the Leptos site settings are incomplete ({e}): start Roster with `cargo leptos serve` or set LEPTOS_SITE_ROOT and LEPTOS_OUTPUT_NAME."))
    })?;
    conf.leptos_options.site_addr = site_addr;
    let app = Application::build(config, conf.leptos_options).await?;
    println!("Roster is running at {}", app.base_url());
    if let Some(link) = app.setup_link() {
        println!();
        println!("No admin account exists yet. Open this one-time setup link to create the first global admin:");
        println!();
        println!("    Setup link: {link}");
        println!();
    }
    app.run_until_stopped()
        .await
        .map_err(|e| StartError::Config(format!("the web server stopped: {e}")))
}

async fn create_admin(
    config: Config,
    site_addr: SocketAddr,
    email: &str,
    tracks: &[String],
    password_stdin: bool,
) -> Result<(), StartError> {
    let email = Email::parse(email).map_err(|e| StartError::Invalid(e.to_string()))?;
    let password = if password_stdin {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input).map_err(|e| {
            StartError::Invalid(format!(
                "cannot read the password from standard input: {e}."
            ))
        })?;
        let input = input.trim_end_matches(['\r', '\n']);
        Some(NewPassword::parse(input, input).map_err(|e| StartError::Invalid(e.to_string()))?)
    } else {
        None
    };
    let (db, starting) = prepare_database(&config).await?;
    starting.done().await?;
    let created = app::backend::accounts::create_admin(&db, &email, tracks, password).await?;
    let role = if tracks.is_empty() {
        "global admin".to_owned()
    } else {
        format!("admin of {}", tracks.join(", "))
    };
    println!("Created {role} {email} (id {}).", created.admin_id);
    if let Some(token) = created.invite_token {
        let base = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{site_addr}"));
        println!(
            "Setup link (one-time, valid {} days): {base}/setup?token={token}",
            app::backend::accounts::INVITE_DAYS
        );
    }
    Ok(())
}
