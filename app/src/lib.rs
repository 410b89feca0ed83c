//! Roster's pages, components, server functions and domain rules, shared by
//! the server (feature `ssr`) and the browser bundle (feature `hydrate`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "hydrate")]
mod benchmark_hook;
mod components;
/// The pure rules (`app/src/domain`, a crate of its own).
pub use domain;
mod error;
mod pages;

pub use api::*;
pub use error::AppError;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy};
use pages::lazy;

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
    view! {
        <Stylesheet id="leptos" href="/pkg/roster.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Roster".to_owned() } else { format!("{page} · Roster") }/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view={Lazy::<lazy::Login>::new()}/>
                <Route path=path!("/setup") view={Lazy::<lazy::Setup>::new()}/>
                <ParentRoute path=path!("") view=components::AdminLayout>
                    <Route path=path!("") view={Lazy::<lazy::Home>::new()}/>
                    <Route path=path!("users") view={Lazy::<lazy::Users>::new()}/>
                    <Route path=path!("users/:id") view={Lazy::<lazy::UserDetail>::new()}/>
                    <Route path=path!("history") view={Lazy::<lazy::GlobalHistory>::new()}/>
                    <Route path=path!("mappings") view={Lazy::<lazy::GlobalMappings>::new()}/>
                    <Route path=path!("tokens") view={Lazy::<lazy::Tokens>::new()}/>
                    <Route path=path!("imports/:id") view={Lazy::<lazy::ImportDetail>::new()}/>
                    <ParentRoute path=path!("import") view=pages::GlobalImportWizard>
                        <Route path=path!(":step?") view={Lazy::<lazy::ImportStep>::new()}/>
                    </ParentRoute>
                    <ParentRoute path=path!("tracks/:slug") view=pages::TrackLayout>
                        <Route path=path!("") view={Lazy::<lazy::TrackAddUsers>::new()}/>
                        <Route path=path!("add-users") view={Lazy::<lazy::TrackAddUsers>::new()}/>
                        <Route path=path!("members") view={Lazy::<lazy::TrackMembers>::new()}/>
                        <Route path=path!("add-person") view={Lazy::<lazy::TrackAddPerson>::new()}/>
                        <Route path=path!("add-from-pool") view={Lazy::<lazy::TrackPool>::new()}/>
                        <Route path=path!("emails") view={Lazy::<lazy::TrackEmails>::new()}/>
                        <Route path=path!("history") view={Lazy::<lazy::TrackHistory>::new()}/>
                        <Route path=path!("mappings") view={Lazy::<lazy::TrackMappings>::new()}/>
                        <ParentRoute path=path!("import") view=pages::TrackImportWizard>
                            <Route path=path!(":step?") view={Lazy::<lazy::ImportStep>::new()}/>
                        </ParentRoute>
                        <ParentRoute path=path!("dormant-import") view=pages::TrackDormantImportWizard>
                            <Route path=path!(":step?") view={Lazy::<lazy::ImportStep>::new()}/>
                        </ParentRoute>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
