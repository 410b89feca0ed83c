//! What server functions send to the browser.

use crate::domain::ProfileField;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// The signed-in admin and what the navigation should offer them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub email: String,
    pub is_global: bool,
    pub instance_name: String,
    /// The tracks this admin administers (all of them for a global admin).
    pub tracks: Vec<TrackRef>,
}

/// What a setup link is for, shown before the password form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupLinkInfo {
    /// The account's email when the link was made for a known admin
    /// (`create-admin`); `None` for the first start's link, which asks for it.
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseUse {
    pub active_users: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackStats {
    pub track: TrackRef,
    pub members: u64,
}

/// The home page: the instance as far as this admin may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSummary {
    pub instance_name: String,
    pub license: LicenseUse,
    /// Only global admins see global figures.
    pub dormant_users: Option<u64>,
    pub upload_row_limit: u64,
    pub tracks: Vec<TrackStats>,
    pub profile_fields: Vec<ProfileField>,
}

/// One track's page header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackSummary {
    pub track: TrackRef,
    pub members: u64,
    /// The instance has exactly one track (docs/importing.md: dormant import offered here).
    pub single_track: bool,
    /// This admin may add users from the global pool to this track (docs/adding.md).
    pub pool_allowed: bool,
    pub license: LicenseUse,
}
