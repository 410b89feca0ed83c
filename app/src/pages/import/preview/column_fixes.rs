//! "Fix whole columns" (docs/importing.md): each fix rewrites one column
//! (or every mapped one) of every row before the checks, which run again
//! at once; each can be undone here. The fixes travel in the mapping, so
//! the server applies the same ones and they are remembered with it.

use super::super::wizard;
use crate::domain::csv_upload::{
    AppliedFix, ColumnFixes, DateOrder, DateWriting, Replacement, Separator, Target,
    MAX_REPLACEMENT_CHARS,
};
use crate::domain::text::thousands;
use crate::domain::{FieldKind, ProfileField};
use leptos::prelude::*;

/// Date cells are looked at up to this many rows: enough to find one
/// that says which order the file writes.
const DATE_SAMPLE: usize = 20_000;

/// Open while rows have errors or fixes are applied; a clean file's
/// preview keeps it folded.
#[component]
pub(super) fn ColumnFixCard(
    fields: StoredValue<Vec<ProfileField>>,
    error_rows: Memo<usize>,
) -> impl IntoView {
    let wizard = wizard();
    let open = move || error_rows.get() > 0 || wizard.mapping.with(|m| !m.fixes.is_empty());
    view! {
        <details class="card" id="column-fixes" prop:open=open>
            <summary>
                <h2>"Fix whole columns"</h2>
            </summary>
            <p class="hint">
                "Each fix changes every row at once, and the rows are checked again. Your file is not changed; undo a fix here."
            </p>
            <AppliedFixes fields/>
            <QuickFixes/>
            <SeparatorFixes fields/>
            <DateFixes fields/>
            <FindReplace fields/>
        </details>
    }
}

fn fixes_update(change: impl FnOnce(&mut ColumnFixes)) {
    wizard().mapping.update(|m| change(&mut m.fixes));
}

/// What each applied fix does, with its Undo.
#[component]
fn AppliedFixes(fields: StoredValue<Vec<ProfileField>>) -> impl IntoView {
    let wizard = wizard();
    let title = move |target: &Target| fields.with_value(|f| target.title(f).to_owned());
    let field = move |key: &str| title(&Target::Field(key.to_owned()));
    let describe = move |fix: &AppliedFix| match fix {
        AppliedFix::Trim => "Spaces trimmed in every cell".to_owned(),
        AppliedFix::LowerCaseEmails => "Emails lower-cased".to_owned(),
        AppliedFix::Separator(key, s) => {
            format!("{}: options separated by “{}”", field(key), s.char())
        }
        AppliedFix::Date(key, order) => format!("{}: dates read {}", field(key), order.label()),
        AppliedFix::Replacement(_, r) => {
            format!(
                "{}: “{}” replaced by “{}”",
                title(&r.target),
                r.find,
                r.replace
            )
        }
    };
    move || {
        let applied = wizard.mapping.with(|m| m.fixes.applied());
        (!applied.is_empty()).then(|| {
            let list = applied
                .into_iter()
                .map(|fix| {
                    let text = describe(&fix);
                    let undo = move |_| fixes_update(|f| f.undo(&fix));
                    view! {
                        <li>
                            <span>{text}</span>
                            <button type="button" class="secondary" on:click=undo>
                                "Undo"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul id="applied-fixes" class="value-maps">{list}</ul> }
        })
    }
}

/// Trim and lower-case: one click each, for the whole file.
#[component]
fn QuickFixes() -> impl IntoView {
    let wizard = wizard();
    let trimmed = move || wizard.mapping.with(|m| m.fixes.trim);
    let lowered = move || wizard.mapping.with(|m| m.fixes.lower_case_emails);
    view! {
        <div class="actions">
            <button type="button" class="secondary" disabled=trimmed on:click=move |_| fixes_update(|f| f.trim = true)>
                "Trim spaces"
            </button>
            <button
                type="button"
                class="secondary"
                disabled=lowered
                on:click=move |_| fixes_update(|f| f.lower_case_emails = true)
            >
                "Lower-case the emails"
            </button>
        </div>
    }
}

/// The mapped fields of these kinds.
fn mapped_fields(
    fields: StoredValue<Vec<ProfileField>>,
    kind: impl Fn(FieldKind) -> bool,
) -> Vec<ProfileField> {
    let wizard = wizard();
    fields.with_value(|fields| {
        fields
            .iter()
            .filter(|f| kind(f.kind))
            .filter(|f| {
                wizard
                    .mapping
                    .with(|m| m.column_of(&Target::Field(f.key.clone())).is_some())
            })
            .cloned()
            .collect()
    })
}

/// The separator of each mapped multiple-choice field's options.
#[component]
fn SeparatorFixes(fields: StoredValue<Vec<ProfileField>>) -> impl IntoView {
    let wizard = wizard();
    move || {
        mapped_fields(fields, FieldKind::is_multi)
            .into_iter()
            .map(|field| {
                let key = StoredValue::new(field.key.clone());
                let current = move || {
                    key.with_value(|k| wizard.mapping.with(|m| m.fixes.separators.get(k).copied()))
                };
                let choose = move |ev| {
                    let chosen = Separator::ALL
                        .into_iter()
                        .find(|s| event_target_value(&ev) == s.char().to_string());
                    key.with_value(|k| {
                        fixes_update(|f| match chosen {
                            Some(s) => _ = f.separators.insert(k.clone(), s),
                            None => _ = f.separators.remove(k),
                        })
                    });
                };
                let id = format!("separator-{}", field.key);
                view! {
                    <p class="fix-row">
                        <label for=id.clone()>{format!("Options in {} are separated by", field.title)}</label>
                        " "
                        <select
                            id=id
                            on:change=choose
                            prop:value=move || current().map(|s| s.char().to_string()).unwrap_or(",".into())
                        >
                            <option value=",">"a comma ,"</option>
                            <option value=";">"a semicolon ;"</option>
                            <option value="|">"a bar |"</option>
                        </select>
                    </p>
                }
            })
            .collect_view()
    }
}

/// Each mapped date field whose cells are dates written another way: read
/// in the order the admin says, asked only when the file cannot tell.
#[component]
fn DateFixes(fields: StoredValue<Vec<ProfileField>>) -> impl IntoView {
    let wizard = wizard();
    move || {
        mapped_fields(fields, |k| k == FieldKind::Date)
            .into_iter()
            .filter(|f| wizard.mapping.with(|m| !m.fixes.dates.contains_key(&f.key)))
            .filter_map(|field| {
                let column = wizard
                    .mapping
                    .with(|m| m.column_of(&Target::Field(field.key.clone())))?;
                let writing = wizard.rows.with(|rows| {
                    DateWriting::of(
                        rows.iter()
                            .take(DATE_SAMPLE)
                            .filter_map(|r| r.cells.get(column)),
                    )
                });
                (writing.other_way > 0).then(|| view! { <DateRow field writing/> })
            })
            .collect_view()
    }
}

#[component]
fn DateRow(field: ProfileField, writing: DateWriting) -> impl IntoView {
    let key = StoredValue::new(field.key.clone());
    let orders = writing.orders();
    let cells = match writing.other_way {
        1 => "1 cell".to_owned(),
        n => format!("{} cells", thousands(n)),
    };
    let question = match orders.len() {
        0 => format!(
            "{}: {cells} are dates written another way, some day first and some month first: write them as YYYY-MM-DD in the file.",
            field.title
        ),
        1 => format!("{}: {cells} are dates written another way.", field.title),
        _ => format!(
            "{}: {cells} are dates written another way, such as 05/01/2024. Which comes first?",
            field.title
        ),
    };
    let buttons = orders
        .into_iter()
        .map(|order| {
            let read =
                move |_| key.with_value(|k| fixes_update(|f| _ = f.dates.insert(k.clone(), order)));
            let label = match order {
                DateOrder::DayFirst => "Read day first",
                DateOrder::MonthFirst => "Read month first",
            };
            view! {
                <button type="button" class="secondary" on:click=read title=order.label()>
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="fix-row date-fix" data-field=field.key.clone()>
            <p>{question}</p>
            <div class="actions">{buttons}</div>
        </div>
    }
}

/// Find and replace within one mapped column.
#[component]
fn FindReplace(fields: StoredValue<Vec<ProfileField>>) -> impl IntoView {
    let wizard = wizard();
    let targets = move || {
        wizard.mapping.with(|m| {
            m.columns
                .iter()
                .flatten()
                .filter(|t| **t != Target::Roles)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let target = RwSignal::new(String::new());
    let find = RwSignal::new(String::new());
    let replace = RwSignal::new(String::new());
    let chosen = move || {
        targets()
            .into_iter()
            .find(|t| target_key(t) == target.get())
    };
    let apply = move |_| {
        let Some(target) = chosen() else { return };
        let (find_text, replace_text) = (find.get_untracked(), replace.get_untracked());
        fixes_update(|f| {
            f.replacements.push(Replacement {
                target,
                find: find_text,
                replace: replace_text,
            })
        });
        find.set(String::new());
        replace.set(String::new());
    };
    let ready = move || chosen().is_some() && find.with(|f| !f.is_empty());
    let max = MAX_REPLACEMENT_CHARS.to_string();
    view! {
        <fieldset class="find-replace">
            <legend>"Find and replace in one column"</legend>
            <label for="fix-column">"Column"</label>
            <select id="fix-column" on:change=move |e| target.set(event_target_value(&e)) prop:value=move || target.get()>
                <option value="">"Choose a column"</option>
                {move || {
                    targets()
                        .into_iter()
                        .map(|t| {
                            let title = fields.with_value(|f| t.title(f).to_owned());
                            view! { <option value=target_key(&t)>{title}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <label for="fix-find">"Find"</label>
            <input
                id="fix-find"
                type="text"
                maxlength=max.clone()
                prop:value=move || find.get()
                on:input=move |e| find.set(event_target_value(&e))
            />
            <label for="fix-replace">"Replace with"</label>
            <input
                id="fix-replace"
                type="text"
                maxlength=max
                prop:value=move || replace.get()
                on:input=move |e| replace.set(event_target_value(&e))
            />
            <button type="button" disabled=move || !ready() on:click=apply>
                "Replace in every row"
            </button>
        </fieldset>
    }
}

/// A target as a select's value.
fn target_key(target: &Target) -> String {
    match target {
        Target::Field(key) => format!("field:{key}"),
        other => format!("{other:?}"),
    }
}
