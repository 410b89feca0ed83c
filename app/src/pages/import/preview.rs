//! Step 3: every row checked, what the import will do, and the errors to
//! fix — in place, re-checked as you type (SPEC §5 step 3).

use super::state::{RunState, Wizard};
use super::{back_to_upload_without_file, error_place, step_page, wizard};
use crate::api::imports::{known_people, KNOWN_PEOPLE_PER_CALL};
use crate::api::ImportContext;
use crate::components::file_io::download_csv;
use crate::components::ErrorNotice;
use crate::domain::csv_upload::{error_log_csv, Forecast, RowCheck, RowChecker};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

/// Rows shown at once; the pager moves through the rest.
const PAGE_ROWS: usize = 50;

#[component]
pub fn PreviewPage() -> impl IntoView {
    back_to_upload_without_file(wizard());
    step_page("Preview", 2, |context| view! { <PreviewBody context/> })
}

type Checks = Memo<Vec<RowCheck>>;

#[component]
fn PreviewBody(context: ImportContext) -> impl IntoView {
    let wizard = wizard();
    let fields = StoredValue::new(context.fields.clone());
    let checks: Checks = Memo::new(move |_| {
        let roles = wizard.role_choice();
        fields.with_value(|fields| {
            wizard.headers.with(|headers| {
                wizard.mapping.with(|mapping| {
                    wizard.rows.with(|rows| {
                        let mut checker = RowChecker::new(headers, fields, mapping, &roles);
                        rows.iter().map(|r| checker.check(r)).collect()
                    })
                })
            })
        })
    });
    look_up_emails(wizard, checks);
    let emails_off = context.emails_off.clone();
    let forecast = Memo::new(move |_| {
        checks.with(|checks| {
            wizard.known.with(|known| {
                Forecast::new(
                    checks.iter().filter_map(|c| c.person.as_ref()),
                    known,
                    wizard.adds_members(),
                    &emails_off,
                )
            })
        })
    });
    let error_rows =
        Memo::new(move |_| checks.with(|c| c.iter().filter(|c| !c.errors.is_empty()).count()));
    let license = context.license.clone();
    let active_after = move || license.active_users + forecast.with(|f| f.newly_active);
    let over_by = move || active_after().saturating_sub(license.limit);
    let importable = move || checks.with(|c| c.len()) - error_rows.get();

    let blocked = move || {
        if wizard.lookups_pending.get() > 0 {
            Some("Checking which people are already in the platform…".to_owned())
        } else if wizard.lookup_error.with(Option::is_some) {
            Some(
                "Roster could not check which people already exist: reload the page to try again."
                    .to_owned(),
            )
        } else if wizard.adds_members() && over_by() > 0 {
            Some(format!(
                "This import would bring active users to {}, over the licence of {} by {}: remove {} of the people who are new to the platform, or ask for a larger licence.",
                active_after(),
                license.limit,
                over_by(),
                over_by()
            ))
        } else if importable() == 0 {
            Some(
                "No row can be imported yet: fix the errors below, or upload a fixed file."
                    .to_owned(),
            )
        } else {
            None
        }
    };
    let navigate = use_navigate();
    let complete = move |_| navigate(&wizard.url("complete"), Default::default());
    let download = move |_| {
        let name = wizard
            .file
            .with(|f| f.as_ref().map(|f| f.name.clone()))
            .unwrap_or_default();
        let log = checks.with(|c| error_log_csv(c.iter().flat_map(|c| &c.errors)));
        download_csv(&format!("errors-{name}"), &log);
    };

    view! {
        <section class="card">
            <h2>"What this import will do"</h2>
            <Counts forecast error_rows/>
            {if wizard.adds_members() {
                view! {
                    <p id="license-forecast" class:over=move || over_by() != 0>
                        {move || {
                            format!(
                                "Active users: {} → {} of {}",
                                license.active_users,
                                active_after(),
                                license.limit,
                            )
                        }}
                    </p>
                    <h3>"System emails"</h3>
                    <EmailForecastList forecast/>
                }
                    .into_any()
            } else {
                view! {
                    <p id="license-forecast">
                        {format!(
                            "Licence use unchanged: {} of {} active users. Dormant users do not count.",
                            license.active_users,
                            license.limit,
                        )}
                    </p>
                    <p id="email-forecast">"No emails will be sent: dormant users are never emailed."</p>
                }
                    .into_any()
            }}
            {move || wizard.lookup_error.get().map(|error| view! { <ErrorNotice error/> })}
        </section>
        <section class="card">
            <h2>"Rows"</h2>
            <RowGrid checks error_rows/>
            <div class="actions">
                <button
                    type="button"
                    class="secondary"
                    disabled=move || error_rows.get() == 0
                    on:click=download
                >
                    "Download error log"
                </button>
                <a href=wizard.url("")>"Upload a fixed file"</a>
            </div>
        </section>
        <div class="actions">
            {move || match wizard.run.get() {
                RunState::NotStarted => {
                    let complete = complete.clone();
                    view! {
                        <button type="button" disabled=move || blocked().is_some() on:click=complete>
                            {move || match importable() {
                                1 => "Complete: import 1 row".to_owned(),
                                n => format!("Complete: import {n} rows"),
                            }}
                        </button>
                        <span class="hint" role="status">{blocked}</span>
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <p>
                            "This file has been sent. " <a href=wizard.url("complete")>"See how it went"</a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// Asks the server about every valid email not asked about yet, whenever
/// the checked rows change (an email typed in place is looked up too).
fn look_up_emails(wizard: Wizard, checks: Checks) {
    Effect::new(move |_| {
        let emails: Vec<String> = checks.with(|c| {
            c.iter()
                .filter_map(|c| c.person.as_ref())
                .map(|p| p.email.normalized())
                .collect()
        });
        let fresh = wizard.take_unasked(emails);
        if fresh.is_empty() {
            return;
        }
        wizard.lookups_pending.update(|n| *n += 1);
        let slug = wizard.track_slug.get_value();
        spawn_local(async move {
            for chunk in fresh.chunks(KNOWN_PEOPLE_PER_CALL) {
                match known_people(slug.clone(), chunk.to_vec()).await {
                    Ok(found) => wizard.known.update(|known| {
                        known.extend(found.into_iter().map(|p| (p.email.clone(), p)));
                    }),
                    Err(error) => {
                        wizard.lookup_error.set(Some(error));
                        break;
                    }
                }
            }
            wizard.lookups_pending.update(|n| *n = n.saturating_sub(1));
        });
    });
}

#[component]
fn Counts(forecast: Memo<Forecast>, error_rows: Memo<usize>) -> impl IntoView {
    let wizard = wizard();
    let item = move |key: &'static str, label: &'static str, value: Signal<u64>| {
        view! {
            <li data-count=key class:zero=move || value.get() == 0>
                <strong>{move || value.get()}</strong>
                " "
                {label}
            </li>
        }
    };
    let of = move |get: fn(&Forecast) -> u64| Signal::derive(move || forecast.with(get));
    let errors = Signal::derive(move || error_rows.get() as u64);
    view! {
        <ul id="counts" class="counts">
            {item(
                "new",
                if wizard.adds_members() { "new users" } else { "new dormant users" },
                of(|f| f.new),
            )}
            {wizard
                .adds_members()
                .then(|| {
                    view! {
                        {item("joining", "existing users join the track", of(|f| f.joining))}
                        {item("roles-added", "members of the track gain roles", of(|f| f.roles_added))}
                    }
                })}
            {item(
                "unchanged",
                if wizard.adds_members() {
                    "already members: profile updated"
                } else {
                    "existing users: profile updated"
                },
                of(|f| f.unchanged),
            )}
            <li data-count="errors" class:bad=move || errors.get() != 0>
                <strong>{move || errors.get()}</strong>
                " rows with errors (not imported)"
            </li>
        </ul>
    }
}

#[component]
fn EmailForecastList(forecast: Memo<Forecast>) -> impl IntoView {
    view! {
        {move || {
            forecast
                .with(|f| {
                    if f.emails.is_empty() {
                        view! { <p id="email-forecast">"No system emails will be sent."</p> }.into_any()
                    } else {
                        let items = f
                            .emails
                            .iter()
                            .map(|e| {
                                let text = if e.off {
                                    format!(
                                        "{}: off, so {} people will not be emailed",
                                        e.email.title(),
                                        e.people,
                                    )
                                } else {
                                    format!("{}: {}", e.email.title(), e.people)
                                };
                                view! { <li class:off=e.off>{text}</li> }
                            })
                            .collect_view();
                        view! { <ul id="email-forecast">{items}</ul> }.into_any()
                    }
                })
        }}
    }
}

/// The rows, a page at a time, errors in red and editable.
#[component]
fn RowGrid(checks: Checks, error_rows: Memo<usize>) -> impl IntoView {
    let wizard = wizard();
    let only_errors = RwSignal::new(false);
    let page = RwSignal::new(0usize);
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
    let pages = move || shown.with(Vec::len).div_ceil(PAGE_ROWS).max(1);
    let on_last_page = move || page.get() + 1 >= pages();
    let on_page = move || {
        let first = page.get().min(pages() - 1) * PAGE_ROWS;
        shown.with(|s| {
            s.iter()
                .skip(first)
                .take(PAGE_ROWS)
                .copied()
                .collect::<Vec<_>>()
        })
    };
    let mapped = move |column: usize| {
        wizard
            .mapping
            .with(|m| m.columns.get(column).is_some_and(Option::is_some))
    };

    view! {
        <div class="grid-tools">
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || only_errors.get()
                    on:change=move |ev| {
                        only_errors.set(event_target_checked(&ev));
                        page.set(0);
                    }
                />
                "Only rows with errors"
            </label>
            <span class="hint">{move || format!("{} rows with errors", error_rows.get())}</span>
        </div>
        <div class="table-wrap">
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
                <For each=on_page key=|i| *i let:index>
                    <PreviewRow index checks/>
                </For>
            </table>
        </div>
        <nav class="pager" aria-label="Rows">
            <button
                type="button"
                class="secondary"
                disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
            >
                "Previous"
            </button>
            <span>
                {move || {
                    let total = shown.with(Vec::len);
                    let first = page.get().min(pages() - 1) * PAGE_ROWS;
                    if total == 0 {
                        "No rows to show".to_owned()
                    } else {
                        format!("Rows {}–{} of {total}", first + 1, (first + PAGE_ROWS).min(total))
                    }
                }}
            </span>
            <button
                type="button"
                class="secondary"
                disabled=on_last_page
                on:click=move |_| page.update(|p| *p += 1)
            >
                "Next"
            </button>
        </nav>
    }
}

/// One row: text when clean, inputs when it has (or had) errors, and its
/// messages below it.
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
    let cell = move |column: usize| {
        wizard.rows.with(|r| {
            r.get(index)
                .and_then(|r| r.cells.get(column).cloned())
                .unwrap_or_default()
        })
    };
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
        <tbody>
            <tr data-line=line class:has-errors=move || has_errors.get()>
                <th scope="row">{line}</th>
                {move || {
                    let editable = editable.get();
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
                                view! { <td class:bad=move || bad(column)>{move || cell(column)}</td> }.into_any()
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
                                                        {error_place(&e)}
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
