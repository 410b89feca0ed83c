//! A whole CSV file imported in one call (docs/api.md, "Importing a file
//! in one call"), for systems with nobody at the keyboard: the wizard's
//! steps on the server — read, pair the columns (a remembered mapping
//! first), check every row, then start, apply in batches and finish
//! through the very functions the wizard calls. A dry run stops after the
//! checks and answers what the preview would show.

use super::context::{import_context, known_people};
use super::{apply_batch, finish, invalid, start};
use crate::api::imports::{
    DryRunCounts, FileImportAnswer, ImportPlan, BATCH_ROWS, KNOWN_PEOPLE_PER_CALL,
};
use crate::backend::error::ServiceError;
use crate::backend::saved_mappings;
use crate::domain::csv_upload::{
    decode, fingerprint, is_workbook, read_table, CellError, CsvTable, Delimiter, Forecast, Known,
    KnownPerson, Mapping, RoleChoice, RowChecker,
};
use crate::domain::{Admin, ProfileField, UpdateRule};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;

/// Row errors an answer lists; the rest are counted.
pub const ERRORS_LISTED: usize = 1_000;

/// What the caller asked for besides the file.
#[derive(Debug, Clone)]
pub struct FileImportOptions {
    /// The track; `None`: the global level (a dormant import).
    pub track_slug: Option<String>,
    pub roles: RoleChoice,
    pub rule: UpdateRule,
    pub file_name: String,
    /// A workbook's sheet, by name; `None`: the first with anything in it.
    pub sheet: Option<String>,
    /// A remembered mapping of the level, by name; `None`: the one for
    /// the file's headers, if any, else the pre-matching.
    pub mapping_name: Option<String>,
    pub dry_run: bool,
}

/// Told after each batch: rows applied so far, of all.
pub type Progress<'p> = &'p (dyn Fn(usize, usize) + Send + Sync);

#[tracing::instrument(skip_all, fields(track = options.track_slug.as_deref(), bytes = bytes.len(), dry_run = options.dry_run))]
pub async fn import_file(
    db: &DatabaseConnection,
    admin: &Admin,
    bytes: &[u8],
    options: FileImportOptions,
    progress: Progress<'_>,
) -> Result<FileImportAnswer, ServiceError> {
    let dormant = options.roles == RoleChoice::Dormant;
    let track = options.track_slug.as_deref();
    let context = import_context(db, admin, track, dormant).await?;
    let limit = usize::try_from(context.row_limit).unwrap_or(usize::MAX);
    let (table, sheet) = if is_workbook(bytes) {
        read_workbook(bytes, options.sheet.as_deref(), limit)?
    } else {
        (read_text(bytes, limit)?, None)
    };
    let mapping = paired(db, admin, &options, &table, &context.fields).await?;
    if options.dry_run {
        let mut answer = dry_run(db, admin, &options, &table, &mapping, &context).await?;
        answer.rows = table.rows.len() as u64;
        return Ok(answer);
    }
    let plan = ImportPlan {
        track_slug: options.track_slug.clone(),
        file_name: options.file_name.clone(),
        sheet,
        file_hash: fingerprint(bytes),
        headers: table.headers.clone(),
        mapping,
        roles: options.roles.clone(),
        rows_total: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
        rule: options.rule,
    };
    let id = start(db, admin, plan).await?;
    let mut errors = Vec::new();
    let mut applied = 0;
    for batch in table.rows.chunks(BATCH_ROWS) {
        let results = apply_batch(db, admin, id, batch.to_vec()).await?;
        errors.extend(results.into_iter().flat_map(|r| r.errors));
        applied += batch.len();
        progress(applied, table.rows.len());
    }
    let counts = finish(db, admin, id).await?;
    Ok(FileImportAnswer {
        import_id: Some(id),
        rows: table.rows.len() as u64,
        counts: Some(counts),
        dry_run: None,
        ..listed(errors)
    })
}

/// A CSV (or tab-separated) file's table, as the wizard reads it.
fn read_text(bytes: &[u8], limit: usize) -> Result<CsvTable, ServiceError> {
    let text = match decode(bytes) {
        Ok(decoded) => decoded.text,
        Err(e) => return invalid(e.to_string()),
    };
    match read_table(&text, Delimiter::detect(&text), limit) {
        Ok(table) => Ok(table),
        Err(e) => invalid(e.to_string()),
    }
}

/// A workbook's sheet (by name, else the first with anything in it), its
/// headers in the row the wizard would offer; with the sheet's name.
#[cfg(feature = "workbooks")]
fn read_workbook(
    bytes: &[u8],
    sheet: Option<&str>,
    limit: usize,
) -> Result<(CsvTable, Option<String>), ServiceError> {
    let book = match crate::domain::csv_upload::Workbook::open(bytes) {
        Ok(book) => book,
        Err(e) => return invalid(e.to_string()),
    };
    let index = match sheet {
        None => book.first_filled(),
        Some(name) => match book.sheets.iter().position(|s| s.name == name) {
            Some(index) => index,
            None => {
                let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
                return invalid(format!(
                    "The workbook has no sheet “{name}”: its sheets are {}.",
                    names.join(", ")
                ));
            }
        },
    };
    let name = book.sheets.get(index).map(|s| s.name.clone());
    match book.table(index, None, limit) {
        Ok((table, _)) => Ok((table, name)),
        Err(e) => invalid(e.to_string()),
    }
}

#[cfg(not(feature = "workbooks"))]
fn read_workbook(
    _: &[u8],
    _: Option<&str>,
    _: usize,
) -> Result<(CsvTable, Option<String>), ServiceError> {
    invalid("Send the file as CSV: this build of Roster opens workbooks in the browser only.")
}

/// The columns paired as the wizard pairs them: the remembered mapping
/// named, or the level's for these headers, else the pre-matching with
/// its hints.
async fn paired(
    db: &DatabaseConnection,
    admin: &Admin,
    options: &FileImportOptions,
    table: &CsvTable,
    fields: &[ProfileField],
) -> Result<Mapping, ServiceError> {
    let from_column = options.roles == RoleChoice::FromColumn;
    let track = options.track_slug.as_deref();
    if let Some(name) = &options.mapping_name {
        let named = saved_mappings::named(db, admin, track, name).await?;
        let mapping = named.apply(&table.headers, fields, from_column);
        return valid(mapping, fields, from_column);
    }
    let start = saved_mappings::start(db, admin, track, table.headers.clone()).await?;
    let mapping = match start.found {
        Some(found) => found.mapping.apply(&table.headers, fields, from_column),
        None => {
            let hints: HashMap<_, _> = start.hints.into_iter().collect();
            Mapping::suggest_with(&table.headers, fields, from_column, &hints)
        }
    };
    valid(mapping, fields, from_column)
}

fn valid(
    mapping: Mapping,
    fields: &[ProfileField],
    from_column: bool,
) -> Result<Mapping, ServiceError> {
    match mapping.validate(fields, from_column) {
        Ok(()) => Ok(mapping),
        Err(e) => invalid(format!(
            "{e} The columns are paired by their headers: name them as the profile fields are \
             named, or import the file once in the wizard, whose pairs are then remembered."
        )),
    }
}

/// What the preview would show: every row checked, who exists asked.
async fn dry_run(
    db: &DatabaseConnection,
    admin: &Admin,
    options: &FileImportOptions,
    table: &CsvTable,
    mapping: &Mapping,
    context: &crate::api::ImportContext,
) -> Result<FileImportAnswer, ServiceError> {
    let fields = &context.fields;
    let mut checker = RowChecker::new(&table.headers, fields, mapping, &options.roles);
    let checks: Vec<_> = table.rows.iter().map(|r| checker.check(r)).collect();
    let persons: Vec<_> = checks.iter().filter_map(|c| c.person.as_ref()).collect();
    let id_field = ProfileField::external_id_of(fields);
    let mut known: HashMap<String, KnownPerson> = HashMap::new();
    for chunk in persons.chunks(KNOWN_PEOPLE_PER_CALL) {
        let emails = chunk.iter().map(|p| p.email.normalized()).collect();
        let ids = id_field.map_or_else(Vec::new, |f| {
            chunk
                .iter()
                .filter_map(|p| p.answers.get(&f.key).map(str::to_owned))
                .collect()
        });
        let track = options.track_slug.as_deref();
        for k in known_people(db, admin, track, emails, ids).await? {
            known.insert(k.email.clone(), k);
        }
    }
    let adds_members = options.roles != RoleChoice::Dormant;
    let forecast = Forecast::new(
        persons.iter().copied(),
        &Known::new(&known, id_field),
        adds_members,
        options.rule.add,
        &context.emails_off,
    );
    let mut errors: Vec<CellError> = checks.into_iter().flat_map(|c| c.errors).collect();
    errors.extend(forecast.id_conflicts.iter().map(|c| CellError {
        line: c.line,
        column: String::new(),
        value: String::new(),
        message: c.message.clone(),
        suggestion: None,
    }));
    errors.sort_by_key(|e| e.line);
    Ok(FileImportAnswer {
        dry_run: Some(DryRunCounts::of(&forecast)),
        ..listed(errors)
    })
}

/// An answer listing the first [`ERRORS_LISTED`] of these errors.
fn listed(mut errors: Vec<CellError>) -> FileImportAnswer {
    let total = errors.len() as u64;
    errors.truncate(ERRORS_LISTED);
    FileImportAnswer {
        import_id: None,
        rows: 0,
        counts: None,
        dry_run: None,
        errors_total: total,
        errors,
    }
}
