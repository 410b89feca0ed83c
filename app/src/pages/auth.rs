//! Sign in, and the one-time setup link.

use super::loaded;
use crate::api::auth::{setup_info, CompleteSetup, Login};
use crate::api::SetupLinkInfo;
use crate::domain::password::MIN_PASSWORD_CHARS;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A submission's error as an alert, announced to screen readers.
fn action_error<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Error = crate::AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    move || {
        action
            .value()
            .get()
            .and_then(|result| result.err())
            .map(|error| view! { <div class="alert error" role="alert">{error.to_string()}</div> })
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let expired = move || query.read().get("expired").is_some();
    view! {
        <Title text="Sign in"/>
        <main class="auth-page">
            <div class="card">
                <h1>"Sign in to Roster"</h1>
                <Show when=expired>
                    <div class="alert" role="status">"Your session has expired: please sign in again."</div>
                </Show>
                {action_error(login)}
                <ActionForm action=login>
                    <input type="hidden" name="next" value=next/>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input id="email" type="email" name="email" autocomplete="username" required/>
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" type="password" name="password" autocomplete="current-password" required/>
                    </div>
                    <button type="submit" disabled=move || login.pending().get()>"Sign in"</button>
                </ActionForm>
            </div>
        </main>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let info = Resource::new(token, setup_info);
    view! {
        <Title text="Set your password"/>
        <main class="auth-page">
            <div class="card">
                <h1>"Set your password"</h1>
                {loaded(info, move |info| view! { <SetupForm info token=token()/> })}
                <p class="hint">
                    "Already set up? " <a href="/login">"Sign in"</a>
                </p>
            </div>
        </main>
    }
}

#[component]
fn SetupForm(info: SetupLinkInfo, token: String) -> impl IntoView {
    let complete = ServerAction::<CompleteSetup>::new();
    let first_admin = info.email.is_none();
    view! {
        {match info.email {
            Some(email) => view! { <p>"Choose a password for " <strong>{email}</strong> "."</p> }.into_any(),
            None => {
                view! {
                    <p>"You are setting up Roster: this account becomes the first global admin."</p>
                }
                    .into_any()
            }
        }}
        {action_error(complete)}
        <ActionForm action=complete>
            <input type="hidden" name="token" value=token/>
            {first_admin
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="email">"Your email"</label>
                            <input id="email" type="email" name="email" autocomplete="username" required/>
                        </div>
                    }
                })}
            <div class="field">
                <label for="password">"Password"</label>
                <input
                    id="password"
                    type="password"
                    name="password"
                    autocomplete="new-password"
                    minlength=MIN_PASSWORD_CHARS.to_string()
                    aria-describedby="password-hint"
                    required
                />
                <span id="password-hint" class="hint">{format!("At least {MIN_PASSWORD_CHARS} characters.")}</span>
            </div>
            <div class="field">
                <label for="confirm">"Type it again"</label>
                <input id="confirm" type="password" name="confirm" autocomplete="new-password" required/>
            </div>
            <button type="submit" disabled=move || complete.pending().get()>"Save and sign in"</button>
        </ActionForm>
    }
}
