//! `/Groups`: the people with one role in one track (`engineering:mentee`,
//! "Engineering Mentoring — Mentee"). Groups are the instance's tracks and
//! roles, so a provider cannot create, rename or delete one; it adds and
//! removes members. A member added joins the track with that role (a
//! one-row-per-person import, emails and licence line included); a member
//! removed loses the role (and the track with their last role), as an
//! import of its own that undo reverses.

use super::{global_token, refused_rows, Failure, Page, ScimResult};
use crate::backend::adds::{apply_as_import, pool_as_file};
use crate::backend::entities::{membership, scim_user, track, user};
use crate::backend::imports::{leave, ImportSource, Leaving};
use crate::backend::overview::active_tracks;
use crate::domain::scim::{Filter, GroupRef, PatchOp, ScimError, GROUP};
use crate::domain::{Admin, Role, Roles};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

type Resource = Map<String, Value>;

/// Members one request may add or remove.
const MAX_MEMBER_CHANGES: usize = 1_000;

/// One track's role.
struct Group {
    track: track::Model,
    role: Role,
}

impl Group {
    fn id(&self) -> String {
        format!("{}:{}", self.track.slug, self.role.label().to_lowercase())
    }

    fn display_name(&self) -> String {
        format!("{} — {}", self.track.name, self.role.label())
    }

    fn reference(&self) -> GroupRef {
        GroupRef {
            id: self.id(),
            display: self.display_name(),
        }
    }

    fn resource(&self, members: &[(i64, String)], base: &str) -> Resource {
        let members: Vec<Value> = members
            .iter()
            .map(|(id, name)| json!({"value": id.to_string(), "display": name}))
            .collect();
        let id = self.id();
        let mut group = Map::new();
        group.insert("schemas".into(), json!([GROUP]));
        group.insert("id".into(), json!(id));
        group.insert("displayName".into(), json!(self.display_name()));
        if !members.is_empty() {
            group.insert("members".into(), json!(members));
        }
        group.insert(
            "meta".into(),
            json!({"resourceType": "Group", "location": format!("{base}/Groups/{id}")}),
        );
        group
    }
}

async fn groups(db: &DatabaseConnection) -> ScimResult<Vec<Group>> {
    Ok(active_tracks(db)
        .await?
        .into_iter()
        .flat_map(|track| {
            Role::ALL.map(|role| Group {
                track: track.clone(),
                role,
            })
        })
        .collect())
}

async fn group(db: &DatabaseConnection, id: &str) -> ScimResult<Group> {
    groups(db)
        .await?
        .into_iter()
        .find(|g| g.id() == id)
        .ok_or_else(|| {
            Failure(ScimError::not_found(format!(
                "No group has the id {id}: groups are a track's slug and a role, as in \
                 engineering:mentee."
            )))
        })
}

/// The groups each of these users is in.
pub(super) async fn groups_of(
    db: &DatabaseConnection,
    user_ids: &[i64],
) -> ScimResult<HashMap<i64, Vec<GroupRef>>> {
    let tracks: HashMap<i64, track::Model> = active_tracks(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut of = HashMap::new();
    for m in membership::Entity::find()
        .filter(membership::Column::UserId.is_in(user_ids.iter().copied()))
        .all(db)
        .await?
    {
        let Some(track) = tracks.get(&m.track_id) else {
            continue;
        };
        let list: &mut Vec<GroupRef> = of.entry(m.user_id).or_default();
        for role in Roles::from_bits(m.roles).iter() {
            let group = Group {
                track: track.clone(),
                role,
            };
            list.push(group.reference());
        }
    }
    Ok(of)
}

/// The group's members, by id, with their names.
async fn members(db: &DatabaseConnection, group: &Group) -> ScimResult<Vec<(i64, String)>> {
    let ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::TrackId.eq(group.track.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| Roles::from_bits(m.roles).contains(group.role))
        .map(|m| m.user_id)
        .collect();
    let mut people = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(crate::backend::imports::CHUNK) {
        people.extend(
            user::Entity::find()
                .filter(user::Column::Id.is_in(chunk.iter().copied()))
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id, format!("{} {}", u.first_name, u.last_name))),
        );
    }
    people.sort_by_key(|(id, _)| *id);
    Ok(people)
}

pub async fn list_groups(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    filter: Option<&str>,
    page: Page,
) -> ScimResult<(u64, Vec<Resource>)> {
    global_token(admin)?;
    let mut found = groups(db).await?;
    if let Some(text) = filter {
        let f = Filter::parse(text)?;
        match f.attribute.as_str() {
            "displayname" => found.retain(|g| g.display_name().eq_ignore_ascii_case(&f.value)),
            "id" => found.retain(|g| g.id() == f.value),
            // Groups are never the provider's: none has its id.
            "externalid" => found.clear(),
            _ => {
                return Err(Failure(ScimError::new(
                    400,
                    Some("invalidFilter"),
                    "Groups are found by displayName or id.",
                )))
            }
        }
    }
    let total = found.len() as u64;
    let mut answered = Vec::new();
    for g in found
        .iter()
        .skip(usize::try_from(page.start_index - 1).unwrap_or(usize::MAX))
        .take(usize::try_from(page.count).unwrap_or(0))
    {
        answered.push(g.resource(&members(db, g).await?, base));
    }
    Ok((total, answered))
}

pub async fn get_group(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    id: &str,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let g = group(db, id).await?;
    Ok(g.resource(&members(db, &g).await?, base))
}

pub async fn patch_group(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    id: &str,
    body: &Value,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let g = group(db, id).await?;
    let operations = PatchOp::parse_request(body, &[])?;
    let mut resource = g.resource(&members(db, &g).await?, base);
    for op in &operations {
        op.apply(&mut resource, &[])?;
    }
    set_members(db, admin, &g, &Value::Object(resource)).await?;
    Ok(g.resource(&members(db, &g).await?, base))
}

pub async fn replace_group(
    db: &DatabaseConnection,
    admin: &Admin,
    base: &str,
    id: &str,
    body: &Value,
) -> ScimResult<Resource> {
    global_token(admin)?;
    let g = group(db, id).await?;
    set_members(db, admin, &g, body).await?;
    Ok(g.resource(&members(db, &g).await?, base))
}

/// Makes the group's members those `wanted` lists: the new ones join, the
/// missing ones leave.
async fn set_members(
    db: &DatabaseConnection,
    admin: &Admin,
    g: &Group,
    wanted: &Value,
) -> ScimResult<()> {
    if let Some(name) = wanted.get("displayName").and_then(Value::as_str) {
        if !name.eq_ignore_ascii_case(&g.display_name()) {
            return Err(Failure(ScimError::new(
                400,
                Some("mutability"),
                "Groups are named after their track and role in the instance file: rename the \
                 track there.",
            )));
        }
    }
    let wanted: BTreeSet<i64> = member_ids(wanted)?;
    let now: BTreeSet<i64> = members(db, g)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let joining: Vec<i64> = wanted.difference(&now).copied().collect();
    let leaving: Vec<i64> = now.difference(&wanted).copied().collect();
    if joining.len() + leaving.len() > MAX_MEMBER_CHANGES {
        return Err(Failure(ScimError::new(
            400,
            Some("tooMany"),
            format!("One request adds or removes at most {MAX_MEMBER_CHANGES} members: send the rest in another."),
        )));
    }
    join(db, admin, g, &joining).await?;
    let role = Roles::empty().with(g.role);
    for user_id in leaving {
        let leaving = Leaving {
            user_id,
            track_id: Some(g.track.id),
            roles: Some(role),
        };
        leave(db, admin, ImportSource::Scim, leaving).await?;
    }
    Ok(())
}

/// The users' ids a group's `members` lists.
fn member_ids(group: &Value) -> ScimResult<BTreeSet<i64>> {
    let listed = group
        .as_object()
        .and_then(|g| g.iter().find(|(k, _)| k.eq_ignore_ascii_case("members")))
        .map(|(_, v)| v);
    let Some(listed) = listed.filter(|v| !v.is_null()) else {
        return Ok(BTreeSet::new());
    };
    let refuse = || {
        Failure(ScimError::invalid_value(
            "`members` lists users by their ids: [{\"value\": \"42\"}].",
        ))
    };
    listed
        .as_array()
        .ok_or_else(refuse)?
        .iter()
        .map(|m| {
            m.get("value")
                .and_then(|v| match v {
                    Value::String(s) => s.parse().ok(),
                    other => other.as_i64(),
                })
                .ok_or_else(refuse)
        })
        .collect()
}

/// The users join the group's track with its role: one import.
async fn join(
    db: &DatabaseConnection,
    admin: &Admin,
    g: &Group,
    user_ids: &[i64],
) -> ScimResult<()> {
    if user_ids.is_empty() {
        return Ok(());
    }
    let deleted: BTreeSet<i64> = scim_user::Entity::find()
        .filter(scim_user::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(scim_user::Column::Deleted.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.user_id)
        .collect();
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids.iter().copied()))
        .all(db)
        .await?;
    let missing = user_ids
        .iter()
        .find(|id| deleted.contains(id) || !people.iter().any(|p| p.id == **id));
    if let Some(id) = missing {
        return Err(Failure(ScimError::invalid_value(format!(
            "No user has the id {id}: create them first."
        ))));
    }
    let people: Vec<&user::Model> = people.iter().collect();
    let (mut plan, rows) = pool_as_file(&g.track.slug, &people, Roles::empty().with(g.role));
    plan.file_name = format!("SCIM: {}", g.display_name());
    let (results, _) = apply_as_import(db, admin, plan, rows, ImportSource::Scim).await?;
    refused_rows(results)
}
