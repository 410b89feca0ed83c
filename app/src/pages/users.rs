//! The global user repository (issue 4): every user with their state,
//! tracks and roles; search and filters live in the address, so Back,
//! reload and a shared link show the same list.

use super::by_id_param;
use super::loaded;
use crate::api::users::{list_users, load_user_detail, USERS_PER_PAGE};
use crate::api::{
    TrackRef, TrackRoles, UserDetail, UserListing, UserPage, UserQuery, UserScope, UserState,
};
use crate::components::{ErrorNotice, LicenseMeter, Loading};
use crate::domain::text::encode_query_value;
use crate::domain::text::thousands;
use crate::domain::Role;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

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

/// The list's query as the address holds it (`?q=&state=&track=&role=&page=`).
pub(crate) fn query_from_address(scope: UserScope) -> Memo<UserQuery> {
    let query_map = use_query_map();
    Memo::new(move |_| {
        query_map.with(|q| UserQuery {
            scope: scope.clone(),
            search: q.get("q").unwrap_or_default(),
            state: UserState::from_key(&q.get("state").unwrap_or_default()),
            track: q.get("track").filter(|t| !t.is_empty()),
            role: q.get("role").and_then(|r| Role::parse(&r)),
            // The address counts pages from 1.
            page: q
                .get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .saturating_sub(1),
        })
    })
}

/// "1–50 of 1,234 users", or what to do when nothing matches.
pub(crate) fn list_summary(page: &UserPage) -> String {
    let first = u64::from(page.page) * u64::from(USERS_PER_PAGE);
    match page.total {
        0 => "No users match: change the search or the filters.".to_owned(),
        1 => "1 user".to_owned(),
        total => format!(
            "{}–{} of {} users",
            thousands(first + 1),
            thousands(first + page.users.len() as u64),
            thousands(total)
        ),
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

/// The links to the pages before and after this one.
#[component]
pub(crate) fn Pager(
    #[prop(into)] base: String,
    query: UserQuery,
    page: u32,
    pages: u32,
) -> impl IntoView {
    let link = move |n: u32| page_link(&base, &query, n);
    view! {
        <nav class="pager" aria-label="Pages">
            {(page > 0).then(|| view! { <a href=link(page) rel="prev">"← Previous"</a> })}
            <span>{format!("Page {} of {}", thousands(page + 1), thousands(pages))}</span>
            {(page + 1 < pages).then(|| view! { <a href=link(page + 2) rel="next">"Next →"</a> })}
        </nav>
    }
}

/// Which filters a list offers beside its search box.
#[derive(Clone, Copy)]
pub(crate) struct Filters {
    pub state: bool,
    pub track: bool,
    pub role: bool,
}

/// Applies a filter as soon as it is changed, as if its form's button
/// were pressed. (A handler in the wasm, not an `onchange` attribute: the
/// Content-Security-Policy runs no inline script.)
fn submit_own_form(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|select| select.form())
        {
            // Without a submitter, requesting a submit cannot fail.
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// The search box and filters: a GET form, so the query lands in the
/// address. The filters apply as soon as they change.
#[component]
pub(crate) fn SearchForm(
    /// Where the form sends the query, e.g. `/users`.
    #[prop(into)]
    action: String,
    query: UserQuery,
    tracks: Vec<TrackRef>,
    filters: Filters,
) -> impl IntoView {
    let track = query.track.clone().unwrap_or_default();
    let state_filter = filters.state.then(|| {
        view! {
            <div class="field">
                <label for="user-state">"Show"</label>
                <select id="user-state" name="state" on:change=submit_own_form>
                    {UserState::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.key() selected=s == query.state>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    });
    let track_filter = filters.track.then(|| {
        view! {
            <div class="field">
                <label for="user-track">"Track"</label>
                <select id="user-track" name="track" on:change=submit_own_form>
                    <option value="" selected=track.is_empty()>
                        "All tracks"
                    </option>
                    {tracks
                        .into_iter()
                        .map(|t| {
                            let selected = t.slug == track;
                            view! {
                                <option value=t.slug selected=selected>
                                    {t.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    });
    let role_filter = filters.role.then(|| {
        view! {
            <div class="field">
                <label for="user-role">"Role"</label>
                <select id="user-role" name="role" on:change=submit_own_form>
                    <option value="" selected=query.role.is_none()>
                        "Any role"
                    </option>
                    {Role::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <option value=r.label() selected=query.role == Some(r)>
                                    {r.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <Form method="GET" action=action attr:class="card search-form" attr:role="search">
            <div class="field">
                <label for="user-search">"Search by name or email"</label>
                <input id="user-search" type="search" name="q" value=query.search.clone()/>
            </div>
            {state_filter}
            {track_filter}
            {role_filter}
            <button type="submit">"Search"</button>
        </Form>
    }
}

/// The list's address for page `n` (counted from 1) of the same query.
fn page_link(base: &str, query: &UserQuery, n: u32) -> String {
    let mut parts = vec![format!("page={n}")];
    if !query.search.is_empty() {
        parts.push(format!("q={}", encode_query_value(&query.search)));
    }
    if query.state != UserState::All {
        parts.push(format!("state={}", query.state.key()));
    }
    if let Some(track) = &query.track {
        parts.push(format!("track={}", encode_query_value(track)));
    }
    if let Some(role) = query.role {
        parts.push(format!("role={}", role.label()));
    }
    format!("{base}?{}", parts.join("&"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_search_and_filters() {
        let query = UserQuery {
            search: "ann lee&co".into(),
            state: UserState::Dormant,
            track: Some("engineering".into()),
            ..Default::default()
        };
        assert_eq!(
            page_link("/users", &query, 3),
            "/users?page=3&q=ann%20lee%26co&state=dormant&track=engineering"
        );
        assert_eq!(
            page_link("/users", &UserQuery::default(), 2),
            "/users?page=2"
        );
        let query = UserQuery {
            role: Some(Role::Mentee),
            ..Default::default()
        };
        assert_eq!(
            page_link("/tracks/x/members", &query, 2),
            "/tracks/x/members?page=2&role=Mentee"
        );
    }
}
