//! `/Users`: a person of the platform as SCIM sees them. A provider's
//! writes go through the import path as one-row imports of kind SCIM
//! (`write=replace`, so the profile becomes what the provider says);
//! what only SCIM knows (userName, externalId, emails as sent, active,
//! deleted) is kept in `scim_users`.

use super::user_views::{resource_of, views};
use super::{global_token, refused_rows, Failure, Page, ScimResult};
use crate::backend::adds::apply_as_import_moving;
use crate::backend::entities::stored::Json;
use crate::backend::entities::{scim_user, user};
use crate::backend::imports::{leave, ImportSource, Leaving};
use crate::backend::overview::{answers_by_key, profile_fields};
use crate::domain::csv_upload::RoleChoice;
use crate::domain::email::normalize;
use crate::domain::scim::{Filter, PatchOp, ScimError, UserWrite, EXTENSION};
use crate::domain::{AddRule, Admin, ProfileField, UpdateRule, WriteRule};
use crate::ImportPlan;
use chrono::Utc;
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr,
};
use serde_json::{Map, Value};

type Resource = Map<String, Value>;

fn not_found(id: &str) -> Failure {
    Failure(ScimError::not_found(format!("No user has the id {id}.")))
}

fn uniqueness(detail: String) -> Failure {
    Failure(ScimError::new(409, Some("uniqueness"), detail))
}

/// A user SCIM may see: one it has not deleted.
async fn provisioned(
    db: &DatabaseConnection,
    id: &str,
) -> ScimResult<(user::Model, Option<scim_user::Model>)> {
    let number: i64 = id.parse().map_err(|_| not_found(id))?;
    let person = user::Entity::find_by_id(number)
        .one(db)
        .await?
        .ok_or_else(|| not_found(id))?;
    let link = scim_user::Entity::find_by_id(number).one(db).await?;
    if link.as_ref().is_some_and(|l| l.deleted) {
        return Err(not_found(id));
    }
    Ok((person, link))
}

pub async fn get_user(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    id: &str,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let (person, _) = provisioned(db, id).await?;
    let fields = profile_fields(db).await?;
    resource_of(db, &fields, base, person).await
}

pub async fn list_users(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    filter: Option<&str>,
    page: Page,
) -> ScimResult<(u64, Vec<Resource>)> {
    global_token(admin)?;
    let ids_where = |condition: Condition| {
        Query::select()
            .column(scim_user::Column::UserId)
            .from(scim_user::Entity)
            .cond_where(condition)
            .to_owned()
    };
    let mut select = user::Entity::find().filter(user::Column::Id.not_in_subquery(ids_where(
        Condition::all().add(scim_user::Column::Deleted.eq(true)),
    )));
    if let Some(text) = filter {
        let f = Filter::parse(text)?;
        let by_name = |key: String| Condition::all().add(scim_user::Column::UserNameKey.eq(key));
        select = match f.attribute.as_str() {
            // A provisioned user's userName, or the address of someone
            // SCIM never wrote (their userName is their address).
            "username" => select.filter(
                Condition::any()
                    .add(user::Column::Id.in_subquery(ids_where(by_name(f.value.to_lowercase()))))
                    .add(
                        Condition::all()
                            .add(user::Column::EmailNormalized.eq(normalize(&f.value)))
                            .add(user::Column::Id.not_in_subquery(ids_where(Condition::all()))),
                    ),
            ),
            "externalid" => select.filter(user::Column::Id.in_subquery(ids_where(
                Condition::all().add(scim_user::Column::ExternalId.eq(f.value)),
            ))),
            "emails" | "emails.value" => {
                select.filter(user::Column::EmailNormalized.eq(normalize(&f.value)))
            }
            "id" => select.filter(user::Column::Id.eq(f.value.parse::<i64>().unwrap_or(-1))),
            _ => {
                return Err(Failure(ScimError::new(
                    400,
                    Some("invalidFilter"),
                    "Users are found by userName, externalId, emails.value or id.",
                )))
            }
        };
    }
    let total = select.clone().count(db).await?;
    let people = select
        .order_by_asc(user::Column::Id)
        .offset(page.start_index - 1)
        .limit(page.count)
        .all(db)
        .await?;
    let fields = profile_fields(db).await?;
    let views = views(db, people).await?;
    Ok((
        total,
        views.iter().map(|v| v.resource(&fields, base)).collect(),
    ))
}

pub async fn create_user(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    body: &Value,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let fields = profile_fields(db).await?;
    let given = UserWrite::parse(body, &fields)?;
    let email = given.email().ok_or_else(|| {
        ScimError::invalid_value(
            "A user needs an email address: send `emails` with a primary value, or a userName \
             that is an address.",
        )
    })?;
    let existing = user::Entity::find()
        .filter(user::Column::EmailNormalized.eq(normalize(&email)))
        .one(db)
        .await?;
    if let Some(person) = &existing {
        let link = scim_user::Entity::find_by_id(person.id).one(db).await?;
        // Someone SCIM deleted comes back; anyone else is there already.
        if !link.is_some_and(|l| l.deleted) {
            return Err(uniqueness(format!(
                "{email} is already a user, with the id {}: find them with filter=userName eq \
                 \"{email}\", then change them with PUT or PATCH.",
                person.id
            )));
        }
    }
    name_is_free(db, &given.user_name, existing.as_ref().map(|p| p.id)).await?;
    write_person(db, admin, &fields, &given, &email, None).await?;
    let person = user::Entity::find()
        .filter(user::Column::EmailNormalized.eq(normalize(&email)))
        .one(db)
        .await?
        .ok_or_else(|| Failure(ScimError::new(500, None, "The user was not written.")))?;
    save(db, person.id, &given).await?;
    resource_of(db, &fields, base, person).await
}

pub async fn replace_user(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    id: &str,
    body: &Value,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let (person, link) = provisioned(db, id).await?;
    let fields = profile_fields(db).await?;
    let given = UserWrite::parse(body, &fields)?;
    change(db, admin, &fields, person, link, given, base).await
}

pub async fn patch_user(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    id: &str,
    body: &Value,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let (person, link) = provisioned(db, id).await?;
    let fields = profile_fields(db).await?;
    let operations = PatchOp::parse_request(body, &[EXTENSION])?;
    let mut resource = resource_of(db, &fields, base, person.clone()).await?;
    for op in &operations {
        op.apply(&mut resource, &[EXTENSION])?;
    }
    let given = UserWrite::parse(&Value::Object(resource), &fields)?;
    change(db, admin, &fields, person, link, given, base).await
}

/// Deleting takes them out of every track (an import of its own, which
/// undo reverses) and out of SCIM; they stay in the platform, dormant,
/// with their history.
pub async fn delete_user(db: &DatabaseConnection, admin: &Admin, id: &str) -> ScimResult<()> {
    global_token(admin)?;
    let (person, link) = provisioned(db, id).await?;
    leave_every_track(db, admin, person.id).await?;
    let mut given = match link {
        Some(l) => kept(&l),
        None => UserWrite::on_file(&person.email),
    };
    given.active = Some(false);
    save_as(db, person.id, &given, true).await
}

/// What the provider's write changes of someone SCIM may see.
async fn change(
    db: &DatabaseConnection,
    admin: &Admin,
    fields: &[ProfileField],
    person: user::Model,
    link: Option<scim_user::Model>,
    given: UserWrite,
    base: &str,
) -> ScimResult<Resource> {
    name_is_free(db, &given.user_name, Some(person.id)).await?;
    // A provider that sends no address leaves theirs as it is.
    let email = given.email().unwrap_or_else(|| person.email.clone());
    let moves = normalize(&email) != person.email_normalized;
    if moves {
        address_is_free(db, &email).await?;
    }
    if moves || !unchanged(db, &person, &given).await? {
        write_person(db, admin, fields, &given, &email, Some(&person)).await?;
    }
    let was_active = link.as_ref().is_none_or(|l| l.active != Some(false));
    if was_active && !given.is_active() {
        leave_every_track(db, admin, person.id).await?;
    }
    save(db, person.id, &given).await?;
    let person = user::Entity::find_by_id(person.id)
        .one(db)
        .await?
        .ok_or_else(|| not_found(&person.id.to_string()))?;
    resource_of(db, fields, base, person).await
}

async fn leave_every_track(db: &DatabaseConnection, admin: &Admin, user_id: i64) -> ScimResult<()> {
    let leaving = Leaving {
        user_id,
        track_id: None,
        roles: None,
    };
    leave(db, admin, ImportSource::Scim, leaving).await?;
    Ok(())
}

/// Whether the names and answers are those on file already: a provider
/// sending the same user again leaves no import in the history.
async fn unchanged(
    db: &DatabaseConnection,
    person: &user::Model,
    given: &UserWrite,
) -> ScimResult<bool> {
    if (person.first_name.as_str(), person.last_name.as_str())
        != (given.first_name.as_str(), given.last_name.as_str())
    {
        return Ok(false);
    }
    let mut now = answers_by_key(db, &[person.id])
        .await?
        .remove(&person.id)
        .unwrap_or_default();
    let mut wanted: Vec<(String, String)> = given
        .answers
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .cloned()
        .collect();
    now.sort();
    wanted.sort();
    Ok(now == wanted)
}

/// The person written as a one-row import at the global level: created
/// dormant, or (`known`) their names, profile and address replaced.
async fn write_person(
    db: &DatabaseConnection,
    admin: &Admin,
    fields: &[ProfileField],
    given: &UserWrite,
    email: &str,
    known: Option<&user::Model>,
) -> ScimResult<()> {
    let (headers, mapping, row) = given.form(email).as_table(fields);
    let plan = ImportPlan {
        track_slug: None,
        file_name: format!(
            "SCIM: {}",
            given.user_name.chars().take(200).collect::<String>()
        ),
        sheet: None,
        file_hash: String::new(),
        headers,
        mapping,
        roles: RoleChoice::Dormant,
        rows_total: 1,
        rule: UpdateRule {
            add: AddRule::AddAndUpdate,
            write: WriteRule::Replace,
        },
    };
    let (results, _) =
        apply_as_import_moving(db, admin, plan, vec![row], ImportSource::Scim, known).await?;
    refused_rows(results)
}

/// An address the person may move to: nobody else's.
async fn address_is_free(db: &DatabaseConnection, email: &str) -> ScimResult<()> {
    let holder = user::Entity::find()
        .filter(user::Column::EmailNormalized.eq(normalize(email)))
        .one(db)
        .await?;
    match holder {
        Some(h) => Err(uniqueness(format!(
            "{email} is the address of the user with the id {}.",
            h.id
        ))),
        None => Ok(()),
    }
}

async fn name_is_free(
    db: &DatabaseConnection,
    user_name: &str,
    owner: Option<i64>,
) -> ScimResult<()> {
    let holder = scim_user::Entity::find()
        .filter(scim_user::Column::UserNameKey.eq(user_name.to_lowercase()))
        .one(db)
        .await?;
    match holder {
        Some(h) if Some(h.user_id) != owner => Err(uniqueness(format!(
            "The userName {user_name} is taken by the user with the id {}.",
            h.user_id
        ))),
        _ => Ok(()),
    }
}

async fn save(db: &DatabaseConnection, user_id: i64, given: &UserWrite) -> ScimResult<()> {
    save_as(db, user_id, given, false).await
}

/// Keeps what only SCIM knows of the user.
async fn save_as(
    db: &DatabaseConnection,
    user_id: i64,
    given: &UserWrite,
    deleted: bool,
) -> ScimResult<()> {
    let row = scim_user::ActiveModel {
        user_id: Set(user_id),
        user_name: Set(given.user_name.clone()),
        user_name_key: Set(given.user_name.to_lowercase()),
        external_id: Set(given.external_id.clone()),
        emails: Set(given.emails.clone().map(Json)),
        active: Set(given.active),
        deleted: Set(deleted),
        updated_at: Set(Utc::now()),
    };
    let written = scim_user::Entity::insert(row)
        .on_conflict(
            OnConflict::column(scim_user::Column::UserId)
                .update_columns([
                    scim_user::Column::UserName,
                    scim_user::Column::UserNameKey,
                    scim_user::Column::ExternalId,
                    scim_user::Column::Emails,
                    scim_user::Column::Active,
                    scim_user::Column::Deleted,
                    scim_user::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await;
    match written {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(uniqueness(format!(
                "The userName {} is taken by another user.",
                given.user_name
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// What SCIM keeps of a user, as a write that would keep it.
fn kept(link: &scim_user::Model) -> UserWrite {
    UserWrite {
        user_name: link.user_name.clone(),
        external_id: link.external_id.clone(),
        emails: link.emails.as_ref().map(|e| e.0.clone()),
        active: link.active,
        first_name: String::new(),
        last_name: String::new(),
        answers: Vec::new(),
    }
}
