//! Writing the people of a batch: users, answers and memberships in
//! chunked multi-row statements, with what each overwrote.

use super::id_match::EmailChanges;
use super::welcome_emails::{mail_settings, system_email, track_templates, QUEUED_EMAIL};
use super::{users_by_email, CHUNK};
use crate::backend::bulk::{insert_rows, lookup_chunk, one_of};
use crate::backend::entities::import_row::Previous;
use crate::backend::entities::{import, membership, outbox, profile_answer, user};
use crate::backend::error::ServiceError;
use crate::backend::external_ids::copy_answers;
use crate::domain::csv_upload::{Person, Target};
use crate::domain::text::search_key;
use crate::domain::{ProfileField, Roles, WriteRule};
use crate::RowOutcome;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// What applying one person did.
pub(super) struct Applied {
    /// `None`: the update rule left them out, and nothing was written.
    pub user_id: Option<i64>,
    pub outcome: RowOutcome,
    pub emailed: bool,
    pub previous: Option<Previous>,
}

impl Applied {
    fn left_out(outcome: RowOutcome) -> Applied {
        Applied {
            user_id: None,
            outcome,
            emailed: false,
            previous: None,
        }
    }
}

/// Each person's user id and the address on file, by normalised email.
type OnFile = HashMap<String, (i64, String)>;

/// Writes the people of one batch under the import's update rule: users,
/// profile answers, and — when they join `track_id` — memberships and
/// system emails, each as chunked multi-row statements. Also answers how
/// many of them were in no track before (and now are). People the rule
/// leaves out are answered too, with nothing written.
///
/// Long because each write's findings (ids, answers and roles before) feed
/// the record of what each row overwrote; the writes are the functions it
/// calls.
#[allow(clippy::too_many_arguments)]
pub(super) async fn apply_people(
    txn: &DatabaseTransaction,
    imp: &import::Model,
    track_id: Option<i64>,
    fields: &[ProfileField],
    persons: &[&Person],
    email_changes: &EmailChanges,
    now: DateTime<Utc>,
) -> Result<(HashMap<String, Applied>, u64), ServiceError> {
    let rule = imp.rule();
    let keys: Vec<String> = persons.iter().map(|p| p.email.normalized()).collect();
    // Found by their email, or by their ID under the address they had.
    let mut before: HashMap<String, user::Model> = users_by_email(txn, &keys)
        .await?
        .into_iter()
        .map(|u| (u.email_normalized.clone(), u))
        .collect();
    before.extend(email_changes.iter().map(|(k, u)| (k.clone(), u.clone())));
    let mut applied = HashMap::with_capacity(persons.len());
    let mut writing = Vec::with_capacity(persons.len());
    for (p, key) in persons.iter().zip(keys) {
        match rule.add.skips(before.contains_key(&key)) {
            Some(outcome) => {
                applied.insert(key, Applied::left_out(outcome));
            }
            None => writing.push((*p, key)),
        }
    }
    if writing.is_empty() {
        return Ok((applied, 0));
    }
    let (persons, keys): (Vec<&Person>, Vec<String>) = writing.into_iter().unzip();
    let moving: Vec<UserEmail> = persons
        .iter()
        .zip(&keys)
        .filter_map(|(p, key)| {
            let u = email_changes.get(key)?;
            let search = search_key(&u.first_name, &u.last_name, key);
            Some((u.id, p.email.to_string(), key.clone(), search))
        })
        .collect();
    set_emails(txn, &moving).await?;
    let on_file = write_users(txn, imp, &persons, &keys, rule.write, now).await?;
    let user_id = |p: &Person| user_on_file(&on_file, p).map(|(id, _)| id);
    // Only people on file before this batch have answers and memberships
    // to look up. (On PostgreSQL, looking up a new population's answers
    // took 5.5 s of a 100,000-person import's 51 s of statements.)
    let existing: Vec<i64> = before.values().map(|u| u.id).collect();

    let field_ids: HashMap<&str, i64> = field_id_map(txn, fields).await?;
    let old_answers = answers_of(txn, &existing).await?;
    let mut answer_rows = Vec::new();
    for p in &persons {
        let user_id = user_id(p)?;
        answer_rows.extend(p.answers.iter().filter_map(|(key, value)| {
            let field_id = *field_ids.get(key)?;
            let before = old_answers.get(&(user_id, field_id)).map(String::as_str);
            rule.write
                .writes_over(before)
                .then(|| profile_answer::Model {
                    user_id,
                    field_id,
                    value: value.to_owned(),
                    updated_at: now,
                })
        }));
    }
    let written: HashSet<(i64, i64)> = answer_rows
        .iter()
        .map(|a| (a.user_id, a.field_id))
        .collect();
    // A new person has no answers to write over: a plain insert, a sixth
    // cheaper than an upsert on PostgreSQL (docs/performance.md).
    let had_answers: HashSet<i64> = existing.iter().copied().collect();
    let (over, fresh): (Vec<_>, Vec<_>) = answer_rows
        .into_iter()
        .partition(|a| had_answers.contains(&a.user_id));
    upsert_answers(txn, over).await?;
    insert_answers(txn, fresh, "").await?;
    let mut cleared = HashSet::new();
    if rule.write == WriteRule::Replace {
        for p in &persons {
            let user_id = user_id(p)?;
            cleared.extend(
                mapped_fields(imp, &field_ids)
                    .map(|(_, field_id)| (user_id, field_id))
                    .filter(|k| old_answers.contains_key(k) && !written.contains(k)),
            );
        }
        delete_answers(txn, &cleared).await?;
    }
    if let Some(id_field) =
        ProfileField::external_id_of(fields).and_then(|f| field_ids.get(f.key.as_str()))
    {
        let given: Vec<i64> = written
            .iter()
            .chain(&cleared)
            .filter(|(_, field)| field == id_field)
            .map(|(user, _)| *user)
            .collect();
        copy_answers(txn, *id_field, &given).await?;
    }

    let (old_roles, newly_active) = match track_id {
        Some(track_id) => {
            let memberships = persons
                .iter()
                .map(|p| Ok((user_id(p)?, p.roles)))
                .collect::<Result<Vec<_>, ServiceError>>()?;
            write_memberships(txn, imp, track_id, &memberships, &existing, now).await?
        }
        None => (HashMap::new(), 0),
    };

    let templates = match track_id {
        Some(track_id) => track_templates(txn, track_id).await?,
        None => (String::new(), HashMap::new()),
    };
    let mail = mail_settings(txn).await?;
    let mut emails = Vec::new();
    for (p, key) in persons.iter().zip(keys) {
        let (user_id, address) = user_on_file(&on_file, p)?;
        let existing = before.get(&key);
        let mut previous = Previous {
            user_created: existing.is_none(),
            names: existing
                .filter(|_| rule.write.writes_names())
                .map(|u| (u.first_name.clone(), u.last_name.clone())),
            email: email_changes.get(&key).map(|u| u.email.clone()),
            ..Default::default()
        };
        for (field_key, _) in p.answers.iter() {
            if let Some(&field_id) = field_ids.get(field_key) {
                if written.contains(&(user_id, field_id)) {
                    previous.answers.push((
                        field_key.to_owned(),
                        old_answers.get(&(user_id, field_id)).cloned(),
                    ));
                }
            }
        }
        for (field_key, field_id) in mapped_fields(imp, &field_ids) {
            if cleared.contains(&(user_id, field_id)) {
                let before = old_answers.get(&(user_id, field_id)).cloned();
                previous.answers.push((field_key.to_owned(), before));
            }
        }
        let roles_before = old_roles.get(&user_id).copied();
        let at_track = track_id.is_some();
        let outcome = RowOutcome::for_person(
            at_track,
            rule.add,
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
                user_id: Some(user_id),
                outcome,
                emailed,
                previous: Some(previous),
            },
        );
    }
    insert_rows::<outbox::Entity, 11>(txn, QUEUED_EMAIL, "", emails).await?;
    Ok((applied, newly_active))
}

/// The profile fields the import's mapping fills, by key and id.
fn mapped_fields<'a>(
    imp: &'a import::Model,
    field_ids: &'a HashMap<&str, i64>,
) -> impl Iterator<Item = (&'a str, i64)> + 'a {
    imp.mapping
        .iter()
        .flat_map(|m| m.mapping.columns.iter().flatten())
        .filter_map(|target| match target {
            Target::Field(key) => Some((key.as_str(), *field_ids.get(key.as_str())?)),
            _ => None,
        })
}

/// Deletes these (user, field) answers: a `replace` row that left the
/// field empty.
async fn delete_answers(
    txn: &DatabaseTransaction,
    cleared: &HashSet<(i64, i64)>,
) -> Result<(), ServiceError> {
    let mut by_field: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(user_id, field_id) in cleared {
        by_field.entry(field_id).or_default().push(user_id);
    }
    let backend = txn.get_database_backend();
    for (field_id, users) in by_field {
        for chunk in users.chunks(lookup_chunk(backend)) {
            profile_answer::Entity::delete_many()
                .filter(profile_answer::Column::FieldId.eq(field_id))
                .filter(one_of(backend, profile_answer::Column::UserId, chunk))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

/// A user's new address: id, email as given, normalised, search key.
pub(crate) type UserEmail = (i64, String, String, String);

/// Gives these users new addresses (their ID found them under an old one,
/// or an undo puts the old one back), in chunked statements.
pub(crate) async fn set_emails(
    txn: &impl ConnectionTrait,
    emails: &[UserEmail],
) -> Result<(), DbErr> {
    for chunk in emails.chunks(CHUNK) {
        let mut email = CaseStatement::new();
        let mut normalized = CaseStatement::new();
        let mut search = CaseStatement::new();
        for (id, given, key, search_key) in chunk {
            email = email.case(user::Column::Id.eq(*id), Expr::value(given.clone()));
            normalized = normalized.case(user::Column::Id.eq(*id), Expr::value(key.clone()));
            search = search.case(user::Column::Id.eq(*id), Expr::value(search_key.clone()));
        }
        user::Entity::update_many()
            .col_expr(user::Column::Email, email.into())
            .col_expr(user::Column::EmailNormalized, normalized.into())
            .col_expr(user::Column::SearchKey, search.into())
            .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(user::Column::Id.is_in(chunk.iter().map(|(id, ..)| *id)))
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn user_on_file<'a>(on_file: &'a OnFile, p: &Person) -> Result<(i64, &'a str), ServiceError> {
    on_file
        .get(&p.email.normalized())
        .map(|(id, address)| (*id, address.as_str()))
        .ok_or_else(|| ServiceError::Data("user vanished".into()))
}

/// Creates or updates the users: an existing user's names are written
/// only when the rule overwrites. A user created meanwhile by a concurrent
/// import is updated instead; either way RETURNING gives every person's id
/// and the address on file (the first one given: a look-alike spelling in
/// a later file is one person, and their emails go where they always went).
async fn write_users(
    txn: &DatabaseTransaction,
    imp: &import::Model,
    persons: &[&Person],
    keys: &[String],
    write: WriteRule,
    now: DateTime<Utc>,
) -> Result<OnFile, ServiceError> {
    let rows = persons
        .iter()
        .zip(keys)
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
        .collect();
    let returned = insert_rows::<user::Entity, 8>(
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
        if write.writes_names() {
            "ON CONFLICT (email_normalized) DO UPDATE SET first_name = excluded.first_name, \
             last_name = excluded.last_name, search_key = excluded.search_key, \
             updated_at = excluded.updated_at RETURNING id, email, email_normalized"
        } else {
            // Changes nothing, so that RETURNING answers for this row too.
            "ON CONFLICT (email_normalized) DO UPDATE SET updated_at = users.updated_at \
             RETURNING id, email, email_normalized"
        },
        rows,
    )
    .await?;
    let on_file = returned
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get("", "email_normalized")?,
                (r.try_get("", "id")?, r.try_get("", "email")?),
            ))
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(on_file)
}

/// The profile answers these users have now: (user, field) → value.
async fn answers_of(
    txn: &DatabaseTransaction,
    user_ids: &[i64],
) -> Result<HashMap<(i64, i64), String>, ServiceError> {
    let backend = txn.get_database_backend();
    let mut answers = HashMap::new();
    for chunk in user_ids.chunks(lookup_chunk(backend)) {
        for a in profile_answer::Entity::find()
            .filter(one_of(backend, profile_answer::Column::UserId, chunk))
            .all(txn)
            .await?
        {
            answers.insert((a.user_id, a.field_id), a.value);
        }
    }
    Ok(answers)
}

/// Adds these users to the track with these roles: roles are added, never
/// removed. Answers each existing member's roles before (by user id) and
/// how many of the users were in no track at all before. Only the
/// `existing` users (on file before this batch) can have memberships.
async fn write_memberships(
    txn: &DatabaseTransaction,
    imp: &import::Model,
    track_id: i64,
    memberships: &[(i64, Roles)],
    existing: &[i64],
    now: DateTime<Utc>,
) -> Result<(HashMap<i64, i32>, u64), ServiceError> {
    let mut old_roles = HashMap::new();
    let mut active_before = HashSet::new();
    let user_ids: Vec<i64> = memberships.iter().map(|(id, _)| *id).collect();
    let backend = txn.get_database_backend();
    for chunk in existing.chunks(lookup_chunk(backend)) {
        for m in membership::Entity::find()
            .filter(one_of(backend, membership::Column::UserId, chunk))
            .all(txn)
            .await?
        {
            active_before.insert(m.user_id);
            if m.track_id == track_id {
                old_roles.insert(m.user_id, m.roles);
            }
        }
    }
    let newly_active = user_ids
        .iter()
        .filter(|id| !active_before.contains(id))
        .count() as u64;
    let rows = memberships
        .iter()
        .map(|(user_id, roles)| {
            [
                (*user_id).into(),
                track_id.into(),
                roles.bits().into(),
                Some(imp.id).into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
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
    Ok((old_roles, newly_active))
}

/// Writes these profile values over whatever each user had there.
pub(crate) async fn upsert_answers(
    txn: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = profile_answer::Model>,
) -> Result<(), ServiceError> {
    let over = "ON CONFLICT (user_id, field_id) DO UPDATE SET \
                value = excluded.value, updated_at = excluded.updated_at";
    insert_answers(txn, rows, over).await
}

/// Inserts these profile values, `tail` saying what a conflict does.
async fn insert_answers(
    txn: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = profile_answer::Model>,
    tail: &str,
) -> Result<(), ServiceError> {
    insert_rows::<profile_answer::Entity, 4>(
        txn,
        [
            profile_answer::Column::UserId,
            profile_answer::Column::FieldId,
            profile_answer::Column::Value,
            profile_answer::Column::UpdatedAt,
        ],
        tail,
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
    fields: &'f [ProfileField],
) -> Result<HashMap<&'f str, i64>, ServiceError> {
    let rows = crate::backend::entities::profile_field::Entity::find()
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
