//! A track's members (docs/adding.md: where "Publish and finish" returns): their
//! roles here, searched and paged on the server.

use super::track::track;
use super::track_slug;
use crate::api::users::list_users;
use crate::api::{UserListing, UserScope};
use crate::components::user_search::{
    list_summary, query_from_address, Filters, Pager, SearchForm,
};
use crate::components::{ErrorNotice, Loading};
use crate::domain::text::thousands;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TrackMembersPage() -> impl IntoView {
    let slug = track_slug();
    let base = format!("/tracks/{slug}/members");
    let query = query_from_address(UserScope::Members(slug.clone()));
    let members = Resource::new(move || query.get(), list_users);
    let track = track();
    view! {
        <Title text="Members"/>
        <h1>"Members"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                track
                    .await
                    .ok()
                    .map(|t| view! { <p id="member-count">{format!("{} members in {}.", thousands(t.members), t.track.name)}</p> })
            })}
        </Suspense>
        <p class="actions">
            <a class="button secondary" href=format!("/tracks/{slug}/add-person")>"Add a person"</a>
            <a href=format!("/tracks/{slug}/import")>"Add users from CSV"</a>
        </p>
        <Transition fallback=Loading>
            {move || {
                let base = base.clone();
                let slug = slug.clone();
                Suspend::new(async move {
                    match members.await {
                        Ok(page) => {
                            let query = query.get_untracked();
                            let summary = list_summary(&page);
                            let (current, pages) = (page.page, page.pages());
                            Either::Left(view! {
                                <SearchForm
                                    action=base.clone()
                                    query=query.clone()
                                    tracks=Vec::new()
                                    filters=Filters { state: false, track: false, role: true }
                                />
                                <p id="user-count" role="status">{summary}</p>
                                <div class="table-wrap">
                                    <table class="user-list">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Name"</th>
                                                <th scope="col">"Email"</th>
                                                <th scope="col">"Roles here"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page
                                                .users
                                                .into_iter()
                                                .map(|user| view! { <MemberRow user slug=slug.clone()/> })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager base query page=current pages/>
                            })
                        }
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn MemberRow(user: UserListing, slug: String) -> impl IntoView {
    let roles = user
        .memberships
        .iter()
        .find(|m| m.track.slug == slug)
        .map(|m| m.roles.to_string())
        .unwrap_or_default();
    view! {
        <tr data-email=user.email.clone()>
            <td data-label="Name">{user.full_name()}</td>
            <td data-label="Email">{user.email.clone()}</td>
            <td data-label="Roles here">{roles}</td>
        </tr>
    }
}
