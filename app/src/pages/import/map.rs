//! Step 2: pair the file's columns with profile fields (docs/importing.md, step 2).
//! First Name, Last Name and Email come first; each field takes at most one
//! column, and columns left unpaired are listed as not imported.

use super::{back_to_upload_without_file, step_page, wizard};
use crate::api::ImportContext;
use crate::domain::csv_upload::{split_full_name, Closeness, Target, FULL_NAME_RULE};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn MapPage() -> impl IntoView {
    back_to_upload_without_file(wizard());
    step_page("Map columns", 1, |context| view! { <MapForm context/> })
}

#[component]
fn MapForm(context: ImportContext) -> impl IntoView {
    let wizard = wizard();
    let mut targets = vec![
        Target::FirstName,
        Target::LastName,
        Target::FullName,
        Target::Email,
    ];
    if wizard.roles_from_column.get_untracked() {
        targets.push(Target::Roles);
    }
    targets.extend(context.fields.iter().map(|f| Target::Field(f.key.clone())));
    let fields = StoredValue::new(context.fields);
    let problem = move || {
        fields.with_value(|fields| {
            wizard
                .mapping
                .with(|m| m.validate(fields, wizard.roles_from_column.get()))
                .err()
                .map(|e| e.to_string())
        })
    };
    let ignored = move || {
        let unmapped: Vec<String> = wizard.headers.with(|headers| {
            wizard.mapping.with(|m| {
                headers
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| m.columns.get(*i).is_none_or(Option::is_none))
                    .map(|(_, h)| h.clone())
                    .collect()
            })
        });
        if unmapped.is_empty() {
            "Every column is imported.".to_owned()
        } else {
            format!("Not imported: {}", unmapped.join(", "))
        }
    };
    let navigate = use_navigate();
    let go_on = move |_| navigate(&wizard.url("preview"), Default::default());

    view! {
        <section class="card">
            <RememberedLine/>
            <p class="hint">
                "Pick the column of your file that fills each profile field. Columns were matched by name; change any pair, or leave a field empty to keep what is stored."
            </p>
            <div class="table-wrap">
                <table class="mapping">
                    <thead>
                        <tr>
                            <th scope="col">"Profile field"</th>
                            <th scope="col">"Column in your file"</th>
                            <th scope="col" class="example">"First row"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {targets
                            .into_iter()
                            .enumerate()
                            .map(|(i, target)| view! { <MapRow index=i target fields/> })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p id="ignored-columns" class="hint">{ignored}</p>
            {move || {
                problem()
                    .map(|message| {
                        view! {
                            <div class="alert error mapping-error" role="alert">
                                <p>{message}</p>
                            </div>
                        }
                    })
            }}
        </section>
        <div class="actions">
            <a class="button secondary" href=wizard.url("")>"Back"</a>
            <button type="button" disabled=move || problem().is_some() on:click=go_on>
                "Continue"
            </button>
        </div>
    }
}

/// One target and the select of the column that fills it.
#[component]
fn MapRow(
    index: usize,
    target: Target,
    fields: StoredValue<Vec<crate::domain::ProfileField>>,
) -> impl IntoView {
    let wizard = wizard();
    let title = fields.with_value(|f| target.title(f).to_owned());
    let required = matches!(target, Target::FirstName | Target::LastName | Target::Email);
    let id = format!("map-{index}");
    let target = StoredValue::new(target);
    let column = move || target.with_value(|t| wizard.mapping.with(|m| m.column_of(t)));
    // The select follows the mapping through its value: one effect a field,
    // not two an option (14 fields × 21 columns made the step's first task
    // long). `selected` marks the column chosen when the options are drawn,
    // since the value is set before the options exist.
    let value = move || column().map(|i| i.to_string()).unwrap_or_default();
    let choose = move |ev| {
        let chosen = event_target_value(&ev).parse::<usize>().ok();
        target.with_value(|t| {
            wizard.mapping.update(|m| {
                for c in m.columns.iter_mut().filter(|c| c.as_ref() == Some(t)) {
                    *c = None;
                }
                // The column leaves whatever field it filled before.
                if let Some(slot) = chosen.and_then(|i| m.columns.get_mut(i)) {
                    *slot = Some(t.clone());
                }
            })
        });
    };
    let full_name = target.with_value(|t| *t == Target::FullName);
    let example = move || {
        let cell = column().and_then(|i| {
            wizard
                .rows
                .with(|rows| rows.first().and_then(|r| r.cells.get(i).map(str::to_owned)))
        })?;
        if !full_name {
            return Some(cell);
        }
        // Shown split, as the rule will split every row.
        Some(match split_full_name(&cell) {
            Some((first, last)) => format!("{cell} → {first} | {last}"),
            None => format!("{cell} → needs a first and a last name"),
        })
    };
    view! {
        <tr class:required=required>
            <th scope="row">
                <label for=id.clone()>{title}</label>
                {required.then(|| view! { <span class="hint">" required"</span> })}
                {full_name
                    .then(|| {
                        view! {
                            <span class="hint full-name-rule">
                                " instead of First and Last Name. " {FULL_NAME_RULE}
                            </span>
                        }
                    })}
            </th>
            <td>
                <select id=id on:change=choose prop:value=value>
                    <option value="" selected=untrack(column).is_none()>
                        "— not imported —"
                    </option>
                    {move || {
                        let chosen = untrack(column);
                        wizard
                            .headers
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, header)| {
                                view! {
                                    <option value=i.to_string() selected=chosen == Some(i)>
                                        {header}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </td>
            <td class="example muted">{example}</td>
        </tr>
    }
}

/// Which remembered mapping the columns were paired by, when one was.
#[component]
fn RememberedLine() -> impl IntoView {
    let wizard = wizard();
    let found = wizard.mapping_start.with_untracked(|s| s.found.clone())?;
    let by = found
        .saved
        .saved_by
        .map(|email| format!(" by {email}"))
        .unwrap_or_default();
    let added = match found.closeness {
        Closeness::Same => "",
        Closeness::OneAdded => " This file has one column more: check its pair.",
    };
    let manage = match wizard.track_slug.get_value() {
        Some(slug) => format!("/tracks/{slug}/mappings"),
        None => "/mappings".to_owned(),
    };
    Some(view! {
        <p id="remembered-mapping" class="notice">
            {format!(
                "Paired as remembered from “{}”, saved {} UTC{by}.{added} Change any pair below. ",
                found.saved.name,
                found.saved.saved_at,
            )}
            <a href=manage>"Remembered mappings"</a>
        </p>
    })
}
