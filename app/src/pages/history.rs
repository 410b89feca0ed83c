//! Import history (docs/history-and-undo.md): every import and manual or pool add, newest
//! first, and one import's rows with their outcomes and errors.

use super::loaded;
use super::undo::UndoSection;
use super::{by_id_param, track_slug};
use crate::api::history::{
    import_history, load_import_detail, ImportDetail, ImportSummary, IMPORTS_PER_PAGE,
};
use crate::api::undo::UndoCounts;
use crate::api::ImportCounts;
use crate::components::file_io::download_csv;
use crate::components::{ErrorNotice, Loading};
use crate::domain::csv_upload::{error_log_csv, error_log_name};
use crate::domain::text::thousands;
use crate::domain::ImportKind;
use crate::domain::ImportStatus;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TrackHistoryPage() -> impl IntoView {
    let slug = track_slug();
    view! { <History track_slug=Some(slug)/> }
}

#[component]
pub fn GlobalHistoryPage() -> impl IntoView {
    view! { <History track_slug=None/> }
}

#[component]
fn History(track_slug: Option<String>) -> impl IntoView {
    let base = match &track_slug {
        Some(slug) => format!("/tracks/{slug}/history"),
        None => "/history".to_owned(),
    };
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .saturating_sub(1)
    });
    let at_track = track_slug.is_some();
    let history = Resource::new(
        move || (track_slug.clone(), page.get()),
        |(slug, page)| import_history(slug, page),
    );
    view! {
        <Title text="Import history"/>
        <h1>"Import history"</h1>
        <Transition fallback=Loading>
            {move || {
                let base = base.clone();
                Suspend::new(async move {
                    match history.await {
                        Ok(found) if found.imports.is_empty() => {
                            Either::Left(view! { <p class="card">"Nothing has been imported or added here yet."</p> }.into_any())
                        }
                        Ok(found) => {
                            let pages = u32::try_from(found.total.div_ceil(u64::from(IMPORTS_PER_PAGE))).unwrap_or(1).max(1);
                            let current = found.page;
                            Either::Left(
                                view! {
                                    <div class="table-wrap">
                                        <table class="user-list" id="import-history">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"When (UTC)"</th>
                                                    <th scope="col">"What"</th>
                                                    {(!at_track).then(|| view! { <th scope="col">"Where"</th> })}
                                                    <th scope="col">"Who"</th>
                                                    <th scope="col">"Counts"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {found
                                                    .imports
                                                    .into_iter()
                                                    .map(|i| view! { <HistoryRow import=i at_track/> })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <nav class="pager" aria-label="Pages">
                                        {(current > 0).then(|| view! { <a href=format!("{base}?page={current}") rel="prev">"← Newer"</a> })}
                                        <span>{format!("Page {} of {}", thousands(current + 1), thousands(pages))}</span>
                                        {(current + 1 < pages).then(|| view! { <a href=format!("{base}?page={}", current + 2) rel="next">"Older →"</a> })}
                                    </nav>
                                }
                                    .into_any(),
                            )
                        }
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })
            }}
        </Transition>
    }
}

/// "3 created · 1 updated · …", leaving out the zeros.
fn counts_text(c: &ImportCounts) -> String {
    let emails = if c.emails_queued == 1 {
        "email queued"
    } else {
        "emails queued"
    };
    let parts: Vec<String> = [
        (c.created, "created"),
        (c.updated, "updated"),
        (c.added, "added to the track"),
        (c.roles_added, "gained roles"),
        (c.emails_queued, emails),
        (c.skipped, "skipped"),
        (c.skipped_existing, "already on the platform, left alone"),
        (c.skipped_new, "new, left out"),
        (c.left, "left the track"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", thousands(n)))
    .collect();
    if parts.is_empty() {
        "nothing written".to_owned()
    } else {
        parts.join(" · ")
    }
}

#[component]
fn HistoryRow(import: ImportSummary, at_track: bool) -> impl IntoView {
    let what = match (&import.file_name, &import.sheet) {
        (Some(name), Some(sheet)) if import.kind.is_file() => {
            format!("{}: {name}, sheet {sheet}", import.kind.label())
        }
        (Some(name), None) if import.kind.names_its_source() => {
            format!("{}: {name}", import.kind.label())
        }
        _ => import.kind.label().to_owned(),
    };
    let place = import
        .track
        .as_ref()
        .map_or_else(|| "Global level".to_owned(), |t| t.name.clone());
    view! {
        <tr data-import=import.id>
            <td data-label="When (UTC)">{import.started_at.clone()}</td>
            <td data-label="What">
                <a href=format!("/imports/{}", import.id)>{what}</a>
                {(import.status != ImportStatus::Completed).then(|| view! { " " <span class="badge">{import.status.label()}</span> })}
            </td>
            {(!at_track).then(|| view! { <td data-label="Where">{place}</td> })}
            <td data-label="Who">{import.admin_email.clone().unwrap_or_default()}</td>
            <td data-label="Counts">{counts_text(&import.counts)}</td>
        </tr>
    }
}

#[component]
pub fn ImportDetailPage() -> impl IntoView {
    let detail = by_id_param(
        load_import_detail,
        "There is no such import: pick one from the history.",
    );
    // What the last undo did, shown once the import is loaded again.
    let undone = RwSignal::new(None);
    let reload = Callback::new(move |()| detail.refetch());
    view! {
        <Title text="Import"/>
        {loaded(detail, move |detail| view! { <DetailBody detail undone reload/> })}
    }
}

/// Long because most of it is the view's markup, which reads best in one piece.
#[component]
fn DetailBody(
    detail: ImportDetail,
    undone: RwSignal<Option<UndoCounts>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ImportDetail {
        summary,
        rows,
        undo,
    } = detail;
    let back = summary.track.as_ref().map_or_else(
        || "/history".to_owned(),
        |t| format!("/tracks/{}/history", t.slug),
    );
    let errors: Vec<_> = rows.iter().flat_map(|r| r.errors.iter().cloned()).collect();
    let has_errors = !errors.is_empty();
    let log = StoredValue::new(error_log_csv(&errors, None));
    let name = error_log_name(summary.file_name.as_deref().unwrap_or("import"), "csv");
    let download = move |_| log.with_value(|text| download_csv(&name, text));
    view! {
        <p>
            <a href=back>"← Import history"</a>
        </p>
        <h1>{summary.kind.label()}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{if summary.kind == ImportKind::Scim { "Change" } else { "File" }}</dt>
                <dd>{summary.file_name.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                {summary
                    .sheet
                    .clone()
                    .map(|sheet| view! {
                        <dt>"Sheet"</dt>
                        <dd id="import-sheet">{sheet}</dd>
                    })}
                <dt>"Where"</dt>
                <dd>{summary.track.as_ref().map_or_else(|| "Global level".to_owned(), |t| t.name.clone())}</dd>
                <dt>"Who"</dt>
                <dd>{summary.admin_email.clone().unwrap_or_default()}</dd>
                <dt>"When (UTC)"</dt>
                <dd>{summary.started_at.clone()}</dd>
                <dt>"Status"</dt>
                <dd id="import-status">{summary.status.label()}</dd>
                {summary
                    .kind
                    .is_file()
                    .then(|| view! {
                        <dt>"Update rule"</dt>
                        <dd id="import-rule">{summary.rule.label()}</dd>
                    })}
                <dt>"Counts"</dt>
                <dd id="import-counts">{counts_text(&summary.counts)}</dd>
            </dl>
            {has_errors
                .then(|| {
                    view! {
                        <button type="button" class="secondary" on:click=download>
                            "Download error log"
                        </button>
                    }
                })}
        </section>
        <UndoSection id=summary.id window=undo undone reload/>
        <div class="table-wrap">
            <table class="user-list" id="import-rows">
                <thead>
                    <tr>
                        <th scope="col">"Line"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let outcome = r.outcome.label();
                            view! {
                                <tr data-line=r.line>
                                    <td data-label="Line">{r.line}</td>
                                    <td data-label="Email">{r.email.unwrap_or_default()}</td>
                                    <td data-label="Outcome">
                                        {outcome}
                                        {r
                                            .errors
                                            .into_iter()
                                            .map(|e| view! { <p class="field-error">{e.column} ": " {e.message}</p> })
                                            .collect_view()}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
