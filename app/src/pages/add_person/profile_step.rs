//! The second step of adding a person: their profile, one control per
//! field as its kind calls for, checked as the admin types.

use super::{known_notice, AddState, Step};
use crate::api::adds::{add_person, AddPersonResult};
use crate::domain::{FieldKind, PersonForm, ProfileField, Roles};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
pub(super) fn ProfileStep(state: AddState) -> impl IntoView {
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
///
/// Long because most of it is the view's markup, which reads best in one piece.
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
