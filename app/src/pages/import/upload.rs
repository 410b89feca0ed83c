//! Step 1: choose the file and the roles (docs/importing.md, step 1; a dormant import
//! has no roles). The file is read and checked in the browser as soon as it
//! is chosen.

use super::template::TemplateHelp;
use super::{step_page, wizard};
use crate::api::ImportContext;
use crate::components::file_io::{read_dropped_file, read_input_file, PickedFile};
use crate::components::RoleBoxes;
use crate::domain::csv_upload::Delimiter;
use crate::domain::text::thousands;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn UploadPage() -> impl IntoView {
    let title = if wizard().adds_members() {
        "Add users from CSV"
    } else {
        "Add dormant users from CSV"
    };
    step_page(title, 0, |context| view! { <UploadForm context/> })
}

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn UploadForm(context: ImportContext) -> impl IntoView {
    let wizard = wizard();
    let limit = context.row_limit;
    let context = StoredValue::new(context);
    let take = move |picked: Result<PickedFile, String>| match picked {
        Ok(file) => context.with_value(|c| wizard.load(file.name, file.bytes, c)),
        Err(message) => wizard.refuse_file(message),
    };
    let dragging = RwSignal::new(false);
    let needs_confirmation = move || {
        wizard
            .table_file()
            .is_some_and(|f| f.decoded.needs_confirmation())
    };
    let missing = move || {
        if wizard.reading().is_some() {
            Some("Reading the file…")
        } else if !wizard.has_table() {
            Some("Choose a CSV file to continue.")
        } else if needs_confirmation() && !wizard.confirmed.get() {
            Some("Confirm the converted text looks right to continue.")
        } else if wizard.adds_members()
            && !wizard.roles_from_column.get()
            && wizard.roles.get().is_empty()
        {
            Some("Pick at least one role, or take roles from a column.")
        } else {
            None
        }
    };
    let navigate = use_navigate();
    let go_on = move |_| navigate(&wizard.url("map"), Default::default());

    view! {
        <section class="card">
            <h2>"The file"</h2>
            <p class="hint">
                {format!(
                    "A CSV file with a header row and one row per person: First Name, Last Name and Email at least, up to {} people. In Excel: File → Save As → \"CSV UTF-8\".",
                    thousands(limit),
                )}
            </p>
            <TemplateHelp context/>
            <label
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=move |ev| {
                    dragging.set(false);
                    read_dropped_file(&ev, take);
                }
            >
                <span class="drop-title">"Choose a CSV file"</span>
                <span class="hint">" or drop it here"</span>
                <input
                    type="file"
                    id="csv-file"
                    accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                    on:change=move |ev| read_input_file(&ev, take)
                />
            </label>
            <div aria-live="polite">
                {move || {
                    wizard
                        .file_error()
                        .map(|message| {
                            view! {
                                <div class="alert error file-error" role="alert">
                                    <p>{message}</p>
                                </div>
                            }
                        })
                }}
                {move || {
                    wizard
                        .reading()
                        .map(|rows| {
                            view! {
                                <p id="file-reading" class="hint" role="status">
                                    {format!("Reading the file: {} rows so far…", thousands(rows))}
                                </p>
                            }
                        })
                }}
                {move || wizard.has_table().then(|| view! { <FileSummary context/> })}
            </div>
        </section>
        {if wizard.adds_members() {
            view! { <RoleChoice context/> }.into_any()
        } else {
            view! { <DormantNote/> }.into_any()
        }}
        <div class="actions">
            <button type="button" disabled=move || missing().is_some() on:click=go_on>
                "Continue"
            </button>
            <span class="hint">{missing}</span>
        </div>
    }
}

/// What was read: the counts, the separator, a sample, and for a converted
/// file the request to confirm it reads right.
#[component]
fn FileSummary(context: StoredValue<ImportContext>) -> impl IntoView {
    let wizard = wizard();
    let delimiter = move || wizard.delimiter.get().unwrap_or(wizard.detected.get());
    let summary = move || {
        let name = wizard
            .table_file()
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let people = wizard.rows.with(Vec::len);
        let columns = wizard.headers.with(Vec::len);
        let separated = match delimiter() {
            Delimiter::Comma => "commas",
            Delimiter::Semicolon => "semicolons",
            Delimiter::Tab => "tabs",
        };
        format!(
            "{name}: {} {}, {} columns, separated by {separated}.",
            thousands(people),
            if people == 1 { "person" } else { "people" },
            thousands(columns)
        )
    };
    let notice = move || wizard.table_file().and_then(|f| f.decoded.notice());
    let change_delimiter = move |ev| {
        let label = event_target_value(&ev);
        let chosen = Delimiter::ALL.into_iter().find(|d| d.label() == label);
        wizard.delimiter.set(chosen);
        context.with_value(|c| wizard.read(c));
    };
    view! {
        <p id="file-summary" class="alert ok">{summary}</p>
        {move || {
            notice()
                .map(|text| {
                    view! {
                        <div id="encoding-notice" class="alert warn">
                            <p>{text}</p>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || wizard.confirmed.get()
                                    on:change=move |ev| wizard.confirmed.set(event_target_checked(&ev))
                                />
                                "The converted text looks right"
                            </label>
                        </div>
                    }
                })
        }}
        <div class="field inline">
            <label for="delimiter">"Separator"</label>
            <select id="delimiter" on:change=change_delimiter>
                {Delimiter::ALL
                    .into_iter()
                    .map(|d| {
                        view! {
                            <option
                                value=d.label()
                                selected=move || delimiter() == d
                                prop:selected=move || delimiter() == d
                            >
                                {d.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span class="hint">{move || format!("Detected: {}", wizard.detected.get().label())}</span>
        </div>
        <Sample/>
    }
}

/// The header and first rows, as read: accents and columns at a glance.
#[component]
fn Sample() -> impl IntoView {
    let wizard = wizard();
    view! {
        <div class="table-wrap">
            <table id="file-sample">
                <caption class="hint">"The first rows, as Roster read them"</caption>
                <thead>
                    <tr>
                        {move || {
                            wizard
                                .headers
                                .get()
                                .into_iter()
                                .map(|h| view! { <th scope="col">{h}</th> })
                                .collect_view()
                        }}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        wizard
                            .rows
                            .with(|rows| {
                                rows.iter()
                                    .take(3)
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                {r.cells.iter().map(|c| view! { <td>{c.to_owned()}</td> }).collect_view()}
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            })
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// Roles for everyone, or from a column (docs/importing.md, step 1).
#[component]
fn RoleChoice(context: StoredValue<ImportContext>) -> impl IntoView {
    let wizard = wizard();
    let from_column = move |on: bool| {
        wizard.roles_from_column.set(on);
        // A Role column is pre-matched only when roles come from one.
        context.with_value(|c| wizard.suggest_mapping(c));
    };
    view! {
        <fieldset class="card roles">
            <legend>"Roles"</legend>
            <label class="check">
                <input
                    type="radio"
                    name="role-source"
                    prop:checked=move || !wizard.roles_from_column.get()
                    on:change=move |_| from_column(false)
                />
                "Same roles for everyone"
            </label>
            <RoleBoxes roles=wizard.roles disabled=Signal::derive(move || wizard.roles_from_column.get())/>
            <label class="check">
                <input
                    type="radio"
                    name="role-source"
                    prop:checked=move || wizard.roles_from_column.get()
                    on:change=move |_| from_column(true)
                />
                "Take roles from a column"
            </label>
            <p class="hint">
                "Each row names its roles in a column such as Role: Mentor, Mentee, Teacher or Admin; several separated by commas."
            </p>
        </fieldset>
    }
}

/// What a dormant import does, in place of the roles (docs/importing.md).
#[component]
fn DormantNote() -> impl IntoView {
    view! {
        <section class="card" id="dormant-note">
            <h2>"Dormant users"</h2>
            <p>
                "Everyone in this file joins the global user repository as a "
                <strong>"dormant"</strong>
                " user: they are added to no track, are never emailed and do not count against the licence. People already in the platform get their profile updated and keep their tracks and roles."
            </p>
        </section>
    }
}
