//! Read-only views of the instance and its tracks.

use crate::api::{InstanceSummary, TrackSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// The instance as far as the caller may see it (home page).
#[server(prefix = "/api", endpoint = "instance_overview")]
pub async fn instance_overview() -> Result<InstanceSummary, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            call.backend().instance_overview(&admin).await
        }
        .await,
    )
}

/// The same, for pages of the global level: global admins only.
#[server(prefix = "/api", endpoint = "global_overview")]
pub async fn global_overview() -> Result<InstanceSummary, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            if !admin.is_global() {
                return Err(AppError::Forbidden);
            }
            call.backend().instance_overview(&admin).await
        }
        .await,
    )
}

/// One track, for the admins of that track.
#[server(prefix = "/api", endpoint = "track_overview")]
pub async fn track_overview(slug: String) -> Result<TrackSummary, AppError> {
    let call = crate::backend::Call::begin()?;
    call.answer(
        async {
            let admin = call.admin().await?;
            call.backend().track_overview(&admin, &slug).await
        }
        .await,
    )
}
