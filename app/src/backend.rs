//! What the server crate provides to server functions (SSR only).
//!
//! `app` never touches a database: the server implements [`Backend`] and
//! puts it into leptos context; server functions fetch it with [`backend`].

use crate::api::{InstanceSummary, SetupLinkInfo, TrackSummary, Viewer};
use crate::domain::{Admin, Email, NewPassword};
use crate::error::AppError;
use leptos::prelude::*;
use std::sync::Arc;

/// A session just opened: the cookie value and how long it lives.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub max_age_secs: i64,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// The admin behind a session token: `NotSignedIn` for an unknown one,
    /// `SessionExpired` for one that has run out.
    async fn authenticate(&self, session_token: &str) -> Result<Admin, AppError>;
    async fn login(&self, email: &str, password: &str) -> Result<NewSession, AppError>;
    async fn logout(&self, session_token: &str) -> Result<(), AppError>;
    async fn setup_info(&self, invite_token: &str) -> Result<SetupLinkInfo, AppError>;
    async fn complete_setup(
        &self,
        invite_token: &str,
        email: Option<Email>,
        password: NewPassword,
    ) -> Result<NewSession, AppError>;
    async fn viewer(&self, admin: &Admin) -> Result<Viewer, AppError>;
    async fn instance_overview(&self, admin: &Admin) -> Result<InstanceSummary, AppError>;
    async fn track_overview(&self, admin: &Admin, slug: &str) -> Result<TrackSummary, AppError>;
    /// Whether cookies must carry `Secure` (the app is served over https).
    fn secure_cookies(&self) -> bool;
}

pub type SharedBackend = Arc<dyn Backend>;

pub const SESSION_COOKIE: &str = "roster_session";

pub fn backend() -> Result<SharedBackend, AppError> {
    use_context::<SharedBackend>().ok_or_else(|| {
        leptos::logging::error!("no Backend in context: the server must provide one");
        AppError::Internal
    })
}

/// Runs a server function body and, when it was called over HTTP, gives its
/// error the right status. During server rendering the same function runs
/// inside a page's request, whose status the page decides.
pub async fn answer<T>(
    body: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        let called_over_http = use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.uri.path().starts_with(crate::api::PREFIX));
        if let (true, Some(opts), Ok(status)) = (
            called_over_http,
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(err.status()),
        ) {
            opts.set_status(status);
        }
    }
    result
}

/// The session token from the request's cookies, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The signed-in admin, or `NotSignedIn` / `SessionExpired`.
pub async fn current_admin() -> Result<Admin, AppError> {
    let token = session_token().ok_or(AppError::NotSignedIn)?;
    backend()?.authenticate(&token).await
}

pub fn set_session_cookie(session: &NewSession) {
    let secure = backend().map(|b| b.secure_cookies()).unwrap_or(false);
    set_cookie(&session.token, session.max_age_secs, secure);
}

pub fn clear_session_cookie() {
    let secure = backend().map(|b| b.secure_cookies()).unwrap_or(false);
    set_cookie("", 0, secure);
}

fn set_cookie(value: &str, max_age: i64, secure: bool) {
    let Some(opts) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        opts.append_header(http::header::SET_COOKIE, value);
    }
}
