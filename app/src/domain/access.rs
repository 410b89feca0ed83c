//! Who may do what (docs/access-and-security.md). The server asks these questions on every call.

use serde::{Deserialize, Serialize};

/// What an admin account administers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminScope {
    /// Everything: the global level and every track.
    Global,
    /// Only these tracks (by id).
    Tracks(Vec<i64>),
}

/// A signed-in admin, as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admin {
    pub id: i64,
    pub email: String,
    pub scope: AdminScope,
    /// The API token the call came with (docs/api.md): it acts as the
    /// admin who created it, within its own scope. `None`: signed in.
    #[serde(default)]
    pub token: Option<i64>,
}

impl Admin {
    /// Signed in on a page, not a system calling with an API token: only
    /// then may accounts and tokens be managed.
    pub fn in_person(&self) -> bool {
        self.token.is_none()
    }

    pub fn is_global(&self) -> bool {
        matches!(self.scope, AdminScope::Global)
    }

    pub fn can_manage_track(&self, track_id: i64) -> bool {
        match &self.scope {
            AdminScope::Global => true,
            AdminScope::Tracks(ids) => ids.contains(&track_id),
        }
    }

    /// A level: a track (`Some`), or the global level (`None`), which only
    /// global admins administer.
    pub fn administers(&self, track_id: Option<i64>) -> bool {
        match track_id {
            Some(track_id) => self.can_manage_track(track_id),
            None => self.is_global(),
        }
    }

    /// The global user pool (docs/adding.md): global admins always; track admins
    /// only where the instance allows it, and only for their own tracks.
    pub fn can_use_pool_for(&self, track_id: i64, track_admins_may_use_pool: bool) -> bool {
        self.is_global() || (track_admins_may_use_pool && self.can_manage_track(track_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin(scope: AdminScope) -> Admin {
        Admin {
            token: None,
            id: 1,
            email: "a@example.com".into(),
            scope,
        }
    }

    #[test]
    fn global_admins_manage_every_track_and_the_pool() {
        let a = admin(AdminScope::Global);
        assert!(a.is_global() && a.can_manage_track(42));
        assert!(a.can_use_pool_for(42, false));
    }

    #[test]
    fn track_admins_manage_only_their_tracks() {
        let a = admin(AdminScope::Tracks(vec![1, 3]));
        assert!(!a.is_global());
        assert!(a.can_manage_track(1) && a.can_manage_track(3));
        assert!(!a.can_manage_track(2));
        assert!(a.administers(Some(3)) && !a.administers(Some(2)) && !a.administers(None));
        assert!(admin(AdminScope::Global).administers(None));
    }

    #[test]
    fn track_admins_use_the_pool_only_when_allowed_and_only_for_their_tracks() {
        let a = admin(AdminScope::Tracks(vec![1]));
        assert!(a.can_use_pool_for(1, true));
        assert!(!a.can_use_pool_for(1, false));
        assert!(!a.can_use_pool_for(2, true));
    }
}
