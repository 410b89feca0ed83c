//! Adding people one by one at a track, and from the global pool (docs/adding.md).
//! Both go through the import path on the server: the same checks, the same
//! rules, recorded in the history like a file.

use crate::api::{TrackRoles, UserQuery};
use crate::domain::csv_upload::{CellError, RowOutcome};
use crate::domain::{PersonForm, Roles};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Users one pool add may take: one batch, one transaction.
pub const POOL_ADD_LIMIT: usize = 1_000;

/// Someone already in the platform, found by the email typed at step 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FoundPerson {
    /// Someone the caller may see.
    Known(ExistingPerson),
    /// Someone in the platform whom the caller may not see (a track admin
    /// while the global pool is closed to them, and not a member of this
    /// track): only that the email is taken, which is enough to add them.
    InPlatform,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingPerson {
    /// Name, email and answers as stored, to pre-fill the form.
    pub form: PersonForm,
    /// Their memberships of the tracks the caller manages; empty: none.
    pub memberships: Vec<TrackRoles>,
    /// Their roles in this track, when already a member.
    pub roles_here: Option<Roles>,
}

/// Who was added, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedPerson {
    pub name: String,
    pub email: String,
    pub outcome: RowOutcome,
    pub emailed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddPersonResult {
    Added(AddedPerson),
    /// Nothing was written: these fields need fixing.
    Refused(Vec<CellError>),
}

/// The outcome of Actions → Add to program.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolAddSummary {
    /// Names of the people added to the track.
    pub added: Vec<String>,
    /// Names of those who already were members (left as they were).
    pub already: Vec<String>,
    pub emails_queued: u64,
}

#[server(prefix = "/api", endpoint = "find_person", input = Json)]
pub async fn find_person(
    track_slug: String,
    email: String,
) -> Result<Option<FoundPerson>, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::adds::find_person(&db, &admin, &track_slug, &email).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "add_person", input = Json)]
pub async fn add_person(
    track_slug: String,
    roles: Roles,
    form: PersonForm,
) -> Result<AddPersonResult, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::adds::add_person(&db, &admin, &track_slug, roles, form).await
    })
    .await
}

/// Every user a pool query matches who is not yet in its track ("select
/// all N matching"): ids only, never the rows.
#[server(prefix = "/api", endpoint = "pool_matching_ids", input = Json)]
pub async fn pool_matching_ids(query: UserQuery) -> Result<Vec<i64>, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::adds::pool_matching_ids(&db, &admin, query).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "add_from_pool", input = Json)]
pub async fn add_from_pool(
    track_slug: String,
    user_ids: Vec<i64>,
    roles: Roles,
) -> Result<PoolAddSummary, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::adds::add_from_pool(&db, &admin, &track_slug, user_ids, roles).await
    })
    .await
}
