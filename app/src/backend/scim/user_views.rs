//! Users as SCIM answers them: what SCIM keeps of each (userName,
//! externalId, emails as sent, active), with their names, profile answers
//! and groups as Roster has them now.

use super::groups::groups_of;
use super::ScimResult;
use crate::backend::entities::{scim_user, user};
use crate::backend::overview::answers_by_key;
use crate::domain::scim::{with_address, UserView, UserWrite};
use crate::domain::ProfileField;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Map, Value};

type Resource = Map<String, Value>;
use std::collections::HashMap;

pub(super) async fn resource_of(
    db: &DatabaseConnection,
    fields: &[ProfileField],
    base: &str,
    person: user::Model,
) -> ScimResult<Resource> {
    let view = views(db, vec![person]).await?;
    Ok(view
        .first()
        .map(|v| v.resource(fields, base))
        .unwrap_or_default())
}

/// The people as SCIM answers them: with what SCIM keeps, their profile
/// answers and their groups.
pub(super) async fn views(
    db: &DatabaseConnection,
    people: Vec<user::Model>,
) -> ScimResult<Vec<UserView>> {
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let links: HashMap<i64, scim_user::Model> = scim_user::Entity::find()
        .filter(scim_user::Column::UserId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.user_id, l))
        .collect();
    let mut answers = answers_by_key(db, &ids).await?;
    let mut groups = groups_of(db, &ids).await?;
    Ok(people
        .into_iter()
        .map(|p| {
            let link = links.get(&p.id);
            let modified = link.map_or(p.updated_at, |l| l.updated_at.max(p.updated_at));
            UserView {
                id: p.id,
                user_name: link.map_or_else(|| p.email.clone(), |l| l.user_name.clone()),
                external_id: link.and_then(|l| l.external_id.clone()),
                emails: match link {
                    Some(l) => l.emails.as_ref().map(|e| with_address(&e.0, &p.email)),
                    None => UserWrite::on_file(&p.email).emails,
                },
                active: link.map_or(Some(true), |l| l.active),
                first_name: p.first_name,
                last_name: p.last_name,
                answers: answers.remove(&p.id).unwrap_or_default(),
                groups: groups.remove(&p.id).unwrap_or_default(),
                created: p.created_at.to_rfc3339(),
                last_modified: modified.to_rfc3339(),
            }
        })
        .collect())
}
