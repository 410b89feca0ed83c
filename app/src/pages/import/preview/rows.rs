//! The file's rows as checked: a long table drawn a window at a time,
//! clean rows as text, rows with errors as inputs with their messages.

use super::super::{error_place, wizard};
use super::Checks;
use crate::components::virtual_rows::VirtualRows;
use crate::domain::csv_upload::{CsvRow, RowCheck};
use crate::domain::text::thousands;
use leptos::prelude::*;

/// The rows, errors in red and editable. Only the rows in view (and a
/// margin around them) are drawn, so a file of any size scrolls smoothly
/// and the page holds a few dozen rows at a time.
///
/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
pub(super) fn RowGrid(checks: Checks, error_rows: Memo<usize>) -> impl IntoView {
    let wizard = wizard();
    let only_errors = RwSignal::new(false);
    // Rows being fixed stay listed under the filter until the admin moves on.
    let shown = Memo::new(move |_| {
        let filter = only_errors.get();
        checks.with(|checks| {
            wizard.edited.with(|edited| {
                checks
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !filter || !c.errors.is_empty() || edited.contains(&c.line))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>()
            })
        })
    });
    let rows = VirtualRows::new(
        shown,
        move |shown: &[usize]| {
            checks.with(|c| shown.iter().map(|&i| estimated_height(c.get(i))).collect())
        },
        move || {
            checks.track();
            wizard.edited.track();
        },
    );
    let mapped = move |column: usize| {
        wizard
            .mapping
            .with(|m| m.columns.get(column).is_some_and(Option::is_some))
    };
    let width = move || wizard.headers.with(Vec::len) + 1;

    view! {
        <div class="grid-tools">
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || only_errors.get()
                    on:change=move |ev| {
                        only_errors.set(event_target_checked(&ev));
                        rows.scroll_to_top();
                    }
                />
                "Only rows with errors"
            </label>
            <span class="hint" id="rows-shown">
                {move || {
                    let rows = match shown.with(Vec::len) {
                        0 => "No rows to show".to_owned(),
                        1 => "1 row shown".to_owned(),
                        n => format!("{} rows shown", thousands(n)),
                    };
                    format!("{rows} · {} with errors", thousands(error_rows.get()))
                }}
            </span>
        </div>
        // Focusable, so that a keyboard scrolls it too when no cell is editable.
        <div
            class="table-wrap rows-scroller"
            tabindex="0"
            role="region"
            aria-label="The file's rows"
            node_ref=rows.scroller
            on:scroll=move |_| rows.on_scroll()
        >
            <table id="preview-rows">
                <thead>
                    <tr>
                        <th scope="col">"Line"</th>
                        {move || {
                            wizard
                                .headers
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, h)| {
                                    view! {
                                        <th scope="col" class:ignored=move || !mapped(i)>
                                            {h}
                                            {move || (!mapped(i)).then(|| view! { <span class="hint">" (not imported)"</span> })}
                                        </th>
                                    }
                                })
                                .collect_view()
                        }}
                    </tr>
                </thead>
                <tbody class="spacer" aria-hidden="true">
                    <tr>
                        <td colspan=width style:height=move || format!("{}px", rows.space_above())></td>
                    </tr>
                </tbody>
                <For each=move || rows.in_window() key=|i| *i let:index>
                    <PreviewRow index checks/>
                </For>
                <tbody class="spacer" aria-hidden="true">
                    <tr>
                        <td colspan=width style:height=move || format!("{}px", rows.space_below())></td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// The height assumed for a row not drawn yet, and for each of its errors.
const ROW_PX: f64 = 36.0;
const ERROR_PX: f64 = 26.0;

fn estimated_height(check: Option<&RowCheck>) -> f64 {
    match check.map_or(0, |c| c.errors.len()) {
        0 => ROW_PX,
        errors => ROW_PX + 12.0 + ERROR_PX * errors as f64,
    }
}

/// The text of one cell; empty past a short row's end.
fn text_of(rows: &[CsvRow], index: usize, column: usize) -> String {
    rows.get(index)
        .and_then(|r| r.cells.get(column))
        .unwrap_or_default()
        .to_owned()
}

/// One row: text when clean, inputs when it has (or had) errors, and its
/// messages below it.
///
/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn PreviewRow(index: usize, checks: Checks) -> impl IntoView {
    let wizard = wizard();
    let line = wizard
        .rows
        .with_untracked(|r| r.get(index).map_or(0, |r| r.line));
    let check = Memo::new(move |_| checks.with(|c| c.get(index).cloned()));
    let has_errors =
        Memo::new(move |_| check.with(|c| c.as_ref().is_some_and(|c| !c.errors.is_empty())));
    // Once editable, a row stays so: its inputs must not vanish while typing.
    let editable =
        Memo::new(move |_| has_errors.get() || wizard.edited.with(|e| e.contains(&line)));
    let headers = wizard.headers.get_untracked();
    let width = headers.len() + 1;
    let headers = StoredValue::new(headers);
    let cell = move |column: usize| wizard.rows.with(|r| text_of(r, index, column));
    // A clean row shows its cells as the column fixes make them.
    let fixes = Memo::new(move |_| wizard.mapping.with(|m| m.fixes.clone()));
    let bad = move |column: usize| {
        headers.with_value(|h| {
            check.with(|c| {
                c.as_ref()
                    .is_some_and(|c| c.errors.iter().any(|e| e.column == h[column]))
            })
        })
    };
    let column_of = move |name: &str| headers.with_value(|h| h.iter().position(|c| c == name));

    view! {
        <tbody data-index=index>
            <tr data-line=line class:has-errors=move || has_errors.get()>
                <th scope="row">{line}</th>
                {move || {
                    let editable = editable.get();
                    let fixes = fixes.get();
                    headers
                        .get_value()
                        .into_iter()
                        .enumerate()
                        .map(|(column, header)| {
                            if editable {
                                view! {
                                    <td class:bad=move || bad(column)>
                                        <input
                                            type="text"
                                            aria-label=format!("{header} on line {line}")
                                            prop:value=move || cell(column)
                                            on:input=move |ev| wizard.edit(index, column, event_target_value(&ev))
                                        />
                                    </td>
                                }
                                    .into_any()
                            } else {
                                // A row without errors that nobody edits stays as it is:
                                // plain text, no effect per cell (a screenful holds ~900).
                                let raw = wizard.rows.with_untracked(|r| text_of(r, index, column));
                                let target = wizard
                                    .mapping
                                    .with_untracked(|m| m.columns.get(column).cloned().flatten());
                                match target.map(|t| fixes.fix(&t, &raw).into_owned()) {
                                    Some(fixed) if fixed != raw => {
                                        let title = format!("In the file: {raw}");
                                        view! { <td class="fixed" title=title>{fixed}</td> }.into_any()
                                    }
                                    _ => view! { <td>{raw}</td> }.into_any(),
                                }
                            }
                        })
                        .collect_view()
                }}
            </tr>
            {move || {
                check
                    .get()
                    .filter(|c| !c.errors.is_empty())
                    .map(|c| {
                        view! {
                            <tr class="row-errors" data-line=line>
                                <td colspan=width>
                                    <ul>
                                        {c
                                            .errors
                                            .into_iter()
                                            .map(|e| {
                                                let fix = e.suggestion.clone().zip(column_of(&e.column));
                                                view! {
                                                    <li>
                                                        {wizard.cell_names.with_untracked(|names| error_place(&e, names.as_ref()))}
                                                        {e.message}
                                                        {fix
                                                            .map(|(suggestion, column)| {
                                                                let label = format!("Use “{suggestion}”");
                                                                view! {
                                                                    " "
                                                                    <button
                                                                        type="button"
                                                                        class="link"
                                                                        on:click=move |_| wizard.edit(index, column, suggestion.clone())
                                                                    >
                                                                        {label}
                                                                    </button>
                                                                }
                                                            })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    })
            }}
        </tbody>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::csv_upload::CellError;

    #[test]
    fn a_row_is_estimated_taller_for_each_error() {
        let mut check = RowCheck {
            line: 2,
            person: None,
            errors: Vec::new(),
        };
        assert_eq!(estimated_height(None), ROW_PX);
        assert_eq!(estimated_height(Some(&check)), ROW_PX);
        for _ in 0..2 {
            check.errors.push(CellError {
                line: 2,
                column: "Email".into(),
                value: "x@".into(),
                message: "no domain".into(),
                suggestion: None,
            });
        }
        assert_eq!(estimated_height(Some(&check)), 36.0 + 12.0 + 52.0);
    }
}
