//! The global user repository (issue 4): every user with their state,
//! tracks and roles; search and filters live in the address, so Back,
//! reload and a shared link show the same list.

use super::by_id_param;
use super::loaded;
use crate::api::users::{list_users, load_user_detail};
use crate::api::{TrackRoles, UserDetail, UserListing, UserPage, UserQuery, UserScope};
use crate::components::user_search::{
    list_summary, query_from_address, Filters, Pager, SearchForm,
};
use crate::components::{ErrorNotice, LicenseMeter, Loading};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = query_from_address(UserScope::Global);
    let users = Resource::new(move || query.get(), list_users);
    view! {
        <Title text="Users"/>
        <h1>"Users"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(page) => Either::Left(view! { <UserList page query=query.get_untracked()/> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn UserList(page: UserPage, query: UserQuery) -> impl IntoView {
    let summary = list_summary(&page);
    let (current, pages) = (page.page, page.pages());
    view! {
        <section class="card">
            <LicenseMeter license=page.license.clone()/>
            <p class="muted">
                "Dormant users are in no track: they are never emailed and do not count against the licence. "
                <a href="/import">"Add users from CSV"</a>
            </p>
        </section>
        <SearchForm
            action="/users"
            query=query.clone()
            tracks=page.tracks.clone()
            filters=Filters { state: true, track: true, role: true }
        />
        <p id="user-count" role="status">{summary}</p>
        <div class="table-wrap">
            <table class="user-list">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Tracks and roles"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .users
                        .into_iter()
                        .map(|user| view! { <UserRow user/> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pager base="/users" query page=current pages/>
    }
}

#[component]
fn UserRow(user: UserListing) -> impl IntoView {
    let state = user.state();
    let dormant = user.memberships.is_empty();
    view! {
        <tr data-email=user.email.clone()>
            <td data-label="Name">
                <a href=format!("/users/{}", user.id)>{user.full_name()}</a>
            </td>
            <td data-label="Email">{user.email.clone()}</td>
            <td data-label="State">
                <span class="badge" class:dormant=dormant>
                    {state}
                </span>
            </td>
            <td data-label="Tracks and roles">
                <Memberships memberships=user.memberships/>
            </td>
        </tr>
    }
}

#[component]
pub(crate) fn Memberships(memberships: Vec<TrackRoles>) -> impl IntoView {
    if memberships.is_empty() {
        return Either::Left(view! { <span class="muted">"No track"</span> });
    }
    Either::Right(view! {
        <ul class="memberships">
            {memberships
                .into_iter()
                .map(|m| {
                    view! {
                        <li>
                            <a href=format!("/tracks/{}/members", m.track.slug)>{m.track.name}</a>
                            ": "
                            {m.roles.to_string()}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    })
}

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let detail = by_id_param(
        load_user_detail,
        "There is no such user: pick one from the user list.",
    );
    view! {
        <p>
            <a href="/users">"← All users"</a>
        </p>
        {loaded(detail, |detail| view! { <UserCard detail/> })}
    }
}

#[component]
fn UserCard(detail: UserDetail) -> impl IntoView {
    let UserDetail {
        user,
        answers,
        added_on,
    } = detail;
    let name = user.full_name();
    view! {
        <Title text=name.clone()/>
        <h1>{name}</h1>
        <section class="card">
            <dl class="facts">
                <dt>"Email"</dt>
                <dd>{user.email.clone()}</dd>
                <dt>"State"</dt>
                <dd id="user-state-text">{user.state()}</dd>
                <dt>"Added"</dt>
                <dd>{added_on}</dd>
            </dl>
        </section>
        <section class="card">
            <h2>"Tracks and roles"</h2>
            {if user.memberships.is_empty() {
                Either::Left(
                    view! {
                        <p>
                            "Dormant: in no track, so never emailed and not counted against the licence."
                        </p>
                    },
                )
            } else {
                Either::Right(view! { <Memberships memberships=user.memberships/> })
            }}
        </section>
        <section class="card">
            <h2>"Profile"</h2>
            <dl class="facts" id="profile-answers">
                {answers
                    .into_iter()
                    .map(|a| {
                        view! {
                            <dt>{a.title}</dt>
                            {match a.value {
                                Some(value) => Either::Left(view! { <dd>{value}</dd> }),
                                None => Either::Right(view! { <dd class="muted">"Not filled in"</dd> }),
                            }}
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
