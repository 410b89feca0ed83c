//! Add users from CSV (SPEC §5): a wizard with one URL per step, so the
//! browser's Back button works. The parent route keeps the state; each step
//! is a page under it.

mod apply;
mod map;
mod preview;
mod state;
mod upload;

pub use apply::{CompletePage, DonePage};
pub use map::MapPage;
pub use preview::PreviewPage;
pub use upload::UploadPage;

use crate::api::imports::load_import_context;
use crate::api::ImportContext;
use crate::domain::csv_upload::CellError;
use crate::pages::loaded;
use crate::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use state::Wizard;

type ContextResource = Resource<Result<ImportContext, AppError>>;

/// The wizard at a track: its state and the profile fields and limits it
/// checks against, shared by every step.
#[component]
pub fn TrackImportWizard() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let wizard = Wizard::new(format!("/tracks/{slug}/import"), Some(slug.clone()));
    provide_context(wizard);
    let context: ContextResource = Resource::new(move || Some(slug.clone()), load_import_context);
    provide_context(context);
    view! { <Outlet/> }
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

/// Where an error is, as the preview and the done page list it.
fn error_place(error: &CellError) -> String {
    if error.column.is_empty() {
        format!("Line {}: ", error.line)
    } else {
        format!("Line {}, {}: ", error.line, error.column)
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
