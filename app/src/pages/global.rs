//! Pages of the global level: global admins only.

use super::home::ProfileFieldsTable;
use super::loaded;
use crate::api::overview::global_overview;
use crate::components::LicenseMeter;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GlobalUsersPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| global_overview());
    view! {
        <Title text="Users"/>
        <h1>"Users"</h1>
        {loaded(
            overview,
            |o| {
                view! {
                    <section class="card">
                        <LicenseMeter license=o.license.clone()/>
                        <p class="muted">
                            {format!(
                                "{} active users, {} dormant users.",
                                o.license.active_users,
                                o.dormant_users.unwrap_or(0),
                            )}
                        </p>
                    </section>
                    <section class="card">
                        <h2>"The global user repository"</h2>
                        <p>
                            "Everyone in the instance will be listed here with their state (dormant, or active in which tracks), with search by name or email and filters."
                        </p>
                        <p class="muted">"Coming next: this list is part of the global user repository work."</p>
                    </section>
                }
            },
        )}
    }
}

#[component]
pub fn GlobalImportPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| global_overview());
    view! {
        <Title text="Add users from CSV"/>
        <h1>"Add users from CSV"</h1>
        {loaded(
            overview,
            |o| {
                view! {
                    <section class="card">
                        <p>
                            "Users added here are " <strong>"dormant"</strong>
                            ": they join the global user repository, are never emailed and do not count against licences until they are added to a track."
                        </p>
                        <p class="muted">
                            {format!(
                                "The file needs First Name, Last Name and Email columns and may hold up to {} rows.",
                                o.upload_row_limit,
                            )}
                        </p>
                        <p class="muted">"Coming next: the upload wizard."</p>
                    </section>
                    <h2>"Columns your file can fill"</h2>
                    <ProfileFieldsTable fields=o.profile_fields/>
                }
            },
        )}
    }
}
