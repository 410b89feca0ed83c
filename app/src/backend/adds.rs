//! Adding people one by one at a track, and from the global pool (docs/adding.md).
//! Each add is a small import: the same checks and rules, the same licence
//! line, the same system emails, recorded in the history like a file.

use crate::api::adds::{
    AddPersonResult, AddedPerson, ExistingPerson, FoundPerson, PoolAddSummary, POOL_ADD_LIMIT,
};
use crate::backend::entities::{membership, user};
use crate::backend::error::ServiceError;
use crate::backend::imports::{self, ImportSource};
use crate::backend::overview::{active_tracks, answers_by_key, profile_fields, settings};
use crate::backend::users::{self, memberships_of, visible_tracks};
use crate::domain::csv_upload::{CsvRow, Mapping, RoleChoice, RowOutcome, Target};
use crate::domain::text::thousands;
use crate::domain::{Admin, PersonForm, Roles, UpdateRule, WriteRule};
use crate::{AppError, ImportPlan, UserQuery, UserScope};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;

fn refuse<T>(message: &str) -> Result<T, ServiceError> {
    Err(AppError::Invalid(message.to_owned()).into())
}

#[tracing::instrument(skip_all, fields(track = track_slug))]
pub async fn find_person(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: &str,
    email: &str,
) -> Result<Option<FoundPerson>, ServiceError> {
    let track = imports::track_to_manage(db, admin, track_slug).await?;
    let Some(found) = user::Entity::find()
        .filter(user::Column::EmailNormalized.eq(crate::domain::email::normalize(email)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let tracks = visible_tracks(admin, &active_tracks(db).await?);
    let memberships = memberships_of(db, &tracks, [found.id])
        .await?
        .remove(&found.id)
        .unwrap_or_default();
    let roles_here = memberships
        .iter()
        .find(|m| m.track.id == track.id)
        .map(|m| m.roles);
    let pool_open = settings(db).await?.track_admins_use_global_pool;
    if roles_here.is_none() && !admin.can_use_pool_for(track.id, pool_open) {
        return Ok(Some(FoundPerson::InPlatform));
    }
    let answers = answers_by_key(db, &[found.id])
        .await?
        .remove(&found.id)
        .unwrap_or_default();
    Ok(Some(FoundPerson::Known(ExistingPerson {
        form: PersonForm {
            email: found.email,
            first_name: found.first_name,
            last_name: found.last_name,
            answers,
        },
        memberships,
        roles_here,
    })))
}

#[tracing::instrument(skip_all, fields(track = track_slug))]
pub async fn add_person(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: &str,
    roles: Roles,
    form: PersonForm,
) -> Result<AddPersonResult, ServiceError> {
    imports::track_to_manage(db, admin, track_slug).await?;
    if roles.is_empty() {
        return refuse("Choose at least one role.");
    }
    let fields = profile_fields(db).await?;
    let check = form.check(&fields, roles);
    if !check.errors.is_empty() {
        return Ok(AddPersonResult::Refused(check.errors));
    }
    let (headers, mapping, row) = form.as_table(&fields);
    let plan = ImportPlan {
        track_slug: Some(track_slug.to_owned()),
        file_name: "Added manually".into(),
        sheet: None,
        file_hash: String::new(),
        headers,
        mapping,
        roles: RoleChoice::Everyone(roles),
        rows_total: 1,
        rule: Default::default(),
    };
    let (results, emails_queued) =
        apply_as_import(db, admin, plan, vec![row], ImportSource::Manual).await?;
    let Some(result) = results.into_iter().next() else {
        return Err(ServiceError::Data("an add answered with no row".into()));
    };
    if !result.errors.is_empty() {
        return Ok(AddPersonResult::Refused(result.errors));
    }
    Ok(AddPersonResult::Added(AddedPerson {
        name: format!("{} {}", form.first_name.trim(), form.last_name.trim()),
        email: form.email.trim().to_owned(),
        outcome: result.outcome,
        emailed: emails_queued > 0,
    }))
}

/// Starts an import, applies its rows in one batch (one transaction) and
/// finishes it; an import the batch refused is still closed.
pub(crate) async fn apply_as_import(
    db: &DatabaseConnection,
    admin: &Admin,
    plan: ImportPlan,
    rows: Vec<CsvRow>,
    source: ImportSource,
) -> Result<(Vec<crate::RowResult>, u64), ServiceError> {
    apply_as_import_moving(db, admin, plan, rows, source, None).await
}

/// `apply_as_import`, where `moving` takes the one row's address
/// (`imports::apply_batch_moving`).
pub(crate) async fn apply_as_import_moving(
    db: &DatabaseConnection,
    admin: &Admin,
    plan: ImportPlan,
    rows: Vec<CsvRow>,
    source: ImportSource,
    moving: Option<&user::Model>,
) -> Result<(Vec<crate::RowResult>, u64), ServiceError> {
    let id = imports::start_as(db, admin, plan, source).await?;
    let applied = imports::apply_batch_moving(db, admin, id, rows, moving).await;
    let counts = imports::finish(db, admin, id).await?;
    Ok((applied?, counts.emails_queued))
}

#[tracing::instrument(skip_all)]
pub async fn pool_matching_ids(
    db: &DatabaseConnection,
    admin: &Admin,
    query: UserQuery,
) -> Result<Vec<i64>, ServiceError> {
    if !matches!(query.scope, UserScope::Pool(_)) {
        return refuse("Only the global pool seen from a track can be selected in full.");
    }
    let (select, _, track) = users::matching(db, admin, &query).await?;
    let Some(track) = track else {
        return Err(ServiceError::Data("a pool query without its track".into()));
    };
    Ok(select
        .filter(user::Column::Id.not_in_subquery(users::members(Some(track.id), None)))
        .select_only()
        .column(user::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

#[tracing::instrument(skip_all, fields(track = track_slug, people = user_ids.len()))]
pub async fn add_from_pool(
    db: &DatabaseConnection,
    admin: &Admin,
    track_slug: &str,
    user_ids: Vec<i64>,
    roles: Roles,
) -> Result<PoolAddSummary, ServiceError> {
    let query = UserQuery {
        scope: UserScope::Pool(track_slug.to_owned()),
        ..Default::default()
    };
    let (_, _, track) = users::matching(db, admin, &query).await?;
    let Some(track) = track else {
        return Err(ServiceError::Data("a pool query without its track".into()));
    };
    if roles.is_empty() {
        return refuse("Choose at least one role for the people you add.");
    }
    if user_ids.is_empty() {
        return refuse("Select at least one person to add.");
    }
    if user_ids.len() > POOL_ADD_LIMIT {
        return Err(AppError::Invalid(format!(
            "{} people are selected: add at most {} at once, then the rest.",
            thousands(user_ids.len()),
            thousands(POOL_ADD_LIMIT)
        ))
        .into());
    }
    let mut people = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?;
    people.sort_by(|a, b| {
        (a.last_name.to_lowercase(), a.first_name.to_lowercase())
            .cmp(&(b.last_name.to_lowercase(), b.first_name.to_lowercase()))
    });
    let members_here: HashSet<i64> = membership::Entity::find()
        .filter(membership::Column::TrackId.eq(track.id))
        .filter(membership::Column::UserId.is_in(people.iter().map(|u| u.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let name = |u: &user::Model| format!("{} {}", u.first_name, u.last_name);
    let (already, joining): (Vec<_>, Vec<_>) =
        people.iter().partition(|u| members_here.contains(&u.id));
    let mut summary = PoolAddSummary {
        already: already.iter().map(|u| name(u)).collect(),
        ..Default::default()
    };
    if joining.is_empty() {
        return Ok(summary);
    }
    let (plan, rows) = pool_as_file(track_slug, &joining, roles);
    let (results, emails_queued) =
        apply_as_import(db, admin, plan, rows, ImportSource::Pool).await?;
    for (u, result) in joining.iter().zip(&results) {
        match result.outcome {
            RowOutcome::Added | RowOutcome::Created => summary.added.push(name(u)),
            // Joined meanwhile (another admin, another tab).
            _ => summary.already.push(name(u)),
        }
    }
    summary.emails_queued = emails_queued;
    Ok(summary)
}

/// The people chosen from the pool as a file to import: names and email
/// only, so their profiles stay as they are.
pub(crate) fn pool_as_file(
    track_slug: &str,
    people: &[&user::Model],
    roles: Roles,
) -> (ImportPlan, Vec<CsvRow>) {
    let rows: Vec<CsvRow> = people
        .iter()
        .zip(2u64..)
        .map(|(u, line)| CsvRow {
            line,
            cells: [&u.first_name, &u.last_name, &u.email]
                .into_iter()
                .map(String::as_str)
                .collect(),
        })
        .collect();
    let plan = ImportPlan {
        track_slug: Some(track_slug.to_owned()),
        file_name: "Added from the global pool".into(),
        sheet: None,
        file_hash: String::new(),
        headers: ["First Name", "Last Name", "Email"]
            .map(str::to_owned)
            .to_vec(),
        mapping: Mapping::new(vec![
            Some(Target::FirstName),
            Some(Target::LastName),
            Some(Target::Email),
        ]),
        roles: RoleChoice::Everyone(roles),
        rows_total: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        // Their names are theirs already: written over, undo would count
        // them as this add's, and keep an earlier import's from going back.
        rule: UpdateRule {
            write: WriteRule::FillEmpty,
            ..UpdateRule::default()
        },
    };
    (plan, rows)
}
