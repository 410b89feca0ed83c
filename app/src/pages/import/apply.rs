//! Steps 4 and 5: the rows go to the server in batches with a progress
//! bar, then the counts (docs/importing.md, steps 4 and 5).

use super::state::{RunState, Wizard};
use super::{back_to_upload_without_file, error_place, import_context, wizard, Steps};
use crate::api::imports::{apply_batch, batch_len, finish_import, start_import};
use crate::components::slices::now;
use crate::components::ErrorNotice;
use crate::domain::csv_upload::Target;
use crate::domain::pace::pace;
use crate::domain::text::thousands;
use crate::domain::AddRule;
use crate::{AppError, RowOutcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// Tries per batch when the network or the server fails: a batch sent
/// twice is applied once, so trying again is always safe.
const TRIES: usize = 3;

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
pub fn CompletePage() -> impl IntoView {
    let wizard = wizard();
    back_to_upload_without_file(wizard);
    let navigate = use_navigate();
    // Member counts and licence use change with the import: the next file
    // must be previewed against the new figures.
    let track = use_context::<crate::pages::TrackResource>();
    let context = import_context();
    let to_done = move || {
        if let Some(track) = track {
            track.refetch();
        }
        context.refetch();
        navigate(
            &wizard.url("done"),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    };
    let run = {
        let to_done = to_done.clone();
        move || {
            let to_done = to_done.clone();
            spawn_local(async move {
                if send_rows(wizard).await {
                    to_done();
                }
            });
        }
    };
    {
        let run = run.clone();
        Effect::new(move |_| {
            if wizard.has_table() && wizard.run.get_untracked() == RunState::NotStarted {
                run();
            }
        });
    }
    let progress = move || match wizard.run.get() {
        RunState::Running { sent, total, .. } | RunState::Failed { sent, total, .. } => {
            (sent, total)
        }
        RunState::NotStarted => (0, 1),
        RunState::Finished { .. } => (1, 1),
    };
    view! {
        <Title text="Importing"/>
        <h1>"Importing…"</h1>
        <Steps current=3/>
        <section class="card">
            <progress
                id="import-progress"
                max=move || progress().1.max(1)
                value=move || progress().0
                aria-label="Rows sent"
            ></progress>
            <p aria-live="polite">
                {move || {
                    let (sent, total) = progress();
                    format!("{} of {} rows sent and applied.", thousands(sent), thousands(total))
                }}
            </p>
            <p id="import-pace" class="hint">
                {move || wizard.run.with(|run| match run {
                    RunState::Running { pace: Some(pace), .. } => format!("{pace}."),
                    _ => String::new(),
                })}
            </p>
            {move || match wizard.run.get() {
                RunState::Failed { error, .. } => {
                    let run = run.clone();
                    view! {
                        <ErrorNotice error/>
                        <p>"The rows sent so far are saved. Trying again carries on where this stopped and adds nobody twice."</p>
                        <button type="button" on:click=move |_| run()>"Try again"</button>
                    }
                        .into_any()
                }
                RunState::Finished { .. } => {
                    view! { <a href=wizard.url("done")>"See the result"</a> }.into_any()
                }
                _ => view! { <p class="hint">"Keep this page open until the import is complete."</p> }.into_any(),
            }}
        </section>
    }
}

/// Sends what is left to send; true when the import is complete.
async fn send_rows(wizard: Wizard) -> bool {
    let Some(plan) = wizard.plan() else {
        return false;
    };
    let rows = wizard.rows.get_untracked();
    let total = rows.len();
    let (mut sent, import_id) = match wizard.run.get_untracked() {
        RunState::Failed {
            sent, import_id, ..
        } => (sent, import_id),
        _ => (0, None),
    };
    let fail = |error: AppError, import_id: Option<i64>, sent: usize| {
        wizard.run.set(RunState::Failed {
            import_id,
            error,
            sent,
            total,
        });
        false
    };
    wizard.run.set(RunState::Running {
        import_id,
        sent,
        total,
        pace: None,
    });
    // Paced from this run's first row: a run resumed after a failure
    // says nothing of the rows an earlier run sent.
    let (began, sent_before) = (now(), sent);
    let id = match import_id {
        Some(id) => id,
        None => match start_import(plan).await {
            Ok(id) => id,
            Err(error) => return fail(error, None, sent),
        },
    };
    while sent < total {
        let batch = &rows[sent..sent + batch_len(&rows[sent..])];
        let mut tries = 1;
        let results = loop {
            match apply_batch(id, batch.to_vec()).await {
                Ok(results) => break results,
                Err(AppError::Unreachable | AppError::Internal) if tries < TRIES => tries += 1,
                Err(error) => return fail(error, Some(id), sent),
            }
        };
        wizard.results.update(|r| r.extend(results));
        sent += batch.len();
        wizard.run.set(RunState::Running {
            import_id: Some(id),
            sent,
            total,
            pace: pace(sent - sent_before, now() - began, total - sent),
        });
    }
    match finish_import(id).await {
        Ok(counts) => {
            wizard.run.set(RunState::Finished {
                import_id: id,
                counts,
            });
            true
        }
        Err(error) => fail(error, Some(id), sent),
    }
}

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
pub fn DonePage() -> impl IntoView {
    let wizard = wizard();
    back_to_upload_without_file(wizard);
    let slug = wizard.track_slug.get_value();
    let item = move |key: &'static str,
                     label: &'static str,
                     get: fn(&crate::api::ImportCounts) -> u64| {
        view! {
            <li data-count=key>
                <strong>
                    {move || {
                        wizard.run.with(|run| match run {
                            RunState::Finished { counts, .. } => thousands(get(counts)).to_string(),
                            _ => "0".to_owned(),
                        })
                    }}
                </strong>
                " "
                {label}
            </li>
        }
    };
    let skipped = move || {
        let names = wizard.cell_names.get_untracked();
        wizard.results.with(|results| {
            results
                .iter()
                .flat_map(|r| r.errors.iter())
                .map(|e| view! { <li>{error_place(e, names.as_ref())}{e.message.clone()}</li> })
                .collect_view()
        })
    };
    let has_skipped = move || {
        wizard
            .results
            .with(|r| r.iter().any(|r| !r.errors.is_empty()))
    };
    let add_rule = wizard.rule.get_untracked().add;
    let rule_item = move || match add_rule {
        AddRule::AddAndUpdate => None,
        AddRule::OnlyNew => Some(item(
            "skipped-existing",
            "already on the platform, skipped",
            |c| c.skipped_existing,
        )),
        AddRule::OnlyExisting => Some(item("skipped-new", "new emails, skipped", |c| {
            c.skipped_new
        })),
    };
    view! {
        <Title text="Import complete"/>
        <h1>"Import complete"</h1>
        <Steps current=4/>
        <section class="card">
            {if wizard.adds_members() {
                view! {
                    <ul id="done-counts" class="counts">
                        {item("created", "new users created", |c| c.created)}
                        {item("updated", "existing users updated", |c| c.updated)}
                        {item("added", "added to the track", |c| c.added)}
                        {item("roles-added", "members gained roles", |c| c.roles_added)}
                        {item("emails", "system emails queued", |c| c.emails_queued)}
                        {rule_item()}
                        {item("skipped", "rows skipped with errors", |c| c.skipped)}
                    </ul>
                }
                    .into_any()
            } else {
                view! {
                    <ul id="done-counts" class="counts">
                        {item("created", "new dormant users created", |c| c.created)}
                        {item("updated", "existing users updated", |c| c.updated)}
                        {rule_item()}
                        {item("skipped", "rows skipped with errors", |c| c.skipped)}
                    </ul>
                    <p>"Nobody was added to a track and no email was queued."</p>
                }
                    .into_any()
            }}
        </section>
        <RuleSkipped/>
        <Show when=has_skipped>
            <section class="card">
                <h2>"Rows not imported"</h2>
                <ul id="skipped-rows" class="errors">{skipped}</ul>
            </section>
        </Show>
        <div class="actions">
            {match slug {
                Some(slug) if wizard.adds_members() => {
                    view! { <a class="button" href=format!("/tracks/{slug}/members")>"See members"</a> }
                        .into_any()
                }
                Some(_) => ().into_any(),
                None => view! { <a class="button" href="/users">"See users"</a> }.into_any(),
            }}
            {move || {
                wizard
                    .run
                    .with(RunState::import_id)
                    .map(|id| view! { <a href=format!("/imports/{id}")>"This import in the history"</a> })
            }}
            <a href=wizard.url("") on:click=move |_| wizard.clear()>"Add more users"</a>
        </div>
        <p class="hint">
            "Made a mistake? The import's page in the history can undo it for as long as the instance holds emails."
        </p>
    }
}

/// Skipped people the Done page lists; the history lists them all.
const SKIPPED_LISTED: usize = 1_000;

/// The people the update rule left out, by line and email.
#[component]
fn RuleSkipped() -> impl IntoView {
    let wizard = wizard();
    let email_column = wizard
        .mapping
        .with_untracked(|m| m.column_of(&Target::Email));
    let skipped: Vec<(u64, &'static str)> = wizard.results.with_untracked(|results| {
        results
            .iter()
            .filter_map(|r| match r.outcome {
                RowOutcome::SkippedExisting => Some((r.line, "already on the platform")),
                RowOutcome::SkippedNew => Some((r.line, "not on the platform")),
                _ => None,
            })
            .collect()
    });
    if skipped.is_empty() {
        return None;
    }
    let more = skipped.len().saturating_sub(SKIPPED_LISTED);
    // The rows are in line order.
    let items = wizard.rows.with_untracked(|rows| {
        skipped
            .into_iter()
            .take(SKIPPED_LISTED)
            .map(|(line, why)| {
                let email = rows
                    .binary_search_by_key(&line, |row| row.line)
                    .ok()
                    .and_then(|at| rows.get(at))
                    .zip(email_column)
                    .and_then(|(row, column)| {
                        row.cells.get(column).map(str::trim).map(str::to_owned)
                    })
                    .unwrap_or_default();
                view! { <li>"Line " {line} ": " {email} " — " {why}</li> }
            })
            .collect_view()
    });
    Some(view! {
        <section class="card">
            <h2>"Skipped by the update rule"</h2>
            <ul id="rule-skipped">{items}</ul>
            {(more > 0)
                .then(|| {
                    view! {
                        <p class="hint">
                            {format!("…and {} more: the import's page in the history lists every row.", thousands(more))}
                        </p>
                    }
                })}
        </section>
    })
}
