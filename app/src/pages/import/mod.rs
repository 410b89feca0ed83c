//! Add users from CSV (docs/importing.md): a wizard with one URL per step, so
//! the browser's Back button works. The parent route keeps the state; each
//! step is a page under it. The same wizard adds active members at a track
//! and dormant users at the global level (or at the track of a single-track
//! program), where it has no role step.

mod apply;
mod map;
mod preview;
mod state;
mod template;
mod upload;

use apply::{CompletePage, DonePage};
use map::MapPage;
use preview::PreviewPage;
use upload::UploadPage;

use crate::api::imports::load_import_context;
use crate::api::ImportContext;
use crate::components::slices::yield_to_browser;
use crate::domain::csv_upload::{CellError, CellNames};
use crate::pages::{loaded, track_slug};
use crate::AppError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use state::Wizard;

type ContextResource = Resource<Result<ImportContext, AppError>>;

/// The wizard at a track: active members with roles.
#[component]
pub fn TrackImportWizard() -> impl IntoView {
    let slug = track_slug();
    import_wizard(format!("/tracks/{slug}/import"), Some(slug), false)
}

/// The dormant import from a single-track program's page (docs/importing.md).
#[component]
pub fn TrackDormantImportWizard() -> impl IntoView {
    let slug = track_slug();
    import_wizard(format!("/tracks/{slug}/dormant-import"), Some(slug), true)
}

/// The dormant import at the global level (docs/importing.md).
#[component]
pub fn GlobalImportWizard() -> impl IntoView {
    import_wizard("/import".to_owned(), None, true)
}

/// Provides the wizard's state and the profile fields and limits it checks
/// against to every step.
fn import_wizard(base: String, track_slug: Option<String>, dormant: bool) -> impl IntoView {
    provide_context(Wizard::new(base, track_slug.clone(), dormant));
    let context: ContextResource = Resource::new(
        move || (track_slug.clone(), dormant),
        |(slug, dormant)| load_import_context(slug, dormant),
    );
    provide_context(context);
    view! { <Outlet/> }
}

/// The step named by the last part of the address (none: upload).
///
/// Going to another step takes the old one down in one task and draws the
/// new one in the next: the two together made the wizard's longest
/// main-thread tasks (docs/performance.md).
#[component]
pub fn ImportStep() -> impl IntoView {
    let params = use_params_map();
    let step = Memo::new(move |_| params.read().get("step").unwrap_or_default());
    let shown = RwSignal::new(Some(step.get_untracked()));
    Effect::watch(
        move || step.track(),
        move |_, _, _| {
            shown.set(None);
            spawn_local(async move {
                yield_to_browser().await;
                // The address may have moved on meanwhile: the latest step.
                if let Some(latest) = step.try_get_untracked() {
                    shown.try_set(Some(latest));
                }
            });
        },
        false,
    );
    move || {
        let Some(step) = shown.get() else {
            return ().into_any();
        };
        match step.as_str() {
        "" => view! { <UploadPage/> }.into_any(),
        "map" => view! { <MapPage/> }.into_any(),
        "preview" => view! { <PreviewPage/> }.into_any(),
        "complete" => view! { <CompletePage/> }.into_any(),
        "done" => view! { <DonePage/> }.into_any(),
        _ => view! {
            <Title text="No such step"/>
            <h1>"No such step"</h1>
            <p>
                "This import has no step at this address. " <a href=wizard().url("")>"Start with the upload"</a>
            </p>
        }
            .into_any(),
    }
    }
}

fn wizard() -> Wizard {
    expect_context::<Wizard>()
}

fn import_context() -> ContextResource {
    expect_context::<ContextResource>()
}

/// A step's page: its title, the steps, and its body once the fields and
/// limits are loaded.
fn step_page<V: IntoView + 'static>(
    title: &'static str,
    current: usize,
    body: impl Fn(ImportContext) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <Steps current/>
        {loaded(import_context(), body)}
    }
}

/// The steps, with the current one marked, at the top of every step.
#[component]
fn Steps(current: usize) -> impl IntoView {
    const STEPS: [&str; 5] = ["Upload", "Map", "Preview", "Complete", "Done"];
    view! {
        <ol class="steps" aria-label="Steps">
            {STEPS
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let state = match i.cmp(&current) {
                        std::cmp::Ordering::Less => "done",
                        std::cmp::Ordering::Equal => "current",
                        std::cmp::Ordering::Greater => "todo",
                    };
                    view! {
                        <li class=state aria-current=(i == current).then_some("step")>
                            {*name}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// Where an error is, as the preview and the done page list it: a
/// workbook's by its cell (`Staff!C7, Email: `).
fn error_place(error: &CellError, cells: Option<&CellNames>) -> String {
    match (cells, error.column.is_empty()) {
        (Some(names), true) => format!("{}: ", names.place(error)),
        (Some(names), false) => format!("{}, {}: ", names.place(error), error.column),
        (None, true) => format!("Line {}: ", error.line),
        (None, false) => format!("Line {}, {}: ", error.line, error.column),
    }
}

/// Later steps need a file: after a reload (the state is gone) they send
/// the admin back to the upload step.
fn back_to_upload_without_file(wizard: Wizard) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !wizard.has_table() {
            navigate(
                &wizard.url(""),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}
