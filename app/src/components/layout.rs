//! The signed-in frame: top bar, navigation, and the page in the middle.

use crate::api::auth::{get_viewer, sign_in_path, Logout, SESSION_EXPIRED_PATH};
use crate::api::Viewer;
use crate::components::{ErrorNotice, Loading};
use crate::AppError;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

/// Wraps every page that needs a signed-in admin; sends everyone else to
/// the sign-in page, and back here afterwards.
#[component]
pub fn AdminLayout() -> impl IntoView {
    // Blocking, so the server can still answer with a redirect.
    let viewer = Resource::new_blocking(|| (), |_| get_viewer());
    let location = use_location();
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(viewer)) => view! { <Frame viewer/> }.into_any(),
                    Ok(None) => {
                        let target = sign_in_path(&location.pathname.get_untracked());
                        view! { <Redirect path=target/> }.into_any()
                    }
                    Err(AppError::SessionExpired) => view! { <Redirect path=SESSION_EXPIRED_PATH/> }.into_any(),
                    Err(error) => view! { <main class="content"><ErrorNotice error/></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(viewer: Viewer) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let menu_open = RwSignal::new(false);
    let Viewer {
        email,
        is_global,
        instance_name,
        tracks,
    } = viewer;
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/">"Roster"</a>
            <span class="instance-name">{instance_name}</span>
            <span class="spacer"></span>
            <span class="who">{email}</span>
            <ActionForm action=logout>
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
        <div class="layout">
            <nav class="sidebar" aria-label="Main">
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="nav-links"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    "Menu"
                </button>
                // On a phone, following a link closes the menu.
                <div id="nav-links" class="nav" class:open=move || menu_open.get() on:click=move |_| menu_open.set(false)>
                    <div class="nav-section">
                        <A href="/" exact=true>"Overview"</A>
                    </div>
                    {is_global
                        .then(|| {
                            view! {
                                <div class="nav-section">
                                    <h2>"Global level"</h2>
                                    <A href="/users">"Users"</A>
                                    <A href="/import">"Add users from CSV"</A>
                                    <A href="/history">"Import history"</A>
                                    <A href="/mappings">"Remembered mappings"</A>
                                    <A href="/tokens">"API tokens"</A>
                                </div>
                            }
                        })}
                    {tracks
                        .into_iter()
                        .map(|track| {
                            let base = format!("/tracks/{}", track.slug);
                            view! {
                                <div class="nav-section">
                                    <h2>{track.name}</h2>
                                    <A href=format!("{base}/add-users")>"Add users"</A>
                                    <A href=format!("{base}/members")>"Members"</A>
                                    <A href=format!("{base}/emails")>"System emails"</A>
                                    <A href=format!("{base}/history")>"Import history"</A>
                                    <A href=format!("{base}/mappings")>"Remembered mappings"</A>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </nav>
            <main id="main" class="content" tabindex="-1">
                <Outlet/>
            </main>
        </div>
    }
}
