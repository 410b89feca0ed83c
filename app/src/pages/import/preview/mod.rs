//! Step 3: every row checked, what the import will do, and the errors to
//! fix — in place, re-checked as you type (docs/importing.md, step 3).

mod column_fixes;
mod counts;
mod rows;
mod rule;
mod value_maps;

use super::state::{Asked, RunState, Wizard};
use super::{back_to_upload_without_file, step_page, wizard};
use crate::api::imports::{known_people, KNOWN_PEOPLE_PER_CALL};
use crate::api::ImportContext;
use crate::components::file_io::{download_csv, download_xlsx};
use crate::components::slices::{in_slices, yield_to_browser};
use crate::components::workbook_module::error_log_workbook;
use crate::components::ErrorNotice;
use crate::domain::csv_upload::{
    error_log_csv, error_log_name, ErrorLogRows, Forecast, Known, RowCheck, RowChecker, SeenPeople,
};
use crate::domain::text::thousands;
use crate::domain::ProfileField;
use column_fixes::ColumnFixCard;
use counts::{Counts, EmailForecastList};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use rows::RowGrid;
use rule::UpdateRuleChoice;
use value_maps::ValueMapping;

#[component]
pub fn PreviewPage() -> impl IntoView {
    let wizard = wizard();
    back_to_upload_without_file(wizard);
    // Without a file nothing is drawn on the way back to the upload: no
    // checking starts in a page about to go.
    move || {
        wizard
            .has_table()
            .then(|| step_page("Preview", 2, |context| view! { <PreviewBody context/> }))
    }
}

type Checks = RwSignal<Vec<RowCheck>>;

/// Rows checked between two looks at the clock.
const CHECK_STEP: usize = 128;

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn PreviewBody(context: ImportContext) -> impl IntoView {
    let wizard = wizard();
    let (checks, checking) = checks_in_slices(wizard, StoredValue::new(context.fields.clone()));
    let id_field = ProfileField::external_id_of(&context.fields).cloned();
    look_up_people(wizard, checks, id_field.as_ref().map(|f| f.key.clone()));
    let emails_off = context.emails_off.clone();
    let fields = context.fields.clone();
    let forecast = Memo::new(move |_| {
        checks.with(|checks| {
            wizard.known.with(|known| {
                Forecast::new(
                    checks.iter().filter_map(|c| c.person.as_ref()),
                    &Known::new(known, id_field.as_ref()),
                    wizard.adds_members(),
                    wizard.rule.with(|r| r.add),
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
    let checked = move || checks.with(|c| c.len()) - error_rows.get();
    let left_out = move || {
        forecast.with(|f| f.skipped_existing + f.skipped_new + f.id_conflicts.len() as u64) as usize
    };
    let importable = move || checked().saturating_sub(left_out());

    let blocked = move || {
        if checking.get() {
            Some("Checking the rows…".to_owned())
        } else if wizard.lookups_pending.get() > 0 {
            Some("Checking which people are already in the platform…".to_owned())
        } else if wizard.lookup_error.with(Option::is_some) {
            Some(
                "Roster could not check which people already exist: reload the page to try again."
                    .to_owned(),
            )
        } else if wizard.adds_members() && over_by() > 0 {
            Some(format!(
                "This import would bring active users to {}, over the licence of {} by {}: remove {} of the people who are new to the platform, or ask for a larger licence.",
                thousands(active_after()),
                thousands(license.limit),
                thousands(over_by()),
                thousands(over_by())
            ))
        } else if checked() == 0 {
            Some(
                "No row can be imported yet: fix the errors below, or upload a fixed file."
                    .to_owned(),
            )
        } else if importable() == 0 {
            Some(
                "Under this rule every person is skipped: choose another rule above, or upload another file."
                    .to_owned(),
            )
        } else {
            None
        }
    };
    let navigate = use_navigate();
    let complete = move |_| navigate(&wizard.url("complete"), Default::default());
    let log_name = move |extension: &str| {
        wizard
            .table_file()
            .map(|f| error_log_name(&f.name, extension))
            .unwrap_or_default()
    };
    let download = move |_| {
        let names = wizard.cell_names.get_untracked();
        let log = checks.with(|c| error_log_csv(c.iter().flat_map(|c| &c.errors), names.as_ref()));
        download_csv(&log_name("csv"), &log);
    };
    let download_workbook = move |_| {
        let name = log_name("xlsx");
        // Only the rows with errors cross to the workbook module.
        let (rows, checks) = wizard.rows.with_untracked(|rows| {
            checks.with_untracked(|c| {
                rows.iter()
                    .zip(c)
                    .filter(|(_, check)| !check.errors.is_empty())
                    .map(|(row, check)| (row.clone(), check.clone()))
                    .unzip()
            })
        });
        let log = ErrorLogRows {
            headers: wizard.headers.get_untracked(),
            rows,
            checks,
        };
        leptos::task::spawn_local(async move {
            download_xlsx(&name, error_log_workbook(&log).await);
        });
    };

    view! {
        <section class="card">
            <h2>"What this import will do"</h2>
            <UpdateRuleChoice/>
            <Counts forecast error_rows/>
            {if wizard.adds_members() {
                view! {
                    <p id="license-forecast" class:over=move || over_by() != 0>
                        {move || {
                            format!(
                                "Active users: {} → {} of {}",
                                thousands(license.active_users),
                                thousands(active_after()),
                                thousands(license.limit),
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
                            thousands(license.active_users),
                            thousands(license.limit),
                        )}
                    </p>
                    <p id="email-forecast">"No emails will be sent: dormant users are never emailed."</p>
                }
                    .into_any()
            }}
            {move || wizard.lookup_error.get().map(|error| view! { <ErrorNotice error/> })}
        </section>
        <ColumnFixCard fields=StoredValue::new(fields.clone()) error_rows/>
        <ValueMapping fields=StoredValue::new(fields) checking error_rows/>
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
                <button
                    type="button"
                    class="secondary"
                    disabled=move || error_rows.get() == 0
                    on:click=download_workbook
                >
                    "Download as Excel (.xlsx)"
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
                                n => format!("Complete: import {} rows", thousands(n)),
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

/// Every row's verdict, worked out again in slices whenever the rows, the
/// mapping or the roles change; `checking` while a run is under way (the
/// earlier verdicts stay on screen meanwhile). A file of a few thousand
/// rows is checked in one slice, in the task after the one that asked.
fn checks_in_slices(
    wizard: Wizard,
    fields: StoredValue<Vec<ProfileField>>,
) -> (Checks, RwSignal<bool>) {
    let checks = RwSignal::new(Vec::new());
    let checking = RwSignal::new(wizard.rows.with_untracked(|rows| !rows.is_empty()));
    let runs = StoredValue::new(0u64);
    Effect::new(move |_| {
        wizard.headers.track();
        wizard.mapping.track();
        // No rows: the page is on its way back to the upload step, and a
        // signal set now would wake views being taken down.
        if wizard.rows.with(Vec::is_empty) {
            return;
        }
        let roles = wizard.role_choice();
        runs.update_value(|n| *n += 1);
        let run = runs.get_value();
        // Stops once a newer run starts or the page is left.
        let current = move || runs.try_get_value() == Some(run);
        checking.set(true);
        spawn_local(async move {
            // Not in the task that drew the step (or took the keystroke),
            // which has work enough: the two made one long task.
            yield_to_browser().await;
            let mut done = Vec::new();
            let mut seen = wizard
                .rows
                .with_untracked(|rows| SeenPeople::with_capacity(rows.len()));
            in_slices(|| {
                if !current() {
                    return true;
                }
                fields.with_value(|fields| {
                    wizard.headers.with_untracked(|headers| {
                        wizard.mapping.with_untracked(|mapping| {
                            wizard.rows.with_untracked(|rows| {
                                let rest = rows.get(done.len()..).unwrap_or_default();
                                let mut checker = RowChecker::resume(
                                    headers,
                                    fields,
                                    mapping,
                                    &roles,
                                    std::mem::take(&mut seen),
                                );
                                done.extend(rest.iter().take(CHECK_STEP).map(|r| checker.check(r)));
                                seen = checker.into_seen();
                                rest.len() <= CHECK_STEP
                            })
                        })
                    })
                })
            })
            .await;
            if current() {
                // Like a memo: unchanged verdicts wake nothing up.
                if checks.with_untracked(|old| *old != done) {
                    checks.set(done);
                }
                checking.set(false);
            }
        });
    });
    (checks, checking)
}

/// Asks the server about every valid email (and external ID, under the
/// field `id_key`) not asked about yet, whenever the checked rows change
/// (an email typed in place is looked up too).
fn look_up_people(wizard: Wizard, checks: Checks, id_key: Option<String>) {
    let id_key = StoredValue::new(id_key);
    Effect::new(move |_| {
        checks.track();
        wizard.lookups_pending.update(|n| *n += 1);
        let slug = wizard.track_slug.get_value();
        spawn_local(async move {
            // Not in the task that set the verdicts, which has work enough.
            yield_to_browser().await;
            // A hundred thousand rows take a while to walk too: in slices.
            let mut fresh = Vec::new();
            let mut next = 0;
            in_slices(|| {
                let walked = checks.try_with_untracked(|checks| {
                    let start = next.min(checks.len());
                    next = (start + CHECK_STEP * 8).min(checks.len());
                    id_key.with_value(|id_key| {
                        let asks = checks[start..next]
                            .iter()
                            .filter_map(|c| c.person.as_ref())
                            .flat_map(|p| {
                                let id = id_key.as_deref().and_then(|k| p.answers.get(k));
                                [
                                    Some(Asked::Email(p.email.normalized())),
                                    id.map(|id| Asked::Id(id.to_owned())),
                                ]
                            })
                            .flatten();
                        fresh.extend(wizard.take_unasked(asks));
                    });
                    next == checks.len()
                });
                walked.unwrap_or(true)
            })
            .await;
            for chunk in fresh.chunks(KNOWN_PEOPLE_PER_CALL) {
                let (mut emails, mut ids) = (Vec::new(), Vec::new());
                for asked in chunk {
                    match asked {
                        Asked::Email(email) => emails.push(email.clone()),
                        Asked::Id(id) => ids.push(id.clone()),
                    }
                }
                match known_people(slug.clone(), emails, ids).await {
                    // Nobody known: nothing to work out again.
                    Ok(found) if found.is_empty() => {}
                    Ok(found) => {
                        wizard.known.try_update(|known| {
                            known.extend(found.into_iter().map(|p| (p.email.clone(), p)));
                        });
                    }
                    Err(error) => {
                        wizard.lookup_error.try_set(Some(error));
                        break;
                    }
                }
            }
            wizard
                .lookups_pending
                .try_update(|n| *n = n.saturating_sub(1));
        });
    });
}
