//! One module per area of the app; each page is a component.

mod add_person;
mod auth;
mod emails;
mod history;
mod home;
mod import;
pub mod lazy;
mod mappings;
mod members;
mod pool;
mod tokens;
mod track;
mod undo;
mod users;

pub use add_person::TrackAddPersonPage;
pub use auth::{LoginPage, SetupPage};
pub use emails::TrackEmailsPage;
pub use history::{GlobalHistoryPage, ImportDetailPage, TrackHistoryPage};
pub use home::HomePage;
pub use import::{GlobalImportWizard, ImportStep, TrackDormantImportWizard, TrackImportWizard};
pub use mappings::{GlobalMappingsPage, TrackMappingsPage};
pub use members::TrackMembersPage;
pub use pool::TrackPoolPage;
pub use tokens::TokensPage;
pub(crate) use track::TrackResource;
pub use track::{TrackAddUsersPage, TrackLayout};
pub use users::{UserDetailPage, UsersPage};

use crate::components::{ErrorNotice, Loading};
use crate::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{de::DeserializeOwned, Serialize};

/// The track's slug in the address (`/tracks/:slug/…`), as the page opened.
pub(crate) fn track_slug() -> String {
    use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default()
}

/// Loads what the address's `:id` names; an id that is not a number is
/// `missing`, the sentence a person sees.
pub(crate) fn by_id_param<T, Fut>(
    load: fn(i64) -> Fut,
    missing: &'static str,
) -> Resource<Result<T, AppError>>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    Resource::new(id, move |id| async move {
        match id {
            Some(id) => load(id).await,
            None => Err(AppError::NotFound(missing.to_owned())),
        }
    })
}

/// Shows a resource once loaded: `render` for its value, a sentence for its error.
fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => Either::Left(render(value)),
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <main class="auth-page">
            <div class="card">
                <h1>"Page not found"</h1>
                <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
                <a class="button" href="/">"Go to the overview"</a>
            </div>
        </main>
    }
}
