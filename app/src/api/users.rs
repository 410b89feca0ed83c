//! The global user repository (issue 4, docs/dormant-and-active.md): every user of the
//! instance, searched and paged on the server.

use crate::api::{LicenseUse, TrackRef};
use crate::domain::text::thousands;
use crate::domain::{Role, Roles};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Users on one page of the list.
pub const USERS_PER_PAGE: u32 = 50;

/// Dormant users have no membership; active users have one or more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserState {
    #[default]
    All,
    Dormant,
    Active,
}

impl UserState {
    pub const ALL: [UserState; 3] = [UserState::All, UserState::Dormant, UserState::Active];

    /// The value in the page's address (`?state=dormant`).
    pub fn key(self) -> &'static str {
        match self {
            UserState::All => "all",
            UserState::Dormant => "dormant",
            UserState::Active => "active",
        }
    }

    /// An unknown value shows everyone rather than an error page.
    pub fn from_key(key: &str) -> UserState {
        UserState::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            UserState::All => "Everyone",
            UserState::Dormant => "Dormant only",
            UserState::Active => "Active only",
        }
    }
}

/// Whose list it is, which decides who may read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserScope {
    /// The global user repository: global admins.
    #[default]
    Global,
    /// A track's members: that track's admins.
    Members(String),
    /// The global pool seen from a track, to add people to it (docs/adding.md):
    /// global admins, and the track's admins where the instance allows.
    Pool(String),
}

/// What the list shows: a search over name and email, filters, a page.
/// Left-out fields take their defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    pub scope: UserScope,
    pub search: String,
    pub state: UserState,
    /// Only members of this track (by slug).
    pub track: Option<String>,
    /// Only people holding this role (in the `track` filter's track, or in any).
    pub role: Option<Role>,
    /// 0-based.
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackRoles {
    pub track: TrackRef,
    pub roles: Roles,
}

/// One user as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListing {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Empty for a dormant user.
    pub memberships: Vec<TrackRoles>,
}

impl UserListing {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// "Dormant", or "Active in 2 tracks".
    pub fn state(&self) -> String {
        match self.memberships.len() {
            0 => "Dormant".to_owned(),
            1 => "Active in 1 track".to_owned(),
            n => format!("Active in {} tracks", thousands(n)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserListing>,
    /// Users matching the query, on every page.
    pub total: u64,
    /// The page shown (a page past the end shows the last one).
    pub page: u32,
    pub license: LicenseUse,
    /// The tracks to filter by.
    pub tracks: Vec<TrackRef>,
}

impl UserPage {
    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.div_ceil(u64::from(USERS_PER_PAGE)))
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileAnswer {
    pub title: String,
    /// `None`: not filled in.
    pub value: Option<String>,
}

/// One user in full: every profile field, every membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: UserListing,
    /// The instance's profile fields in order, answered or not.
    pub answers: Vec<ProfileAnswer>,
    /// When the user was first added (YYYY-MM-DD).
    pub added_on: String,
}

#[server(prefix = "/api", endpoint = "users", input = Json)]
pub async fn list_users(query: UserQuery) -> Result<UserPage, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::users::list(&db, &admin, query).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "user", input = Json)]
pub async fn load_user_detail(id: i64) -> Result<UserDetail, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::users::detail(&db, &admin, id).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_back_from_their_keys_and_unknown_keys_mean_everyone() {
        for state in UserState::ALL {
            assert_eq!(UserState::from_key(state.key()), state);
        }
        assert_eq!(UserState::from_key("asleep"), UserState::All);
    }

    #[test]
    fn pages_round_up_and_an_empty_list_has_one() {
        let page = |total| UserPage {
            users: Vec::new(),
            total,
            page: 0,
            license: LicenseUse {
                active_users: 0,
                limit: 0,
            },
            tracks: Vec::new(),
        };
        assert_eq!(page(0).pages(), 1);
        assert_eq!(page(50).pages(), 1);
        assert_eq!(page(51).pages(), 2);
        assert_eq!(page(100_000).pages(), 2_000);
    }
}
