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

pub(crate) type TrackResource = Resource<Result<TrackSummary, AppError>>;

/// Loads the track once for all its pages; they read it from context (and
/// say themselves when it is not there or not theirs). The pages render
/// outside this Suspense so that their own resources are created in the
/// same order on the server and in the browser, which hydration relies on.
#[component]
pub fn TrackLayout() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let overview: TrackResource = Resource::new(slug, track_overview);
    provide_context(overview);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                overview.await.ok().map(|t| view! { <p class="eyebrow">{t.track.name}</p> })
            })}
        </Suspense>
        <Outlet/>
    }
}

pub(crate) fn track() -> TrackResource {
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
                            <a class="button" href=format!("/tracks/{}/import", t.track.slug)>
                                "Upload a CSV file"
                            </a>
                        </section>
                        <section class="card">
                            <h2>"Add users manually"</h2>
                            <p>"Add one person at a time: email and roles, then their profile."</p>
                            <a class="button secondary" href=format!("/tracks/{}/add-person", t.track.slug)>
                                "Add a person"
                            </a>
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
                                        <a class="button secondary" href=format!("/tracks/{}/add-from-pool", t.track.slug)>
                                            "Choose people"
                                        </a>
                                    </section>
                                }
                            })}
                        {t
                            .single_track
                            .then(|| {
                                view! {
                                    <section class="card">
                                        <h2>"Add users from CSV in Dormant State"</h2>
                                        <p>
                                            "Add people to the platform without adding them to the track: no emails, no licence used. Their profiles are ready for when they join."
                                        </p>
                                        <a class="button secondary" href=format!("/tracks/{}/dormant-import", t.track.slug)>
                                            "Upload a CSV file"
                                        </a>
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
