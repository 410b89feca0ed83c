//! Applying imports (SPEC §5 step 4, §6): every row checked again with the
//! domain code, then written with chunked multi-row statements, one
//! transaction per batch. What each row overwrote is recorded for undo.

use crate::bulk_insert::insert_rows;
use crate::db::begin_write;
use crate::entities::{
    email_template, import, import_row, membership, outbox, profile_answer, track, user,
};
use crate::error::ServiceError;
use crate::overview::{
    active_tracks, active_users, license_use, profile_fields, settings, single_track, track_ref,
};
use app::api::imports::KNOWN_PEOPLE_PER_CALL;
use app::domain::csv_upload::{
    CellError, CsvRow, Mapping, Person, RoleChoice, RowChecker, TableError,
};
use app::domain::email_text::{self, Recipient};
use app::domain::text::search_key;
use app::domain::text::thousands;
use app::domain::{Admin, Roles, SystemEmail};
use app::{AppError, ImportContext, ImportCounts, ImportPlan, KnownPerson, RowOutcome, RowResult};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, EntityTrait, ExprTrait, QueryFilter, QuerySelect, Set, Value,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Rows per multi-row statement: well under SQLite's and PostgreSQL's
/// bind-parameter limits for the widest table written here.
pub(crate) const CHUNK: usize = 500;
/// Rows one batch may carry.
const MAX_BATCH: usize = 1_000;

/// What `start` stores of the plan, read back by every batch.
#[derive(Serialize, Deserialize)]
struct StoredMapping {
    headers: Vec<String>,
    mapping: Mapping,
}

/// What a row overwrote, so that undo can put it back (SPEC §9).
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Previous {
    pub user_created: bool,
    /// The names before, for an existing user.
    pub names: Option<(String, String)>,
    pub membership_created: bool,
    /// The roles before, for an existing member.
    pub roles: Option<i32>,
    /// Field key → value before (`None`: there was none).
    pub answers: Vec<(String, Option<String>)>,
}

fn refuse<T>(error: AppError) -> Result<T, ServiceError> {
    Err(ServiceError::Refused(error))
}

fn invalid<T>(message: impl Into<String>) -> Result<T, ServiceError> {
    refuse(AppError::Invalid(message.into()))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|e| ServiceError::Data(e.to_string()))
}

fn from_json<T: for<'de> Deserialize<'de>>(text: Option<&str>) -> Result<T, ServiceError> {
    serde_json::from_str(text.unwrap_or("null")).map_err(|e| ServiceError::Data(e.to_string()))
}

/// The users with these normalised emails, asked in chunks.
async fn users_by_email(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<Vec<user::Model>, ServiceError> {
    let mut found = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(CHUNK) {
        found.extend(
            user::Entity::find()
                .filter(user::Column::EmailNormalized.is_in(chunk.iter().cloned()))
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

/// The track an import at `slug` goes to (`None`: the global level), if
/// this admin may import there.
async fn import_target(
    db: &DatabaseConnection,
    admin: &Admin,
    slug: Option<&str>,
) -> Result<Option<track::Model>, ServiceError> {
    let Some(slug) = slug else {
        return if admin.is_global() {
            Ok(None)
        } else {
            refuse(AppError::Forbidden)
        };
    };
    let Some(t) = track::Entity::find()
        .filter(track::Column::Slug.eq(slug))
        .filter(track::Column::Archived.eq(false))
        .one(db)
        .await?
    else {
        return refuse(AppError::NotFound(format!(
            "There is no track called “{slug}”."
        )));
    };
    if !admin.can_manage_track(t.id) {
        return refuse(AppError::Forbidden);
    }
    Ok(Some(t))
}

/// The track at `slug`, if this admin manages it.
pub async fn track_to_manage(
    db: &DatabaseConnection,
    admin: &Admin,
    slug: &str,
) -> Result<track::Model, ServiceError> {
    import_target(db, admin, Some(slug))
        .await?
        .ok_or_else(|| ServiceError::Data("a track lookup without its track".into()))
}

pub async fn import_context(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    dormant: bool,
) -> Result<ImportContext, ServiceError> {
    let target = import_target(db, admin, track_slug).await?;
    if dormant {
        allow_dormant_at(db, target.as_ref()).await?;
    }
    let emails_off = match &target {
        Some(t) if !dormant => email_template::Entity::find()
            .filter(email_template::Column::TrackId.eq(t.id))
            .filter(email_template::Column::Enabled.eq(false))
            .all(db)
            .await?
            .iter()
            .filter_map(|t| SystemEmail::from_key(&t.template))
            .collect(),
        _ => Vec::new(),
    };
    Ok(ImportContext {
        track: target.as_ref().map(track_ref),
        fields: profile_fields(db).await?,
        row_limit: u64::try_from(settings(db).await?.upload_row_limit).unwrap_or(0),
        license: license_use(db).await?,
        emails_off,
    })
}

/// A dormant import belongs to the global level; a track's page offers it
/// only in a single-track program (SPEC §6).
async fn allow_dormant_at(
    db: &DatabaseConnection,
    track: Option<&track::Model>,
) -> Result<(), ServiceError> {
    if track.is_some() && !single_track(db).await? {
        return invalid(
            "Dormant users cannot be added to one track of a program with several tracks: \
             add them from “Add users from CSV” at the global level.",
        );
    }
    Ok(())
}

/// The track an import adds people to: none for a dormant import, even one
/// started from a single-track program's page.
fn joins_track(imp: &import::Model, roles: &RoleChoice) -> Option<i64> {
    match roles {
        RoleChoice::Dormant => None,
        _ => imp.track_id,
    }
}

/// The track a recorded import added people to, from its stored role choice.
pub(crate) fn joined_track(imp: &import::Model) -> Result<Option<i64>, ServiceError> {
    Ok(joins_track(imp, &from_json(imp.role_choice.as_deref())?))
}

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
async fn next_write_order(txn: &DatabaseTransaction) -> Result<i64, ServiceError> {
    let last = import_row::Entity::find()
        .select_only()
        .column_as(import_row::Column::WriteOrder.max(), "last")
        .into_tuple::<Option<i64>>()
        .one(txn)
        .await?
        .flatten();
    Ok(last.unwrap_or(0) + 1)
}

pub async fn known_people(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: Option<&str>,
    emails: Vec<String>,
) -> Result<Vec<KnownPerson>, ServiceError> {
    if emails.len() > KNOWN_PEOPLE_PER_CALL {
        return invalid(format!(
            "Ask about at most {} emails at a time: send them in smaller groups.",
            thousands(KNOWN_PEOPLE_PER_CALL)
        ));
    }
    let track_id = import_target(db, admin, track_slug).await?.map(|t| t.id);
    let keys: Vec<String> = emails
        .iter()
        .map(|e| app::domain::email::normalize(e))
        .collect();
    let users: HashMap<i64, String> = users_by_email(db, &keys)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email_normalized))
        .collect();
    let ids: Vec<i64> = users.keys().copied().collect();
    // Members of archived tracks only are dormant: they would take a licence.
    let live: HashSet<i64> = active_tracks(db).await?.iter().map(|t| t.id).collect();
    let mut active: HashMap<i64, bool> = HashMap::new();
    let mut in_track: HashMap<i64, Roles> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for m in membership::Entity::find()
            .filter(membership::Column::UserId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if !live.contains(&m.track_id) {
                continue;
            }
            active.insert(m.user_id, true);
            if Some(m.track_id) == track_id {
                in_track.insert(m.user_id, Roles::from_bits(m.roles));
            }
        }
    }
    let mut known: Vec<KnownPerson> = users
        .into_iter()
        .map(|(id, email)| KnownPerson {
            email,
            active: active.contains_key(&id),
            roles_in_track: in_track.get(&id).copied(),
        })
        .collect();
    known.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(known)
}

/// Where the people of an import come from; recorded as its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportSource {
    CsvFile,
    /// Typed in by an admin (SPEC §7 "Manually").
    Manual,
    /// Picked from the global pool (SPEC §7).
    Pool,
}

pub async fn start(
    db: &DatabaseConnection,
    admin: &Admin,
    plan: ImportPlan,
) -> Result<i64, ServiceError> {
    start_as(db, admin, plan, ImportSource::CsvFile).await
}

pub async fn start_as(
    db: &DatabaseConnection,
    admin: &Admin,
    plan: ImportPlan,
    source: ImportSource,
) -> Result<i64, ServiceError> {
    let target = import_target(db, admin, plan.track_slug.as_deref()).await?;
    match (&target, &plan.roles) {
        (_, RoleChoice::Dormant) => allow_dormant_at(db, target.as_ref()).await?,
        (None, _) => {
            return invalid("Users added at the global level are dormant and take no roles.")
        }
        (Some(_), RoleChoice::Everyone(roles)) if roles.is_empty() => {
            return invalid("Choose at least one role, or take roles from a column.")
        }
        _ => {}
    }
    let track_id = target.map(|t| t.id);
    let row_limit = settings(db).await?.upload_row_limit;
    if source == ImportSource::CsvFile && i64::from(plan.rows_total) > i64::from(row_limit) {
        return invalid(
            TableError::TooManyRows {
                count: plan.rows_total as usize,
                limit: usize::try_from(row_limit).unwrap_or(0),
            }
            .to_string(),
        );
    }
    if plan.mapping.columns.len() != plan.headers.len() {
        return invalid("The mapping does not fit the file's columns: map the columns again.");
    }
    let fields = profile_fields(db).await?;
    if let Err(e) = plan
        .mapping
        .validate(&fields, plan.roles == RoleChoice::FromColumn)
    {
        return invalid(e.to_string());
    }
    let created = import::ActiveModel {
        kind: Set(match source {
            ImportSource::CsvFile if plan.roles == RoleChoice::Dormant => "csv_dormant",
            ImportSource::CsvFile => "csv_track",
            ImportSource::Manual => "manual",
            ImportSource::Pool => "pool",
        }
        .to_owned()),
        track_id: Set(track_id),
        admin_id: Set(Some(admin.id)),
        status: Set("in_progress".to_owned()),
        file_name: Set(Some(plan.file_name.clone())),
        file_hash: Set(Some(plan.file_hash.clone())),
        mapping: Set(Some(to_json(&StoredMapping {
            headers: plan.headers,
            mapping: plan.mapping,
        })?)),
        role_choice: Set(Some(to_json(&plan.roles)?)),
        rows_total: Set(i32::try_from(plan.rows_total).unwrap_or(i32::MAX)),
        started_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// Whether the program still takes what this import started to add: its
/// track may have been archived since (a restart with a new instance file),
/// and a dormant import at a single-track program's page is no longer one
/// once the program has a second track.
async fn still_open_for(
    txn: &impl ConnectionTrait,
    imp: &import::Model,
    roles: &RoleChoice,
) -> Result<(), ServiceError> {
    let Some(track_id) = imp.track_id else {
        return Ok(());
    };
    let live = active_tracks(txn).await?;
    if !live.iter().any(|t| t.id == track_id) {
        return invalid(
            "This import's track was archived while the import ran: nobody more is added to it. \
             Upload the file again at a track of the program.",
        );
    }
    if *roles == RoleChoice::Dormant && live.len() > 1 {
        return invalid(
            "The program gained a track while this import ran, so dormant users can no longer be \
             added from one track's page: add the rest from “Add users from CSV” at the global level.",
        );
    }
    Ok(())
}

/// The import, if this admin may write to it.
async fn writable_import(
    db: &impl ConnectionTrait,
    admin: &Admin,
    import_id: i64,
) -> Result<import::Model, ServiceError> {
    let Some(found) = import::Entity::find_by_id(import_id).one(db).await? else {
        return refuse(AppError::NotFound(
            "This import does not exist: start the upload again.".into(),
        ));
    };
    let allowed = match found.track_id {
        Some(track_id) => admin.can_manage_track(track_id),
        None => admin.is_global(),
    };
    if !allowed {
        return refuse(AppError::Forbidden);
    }
    Ok(found)
}

pub async fn apply_batch(
    db: &DatabaseConnection,
    admin: &Admin,
    import_id: i64,
    rows: Vec<CsvRow>,
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
    if imp.status != "in_progress" {
        return invalid("This import is finished: start a new upload to add more people.");
    }
    let stored: StoredMapping = from_json(imp.mapping.as_deref())?;
    let roles: RoleChoice = from_json(imp.role_choice.as_deref())?;
    still_open_for(&txn, &imp, &roles).await?;
    let now = Utc::now();

    // A batch sent again (a retry) is answered from what was recorded.
    let lines: Vec<i32> = rows.iter().map(|r| line_key(r.line)).collect();
    let mut recorded: HashMap<i32, import_row::Model> = HashMap::new();
    for chunk in lines.chunks(CHUNK) {
        for r in import_row::Entity::find()
            .filter(import_row::Column::ImportId.eq(import_id))
            .filter(import_row::Column::Line.is_in(chunk.iter().copied()))
            .all(&txn)
            .await?
        {
            recorded.insert(r.line, r);
        }
    }

    // The upload limit was checked against the rows the import said it
    // had; hold every import to that (each recorded row counts once).
    let new_rows = rows
        .iter()
        .filter(|r| !recorded.contains_key(&line_key(r.line)))
        .count();
    let so_far =
        i64::from(imp.created_count) + i64::from(imp.updated_count) + i64::from(imp.skipped_count);
    if so_far + new_rows as i64 > i64::from(imp.rows_total) {
        return invalid(format!(
            "This import was started for a file of {} rows, and this batch would take it past that: \
             start a new upload with the whole file.",
            thousands(imp.rows_total)
        ));
    }

    let mut checker = RowChecker::new(&stored.headers, &fields, &stored.mapping, &roles);
    let mut checks = Vec::with_capacity(rows.len());
    for row in rows
        .iter()
        .filter(|r| !recorded.contains_key(&line_key(r.line)))
    {
        checks.push(checker.check(row));
    }
    // A repeat of an address an earlier batch of this file already used.
    let keys: Vec<String> = checks
        .iter()
        .filter_map(|c| c.person.as_ref())
        .map(|p| p.email.normalized())
        .collect();
    let mut earlier: HashMap<String, i32> = HashMap::new();
    for chunk in keys.chunks(CHUNK) {
        for r in import_row::Entity::find()
            .filter(import_row::Column::ImportId.eq(import_id))
            .filter(import_row::Column::Email.is_in(chunk.iter().cloned()))
            .all(&txn)
            .await?
        {
            if let Some(email) = r.email {
                earlier.insert(email, r.line);
            }
        }
    }
    for check in &mut checks {
        let Some(person) = &check.person else {
            continue;
        };
        if let Some(first) = earlier.get(&person.email.normalized()) {
            check.errors.push(CellError {
                line: check.line,
                column: "Email".into(),
                value: person.email.to_string(),
                message: format!(
                    "Email has to be unique: {} is also on line {first}. Keep one row per person.",
                    person.email
                ),
                suggestion: None,
            });
            check.person = None;
        }
    }

    let persons: Vec<&Person> = checks.iter().filter_map(|c| c.person.as_ref()).collect();
    let track_id = joins_track(&imp, &roles);
    let (applied, newly_active) =
        apply_people(&txn, &imp, track_id, &fields, &persons, now).await?;
    // The preview blocks an import over the licence; this holds the line
    // against a stale preview or a concurrent import. Dropping `txn` rolls
    // back. Nobody new became active: nothing to count, no settings to read.
    if newly_active > 0 {
        let after = active_users(&txn).await?;
        let limit = u64::try_from(settings(&txn).await?.license_limit).unwrap_or(0);
        if after > limit {
            return invalid(format!(
                "This import would bring active users to {}, over the licence of {} by {}: remove \
                 people who are new to the platform from the file, or ask for a larger licence.",
                thousands(after),
                thousands(limit),
                thousands(after - limit)
            ));
        }
    }

    let write_order = next_write_order(&txn).await?;
    let mut results = Vec::with_capacity(rows.len());
    let mut row_values = Vec::with_capacity(checks.len());
    let mut counts = ImportCounts::default();
    for check in &checks {
        let (outcome, user_id, email, previous) = match &check.person {
            Some(p) => {
                let key = p.email.normalized();
                let done = applied
                    .get(&key)
                    .ok_or_else(|| ServiceError::Data(format!("no result for {key}")))?;
                (
                    done.outcome,
                    Some(done.user_id),
                    Some(key),
                    Some(to_json(&done.previous)?),
                )
            }
            None => (RowOutcome::Skipped, None, None, None),
        };
        tally(&mut counts, outcome, track_id.is_some());
        row_values.push([
            import_id.into(),
            line_key(check.line).into(),
            outcome.key().into(),
            user_id.into(),
            email.into(),
            (!check.errors.is_empty())
                .then(|| to_json(&check.errors))
                .transpose()?
                .into(),
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
        &txn,
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
    add_counts(&txn, import_id, counts).await?;
    txn.commit().await?;

    for row in &rows {
        if let Some(r) = recorded.get(&line_key(row.line)) {
            results.push(RowResult {
                line: row.line,
                outcome: RowOutcome::from_key(&r.outcome).unwrap_or(RowOutcome::Skipped),
                errors: from_json::<Option<Vec<CellError>>>(r.errors.as_deref())?
                    .unwrap_or_default(),
            });
        }
    }
    results.sort_by_key(|r| r.line);
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

/// What applying one person did.
struct Applied {
    user_id: i64,
    outcome: RowOutcome,
    emailed: bool,
    previous: Previous,
}

/// Writes the people of one batch: users, profile answers, and — when
/// they join `track_id` — memberships and system emails, each as chunked
/// multi-row statements. Also answers how many of them were in no track
/// before (and now are).
async fn apply_people(
    txn: &DatabaseTransaction,
    imp: &import::Model,
    track_id: Option<i64>,
    fields: &[app::domain::ProfileField],
    persons: &[&Person],
    now: DateTime<Utc>,
) -> Result<(HashMap<String, Applied>, u64), ServiceError> {
    let mut applied = HashMap::with_capacity(persons.len());
    if persons.is_empty() {
        return Ok((applied, 0));
    }
    let keys: Vec<String> = persons.iter().map(|p| p.email.normalized()).collect();

    let before: HashMap<String, user::Model> = users_by_email(txn, &keys)
        .await?
        .into_iter()
        .map(|u| (u.email_normalized.clone(), u))
        .collect();
    // A user created meanwhile by a concurrent import is updated instead;
    // either way RETURNING gives every person's id and the address on file
    // (the first one given: a look-alike spelling in a later file is one
    // person, and their emails go where they always went).
    let stored: HashMap<String, (i64, String)> = insert_rows::<user::Entity, 8>(
        txn,
        [
            user::Column::Email,
            user::Column::EmailNormalized,
            user::Column::FirstName,
            user::Column::LastName,
            user::Column::SearchKey,
            user::Column::CreatedByImportId,
            user::Column::CreatedAt,
            user::Column::UpdatedAt,
        ],
        "ON CONFLICT (email_normalized) DO UPDATE SET first_name = excluded.first_name, \
         last_name = excluded.last_name, search_key = excluded.search_key, \
         updated_at = excluded.updated_at RETURNING id, email, email_normalized",
        persons
            .iter()
            .zip(&keys)
            .map(|(p, key)| {
                [
                    p.email.as_str().into(),
                    key.as_str().into(),
                    p.first_name.as_str().into(),
                    p.last_name.as_str().into(),
                    search_key(&p.first_name, &p.last_name, key).into(),
                    Some(imp.id).into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect(),
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            r.try_get("", "email_normalized")?,
            (r.try_get("", "id")?, r.try_get("", "email")?),
        ))
    })
    .collect::<Result<_, DbErr>>()?;
    let user_ids: Vec<i64> = stored.values().map(|(id, _)| *id).collect();
    let on_file = |p: &Person| {
        stored
            .get(&p.email.normalized())
            .map(|(id, address)| (*id, address.as_str()))
            .ok_or_else(|| ServiceError::Data("user vanished".into()))
    };

    // Profile answers: what was there before, then the new values.
    let field_ids: HashMap<&str, i64> = field_id_map(txn, fields).await?;
    let mut old_answers: HashMap<(i64, i64), String> = HashMap::new();
    for chunk in user_ids.chunks(CHUNK) {
        for a in profile_answer::Entity::find()
            .filter(profile_answer::Column::UserId.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            old_answers.insert((a.user_id, a.field_id), a.value);
        }
    }
    let mut answer_rows = Vec::new();
    for p in persons {
        let (user_id, _) = on_file(p)?;
        for (key, value) in p.answers.iter() {
            if let Some(&field_id) = field_ids.get(key) {
                answer_rows.push(profile_answer::Model {
                    user_id,
                    field_id,
                    value: value.to_owned(),
                    updated_at: now,
                });
            }
        }
    }
    upsert_answers(txn, answer_rows).await?;

    // Memberships (track imports only): roles are added, never removed.
    let mut old_roles: HashMap<i64, i32> = HashMap::new();
    let mut newly_active = 0;
    if let Some(track_id) = track_id {
        let mut active_before = HashSet::new();
        for chunk in user_ids.chunks(CHUNK) {
            for m in membership::Entity::find()
                .filter(membership::Column::UserId.is_in(chunk.iter().copied()))
                .all(txn)
                .await?
            {
                active_before.insert(m.user_id);
                if m.track_id == track_id {
                    old_roles.insert(m.user_id, m.roles);
                }
            }
        }
        newly_active = user_ids
            .iter()
            .filter(|id| !active_before.contains(id))
            .count() as u64;
        let rows = persons
            .iter()
            .map(|p| {
                Ok([
                    on_file(p)?.0.into(),
                    track_id.into(),
                    p.roles.bits().into(),
                    Some(imp.id).into(),
                    now.into(),
                    now.into(),
                ])
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        insert_rows::<membership::Entity, 6>(
            txn,
            [
                membership::Column::UserId,
                membership::Column::TrackId,
                membership::Column::Roles,
                membership::Column::CreatedByImportId,
                membership::Column::CreatedAt,
                membership::Column::UpdatedAt,
            ],
            "ON CONFLICT (user_id, track_id) DO UPDATE SET \
             roles = memberships.roles | excluded.roles, updated_at = excluded.updated_at",
            rows,
        )
        .await?;
    }

    let mut emails = Vec::new();
    let templates = match track_id {
        Some(track_id) => track_templates(txn, track_id).await?,
        None => (String::new(), HashMap::new()),
    };
    let mail = mail_settings(txn).await?;
    for p in persons {
        let (user_id, address) = on_file(p)?;
        let key = p.email.normalized();
        let existing = before.get(&key);
        let mut previous = Previous {
            user_created: existing.is_none(),
            names: existing.map(|u| (u.first_name.clone(), u.last_name.clone())),
            ..Default::default()
        };
        for (field_key, _) in p.answers.iter() {
            if let Some(&field_id) = field_ids.get(field_key) {
                previous.answers.push((
                    field_key.to_owned(),
                    old_answers.get(&(user_id, field_id)).cloned(),
                ));
            }
        }
        let roles_before = old_roles.get(&user_id).copied();
        let at_track = track_id.is_some();
        let outcome = RowOutcome::for_person(
            at_track,
            existing.is_some(),
            roles_before.map(Roles::from_bits),
            p.roles,
        );
        previous.roles = roles_before;
        previous.membership_created = outcome.joins_track(at_track);
        let mut emailed = false;
        if let (true, Some(track_id)) = (previous.membership_created, track_id) {
            // Added to the track: the system email for their roles.
            let to = (user_id, address);
            if let Some(email) = system_email(&templates, track_id, imp.id, to, p, now, &mail) {
                emails.push(email);
                emailed = true;
            }
        }
        applied.insert(
            key,
            Applied {
                user_id,
                outcome,
                emailed,
                previous,
            },
        );
    }
    insert_rows::<outbox::Entity, 11>(txn, QUEUED_EMAIL, "", emails).await?;
    Ok((applied, newly_active))
}

/// Writes these profile values over whatever each user had there.
pub(crate) async fn upsert_answers(
    txn: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = profile_answer::Model>,
) -> Result<(), ServiceError> {
    insert_rows::<profile_answer::Entity, 4>(
        txn,
        [
            profile_answer::Column::UserId,
            profile_answer::Column::FieldId,
            profile_answer::Column::Value,
            profile_answer::Column::UpdatedAt,
        ],
        "ON CONFLICT (user_id, field_id) DO UPDATE SET \
         value = excluded.value, updated_at = excluded.updated_at",
        rows.into_iter()
            .map(|a| {
                [
                    a.user_id.into(),
                    a.field_id.into(),
                    a.value.into(),
                    a.updated_at.into(),
                ]
            })
            .collect(),
    )
    .await?;
    Ok(())
}

async fn field_id_map<'f>(
    txn: &DatabaseTransaction,
    fields: &'f [app::domain::ProfileField],
) -> Result<HashMap<&'f str, i64>, ServiceError> {
    let rows = crate::entities::profile_field::Entity::find()
        .all(txn)
        .await?;
    Ok(fields
        .iter()
        .filter_map(|f| {
            rows.iter()
                .find(|r| r.key == f.key)
                .map(|r| (f.key.as_str(), r.id))
        })
        .collect())
}

/// The track's name and its edited templates (missing ones use the default text).
async fn track_templates(
    txn: &DatabaseTransaction,
    track_id: i64,
) -> Result<(String, HashMap<String, email_template::Model>), ServiceError> {
    let name = track::Entity::find_by_id(track_id)
        .one(txn)
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    let templates = email_template::Entity::find()
        .filter(email_template::Column::TrackId.eq(track_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| (t.template.clone(), t))
        .collect();
    Ok((name, templates))
}

/// What every system email of a batch shares.
struct MailSettings {
    hold_minutes: i64,
    sign_in_url: String,
}

async fn mail_settings(txn: &DatabaseTransaction) -> Result<MailSettings, ServiceError> {
    let s = settings(txn).await?;
    Ok(MailSettings {
        hold_minutes: i64::from(s.email_hold_minutes),
        sign_in_url: s.sign_in_url,
    })
}

/// The outbox columns a system email fills, in the order of
/// [`system_email`]'s values.
const QUEUED_EMAIL: [outbox::Column; 11] = [
    outbox::Column::TrackId,
    outbox::Column::UserId,
    outbox::Column::ImportId,
    outbox::Column::Template,
    outbox::Column::ToAddress,
    outbox::Column::Subject,
    outbox::Column::Body,
    outbox::Column::Status,
    outbox::Column::NotBefore,
    outbox::Column::Attempts,
    outbox::Column::CreatedAt,
];

/// The outbox row for a person added to a track, unless the template is off.
fn system_email(
    (track_name, templates): &(String, HashMap<String, email_template::Model>),
    track_id: i64,
    import_id: i64,
    (user_id, address): (i64, &str),
    p: &Person,
    now: DateTime<Utc>,
    mail: &MailSettings,
) -> Option<[Value; 11]> {
    let kind = SystemEmail::for_roles(p.roles)?;
    let (subject, body) = match templates.get(kind.key()) {
        Some(t) if !t.enabled => return None,
        Some(t) => (t.subject.as_str(), t.body.as_str()),
        None => kind.default_text(),
    };
    let to = Recipient {
        first_name: &p.first_name,
        last_name: &p.last_name,
        track_name,
        roles: p.roles,
        sign_in_link: &mail.sign_in_url,
    };
    let render = |text: &str| email_text::fill(text, &to);
    Some([
        track_id.into(),
        user_id.into(),
        Some(import_id).into(),
        kind.key().into(),
        address.into(),
        render(subject).into(),
        render(body).into(),
        "queued".into(),
        // Held so that an import can still be undone before anyone is mailed.
        (now + Duration::minutes(mail.hold_minutes)).into(),
        0i32.into(),
        now.into(),
    ])
}

pub async fn finish(
    db: &DatabaseConnection,
    admin: &Admin,
    import_id: i64,
) -> Result<ImportCounts, ServiceError> {
    let imp = writable_import(db, admin, import_id).await?;
    if imp.status == "in_progress" {
        import::Entity::update_many()
            .col_expr(import::Column::Status, Expr::value("completed"))
            .col_expr(import::Column::FinishedAt, Expr::value(Utc::now()))
            .filter(import::Column::Id.eq(import_id))
            .exec(db)
            .await?;
    }
    let n = |v: i32| u64::try_from(v).unwrap_or(0);
    Ok(ImportCounts {
        created: n(imp.created_count),
        updated: n(imp.updated_count),
        added: n(imp.added_count),
        roles_added: n(imp.roles_added_count),
        emails_queued: n(imp.emails_queued_count),
        skipped: n(imp.skipped_count),
    })
}
