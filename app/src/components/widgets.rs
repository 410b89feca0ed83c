use crate::api::LicenseUse;
use crate::domain::text::thousands;
use crate::domain::{Role, Roles};
use crate::AppError;
use leptos::prelude::*;

/// An error as a person should see it: the sentence, and a way on.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let sign_in = matches!(error, AppError::NotSignedIn | AppError::SessionExpired);
    view! {
        <div class="alert error" role="alert">
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <a href="/login">"Sign in"</a> })}
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted" aria-live="polite">"Loading…"</p> }
}

/// Active users against the licence (docs/dormant-and-active.md: each active user counts once).
#[component]
pub fn LicenseMeter(license: LicenseUse) -> impl IntoView {
    let percent = (license.active_users * 100)
        .checked_div(license.limit)
        .map_or(100, |p| p.min(100));
    let label = format!(
        "{} of {} licences in use",
        thousands(license.active_users),
        thousands(license.limit)
    );
    view! {
        <div class="meter">
            <span id="license-label">{label.clone()}</span>
            <div
                class="bar"
                role="meter"
                aria-labelledby="license-label"
                aria-valuemin="0"
                aria-valuemax=license.limit.to_string()
                aria-valuenow=license.active_users.to_string()
            >
                <span style=format!("width: {percent}%")></span>
            </div>
        </div>
    }
}

/// A checkbox per role, editing `roles`; adding or removing one leaves the
/// others as they are.
#[component]
pub fn RoleBoxes(
    roles: RwSignal<Roles>,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="role-boxes">
            {Role::ALL
                .into_iter()
                .map(|role| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                disabled=move || disabled.get()
                                prop:checked=move || roles.get().contains(role)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    roles
                                        .update(|held| {
                                            *held = held
                                                .iter()
                                                .filter(|r| *r != role)
                                                .chain(on.then_some(role))
                                                .collect();
                                        });
                                }
                            />
                            {role.label()}
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}
