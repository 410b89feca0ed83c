//! Remembered mappings (docs/importing.md, "Remembered mappings"): the
//! level's list, each with its headers and when and by whom it was last
//! saved, to rename or delete.

use super::{loaded, track_slug};
use crate::api::mappings::{
    delete_saved_mapping, rename_saved_mapping, saved_mappings, SavedMapping,
    MAX_MAPPING_NAME_CHARS,
};
use crate::components::ErrorNotice;
use crate::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TrackMappingsPage() -> impl IntoView {
    view! { <Mappings track_slug=Some(track_slug())/> }
}

#[component]
pub fn GlobalMappingsPage() -> impl IntoView {
    view! { <Mappings track_slug=None/> }
}

#[component]
fn Mappings(track_slug: Option<String>) -> impl IntoView {
    let list = Resource::new(move || track_slug.clone(), saved_mappings);
    let reload = Callback::new(move |()| list.refetch());
    view! {
        <Title text="Remembered mappings"/>
        <h1>"Remembered mappings"</h1>
        <p class="hint">
            "Each completed file import remembers how its columns were paired, under its headers. The next file with the same headers — in any order or case, or with one column more — opens the Map step paired the same way."
        </p>
        {loaded(
            list,
            move |mappings: Vec<SavedMapping>| {
                if mappings.is_empty() {
                    view! { <p id="no-mappings">"No mapping is remembered yet: complete a file import first."</p> }
                        .into_any()
                } else {
                    view! {
                        <ul class="saved-mappings" id="saved-mappings">
                            {mappings
                                .into_iter()
                                .map(|saved| view! { <MappingItem saved reload/> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            },
        )}
    }
}

#[component]
fn MappingItem(saved: SavedMapping, reload: Callback<()>) -> impl IntoView {
    let SavedMapping {
        id,
        name,
        headers,
        saved_at,
        saved_by,
    } = saved;
    let draft = RwSignal::new(name.clone());
    let error = RwSignal::new(None::<AppError>);
    let done = move |result: Result<(), AppError>| match result {
        Ok(()) => reload.run(()),
        Err(e) => error.set(Some(e)),
    };
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = draft.get_untracked();
        leptos::task::spawn_local(async move { done(rename_saved_mapping(id, name).await) });
    };
    let delete = move |_| {
        leptos::task::spawn_local(async move { done(delete_saved_mapping(id).await) });
    };
    let by = saved_by.map(|e| format!(" by {e}")).unwrap_or_default();
    view! {
        <li class="card" data-mapping=name.clone()>
            <form class="field inline" on:submit=rename>
                <label for=format!("mapping-name-{id}")>"Name"</label>
                <input
                    id=format!("mapping-name-{id}")
                    type="text"
                    maxlength=MAX_MAPPING_NAME_CHARS
                    prop:value=move || draft.get()
                    on:input=move |e| draft.set(event_target_value(&e))
                />
                <button type="submit" class="secondary">"Rename"</button>
            </form>
            <p class="hint">{format!("Last saved {saved_at} UTC{by}")}</p>
            <p class="headers">{format!("Headers: {}", headers.join(", "))}</p>
            <button type="button" class="secondary" on:click=delete>
                {format!("Delete “{name}”")}
            </button>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
        </li>
    }
}
