//! Finding a batch's people by their external ID before their email
//! (docs/importing.md, "Matching people by an ID").

use super::batch::fail_row;
use super::users_by_email;
use crate::backend::bulk::{lookup_chunk, one_of};
use crate::backend::entities::{import_row, user};
use crate::backend::error::ServiceError;
use crate::backend::external_ids::users_by_id;
use crate::domain::csv_upload::RowCheck;
use crate::domain::ProfileField;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The people whose ID found them under another address: by the row's
/// normalised email, the person as they are on file. Their rows change
/// their email.
pub(super) type EmailChanges = HashMap<String, user::Model>;

/// Finds the checked rows' people by their ID. A row whose ID is one
/// person's and whose email is another's, whose ID an earlier batch of
/// this import already wrote, or whose email belongs to someone another
/// row's ID moves to a new address, gets a row error instead.
/// `column` is the header of the file's ID column.
pub(super) async fn match_ids(
    txn: &DatabaseTransaction,
    import_id: i64,
    field: &ProfileField,
    column: &str,
    checks: &mut [RowCheck],
) -> Result<EmailChanges, ServiceError> {
    let id_of = |c: &RowCheck| Some(c.person.as_ref()?.answers.get(&field.key)?.to_owned());
    let ids: Vec<String> = checks.iter().filter_map(id_of).collect();
    let holders: HashMap<String, user::Model> = users_by_id(txn, &ids)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.external_id.clone()?, u)))
        .collect();
    if holders.is_empty() {
        return Ok(EmailChanges::new());
    }
    let earlier = lines_written(txn, import_id, &holders).await?;
    let moving: Vec<String> = checks
        .iter()
        .filter_map(|c| {
            let person = c.person.as_ref()?;
            let holder = holders.get(&id_of(c)?)?;
            let key = person.email.normalized();
            (holder.email_normalized != key).then_some(key)
        })
        .collect();
    let owners: HashMap<String, user::Model> = users_by_email(txn, &moving)
        .await?
        .into_iter()
        .map(|u| (u.email_normalized.clone(), u))
        .collect();

    let mut changes = EmailChanges::new();
    // Old address → the line that moves its person to a new one.
    let mut moved_away: HashMap<String, u64> = HashMap::new();
    for check in checks.iter_mut() {
        let (Some(id), Some(person)) = (id_of(check), check.person.as_ref()) else {
            continue;
        };
        let Some(holder) = holders.get(&id) else {
            continue;
        };
        let key = person.email.normalized();
        let problem = if let Some(first) = earlier.get(&holder.id) {
            Some(format!(
                "{} has to be unique: {id} is also on line {first}. Keep one row per person.",
                field.title
            ))
        } else if holder.email_normalized == key {
            None
        } else if let Some(owner) = owners.get(&key) {
            Some(format!(
                "{title} {id} is {holder}'s, but {email} is {owner}'s: correct the {title} or \
                 the email, so that both find the same person.",
                title = field.title,
                holder = who(holder),
                email = person.email,
                owner = who(owner),
            ))
        } else {
            moved_away.insert(holder.email_normalized.clone(), check.line);
            changes.insert(key, holder.clone());
            None
        };
        if let Some(message) = problem {
            fail_row(check, column, id, message);
        }
    }
    for check in checks.iter_mut() {
        let Some(person) = &check.person else {
            continue;
        };
        if let Some(line) = moved_away.get(&person.email.normalized()) {
            let message = format!(
                "{} is the address line {line} changes (its {} found them): keep one row per \
                 person.",
                person.email, field.title
            );
            let value = person.email.to_string();
            fail_row(check, "Email", value, message);
        }
    }
    Ok(changes)
}

/// "Ann Lee (ann@example.com)": whom an ID or an email finds.
fn who(user: &user::Model) -> String {
    format!("{} {} ({})", user.first_name, user.last_name, user.email)
}

/// The lines of this import that already wrote these people, by user.
async fn lines_written(
    txn: &DatabaseTransaction,
    import_id: i64,
    holders: &HashMap<String, user::Model>,
) -> Result<HashMap<i64, i32>, ServiceError> {
    let user_ids: Vec<i64> = holders.values().map(|u| u.id).collect();
    let mut lines = HashMap::new();
    let backend = txn.get_database_backend();
    for chunk in user_ids.chunks(lookup_chunk(backend)) {
        for r in import_row::Entity::find()
            .filter(import_row::Column::ImportId.eq(import_id))
            .filter(one_of(backend, import_row::Column::UserId, chunk))
            .all(txn)
            .await?
        {
            if let Some(user_id) = r.user_id {
                lines.insert(user_id, r.line);
            }
        }
    }
    Ok(lines)
}
