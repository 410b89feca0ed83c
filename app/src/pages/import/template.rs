//! The CSV template every upload page offers (issue 4), made from the live
//! profile fields, with the exact answers each choice field accepts.

use super::wizard;
use crate::api::ImportContext;
use crate::components::file_io::{download_csv, download_xlsx};
use crate::components::workbook_module::template_workbook;
use crate::domain::csv_upload::template_csv;
use crate::domain::{FieldKind, Role};
use leptos::prelude::*;

#[component]
pub fn TemplateHelp(context: StoredValue<ImportContext>) -> impl IntoView {
    let wizard = wizard();
    // A Role column only when roles are taken from one.
    let with_roles = move || wizard.adds_members() && wizard.roles_from_column.get();
    let download = move |_| {
        let text = context.with_value(|c| template_csv(&c.fields, with_roles()));
        download_csv("roster-template.csv", &text);
    };
    let download_workbook = move |_| {
        let fields = context.with_value(|c| c.fields.clone());
        let with_roles = with_roles();
        leptos::task::spawn_local(async move {
            let made = template_workbook(&fields, with_roles).await;
            download_xlsx("roster-template.xlsx", made);
        });
    };
    let choices: Vec<(String, String)> = context.with_value(|c| {
        c.fields
            .iter()
            .filter(|f| f.kind.has_options())
            .map(|f| {
                let how = match f.kind {
                    FieldKind::PickMultiple => " (one or more, separated by commas)",
                    FieldKind::OrderedOptions => {
                        " (one or more in order of preference, separated by commas)"
                    }
                    _ => "",
                };
                (f.title.clone(), format!("{}{how}", f.options.join(" · ")))
            })
            .collect()
    });
    let roles = Role::ALL.map(Role::label).join(" · ");
    let has_choices = !choices.is_empty();
    view! {
        <div class="template-help">
            <div class="template-downloads">
                <button type="button" class="secondary" on:click=download>
                    "Download a CSV template"
                </button>
                <button type="button" class="secondary" on:click=download_workbook>
                    "Download an Excel template"
                </button>
            </div>
            <div>
            <Show when=move || has_choices || with_roles()>
                <p class="hint">"Choice columns accept exactly these answers:"</p>
            </Show>
            <dl id="choice-answers" class="choices">
                <Show when=with_roles>
                    <dt>"Role"</dt>
                    <dd>{format!("{roles} (one or more, separated by commas)")}</dd>
                </Show>
                {choices
                    .into_iter()
                    .map(|(title, answers)| view! { <dt>{title}</dt> <dd>{answers}</dd> })
                    .collect_view()}
            </dl>
            </div>
        </div>
    }
}
