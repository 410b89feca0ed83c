//! Add users manually (docs/adding.md): email and roles, then the profile, then
//! Publish and finish or Publish and add another. The form is checked with
//! the same rules as a CSV row, in the browser and again on the server.

mod profile_step;

use super::loaded;
use super::track_slug;
use crate::api::adds::{find_person, AddedPerson, FoundPerson};
use crate::api::imports::load_import_context;
use crate::api::ImportContext;
use crate::components::{ErrorNotice, RoleBoxes};
use crate::domain::csv_upload::{CellError, RowOutcome};
use crate::domain::{Email, PersonForm, ProfileField, Roles};
use crate::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use profile_step::ProfileStep;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    EmailAndRoles,
    Profile,
}

/// The page's state; `Copy`, so each handler takes its own.
#[derive(Clone, Copy)]
struct AddState {
    slug: StoredValue<String>,
    fields: StoredValue<Vec<ProfileField>>,
    step: RwSignal<Step>,
    email: RwSignal<String>,
    roles: RwSignal<Roles>,
    existing: RwSignal<Option<FoundPerson>>,
    form: RwSignal<PersonForm>,
    /// Shown once the admin tried to go on (not while first typing).
    show_errors: RwSignal<bool>,
    server_errors: RwSignal<Vec<CellError>>,
    failure: RwSignal<Option<AppError>>,
    busy: RwSignal<bool>,
    last_added: RwSignal<Option<AddedPerson>>,
}

#[component]
pub fn TrackAddPersonPage() -> impl IntoView {
    let slug = track_slug();
    let context = Resource::new(
        move || slug.clone(),
        |s| load_import_context(Some(s), false),
    );
    view! {
        <Title text="Add a person"/>
        <h1>"Add a person"</h1>
        {loaded(context, |context| view! { <AddPersonForm context/> })}
    }
}

#[component]
fn AddPersonForm(context: ImportContext) -> impl IntoView {
    let state = AddState {
        slug: StoredValue::new(context.track.map(|t| t.slug).unwrap_or_default()),
        fields: StoredValue::new(context.fields),
        step: RwSignal::new(Step::EmailAndRoles),
        email: RwSignal::new(String::new()),
        roles: RwSignal::new(Roles::empty()),
        existing: RwSignal::new(None),
        form: RwSignal::new(PersonForm::default()),
        show_errors: RwSignal::new(false),
        server_errors: RwSignal::new(Vec::new()),
        failure: RwSignal::new(None),
        busy: RwSignal::new(false),
        last_added: RwSignal::new(None),
    };
    view! {
        {move || {
            state
                .last_added
                .get()
                .map(|p| view! { <p class="alert ok" role="status" id="added-confirmation">{confirmation(&p)}</p> })
        }}
        {move || state.failure.get().map(|error| view! { <ErrorNotice error/> })}
        {move || match state.step.get() {
            Step::EmailAndRoles => Either::Left(view! { <EmailStep state/> }),
            Step::Profile => Either::Right(view! { <ProfileStep state/> }),
        }}
    }
}

fn confirmation(p: &AddedPerson) -> String {
    let what = match p.outcome {
        RowOutcome::Created => "was added to the platform and the track",
        RowOutcome::Added => "joined the track",
        RowOutcome::RolesAdded => "gained the roles",
        _ => "was already in the track with these roles; the profile was updated",
    };
    let mailed = if p.emailed {
        " A welcome email is queued."
    } else {
        ""
    };
    format!("{} ({}) {what}.{mailed}", p.name, p.email)
}

#[component]
fn EmailStep(state: AddState) -> impl IntoView {
    let email_error = move || {
        if !state.show_errors.get() {
            return None;
        }
        Email::parse(&state.email.get())
            .err()
            .map(|e| e.to_string())
    };
    let roles_error = move || {
        (state.show_errors.get() && state.roles.get().is_empty())
            .then_some("Choose at least one role.")
    };
    let go_on = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.show_errors.set(true);
        let email = state.email.get_untracked();
        if Email::parse(&email).is_err() || state.roles.get_untracked().is_empty() {
            return;
        }
        state.busy.set(true);
        state.failure.set(None);
        let slug = state.slug.get_value();
        spawn_local(async move {
            match find_person(slug, email.clone()).await {
                Ok(found) => {
                    let form = match &found {
                        Some(FoundPerson::Known(person)) => person.form.clone(),
                        Some(FoundPerson::InPlatform) | None => PersonForm {
                            email: email.trim().to_owned(),
                            ..Default::default()
                        },
                    };
                    state.form.set(form);
                    state.existing.set(found);
                    state.server_errors.set(Vec::new());
                    state.show_errors.set(false);
                    state.step.set(Step::Profile);
                }
                Err(error) => state.failure.set(Some(error)),
            }
            state.busy.set(false);
        });
    };
    view! {
        <form class="card" id="email-step" on:submit=go_on novalidate>
            <h2>"1. Email and roles"</h2>
            <div class="field">
                <label for="person-email">"Email"</label>
                <input
                    id="person-email"
                    type="email"
                    autocomplete="off"
                    prop:value=move || state.email.get()
                    on:input=move |ev| state.email.set(event_target_value(&ev))
                    aria-invalid=move || email_error().is_some().then_some("true")
                />
                {move || email_error().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            <fieldset class="roles">
                <legend>"Roles in this track"</legend>
                <RoleBoxes roles=state.roles/>
                {move || roles_error().map(|e| view! { <p class="field-error">{e}</p> })}
            </fieldset>
            <div class="actions">
                <button type="submit" disabled=move || state.busy.get()>"Continue"</button>
            </div>
        </form>
    }
}

/// What the platform already knows of this email, above the form.
fn known_notice(found: &FoundPerson, roles: Roles) -> String {
    let person = match found {
        FoundPerson::Known(person) => person,
        FoundPerson::InPlatform => {
            return format!(
                "This email is already in the platform: publishing adds this person to this track as {roles}, with the name and answers you enter."
            )
        }
    };
    let name = format!("{} {}", person.form.first_name, person.form.last_name);
    if let Some(here) = person.roles_here {
        return format!(
            "{name} is already a member of this track as {here}: publishing adds {roles} and updates the profile."
        );
    }
    if person.memberships.is_empty() {
        return format!(
            "{name} is already in the platform as a dormant user: publishing adds them to this track as {roles}."
        );
    }
    let tracks: Vec<String> = person
        .memberships
        .iter()
        .map(|m| format!("{} ({})", m.track.name, m.roles))
        .collect();
    format!(
        "{name} is already in the platform, in {}: publishing adds them to this track as {roles}.",
        tracks.join(", ")
    )
}
