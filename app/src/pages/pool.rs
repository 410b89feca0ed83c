//! Add users from the global level (docs/adding.md): the instance's users,
//! searched, filtered and paged on the server; a selection that survives
//! all of that; Actions → Add to program with the roles chosen last.

use super::track_slug;
use crate::api::adds::{add_from_pool, pool_matching_ids, PoolAddSummary, POOL_ADD_LIMIT};
use crate::api::users::list_users;
use crate::api::{UserListing, UserPage, UserQuery, UserScope};
use crate::components::user_search::{
    list_summary, query_from_address, Filters, Pager, SearchForm,
};
use crate::components::{ErrorNotice, Loading, RoleBoxes};
use crate::domain::text::thousands;
use crate::domain::Roles;
use crate::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use std::collections::BTreeMap;

/// Who is selected: id → name (empty for people selected through "select
/// all matching" whose row was never shown).
type Selection = RwSignal<BTreeMap<i64, String>>;

#[component]
pub fn TrackPoolPage() -> impl IntoView {
    let slug = track_slug();
    let base = format!("/tracks/{slug}/add-from-pool");
    let query = query_from_address(UserScope::Pool(slug.clone()));
    let users = Resource::new(move || query.get(), list_users);
    let selected: Selection = RwSignal::new(BTreeMap::new());
    let summary = RwSignal::new(None::<PoolAddSummary>);
    let slug = StoredValue::new(slug);
    view! {
        <Title text="Add users from the global level"/>
        <h1>"Add users from the global level"</h1>
        {move || summary.get().map(|s| view! { <AddSummary summary=s slug=slug.get_value()/> })}
        <Transition fallback=Loading>
            {move || {
                let base = base.clone();
                Suspend::new(async move {
                    match users.await {
                        Ok(page) => {
                            let query = query.get_untracked();
                            let (current, pages, total) = (page.page, page.pages(), page.total);
                            let shown: BTreeMap<i64, String> =
                                page.users.iter().map(|u| (u.id, u.full_name())).collect();
                            Either::Left(view! {
                                <SearchForm
                                    action=base.clone()
                                    query=query.clone()
                                    tracks=page.tracks.clone()
                                    filters=Filters { state: true, track: true, role: true }
                                />
                                <p id="user-count" role="status">{list_summary(&page)}</p>
                                <SelectAllMatching query=query.clone() total shown selected/>
                                <ul class="pool-list" aria-label="Users">
                                    {page
                                        .users
                                        .into_iter()
                                        .map(|user| view! { <PoolRow user selected slug=slug.get_value()/> })
                                        .collect_view()}
                                </ul>
                                <Pager base query page=current pages/>
                            })
                        }
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })
            }}
        </Transition>
        <ActionBar selected slug summary users/>
    }
}

#[component]
fn PoolRow(user: UserListing, selected: Selection, slug: String) -> impl IntoView {
    let id = user.id;
    let name = user.full_name();
    let here = user.memberships.iter().any(|m| m.track.slug == slug);
    let tracks: Vec<String> = user
        .memberships
        .iter()
        .map(|m| format!("{} ({})", m.track.name, m.roles))
        .collect();
    let detail = if tracks.is_empty() {
        "Dormant".to_owned()
    } else {
        tracks.join(", ")
    };
    let toggle = {
        let name = name.clone();
        move |ev| {
            let on = event_target_checked(&ev);
            selected.update(|s| {
                if on {
                    s.insert(id, name.clone());
                } else {
                    s.remove(&id);
                }
            });
        }
    };
    // Someone picked through "select all" gets their name once their row shows.
    selected.update_untracked(|s| {
        if let Some(known) = s.get_mut(&id).filter(|n| n.is_empty()) {
            *known = name.clone();
        }
    });
    view! {
        <li class="pool-row" class:member=here data-email=user.email.clone()>
            <label class="check big">
                <input
                    type="checkbox"
                    disabled=here
                    prop:checked=move || selected.with(|s| s.contains_key(&id))
                    on:change=toggle
                />
                <span>
                    <strong>{name}</strong>
                    <span class="muted">" " {user.email.clone()}</span>
                </span>
            </label>
            <span class="pool-detail">
                {here.then(|| view! { <span class="badge">"In this track"</span> " " })}
                {detail}
            </span>
        </li>
    }
}

/// "Select all N matching": the server answers with the ids (never the
/// rows) of everyone the query matches who is not in the track yet.
#[component]
fn SelectAllMatching(
    query: UserQuery,
    total: u64,
    /// The names on the page shown, for the tray.
    shown: BTreeMap<i64, String>,
    selected: Selection,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<AppError>);
    let query = StoredValue::new(query);
    let shown = StoredValue::new(shown);
    let select_all = move |_| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match pool_matching_ids(query.get_value()).await {
                Ok(ids) => selected.update(|s| {
                    shown.with_value(|shown| {
                        for id in ids {
                            s.entry(id)
                                .or_insert_with(|| shown.get(&id).cloned().unwrap_or_default());
                        }
                    })
                }),
                Err(error) => failure.set(Some(error)),
            }
            busy.set(false);
        });
    };
    (total > 1).then(|| {
        view! {
            <p>
                <button type="button" class="secondary" disabled=move || busy.get() on:click=select_all>
                    {format!("Select all {} matching", thousands(total))}
                </button>
                <span class="hint">" Members of this track are left out."</span>
            </p>
            {move || failure.get().map(|error| view! { <ErrorNotice error/> })}
        }
    })
}

/// The selection's count, the tray to review it, and the action, in a bar
/// that stays at the bottom of the screen.
///
/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn ActionBar(
    selected: Selection,
    slug: StoredValue<String>,
    summary: RwSignal<Option<PoolAddSummary>>,
    users: Resource<Result<UserPage, AppError>>,
) -> impl IntoView {
    let tray_open = RwSignal::new(false);
    let choosing_roles = RwSignal::new(false);
    let roles = RwSignal::new(Roles::empty());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<AppError>);
    let count = move || selected.with(BTreeMap::len);
    let submit = move |_| {
        let ids: Vec<i64> = selected.with_untracked(|s| s.keys().copied().collect());
        let chosen = roles.get_untracked();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match add_from_pool(slug.get_value(), ids, chosen).await {
                Ok(done) => {
                    summary.set(Some(done));
                    selected.set(BTreeMap::new());
                    choosing_roles.set(false);
                    tray_open.set(false);
                    roles.set(Roles::empty());
                    users.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="action-bar" role="region" aria-label="Selection">
            {move || failure.get().map(|error| view! { <ErrorNotice error/> })}
            <Show when=move || tray_open.get()>
                <div class="tray" id="selection-tray">
                    <h2>"Selected"</h2>
                    <ul>
                        {move || {
                            selected
                                .get()
                                .into_iter()
                                .filter(|(_, name)| !name.is_empty())
                                .map(|(id, shown)| {
                                    view! {
                                        <li>
                                            <span>{shown.clone()}</span>
                                            <button
                                                type="button"
                                                class="secondary small"
                                                aria-label=format!("Remove {shown}")
                                                on:click=move |_| selected.update(|s| {
                                                    s.remove(&id);
                                                })
                                            >
                                                "Remove"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ul>
                    {move || {
                        let unseen = selected.with(|s| s.values().filter(|n| n.is_empty()).count());
                        (unseen > 0)
                            .then(|| {
                                view! {
                                    <p>{format!("…and {} more picked with “Select all matching”.", thousands(unseen))}</p>
                                }
                            })
                    }}
                    <button type="button" class="secondary" on:click=move |_| selected.set(BTreeMap::new())>
                        "Clear the selection"
                    </button>
                </div>
            </Show>
            <Show when=move || choosing_roles.get()>
                <fieldset class="tray" id="pool-roles">
                    <legend>"Add to program as"</legend>
                    <RoleBoxes roles/>
                    <button
                        type="button"
                        disabled=move || busy.get() || roles.get().is_empty() || count() == 0
                        on:click=submit
                    >
                        {move || match count() {
                            1 => "Add 1 person".to_owned(),
                            n => format!("Add {} people", thousands(n)),
                        }}
                    </button>
                </fieldset>
            </Show>
            <div class="bar">
                <span id="selected-count" aria-live="polite">{move || format!("{} selected", thousands(count()))}</span>
                <button
                    type="button"
                    class="secondary"
                    aria-expanded=move || tray_open.get().to_string()
                    on:click=move |_| tray_open.update(|o| *o = !*o)
                >
                    "Review"
                </button>
                <button
                    type="button"
                    disabled=move || count() == 0
                    aria-expanded=move || choosing_roles.get().to_string()
                    on:click=move |_| choosing_roles.update(|o| *o = !*o)
                >
                    "Actions: Add to program"
                </button>
                <span class="hint">{format!("Up to {} at once.", thousands(POOL_ADD_LIMIT))}</span>
            </div>
        </div>
    }
}

#[component]
fn AddSummary(summary: PoolAddSummary, slug: String) -> impl IntoView {
    let PoolAddSummary {
        added,
        already,
        emails_queued,
    } = summary;
    view! {
        <section class="card alert ok" id="pool-summary" role="status">
            <p>
                {match added.len() {
                    0 => "Nobody new was added.".to_owned(),
                    1 => format!("Added 1 person: {}.", added.join(", ")),
                    n => format!("Added {} people: {}.", thousands(n), added.join(", ")),
                }}
            </p>
            {(!already.is_empty())
                .then(|| view! { <p>{format!("Already in the track (left as they were): {}.", already.join(", "))}</p> })}
            <p>{format!("{} welcome emails queued.", thousands(emails_queued))}</p>
            <a href=format!("/tracks/{slug}/members")>"See the members"</a>
        </section>
    }
}
