//! API tokens (docs/api.md): a global admin names a token, chooses what it
//! may reach, copies it once, and can revoke it; the list shows when and
//! from where each was last used.

use super::loaded;
use crate::api::auth::get_viewer;
use crate::api::tokens::{
    api_tokens, create_api_token, revoke_api_token, ApiToken, NewToken, TokenScope,
    MAX_TOKEN_NAME_CHARS,
};
use crate::api::TrackRef;
use crate::components::ErrorNotice;
use crate::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeSet;

#[component]
pub fn TokensPage() -> impl IntoView {
    let list = Resource::new(|| (), |()| api_tokens());
    let reload = Callback::new(move |()| list.refetch());
    let viewer = Resource::new(|| (), |()| get_viewer());
    view! {
        <Title text="API tokens"/>
        <h1>"API tokens"</h1>
        <p class="hint">
            "A token lets another system — an HR feed, a script — call Roster as you, with nobody at the keyboard: it sends "
            <code>"Authorization: Bearer <token>"</code>
            " with each call. Give each system its own token, with only the tracks it needs, and revoke it when the system goes."
        </p>
        {loaded(
            viewer,
            move |viewer| match viewer {
                Some(v) if v.is_global => {
                    view! { <NewTokenForm tracks=v.tracks reload/> }.into_any()
                }
                _ => view! { <p>"Only global admins create API tokens."</p> }.into_any(),
            },
        )}
        <h2>"Tokens"</h2>
        {loaded(
            list,
            move |tokens: Vec<ApiToken>| {
                if tokens.is_empty() {
                    view! { <p id="no-tokens">"No token yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="saved-mappings" id="api-tokens">
                            {tokens
                                .into_iter()
                                .map(|token| view! { <TokenItem token reload/> })
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
fn NewTokenForm(tracks: Vec<TrackRef>, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let global = RwSignal::new(false);
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let created = RwSignal::new(None::<NewToken>);
    let error = RwSignal::new(None::<AppError>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scope = if global.get_untracked() {
            TokenScope::Global
        } else {
            TokenScope::Tracks(chosen.get_untracked().into_iter().collect())
        };
        let name_now = name.get_untracked();
        leptos::task::spawn_local(async move {
            match create_api_token(name_now, scope).await {
                Ok(token) => {
                    error.set(None);
                    created.set(Some(token));
                    name.set(String::new());
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let boxes = tracks
        .into_iter()
        .map(|t| {
            let slug = t.slug.clone();
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                let slug = slug.clone();
                chosen.update(|c| {
                    if on {
                        c.insert(slug);
                    } else {
                        c.remove(&slug);
                    }
                });
            };
            view! {
                <label class="check">
                    <input type="checkbox" on:change=toggle prop:disabled=move || global.get()/>
                    {t.name}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="card" id="new-token" on:submit=create>
            <h2>"New token"</h2>
            <div class="field">
                <label for="token-name">"Name"</label>
                <input
                    id="token-name"
                    type="text"
                    maxlength=MAX_TOKEN_NAME_CHARS
                    placeholder="HR feed"
                    prop:value=move || name.get()
                    on:input=move |e| name.set(event_target_value(&e))
                />
            </div>
            <fieldset>
                <legend>"It may add people to"</legend>
                {boxes}
                <label class="check">
                    <input type="checkbox" on:change=move |e| global.set(event_target_checked(&e))/>
                    "The global level and every track"
                </label>
            </fieldset>
            <button type="submit">"Create token"</button>
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
            {move || {
                created
                    .get()
                    .map(|new| {
                        view! {
                            <div class="notice" id="created-token" role="status">
                                <p>"Copy the token now: it is not shown again."</p>
                                <p>
                                    <code class="token">{new.token}</code>
                                </p>
                            </div>
                        }
                    })
            }}
        </form>
    }
}

#[component]
fn TokenItem(token: ApiToken, reload: Callback<()>) -> impl IntoView {
    let ApiToken {
        id,
        name,
        scope,
        created_at,
        created_by,
        revoked_at,
        last_used_at,
        last_used_from,
    } = token;
    let error = RwSignal::new(None::<AppError>);
    let revoke = move |_| {
        leptos::task::spawn_local(async move {
            match revoke_api_token(id).await {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let by = created_by.map(|e| format!(" by {e}")).unwrap_or_default();
    let used = match (last_used_at, last_used_from) {
        (Some(at), Some(from)) => format!("Last used {at} UTC from {from}"),
        (Some(at), None) => format!("Last used {at} UTC"),
        _ => "Never used".to_owned(),
    };
    let revoked = revoked_at.is_some();
    view! {
        <li class="card" data-token=name.clone()>
            <h3>{name.clone()}</h3>
            <p>{format!("May add people to: {scope}")}</p>
            <p class="hint">{format!("Created {created_at} UTC{by}. {used}.")}</p>
            {match revoked_at {
                Some(at) => view! { <p class="revoked">{format!("Revoked {at} UTC")}</p> }.into_any(),
                None => {
                    view! {
                        <button type="button" class="secondary" on:click=revoke disabled=revoked>
                            {format!("Revoke “{name}”")}
                        </button>
                    }
                        .into_any()
                }
            }}
            {move || error.get().map(|error| view! { <ErrorNotice error/> })}
        </li>
    }
}
