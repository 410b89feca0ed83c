//! Applying one batch: every row checked again with the domain code, then
//! written in one transaction, each row recorded by its line.

use super::id_match::{match_ids, EmailChanges};
use super::people::{apply_people, Applied};
use super::start::{still_open_for, writable_import};
use super::{invalid, joins_track, stored_roles, MAX_BATCH};
use crate::backend::bulk::{insert_rows, lookup_chunk, one_of};
use crate::backend::db::begin_write;
use crate::backend::entities::stored::{Json, Named};
use crate::backend::entities::{import, import_row, user};
use crate::backend::error::ServiceError;
use crate::backend::overview::{active_users, profile_fields, settings};
use crate::domain::csv_upload::{CellError, CsvRow, Person, RowCheck, RowChecker, Target};
use crate::domain::text::thousands;
use crate::domain::{Admin, ImportStatus, ProfileField};
use crate::{ImportCounts, RowOutcome, RowResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    ExprTrait, QueryFilter, QuerySelect,
};
use std::collections::{HashMap, HashSet};

/// Makes this transaction the only one writing people until it ends, as
/// SQLite's IMMEDIATE transactions already are. A batch reads who exists
/// and then writes; two batches (of one import or of several, or a batch
/// and an undo) meeting the same people at once must not both create them,
/// both email them, or deadlock on each other's rows. A retry sent while
/// the first try still runs waits here, then finds its rows recorded. On
/// PostgreSQL: an advisory lock, released at commit or rollback.
pub(crate) async fn write_people_alone(txn: &DatabaseTransaction) -> Result<(), ServiceError> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(20261202)")
            .await?;
    }
    Ok(())
}

/// This batch's place in the order people were written. Safe only after
/// `write_people_alone`: no other batch can take the same number meanwhile.
pub(super) async fn next_write_order(txn: &DatabaseTransaction) -> Result<i64, ServiceError> {
    let last = import_row::Entity::find()
        .select_only()
        .column_as(import_row::Column::WriteOrder.max(), "last")
        .into_tuple::<Option<i64>>()
        .one(txn)
        .await?
        .flatten();
    Ok(last.unwrap_or(0) + 1)
}

/// Applies one batch of an import's rows: each checked again, the people
/// written, each row recorded by its line. A batch sent again (a retry) is
/// answered from what was recorded, and writes nothing twice.
#[tracing::instrument(skip_all, fields(import = import_id, rows = rows.len()))]
pub async fn apply_batch(
    db: &DatabaseConnection,
    admin: &Admin,
    import_id: i64,
    rows: Vec<CsvRow>,
) -> Result<Vec<RowResult>, ServiceError> {
    apply_batch_moving(db, admin, import_id, rows, None).await
}

/// `apply_batch`, where `moving` (a SCIM user, known by their id) takes
/// the address of the batch's one row when it is not theirs already: an
/// email change, recorded for undo as one an external ID finds.
pub(crate) async fn apply_batch_moving(
    db: &DatabaseConnection,
    admin: &Admin,
    import_id: i64,
    rows: Vec<CsvRow>,
    moving: Option<&user::Model>,
) -> Result<Vec<RowResult>, ServiceError> {
    if rows.len() > MAX_BATCH {
        return invalid(format!(
            "A batch holds at most {} rows: send smaller batches.",
            thousands(MAX_BATCH)
        ));
    }
    check_lines(&rows)?;
    let fields = profile_fields(db).await?;
    let txn = begin_write(db).await?;
    write_people_alone(&txn).await?;
    let imp = writable_import(&txn, admin, import_id).await?;
    if imp.status != ImportStatus::InProgress {
        return invalid("This import is finished: start a new upload to add more people.");
    }
    let roles = stored_roles(&imp)?;
    let stored = imp
        .mapping
        .as_deref()
        .ok_or_else(|| ServiceError::Data(format!("import {import_id} has no mapping")))?;
    still_open_for(&txn, &imp, roles).await?;

    let recorded = recorded_rows(&txn, import_id, &rows).await?;
    let new_rows: Vec<&CsvRow> = rows
        .iter()
        .filter(|r| !recorded.contains_key(&line_key(r.line)))
        .collect();
    within_the_files_rows(&imp, new_rows.len())?;

    let mut checker = RowChecker::new(&stored.headers, &fields, &stored.mapping, roles);
    let mut checks: Vec<RowCheck> = new_rows.iter().map(|row| checker.check(row)).collect();
    refuse_repeats_of_earlier_batches(&txn, import_id, &mut checks).await?;
    let mut email_changes = match ProfileField::external_id_of(&fields) {
        Some(field) => {
            let column = stored
                .mapping
                .column_of(&Target::Field(field.key.clone()))
                .and_then(|i| stored.headers.get(i))
                .map_or(field.title.as_str(), String::as_str);
            match_ids(&txn, import_id, field, column, &mut checks).await?
        }
        None => EmailChanges::new(),
    };
    if let (Some(person), [one]) = (moving, checks.as_slice()) {
        if let Some(key) = one.person.as_ref().map(|p| p.email.normalized()) {
            if key != person.email_normalized {
                email_changes.insert(key, person.clone());
            }
        }
    }

    let persons: Vec<&Person> = checks.iter().filter_map(|c| c.person.as_ref()).collect();
    let track_id = joins_track(&imp, roles);
    let now = Utc::now();
    let (applied, newly_active) =
        apply_people(&txn, &imp, track_id, &fields, &persons, &email_changes, now).await?;
    // Nobody new became active: nothing to count, no settings to read.
    if newly_active > 0 {
        within_the_licence(&txn, "This import").await?;
    }
    let mut results = record_rows(&txn, import_id, &checks, &applied, track_id, now).await?;
    txn.commit().await?;
    let before = imp.rows_recorded();
    analyse_as_the_import_grows(db, before, before + checks.len() as i64).await;

    results.extend(rows.iter().filter_map(|row| {
        recorded.get(&line_key(row.line)).map(|r| RowResult {
            line: row.line,
            outcome: *r.outcome,
            errors: r.errors.clone().map(|e| e.0).unwrap_or_default(),
        })
    }));
    results.sort_by_key(|r| r.line);
    Ok(results)
}

/// Where PostgreSQL's statistics on import rows begin to matter.
const ANALYSED_FROM: i64 = 1_024;

/// Analyses the import rows whenever an import's rows recorded pass a power
/// of two from [`ANALYSED_FROM`] on, as PostgreSQL advises after loading
/// many rows: each batch looks this import's rows up by line and by email,
/// and a table filling faster than autovacuum analyses it is planned as if
/// the import had a few hundred rows, scanning all of them for each look-up
/// (20 ms a batch by 50,000 rows, docs/performance.md). Never fails the
/// batch, which is written already.
async fn analyse_as_the_import_grows(db: &DatabaseConnection, before: i64, after: i64) {
    if db.get_database_backend() != DbBackend::Postgres || !passes_a_power_of_two(before, after) {
        return;
    }
    if let Err(e) = db.execute_unprepared("ANALYZE import_rows").await {
        tracing::warn!(error = %e, "import rows could not be analysed");
    }
}

fn passes_a_power_of_two(before: i64, after: i64) -> bool {
    after >= ANALYSED_FROM && (before < ANALYSED_FROM || before.ilog2() != after.ilog2())
}

/// The rows of this batch that an earlier try of it already recorded.
async fn recorded_rows(
    txn: &DatabaseTransaction,
    import_id: i64,
    rows: &[CsvRow],
) -> Result<HashMap<i32, import_row::Model>, ServiceError> {
    let lines: Vec<i32> = rows.iter().map(|r| line_key(r.line)).collect();
    let backend = txn.get_database_backend();
    let mut recorded = HashMap::new();
    for chunk in lines.chunks(lookup_chunk(backend)) {
        for r in import_row::Entity::find()
            .filter(import_row::Column::ImportId.eq(import_id))
            .filter(one_of(backend, import_row::Column::Line, chunk))
            .all(txn)
            .await?
        {
            recorded.insert(r.line, r);
        }
    }
    Ok(recorded)
}

/// The upload limit was checked against the rows the import said it had;
/// hold every import to that (each recorded row counts once).
fn within_the_files_rows(imp: &import::Model, new_rows: usize) -> Result<(), ServiceError> {
    if imp.rows_recorded() + new_rows as i64 > i64::from(imp.rows_total) {
        return invalid(format!(
            "This import was started for a file of {} rows, and this batch would take it past that: \
             start a new upload with the whole file.",
            thousands(imp.rows_total)
        ));
    }
    Ok(())
}

/// A row repeating an address an earlier batch of this file already used
/// is skipped, with the line it repeats.
async fn refuse_repeats_of_earlier_batches(
    txn: &DatabaseTransaction,
    import_id: i64,
    checks: &mut [RowCheck],
) -> Result<(), ServiceError> {
    let keys: Vec<String> = checks
        .iter()
        .filter_map(|c| c.person.as_ref())
        .map(|p| p.email.normalized())
        .collect();
    let backend = txn.get_database_backend();
    let mut earlier: HashMap<String, i32> = HashMap::new();
    for chunk in keys.chunks(lookup_chunk(backend)) {
        for r in import_row::Entity::find()
            .filter(import_row::Column::ImportId.eq(import_id))
            .filter(one_of(backend, import_row::Column::Email, chunk))
            .all(txn)
            .await?
        {
            if let Some(email) = r.email {
                earlier.insert(email, r.line);
            }
        }
    }
    for check in checks {
        let Some(person) = &check.person else {
            continue;
        };
        if let Some(first) = earlier.get(&person.email.normalized()) {
            let message = format!(
                "Email has to be unique: {} is also on line {first}. Keep one row per person.",
                person.email
            );
            let value = person.email.to_string();
            fail_row(check, "Email", value, message);
        }
    }
    Ok(())
}

/// Turns a checked row into a row error: nothing of it is written.
pub(super) fn fail_row(check: &mut RowCheck, column: &str, value: String, message: String) {
    check.errors.push(CellError {
        line: check.line,
        column: column.to_owned(),
        value,
        message,
        suggestion: None,
    });
    check.person = None;
}

/// The preview blocks an import over the licence; this holds the line
/// against a stale preview or a concurrent import. The caller's
/// transaction is dropped on the refusal, which rolls the batch back.
/// Refuses a write that took active users over the licence; `what`
/// names the write in the sentence ("This import").
pub(crate) async fn within_the_licence(
    txn: &DatabaseTransaction,
    what: &str,
) -> Result<(), ServiceError> {
    let after = active_users(txn).await?;
    let limit = u64::try_from(settings(txn).await?.license_limit).unwrap_or(0);
    if after > limit {
        return invalid(format!(
            "{what} would bring active users to {}, over the licence of {} by {}: remove \
             people who are new to the platform from the file, or ask for a larger licence.",
            thousands(after),
            thousands(limit),
            thousands(after - limit)
        ));
    }
    Ok(())
}

/// Records each checked row (its outcome, person, problems and what it
/// overwrote), adds the batch to the import's counts, and answers each row.
async fn record_rows(
    txn: &DatabaseTransaction,
    import_id: i64,
    checks: &[RowCheck],
    applied: &HashMap<String, Applied>,
    track_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<RowResult>, ServiceError> {
    let write_order = next_write_order(txn).await?;
    let mut results = Vec::with_capacity(checks.len());
    let mut row_values = Vec::with_capacity(checks.len());
    let mut counts = ImportCounts::default();
    for check in checks {
        let (outcome, user_id, email, previous) = match &check.person {
            Some(p) => {
                let key = p.email.normalized();
                let done = applied
                    .get(&key)
                    .ok_or_else(|| ServiceError::Data(format!("no result for {key}")))?;
                (
                    done.outcome,
                    done.user_id,
                    Some(key),
                    done.previous.clone().map(Json),
                )
            }
            None => (RowOutcome::Skipped, None, None, None),
        };
        tally(&mut counts, outcome, track_id.is_some());
        let errors = (!check.errors.is_empty()).then(|| Json(check.errors.clone()));
        row_values.push([
            import_id.into(),
            line_key(check.line).into(),
            Named(outcome).into(),
            user_id.into(),
            email.into(),
            errors.into(),
            previous.into(),
            now.into(),
            write_order.into(),
        ]);
        results.push(RowResult {
            line: check.line,
            outcome,
            errors: check.errors.clone(),
        });
    }
    counts.emails_queued = applied.values().filter(|a| a.emailed).count() as u64;
    insert_rows::<import_row::Entity, 9>(
        txn,
        [
            import_row::Column::ImportId,
            import_row::Column::Line,
            import_row::Column::Outcome,
            import_row::Column::UserId,
            import_row::Column::Email,
            import_row::Column::Errors,
            import_row::Column::Previous,
            import_row::Column::AppliedAt,
            import_row::Column::WriteOrder,
        ],
        "ON CONFLICT (import_id, line) DO NOTHING",
        row_values,
    )
    .await?;
    add_counts(txn, import_id, counts).await?;
    Ok(results)
}

/// Each row of a batch is recorded by its line, which comes from the
/// browser: two rows with one line would both be applied but one recorded
/// (missing from the history and from undo), so such a batch is refused.
fn check_lines(rows: &[CsvRow]) -> Result<(), ServiceError> {
    let mut seen = HashSet::with_capacity(rows.len());
    for row in rows {
        if row.line < 2 || row.line > i32::MAX as u64 {
            return invalid(format!(
                "Line {} is not a line of a file's rows: reload the page and upload the file again.",
                row.line
            ));
        }
        if !seen.insert(row.line) {
            return invalid(format!(
                "Line {} is in this batch twice: reload the page and upload the file again.",
                row.line
            ));
        }
    }
    Ok(())
}

fn line_key(line: u64) -> i32 {
    i32::try_from(line).unwrap_or(i32::MAX)
}

fn tally(counts: &mut ImportCounts, outcome: RowOutcome, at_track: bool) {
    match outcome {
        RowOutcome::Created => {
            counts.created += 1;
            counts.added += u64::from(at_track);
        }
        RowOutcome::Added => {
            counts.updated += 1;
            counts.added += 1;
        }
        RowOutcome::RolesAdded => {
            counts.updated += 1;
            counts.roles_added += 1;
        }
        RowOutcome::Updated => counts.updated += 1,
        RowOutcome::Skipped => counts.skipped += 1,
        RowOutcome::SkippedExisting => counts.skipped_existing += 1,
        RowOutcome::SkippedNew => counts.skipped_new += 1,
        RowOutcome::Left => counts.left += 1,
    }
}

async fn add_counts(
    txn: &DatabaseTransaction,
    import_id: i64,
    c: ImportCounts,
) -> Result<(), ServiceError> {
    let mut update = import::Entity::update_many();
    for (col, n) in [
        (import::Column::CreatedCount, c.created),
        (import::Column::UpdatedCount, c.updated),
        (import::Column::AddedCount, c.added),
        (import::Column::RolesAddedCount, c.roles_added),
        (import::Column::EmailsQueuedCount, c.emails_queued),
        (import::Column::SkippedCount, c.skipped),
        (import::Column::SkippedExistingCount, c.skipped_existing),
        (import::Column::SkippedNewCount, c.skipped_new),
        (import::Column::LeftCount, c.left),
    ] {
        update = update.col_expr(
            col,
            Expr::col(col).add(i64::try_from(n).unwrap_or(i64::MAX)),
        );
    }
    update
        .filter(import::Column::Id.eq(import_id))
        .exec(txn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rows_are_analysed_each_time_an_import_doubles_from_1024() {
        let analysed: Vec<(i64, i64)> = (0..200)
            .map(|batch| (batch * 500, batch * 500 + 500))
            .filter(|&(before, after)| passes_a_power_of_two(before, after))
            .collect();
        assert_eq!(
            analysed,
            [
                (1_000, 1_500),
                (2_000, 2_500),
                (4_000, 4_500),
                (8_000, 8_500),
                (16_000, 16_500),
                (32_500, 33_000),
                (65_500, 66_000)
            ]
        );
        assert!(!passes_a_power_of_two(1_024, 2_047));
        assert!(passes_a_power_of_two(1_023, 1_024));
    }
}
