//! Add users manually (SPEC §7): email and roles, then the profile, then
//! Publish and finish or Publish and add another. The form is checked with
//! the same rules as a CSV row, in the browser and again on the server.

use super::loaded;
use super::track_slug;
use crate::api::adds::{add_person, find_person, AddPersonResult, AddedPerson, FoundPerson};
use crate::api::imports::load_import_context;
use crate::api::ImportContext;
use crate::components::{ErrorNotice, RoleBoxes};
use crate::domain::csv_upload::{CellError, RowOutcome};
use crate::domain::{Email, FieldKind, PersonForm, ProfileField, Roles};
use crate::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

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

#[component]
fn ProfileStep(state: AddState) -> impl IntoView {
    let navigate = use_navigate();
    let check = Memo::new(move |_| {
        let roles = state.roles.get();
        state
            .fields
            .with_value(|fields| state.form.with(|form| form.check(fields, roles)))
    });
    // The server's verdict on a field first (it may know more), else the
    // browser's, once the admin tried to publish.
    let error_for = move |column: String| {
        Signal::derive(move || {
            if !state.show_errors.get() {
                return None;
            }
            let server = state.server_errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.column == column)
                    .map(|e| e.message.clone())
            });
            server.or_else(|| {
                check.with(|c| {
                    c.errors
                        .iter()
                        .find(|e| e.column == column)
                        .map(|e| e.message.clone())
                })
            })
        })
    };
    let publish = move |and_another: bool| {
        let navigate = navigate.clone();
        move |_| {
            state.show_errors.set(true);
            state.server_errors.set(Vec::new());
            if check.with(|c| !c.errors.is_empty()) {
                return;
            }
            state.busy.set(true);
            state.failure.set(None);
            let (slug, roles, form) = (
                state.slug.get_value(),
                state.roles.get_untracked(),
                state.form.get_untracked(),
            );
            let navigate = navigate.clone();
            spawn_local(async move {
                match add_person(slug.clone(), roles, form).await {
                    Ok(AddPersonResult::Added(person)) if and_another => {
                        state.last_added.set(Some(person));
                        state.email.set(String::new());
                        state.roles.set(Roles::empty());
                        state.existing.set(None);
                        state.form.set(PersonForm::default());
                        state.show_errors.set(false);
                        state.step.set(Step::EmailAndRoles);
                    }
                    Ok(AddPersonResult::Added(_)) => {
                        navigate(&format!("/tracks/{slug}/members"), Default::default())
                    }
                    Ok(AddPersonResult::Refused(errors)) => state.server_errors.set(errors),
                    Err(error) => state.failure.set(Some(error)),
                }
                state.busy.set(false);
            });
        }
    };
    let text_input = move |label: &'static str,
                           id: &'static str,
                           get: fn(&PersonForm) -> String,
                           set: fn(&mut PersonForm, String)| {
        let error = error_for(label.to_owned());
        view! {
            <div class="field">
                <label for=id>{label} " " <span class="badge">"required"</span></label>
                <input
                    id=id
                    type="text"
                    prop:value=move || state.form.with(get)
                    on:input=move |ev| state.form.update(|f| set(f, event_target_value(&ev)))
                    aria-invalid=move || error.get().is_some().then_some("true")
                />
                {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
        }
    };
    let fields = state.fields.get_value();
    view! {
        <section class="card" id="profile-step">
            <h2>"2. Profile"</h2>
            <p>
                <strong>{move || state.form.with(|f| f.email.clone())}</strong>
                " · "
                {move || state.roles.get().to_string()}
                " "
                <button type="button" class="link" on:click=move |_| state.step.set(Step::EmailAndRoles)>
                    "Change"
                </button>
            </p>
            {move || {
                state
                    .existing
                    .get()
                    .map(|p| {
                        view! { <p class="alert warn" id="known-person">{known_notice(&p, state.roles.get())}</p> }
                    })
            }}
            {text_input("First Name", "first-name", |f| f.first_name.clone(), |f, v| f.first_name = v)}
            {text_input("Last Name", "last-name", |f| f.last_name.clone(), |f, v| f.last_name = v)}
            {move || {
                error_for("Email".to_owned()).get().map(|e| view! { <p class="field-error">{e}</p> })
            }}
            {fields
                .into_iter()
                .map(|field| {
                    let error = error_for(field.title.clone());
                    view! { <FieldInput state field error/> }
                })
                .collect_view()}
        </section>
        <div class="actions sticky-actions">
            <button type="button" disabled=move || state.busy.get() on:click=publish(false)>
                "Publish and finish"
            </button>
            <button type="button" class="secondary" disabled=move || state.busy.get() on:click=publish(true)>
                "Publish and add another"
            </button>
        </div>
    }
}

/// One profile field with the control its kind calls for.
#[component]
fn FieldInput(
    state: AddState,
    field: ProfileField,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("field-{}", field.key);
    let key = StoredValue::new(field.key.clone());
    let value = move || {
        state
            .form
            .with(|f| key.with_value(|k| f.answer(k).to_owned()))
    };
    let set = move |v: String| {
        state
            .form
            .update(|f| key.with_value(|k| f.set_answer(k, v)))
    };
    let label = view! {
        <span class="label">
            {field.title.clone()}
            {field.required.then(|| view! { " " <span class="badge">"required"</span> })}
        </span>
    };
    let options = field.options.clone();
    let control = match field.kind {
        FieldKind::Text => view! {
            <input id=id.clone() type="text" prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        FieldKind::Paragraph => view! {
            <textarea id=id.clone() rows="3" prop:value=value on:input=move |ev| set(event_target_value(&ev))></textarea>
        }
        .into_any(),
        FieldKind::Date => view! {
            <input id=id.clone() type="date" prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        FieldKind::Number => view! {
            <input id=id.clone() type="number" step="any" prop:value=value on:input=move |ev| set(event_target_value(&ev))/>
        }
        .into_any(),
        FieldKind::PickOne => view! {
            <select id=id.clone() on:change=move |ev| set(event_target_value(&ev))>
                <option value="" selected=move || value().is_empty()>"— none —"</option>
                {options
                    .into_iter()
                    .map(|o| {
                        let current = o.clone();
                        view! {
                            <option value=o.clone() selected=move || value() == current prop:selected=move || value() == o>
                                {o.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::PickMultiple => view! { <Choices options value=Signal::derive(value) set ordered=false/> }.into_any(),
        FieldKind::OrderedOptions => view! { <Choices options value=Signal::derive(value) set ordered=true/> }.into_any(),
    };
    let grouped = field.kind.is_multi();
    view! {
        <div class="field" role=grouped.then_some("group") aria-labelledby=grouped.then(|| format!("{id}-label"))>
            {if grouped {
                Either::Left(view! { <span id=format!("{id}-label")>{label}</span> })
            } else {
                Either::Right(view! { <label for=id.clone()>{label}</label> })
            }}
            {control}
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}

/// Several options: a checkbox each; for ordered options, the chosen ones
/// in order with buttons to move them.
#[component]
fn Choices(
    options: Vec<String>,
    value: Signal<String>,
    set: impl Fn(String) + Copy + Send + Sync + 'static,
    ordered: bool,
) -> impl IntoView {
    let chosen = move || -> Vec<String> {
        value
            .get()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let save = move |list: Vec<String>| set(list.join(", "));
    let toggle = move |option: String, on: bool| {
        let mut list = chosen();
        list.retain(|o| *o != option);
        if on {
            list.push(option);
        }
        save(list);
    };
    let shift = move |index: usize, up: bool| {
        let mut list = chosen();
        let other = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1)
        };
        if let Some(other) = other.filter(|o| *o < list.len()) {
            list.swap(index, other);
            save(list);
        }
    };
    view! {
        <div class="choice-boxes">
            {options
                .into_iter()
                .map(|o| {
                    let name = o.clone();
                    let label = o.clone();
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=move || chosen().contains(&name)
                                on:change=move |ev| toggle(o.clone(), event_target_checked(&ev))
                            />
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </div>
        {ordered
            .then(|| {
                view! {
                    <ol class="ordered-choices" aria-label="Order of preference">
                        {move || {
                            let list = chosen();
                            let last = list.len().saturating_sub(1);
                            list.into_iter()
                                .enumerate()
                                .map(|(i, o)| {
                                    view! {
                                        <li>
                                            <span class="rank">{format!("{}.", i + 1)}</span>
                                            <span class="choice-name">{o.clone()}</span>
                                            <button
                                                type="button"
                                                class="secondary small"
                                                disabled=i == 0
                                                aria-label=format!("Move {o} up")
                                                on:click=move |_| shift(i, true)
                                            >
                                                "↑"
                                            </button>
                                            <button
                                                type="button"
                                                class="secondary small"
                                                disabled=i == last
                                                aria-label=format!("Move {o} down")
                                                on:click=move |_| shift(i, false)
                                            >
                                                "↓"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                }
            })}
    }
}
