//! The overview an admin lands on after signing in.

use super::loaded;
use crate::api::overview::instance_overview;
use crate::api::InstanceSummary;
use crate::components::LicenseMeter;
use crate::domain::text::thousands;
use crate::domain::ProfileField;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| instance_overview());
    view! {
        <Title text="Overview"/>
        <h1>"Overview"</h1>
        {loaded(overview, |overview| view! { <Overview overview/> })}
    }
}

#[component]
fn Overview(overview: InstanceSummary) -> impl IntoView {
    let InstanceSummary {
        instance_name,
        license,
        dormant_users,
        upload_row_limit,
        tracks,
        profile_fields,
    } = overview;
    view! {
        <section class="card" aria-labelledby="licences">
            <h2 id="licences">{instance_name}</h2>
            <LicenseMeter license/>
            {dormant_users
                .map(|n| {
                    view! {
                        <p class="muted">
                            <a href="/users?state=dormant">{format!("{} dormant users", thousands(n))}</a>
                            " in the global pool (not counted against licences)."
                        </p>
                    }
                })}
            <p class="muted">{format!("A CSV upload may hold up to {} rows.", thousands(upload_row_limit))}</p>
        </section>
        <h2>"Program tracks"</h2>
        <div class="card-grid">
            {tracks
                .into_iter()
                .map(|stats| {
                    let base = format!("/tracks/{}", stats.track.slug);
                    view! {
                        <section class="card">
                            <h3>{stats.track.name}</h3>
                            <p class="muted">{format!("{} members", thousands(stats.members))}</p>
                            <p>
                                <a href=format!("{base}/add-users")>"Add users"</a>
                                " · "
                                <a href=format!("{base}/members")>"Members"</a>
                            </p>
                        </section>
                    }
                })
                .collect_view()}
        </div>
        <h2>"Profile fields"</h2>
        <ProfileFieldsTable fields=profile_fields/>
    }
}

/// The instance's profile fields, built-in ones first, with allowed answers.
#[component]
pub fn ProfileFieldsTable(fields: Vec<ProfileField>) -> impl IntoView {
    view! {
        <div class="card table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Allowed answers"</th>
                    </tr>
                </thead>
                <tbody>
                    {["First Name", "Last Name", "Email"]
                        .into_iter()
                        .map(|title| {
                            view! {
                                <tr>
                                    <td>{title} " " <span class="badge">"required"</span></td>
                                    <td>"Text"</td>
                                    <td class="muted">"Any"</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                    {fields
                        .into_iter()
                        .map(|f| {
                            let answers = if f.options.is_empty() { "Any".to_owned() } else { f.options.join(" · ") };
                            view! {
                                <tr>
                                    <td>
                                        {f.title}
                                        {f.required.then(|| view! { " " <span class="badge">"required"</span> })}
                                    </td>
                                    <td>{f.kind.label()}</td>
                                    <td>{answers}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
