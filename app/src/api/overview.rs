//! Read-only views of the instance and its tracks.

use crate::api::{InstanceSummary, TrackSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// The instance as far as the caller may see it (home page).
#[server(prefix = "/api", endpoint = "instance_overview")]
pub async fn instance_overview() -> Result<InstanceSummary, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::overview::instance_overview(&db, &admin).await
    })
    .await
}

/// The same, for pages of the global level: global admins only.
#[server(prefix = "/api", endpoint = "global_overview")]
pub async fn global_overview() -> Result<InstanceSummary, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        if !admin.is_global() {
            return Err(AppError::Forbidden.into());
        }
        crate::backend::overview::instance_overview(&db, &admin).await
    })
    .await
}

/// One track, for the admins of that track.
#[server(prefix = "/api", endpoint = "track_overview")]
pub async fn track_overview(slug: String) -> Result<TrackSummary, AppError> {
    crate::backend::for_admin(|admin, db| async move {
        crate::backend::overview::track_overview(&db, &admin, &slug).await
    })
    .await
}
