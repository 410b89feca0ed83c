//! A program track's pages, under its own header.

use super::loaded;
use crate::api::overview::track_overview;
use crate::api::TrackSummary;
use crate::components::LicenseMeter;
use crate::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_params_map;

type TrackResource = Resource<Result<TrackSummary, AppError>>;

/// Loads the track once for all its pages; they read it from context.
#[component]
pub fn TrackLayout() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let overview: TrackResource = Resource::new(slug, track_overview);
    provide_context(overview);
    loaded(overview, |t| {
        view! {
            <p class="eyebrow">{t.track.name}</p>
            <Outlet/>
        }
    })
}

fn track() -> TrackResource {
    expect_context::<TrackResource>()
}

#[component]
pub fn TrackAddUsersPage() -> impl IntoView {
    view! {
        <Title text="Add users"/>
        <h1>"Add users"</h1>
        {loaded(
            track(),
            |t| {
                view! {
                    <div class="card-grid">
                        <section class="card">
                            <h2>"Add users from CSV"</h2>
                            <p>
                                "Upload a spreadsheet, map its columns to profile fields, check every row, then add everyone as active members with their roles."
                            </p>
                            <p class="muted">"Coming next: the import wizard."</p>
                        </section>
                        <section class="card">
                            <h2>"Add users manually"</h2>
                            <p>"Add one person at a time: email and roles, then their profile."</p>
                            <p class="muted">"Coming soon."</p>
                        </section>
                        {t
                            .pool_allowed
                            .then(|| {
                                view! {
                                    <section class="card">
                                        <h2>"Add users from the global level"</h2>
                                        <p>
                                            "Pick people already in the platform, dormant or in other tracks, and add them with the roles you choose."
                                        </p>
                                        <p class="muted">"Coming soon."</p>
                                    </section>
                                }
                            })}
                        {t
                            .single_track
                            .then(|| {
                                view! {
                                    <section class="card">
                                        <h2>"Add users from CSV in Dormant State"</h2>
                                        <p>"Add people to the global pool without emails or licences."</p>
                                        <p class="muted">"Coming soon."</p>
                                    </section>
                                }
                            })}
                    </div>
                    <section class="card">
                        <LicenseMeter license=t.license/>
                    </section>
                }
            },
        )}
    }
}

#[component]
pub fn TrackMembersPage() -> impl IntoView {
    view! {
        <Title text="Members"/>
        <h1>"Members"</h1>
        {loaded(
            track(),
            |t| {
                view! {
                    <section class="card">
                        <p>{format!("{} members in {}.", t.members, t.track.name)}</p>
                        <p class="muted">"Coming soon: the member list with roles, search and paging."</p>
                    </section>
                }
            },
        )}
    }
}

/// The four system emails of SPEC §8, in the words admins know them by.
const SYSTEM_EMAILS: [&str; 4] = [
    "Notification to new mentor added by administrator",
    "Notification to new mentee added by administrator",
    "Notification to new teacher or a user with multiple roles added",
    "Notification to new administrator added to the program",
];

#[component]
pub fn TrackEmailsPage() -> impl IntoView {
    view! {
        <Title text="System emails"/>
        <h1>"System emails"</h1>
        <section class="card">
            <p>"People added to this track are sent one of these emails, chosen by their roles:"</p>
            <ul>{SYSTEM_EMAILS.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
            <p class="muted">"Coming soon: editing, previewing and switching each one off."</p>
        </section>
    }
}

#[component]
pub fn TrackHistoryPage() -> impl IntoView {
    view! {
        <Title text="Import history"/>
        <h1>"Import history"</h1>
        <section class="card">
            <p>"Every CSV import and manual add to this track will be listed here, with its counts and error log."</p>
            <p class="muted">"Coming soon, with undo."</p>
        </section>
    }
}
