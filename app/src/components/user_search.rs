//! Searching and paging a list of users (the Users page, a track's
//! members, the global pool): the query lives in the address, so Back,
//! reload and a shared link show the same list.

use crate::api::users::USERS_PER_PAGE;
use crate::api::{TrackRef, UserPage, UserQuery, UserScope, UserState};
use crate::domain::text::encode_query_value;
use crate::domain::text::thousands;
use crate::domain::Role;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The list's query as the address holds it (`?q=&state=&track=&role=&page=`).
pub fn query_from_address(scope: UserScope) -> Memo<UserQuery> {
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
pub fn list_summary(page: &UserPage) -> String {
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

/// The links to the pages before and after this one.
#[component]
pub fn Pager(#[prop(into)] base: String, query: UserQuery, page: u32, pages: u32) -> impl IntoView {
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
pub struct Filters {
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
///
/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
pub fn SearchForm(
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
