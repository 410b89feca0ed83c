//! "Values that are not options" (docs/importing.md): per choice field, the
//! file's values that are not options, with how many cells hold each; the
//! admin maps each once, for every row. A near match is pre-selected,
//! never applied without the click.

use super::super::wizard;
use crate::domain::csv_upload::{values_not_options, FieldValues, ValueNotAnOption};
use crate::domain::text::thousands;
use crate::domain::ProfileField;
use leptos::prelude::*;

/// `checking`: the rows are being checked; `error_rows`: how many failed.
#[component]
pub(super) fn ValueMapping(
    fields: StoredValue<Vec<ProfileField>>,
    checking: RwSignal<bool>,
    error_rows: Memo<usize>,
) -> impl IntoView {
    let wizard = wizard();
    // Looked for once the checks are done, and only when a value can be
    // wrong or mapped: a scan of 100,000 rows takes tens of milliseconds,
    // too long to repeat after every slice of checks.
    let found = Memo::new(move |previous: Option<&Vec<FieldValues>>| {
        if checking.get() {
            return previous.cloned().unwrap_or_default();
        }
        let mapped = wizard.mapping.with(|m| !m.values.is_empty());
        if error_rows.get() == 0 && !mapped {
            return Vec::new();
        }
        wizard.rows.with(|rows| {
            wizard
                .mapping
                .with(|mapping| fields.with_value(|f| values_not_options(rows, f, mapping)))
        })
    });
    move || {
        let groups = found.get();
        (!groups.is_empty()).then(|| {
            view! {
                <section class="card" id="value-maps">
                    <h2>"Values that are not options"</h2>
                    <p class="hint">
                        "Map a value to an option once, and every cell holding it takes that option. Nothing is mapped until you choose."
                    </p>
                    {groups.into_iter().map(|group| view! { <FieldGroup group/> }).collect_view()}
                </section>
            }
        })
    }
}

#[component]
fn FieldGroup(group: FieldValues) -> impl IntoView {
    let FieldValues {
        field,
        values,
        more,
    } = group;
    let field = StoredValue::new(field);
    view! {
        <h3>{field.with_value(|f| f.title.clone())}</h3>
        <ul class="value-maps" data-field=field.with_value(|f| f.key.clone())>
            {values.into_iter().map(|value| view! { <ValueRow field value/> }).collect_view()}
        </ul>
        {(more > 0)
            .then(|| {
                view! {
                    <p class="hint">
                        {format!(
                            "…and {} more values: map these first, or fix the file.",
                            thousands(more),
                        )}
                    </p>
                }
            })}
    }
}

#[component]
fn ValueRow(field: StoredValue<ProfileField>, value: ValueNotAnOption) -> impl IntoView {
    let wizard = wizard();
    let ValueNotAnOption {
        value,
        cells,
        suggestion,
        mapped_to,
    } = value;
    let cells = match cells {
        1 => "1 cell".to_owned(),
        n => format!("{} cells", thousands(n)),
    };
    let key = field.with_value(|f| f.key.clone());
    let shown = format!("“{value}”");
    if let Some(option) = mapped_to {
        let unmap = move |_| wizard.mapping.update(|m| m.values.remove(&key, &value));
        return view! {
            <li class="mapped">
                <span>
                    <strong>{shown}</strong> " → " {option} <span class="hint">" · " {cells}</span>
                </span>
                <button type="button" class="secondary" on:click=unmap>
                    "Undo"
                </button>
            </li>
        }
        .into_any();
    }
    let choice = RwSignal::new(suggestion.unwrap_or_default());
    let label = format!(
        "Option for {shown} in {}",
        field.with_value(|f| f.title.clone())
    );
    let options = field.with_value(|f| f.options.clone());
    let map = move |_| {
        let option = choice.get_untracked();
        wizard
            .mapping
            .update(|m| m.values.set(&key, &value, &option));
    };
    view! {
        <li>
            <span>
                <strong>{shown}</strong> <span class="hint">" · " {cells}</span>
            </span>
            <select
                aria-label=label
                prop:value=move || choice.get()
                on:change=move |e| choice.set(event_target_value(&e))
            >
                <option value="" selected=choice.get_untracked().is_empty()>
                    "Choose an option"
                </option>
                {options
                    .into_iter()
                    .map(|o| {
                        let selected = choice.get_untracked() == o;
                        view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            <button type="button" disabled=move || choice.with(String::is_empty) on:click=map>
                "Map"
            </button>
        </li>
    }
    .into_any()
}
