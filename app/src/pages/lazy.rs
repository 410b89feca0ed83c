//! Pages fetched when first visited: `cargo leptos build --split` puts each
//! into its own wasm chunk, so the first load carries the layout and the
//! router, not every page and the CSV code (docs/performance.md, bundle budget).

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route for a page component without props, loaded on demand.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_route: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    Login => super::LoginPage,
    Setup => super::SetupPage,
    Home => super::HomePage,
    Users => super::UsersPage,
    UserDetail => super::UserDetailPage,
    GlobalHistory => super::GlobalHistoryPage,
    ImportDetail => super::ImportDetailPage,
    ImportStep => super::ImportStep,
    TrackAddUsers => super::TrackAddUsersPage,
    TrackMembers => super::TrackMembersPage,
    TrackAddPerson => super::TrackAddPersonPage,
    TrackPool => super::TrackPoolPage,
    TrackEmails => super::TrackEmailsPage,
    TrackHistory => super::TrackHistoryPage,
    GlobalMappings => super::GlobalMappingsPage,
    TrackMappings => super::TrackMappingsPage,
    Tokens => super::TokensPage,
}
