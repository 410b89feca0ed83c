//! Roster's pages, components, server functions and domain rules, shared by
//! the server (feature `ssr`) and the browser bundle (feature `hydrate`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "hydrate")]
mod benchmark_hook;
mod components;
pub mod domain;
mod error;
mod pages;

pub use api::*;
pub use error::AppError;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the page interactive once hydrated (effects run only in the browser).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/roster.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Roster".to_owned() } else { format!("{page} · Roster") }/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view=pages::LoginPage/>
                <Route path=path!("/setup") view=pages::SetupPage/>
                <ParentRoute path=path!("") view=components::AdminLayout>
                    <Route path=path!("") view=pages::HomePage/>
                    <Route path=path!("users") view=pages::UsersPage/>
                    <Route path=path!("users/:id") view=pages::UserDetailPage/>
                    <Route path=path!("history") view=pages::GlobalHistoryPage/>
                    <Route path=path!("imports/:id") view=pages::ImportDetailPage/>
                    <ParentRoute path=path!("import") view=pages::GlobalImportWizard>
                        <Route path=path!(":step?") view=pages::ImportStep/>
                    </ParentRoute>
                    <ParentRoute path=path!("tracks/:slug") view=pages::TrackLayout>
                        <Route path=path!("") view=pages::TrackAddUsersPage/>
                        <Route path=path!("add-users") view=pages::TrackAddUsersPage/>
                        <Route path=path!("members") view=pages::TrackMembersPage/>
                        <Route path=path!("add-person") view=pages::TrackAddPersonPage/>
                        <Route path=path!("add-from-pool") view=pages::TrackPoolPage/>
                        <Route path=path!("emails") view=pages::TrackEmailsPage/>
                        <Route path=path!("history") view=pages::TrackHistoryPage/>
                        <ParentRoute path=path!("import") view=pages::TrackImportWizard>
                            <Route path=path!(":step?") view=pages::ImportStep/>
                        </ParentRoute>
                        <ParentRoute path=path!("dormant-import") view=pages::TrackDormantImportWizard>
                            <Route path=path!(":step?") view=pages::ImportStep/>
                        </ParentRoute>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
