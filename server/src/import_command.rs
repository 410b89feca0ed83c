//! `server import` (docs/api.md): a CSV file imported from the server's
//! command line, for cron jobs — the same path as the wizard and the HTTP
//! API, acting as the admin named with `--as`, with that admin's rights.

use crate::api_v1::ImportQuery;
use crate::config::Config;
use crate::error::StartError;
use crate::startup::prepare_database;
use app::api::imports::FileImportAnswer;
use app::backend::accounts::acting_as;
use app::backend::imports::import_file;
use app::domain::text::thousands;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: CSV, or a workbook (.xlsx, .xls, .xlsb, .ods).
    #[arg(long, value_name = "PATH")]
    file: PathBuf,
    /// The admin the import is made as (their sign-in email); their
    /// rights apply, and the history names them.
    #[arg(long = "as", value_name = "EMAIL")]
    admin: String,
    /// The track (by slug); without it, the global level (dormant users).
    #[arg(long, value_name = "SLUG")]
    track: Option<String>,
    /// The roles everyone gets (`mentee`, or `mentee,mentor`), or
    /// `column` to take them from a Role column.
    #[arg(long)]
    roles: Option<String>,
    /// Add dormant users (no track, no roles, no emails).
    #[arg(long)]
    dormant: bool,
    /// add_and_update (default), only_new or only_existing.
    #[arg(long)]
    add: Option<String>,
    /// overwrite (default) or fill_empty.
    #[arg(long)]
    write: Option<String>,
    /// A workbook's sheet, by name (default: the first with anything in it).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// A remembered mapping, by name (default: the one for the file's
    /// headers, else pairing by header names).
    #[arg(long, value_name = "NAME")]
    mapping: Option<String>,
    /// Check the file and print what would happen; write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Runs the import; `Ok(false)` when some rows could not be imported.
pub async fn run(config: Config, args: ImportArgs) -> Result<bool, StartError> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| StartError::Invalid(format!("cannot read {}: {e}.", args.file.display())))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let options = ImportQuery {
        track: args.track,
        roles: args.roles,
        dormant: args.dormant,
        add: args.add,
        write: args.write,
        file_name,
        sheet: args.sheet,
        mapping: args.mapping,
        dry_run: args.dry_run,
    }
    .options()
    .map_err(|e| StartError::Invalid(e.to_string()))?;
    let (db, starting) = prepare_database(&config).await?;
    starting.done().await?;
    let admin = acting_as(&db, &args.admin).await?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = {
        let bar = bar.clone();
        move |done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let answer = import_file(&db, &admin, &bytes, options, &progress).await;
    bar.finish_and_clear();
    let answer = answer?;
    print_answer(&answer);
    Ok(answer.errors_total == 0)
}

fn print_answer(a: &FileImportAnswer) {
    if let Some(c) = &a.counts {
        println!(
            "Import {}: {} rows; {} new, {} updated, {} added to the track, {} gained roles, {} emails queued, {} skipped with errors.",
            a.import_id.unwrap_or_default(),
            thousands(a.rows),
            thousands(c.created),
            thousands(c.updated),
            thousands(c.added),
            thousands(c.roles_added),
            thousands(c.emails_queued),
            thousands(c.skipped)
        );
        if c.skipped_existing + c.skipped_new > 0 {
            println!(
                "Left out by the update rule: {} already on the platform, {} not on the platform.",
                thousands(c.skipped_existing),
                thousands(c.skipped_new)
            );
        }
    }
    if let Some(d) = &a.dry_run {
        println!(
            "Dry run, nothing written: {} rows; {} new, {} joining the track, {} gaining roles, {} updated, {} email changes, {} emails would be queued.",
            thousands(a.rows),
            thousands(d.new),
            thousands(d.joining),
            thousands(d.roles_added),
            thousands(d.updated),
            thousands(d.email_changes),
            thousands(d.emails)
        );
    }
    if a.errors_total > 0 {
        eprintln!("{} row errors:", thousands(a.errors_total));
        for e in &a.errors {
            let column = if e.column.is_empty() {
                String::new()
            } else {
                format!(", {}", e.column)
            };
            eprintln!("  line {}{column}: {}", e.line, e.message);
        }
        let unlisted = a.errors_total.saturating_sub(a.errors.len() as u64);
        if unlisted > 0 {
            eprintln!("  …and {} more.", thousands(unlisted));
        }
    }
}
