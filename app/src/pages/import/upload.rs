//! Step 1: choose the file and the roles (docs/importing.md, step 1; a dormant import
//! has no roles). The file is read and checked in the browser as soon as it
//! is chosen.

use super::state::{FileContent, LoadedFile};
use super::template::TemplateHelp;
use super::{step_page, wizard};
use crate::api::ImportContext;
use crate::components::file_io::{read_dropped_file, read_input_file, PickedFile};
use crate::components::RoleBoxes;
use crate::domain::csv_upload::{Delimiter, SheetOutline};
use crate::domain::text::thousands;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;

/// What the file input offers: CSV and text files, and the workbooks
/// read in the browser (whatever the name, the bytes decide how a file is
/// read).
const ACCEPTED_FILES: &str = ".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.xlsb,.ods,text/csv,\
    text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,\
    application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet";

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
            .is_some_and(|f| f.text().is_some_and(|t| t.needs_confirmation()))
    };
    let missing = move || {
        if wizard.reading().is_some() {
            Some("Reading the file…")
        } else if !wizard.has_table() {
            Some("Choose a CSV file or a workbook to continue.")
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
                    "A CSV file or an Excel or LibreOffice workbook (.xlsx, .xls, .ods) with a header row and one row per person: First Name, Last Name and Email at least, up to {} people.",
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
                <span class="drop-title">"Choose a CSV file or a workbook"</span>
                <span class="hint">" or drop it here"</span>
                <input
                    type="file"
                    id="csv-file"
                    accept=ACCEPTED_FILES
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
                                    {match rows {
                                        // A workbook being opened, or a file's first slice.
                                        0 => "Reading the file…".to_owned(),
                                        n => format!("Reading the file: {} rows so far…", thousands(n)),
                                    }}
                                </p>
                            }
                        })
                }}
                {move || wizard.has_table().then(|| view! { <FileSummary/> })}
                {move || wizard.chosen_file().map(|file| view! { <FileChoices file context/> })}
                {move || wizard.has_table().then(|| view! { <Sample/> })}
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

/// What was read: the counts, and the separator or the sheet.
#[component]
fn FileSummary() -> impl IntoView {
    let wizard = wizard();
    let summary = move || {
        let file = wizard.table_file()?;
        let people = wizard.rows.with(Vec::len);
        let columns = wizard.headers.with(Vec::len);
        let read_as = match file.workbook() {
            Some(book) => {
                let sheet = book.sheets.get(wizard.sheet.get())?;
                format!("sheet {}", sheet.name)
            }
            None => {
                let separated = match wizard.delimiter.get().unwrap_or(wizard.detected.get()) {
                    Delimiter::Comma => "commas",
                    Delimiter::Semicolon => "semicolons",
                    Delimiter::Tab => "tabs",
                };
                format!("separated by {separated}")
            }
        };
        Some(format!(
            "{}: {} {}, {} {}, {read_as}.",
            file.name,
            thousands(people),
            if people == 1 { "person" } else { "people" },
            thousands(columns),
            if columns == 1 { "column" } else { "columns" },
        ))
    };
    view! { <p id="file-summary" class="alert ok">{summary}</p> }
}

/// How the chosen file is read, for the admin to change: a CSV file's
/// separator (and, converted, the confirmation it reads right), a
/// workbook's sheet and header row.
#[component]
fn FileChoices(file: Arc<LoadedFile>, context: StoredValue<ImportContext>) -> impl IntoView {
    match &file.content {
        FileContent::Text(text) => {
            let notice = text.notice();
            view! { <TextChoices notice context/> }.into_any()
        }
        FileContent::Workbook(_) => view! { <SheetChoices file context/> }.into_any(),
    }
}

/// The separator, and the confirmation that a converted file reads right.
#[component]
fn TextChoices(notice: Option<String>, context: StoredValue<ImportContext>) -> impl IntoView {
    let wizard = wizard();
    let delimiter = move || wizard.delimiter.get().unwrap_or(wizard.detected.get());
    let change_delimiter = move |ev| {
        let label = event_target_value(&ev);
        let chosen = Delimiter::ALL.into_iter().find(|d| d.label() == label);
        wizard.delimiter.set(chosen);
        context.with_value(|c| wizard.read(c));
    };
    view! {
        {notice
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
            })}
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
    }
}

/// A workbook's sheet (with its rows and columns) and the row holding the
/// column headers, each read again as soon as it is changed. Each select
/// follows its choice through its value, as on the Map step (one effect a
/// select, not two an option); `selected` marks the choice when the options
/// are drawn.
#[component]
fn SheetChoices(file: Arc<LoadedFile>, context: StoredValue<ImportContext>) -> impl IntoView {
    let wizard = wizard();
    let book = StoredValue::new(file);
    let sheets = book.with_value(|f| {
        f.workbook().map_or_else(Vec::new, |book| {
            let described = |s: &SheetOutline| {
                let (rows, columns) = (s.rows, s.columns);
                format!(
                    "{} ({} {}, {} {})",
                    s.name,
                    thousands(rows),
                    if rows == 1 { "row" } else { "rows" },
                    thousands(columns),
                    if columns == 1 { "column" } else { "columns" },
                )
            };
            book.sheets.iter().map(described).enumerate().collect()
        })
    });
    let header_choices = move || {
        book.with_value(|f| {
            f.workbook()
                .and_then(|book| book.sheets.get(wizard.sheet.get()))
                .map_or_else(Vec::new, |s| s.header_choices.clone())
        })
    };
    let header_row = move || {
        wizard.header_row.get().or_else(|| {
            book.with_value(|f| {
                f.workbook()
                    .and_then(|book| book.sheets.get(wizard.sheet.get()))
                    .and_then(|s| s.likely_header_row)
            })
        })
    };
    let change_sheet = move |ev| {
        let Ok(index) = event_target_value(&ev).parse() else {
            return;
        };
        wizard.sheet.set(index);
        wizard.header_row.set(None);
        context.with_value(|c| wizard.read(c));
    };
    let change_header = move |ev| {
        wizard.header_row.set(event_target_value(&ev).parse().ok());
        context.with_value(|c| wizard.read(c));
    };
    view! {
        <div class="field inline">
            <label for="sheet">"Sheet"</label>
            <select id="sheet" on:change=change_sheet prop:value=move || wizard.sheet.get().to_string()>
                {sheets
                    .into_iter()
                    .map(|(index, text)| {
                        view! {
                            <option value=index selected=wizard.sheet.get_untracked() == index>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        <div class="field inline">
            <label for="header-row">"Headers in"</label>
            <select
                id="header-row"
                on:change=change_header
                prop:value=move || header_row().map(|row| row.to_string()).unwrap_or_default()
            >
                {move || {
                    let chosen = untrack(header_row);
                    header_choices()
                        .into_iter()
                        .map(|(row, text)| {
                            view! {
                                <option value=row selected=chosen == Some(row)>
                                    {format!("Row {row}: {text}")}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <span class="hint">"Rows above the headers, such as a title, are left out."</span>
        </div>
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
