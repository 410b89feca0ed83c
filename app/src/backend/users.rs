//! The global user repository (issue 4): the list, searched, filtered and
//! paged in the database so it stays fast at 100,000 users, and one user
//! in full.

use crate::api::users::USERS_PER_PAGE;
use crate::backend::entities::{membership, profile_answer, profile_field, track, user};
use crate::backend::error::ServiceError;
use crate::backend::overview::{active_tracks, license_use, profile_fields, settings, track_ref};
use crate::domain::{Admin, Role, Roles};
use crate::{
    AppError, ProfileAnswer, TrackRef, TrackRoles, UserDetail, UserListing, UserPage, UserQuery,
    UserScope, UserState,
};
use sea_orm::sea_query::{Expr, Func, LikeExpr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, ExprTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

/// Search words beyond these are ignored: each is a full scan.
const MAX_SEARCH_WORDS: usize = 5;

fn global_only(admin: &Admin) -> Result<(), ServiceError> {
    if admin.is_global() {
        Ok(())
    } else {
        Err(AppError::Forbidden.into())
    }
}

/// The users a query selects, once the caller's right to see them is
/// checked; with the tracks (for names) and the scope's track.
pub(crate) async fn matching(
    db: &DatabaseConnection,
    admin: &Admin,
    query: &UserQuery,
) -> Result<
    (
        Select<user::Entity>,
        Vec<track::Model>,
        Option<track::Model>,
    ),
    ServiceError,
> {
    let tracks = active_tracks(db).await?;
    let find_track = |slug: &str| {
        tracks
            .iter()
            .find(|t| t.slug == slug)
            .cloned()
            .ok_or_else(|| {
                ServiceError::from(AppError::NotFound(format!(
                    "There is no track called “{slug}”: pick a track from the list."
                )))
            })
    };
    let mut select = user::Entity::find();
    let scope_track = match &query.scope {
        UserScope::Global => {
            global_only(admin)?;
            None
        }
        UserScope::Members(slug) => {
            let t = find_track(slug)?;
            if !admin.can_manage_track(t.id) {
                return Err(AppError::Forbidden.into());
            }
            select = select.filter(user::Column::Id.in_subquery(members(Some(t.id), None)));
            Some(t)
        }
        UserScope::Pool(slug) => {
            let t = find_track(slug)?;
            let allowed = settings(db).await?.track_admins_use_global_pool;
            if !admin.can_use_pool_for(t.id, allowed) {
                return Err(AppError::Forbidden.into());
            }
            Some(t)
        }
    };
    if let Some(matching) = search_condition(&query.search) {
        select = select.filter(matching);
    }
    select = match query.state {
        UserState::All => select,
        UserState::Dormant => select.filter(user::Column::Id.not_in_subquery(members(None, None))),
        UserState::Active => select.filter(user::Column::Id.in_subquery(members(None, None))),
    };
    let filter_track = match query.track.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => {
            let t = find_track(slug)?;
            if !admin.can_manage_track(t.id) {
                return Err(AppError::Forbidden.into());
            }
            Some(t.id)
        }
        // A track admin's role filter is about their own track: the roles
        // people hold elsewhere are not theirs to see.
        None if query.role.is_some() && !admin.is_global() => scope_track.as_ref().map(|t| t.id),
        None => None,
    };
    if filter_track.is_some() || query.role.is_some() {
        select = select.filter(user::Column::Id.in_subquery(members(filter_track, query.role)));
    }
    Ok((select, tracks, scope_track))
}

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    admin: &Admin,
    query: UserQuery,
) -> Result<UserPage, ServiceError> {
    let (select, tracks, _) = matching(db, admin, &query).await?;
    let searching = !query.search.trim().is_empty();
    let total = select.clone().count(db).await?;
    let last_page =
        u32::try_from(total.saturating_sub(1) / u64::from(USERS_PER_PAGE)).unwrap_or(u32::MAX);
    let page = Ord::min(query.page, last_page);
    let found = select
        .order_by(name_order(searching), Order::Asc)
        .order_by(Func::lower(Expr::col(user::Column::FirstName)), Order::Asc)
        .order_by_asc(user::Column::Id)
        .limit(u64::from(USERS_PER_PAGE))
        .offset(u64::from(page) * u64::from(USERS_PER_PAGE))
        .all(db)
        .await?;
    let seen = visible_tracks(admin, &tracks);
    let mut memberships = memberships_of(db, &seen, found.iter().map(|u| u.id)).await?;
    let users = found
        .into_iter()
        .map(|u| {
            let memberships = memberships.remove(&u.id).unwrap_or_default();
            listing(u, memberships)
        })
        .collect();
    Ok(UserPage {
        users,
        total,
        page,
        license: license_use(db).await?,
        tracks: seen.iter().map(track_ref).collect(),
    })
}

#[tracing::instrument(skip_all, fields(user = id))]
pub async fn detail(
    db: &DatabaseConnection,
    admin: &Admin,
    id: i64,
) -> Result<UserDetail, ServiceError> {
    global_only(admin)?;
    let Some(found) = user::Entity::find_by_id(id).one(db).await? else {
        return Err(AppError::NotFound(
            "There is no such user: they may have been removed by an undone import. Search the user list again."
                .into(),
        )
        .into());
    };
    let tracks = active_tracks(db).await?;
    let memberships = memberships_of(db, &tracks, [id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let field_ids: HashMap<String, i64> = profile_field::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.key, f.id))
        .collect();
    let mut values: HashMap<i64, String> = profile_answer::Entity::find()
        .filter(profile_answer::Column::UserId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.field_id, a.value))
        .collect();
    let answers = profile_fields(db)
        .await?
        .into_iter()
        .map(|f| ProfileAnswer {
            value: field_ids.get(&f.key).and_then(|id| values.remove(id)),
            title: f.title,
        })
        .collect();
    let added_on = found.created_at.format("%Y-%m-%d").to_string();
    Ok(UserDetail {
        user: listing(found, memberships),
        answers,
        added_on,
    })
}

/// The list's order: last name, ignoring case. Without a search the name
/// index gives a page at once. With one, `|| ''` keeps both databases off
/// that index: walking it and testing each row reads the whole table out of
/// order when the matches sort late (measured: 150 ms instead of 50 ms on
/// PostgreSQL for "smith 42" over 100,000 users), while sorting the matches
/// is cheap.
fn name_order(searching: bool) -> Expr {
    if searching {
        Expr::cust("lower(users.last_name) || ''")
    } else {
        Func::lower(Expr::col(user::Column::LastName)).into()
    }
}

/// Every word must appear in the first name, the last name or the email,
/// ignoring case (folded in Rust on both sides: `search_key`); `None` for
/// an empty search.
fn search_condition(search: &str) -> Option<Condition> {
    let words: Vec<&str> = search.split_whitespace().take(MAX_SEARCH_WORDS).collect();
    if words.is_empty() {
        return None;
    }
    let mut all = Condition::all();
    for word in words {
        let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
        all = all.add(Expr::col(user::Column::SearchKey).like(LikeExpr::new(pattern).escape('\\')));
    }
    Some(all)
}

fn listing(u: user::Model, memberships: Vec<TrackRoles>) -> UserListing {
    UserListing {
        id: u.id,
        first_name: u.first_name,
        last_name: u.last_name,
        email: u.email,
        memberships,
    }
}

/// `SELECT user_id FROM memberships [WHERE track_id = …] [AND roles has …]`.
/// As `IN` lists both databases read it once, where a correlated `EXISTS`
/// probed the memberships index for every user (measured on SQLite over
/// 100,000 users: the dormant count took 150 ms that way).
pub(crate) fn members(track_id: Option<i64>, role: Option<Role>) -> SelectStatement {
    let mut q = Query::select();
    q.column(membership::Column::UserId)
        .from(membership::Entity)
        // Memberships of archived tracks make nobody active (the licence
        // counts the same way: `overview::active_users`).
        .and_where(
            membership::Column::TrackId.in_subquery(
                Query::select()
                    .column(track::Column::Id)
                    .from(track::Entity)
                    .and_where(track::Column::Archived.eq(false))
                    .to_owned(),
            ),
        );
    if let Some(track_id) = track_id {
        q.and_where(membership::Column::TrackId.eq(track_id));
    }
    if let Some(role) = role {
        let bits = Roles::empty().with(role).bits();
        q.and_where(Expr::col(membership::Column::Roles).bit_and(bits).ne(0));
    }
    q
}

/// The tracks whose members and roles `admin` may see: a track admin sees
/// a person's memberships of their own tracks only.
pub(crate) fn visible_tracks(admin: &Admin, tracks: &[track::Model]) -> Vec<track::Model> {
    tracks
        .iter()
        .filter(|t| admin.can_manage_track(t.id))
        .cloned()
        .collect()
}

/// The memberships in active tracks of these users, in track order.
pub(crate) async fn memberships_of(
    db: &DatabaseConnection,
    tracks: &[track::Model],
    user_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<TrackRoles>>, ServiceError> {
    let refs: HashMap<i64, (usize, TrackRef)> = tracks
        .iter()
        .enumerate()
        .map(|(position, t)| (t.id, (position, track_ref(t))))
        .collect();
    let mut found: HashMap<i64, Vec<(usize, TrackRoles)>> = HashMap::new();
    for m in membership::Entity::find()
        .filter(membership::Column::UserId.is_in(user_ids))
        .all(db)
        .await?
    {
        if let Some((position, track)) = refs.get(&m.track_id) {
            found.entry(m.user_id).or_default().push((
                *position,
                TrackRoles {
                    track: track.clone(),
                    roles: Roles::from_bits(m.roles),
                },
            ));
        }
    }
    Ok(found
        .into_iter()
        .map(|(user_id, mut list)| {
            list.sort_by_key(|(position, _)| *position);
            (user_id, list.into_iter().map(|(_, m)| m).collect())
        })
        .collect())
}

/// A search word taken literally: `%` and `_` are not wildcards.
fn escape_like(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_in_a_search_are_taken_literally() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("ann"), "ann");
    }
}
