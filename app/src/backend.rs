//! What the server crate provides to server functions (SSR only).
//!
//! `app` never touches a database: the server implements [`Backend`] and
//! puts it into leptos context; server functions reach it through [`Call`].

use crate::api::adds::{AddPersonResult, FoundPerson, PoolAddSummary};
use crate::api::emails::{EmailTemplate, TrackEmails};
use crate::api::history::{HistoryPage, ImportDetail};
use crate::api::undo::{UndoCounts, UndoPlan};
use crate::api::KnownPerson;
use crate::api::{
    ImportContext, ImportCounts, ImportPlan, InstanceSummary, RowResult, SetupLinkInfo,
    TrackSummary, UserDetail, UserPage, UserQuery, Viewer,
};
use crate::domain::csv_upload::CsvRow;
use crate::domain::{Admin, Email, NewPassword, PersonForm, Roles};
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
    /// Signs in from the client address `client` (the connection's peer).
    async fn login(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
    ) -> Result<NewSession, AppError>;
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
    /// What the wizard checks a file against; `dormant` for a dormant
    /// import (at a track: only in a single-track program).
    async fn import_context(
        &self,
        admin: &Admin,
        track_slug: Option<&str>,
        dormant: bool,
    ) -> Result<ImportContext, AppError>;
    async fn known_people(
        &self,
        admin: &Admin,
        track_slug: Option<&str>,
        emails: Vec<String>,
    ) -> Result<Vec<KnownPerson>, AppError>;
    /// Records an import about to be applied; its id for the batches.
    async fn start_import(&self, admin: &Admin, plan: ImportPlan) -> Result<i64, AppError>;
    async fn apply_batch(
        &self,
        admin: &Admin,
        import_id: i64,
        rows: Vec<CsvRow>,
    ) -> Result<Vec<RowResult>, AppError>;
    async fn finish_import(&self, admin: &Admin, import_id: i64) -> Result<ImportCounts, AppError>;
    async fn list_users(&self, admin: &Admin, query: UserQuery) -> Result<UserPage, AppError>;
    async fn user_detail(&self, admin: &Admin, id: i64) -> Result<UserDetail, AppError>;
    async fn find_person(
        &self,
        admin: &Admin,
        track_slug: &str,
        email: &str,
    ) -> Result<Option<FoundPerson>, AppError>;
    async fn add_person(
        &self,
        admin: &Admin,
        track_slug: &str,
        roles: Roles,
        form: PersonForm,
    ) -> Result<AddPersonResult, AppError>;
    async fn import_history(
        &self,
        admin: &Admin,
        track_slug: Option<&str>,
        page: u32,
    ) -> Result<HistoryPage, AppError>;
    async fn import_detail(&self, admin: &Admin, id: i64) -> Result<ImportDetail, AppError>;
    async fn preview_undo(&self, admin: &Admin, id: i64) -> Result<UndoPlan, AppError>;
    async fn undo_import(
        &self,
        admin: &Admin,
        id: i64,
        expected: UndoCounts,
    ) -> Result<UndoCounts, AppError>;
    async fn track_emails(&self, admin: &Admin, track_slug: &str) -> Result<TrackEmails, AppError>;
    async fn save_email_template(
        &self,
        admin: &Admin,
        track_slug: &str,
        template: EmailTemplate,
    ) -> Result<EmailTemplate, AppError>;
    async fn pool_matching_ids(
        &self,
        admin: &Admin,
        query: UserQuery,
    ) -> Result<Vec<i64>, AppError>;
    async fn add_from_pool(
        &self,
        admin: &Admin,
        track_slug: &str,
        user_ids: Vec<i64>,
        roles: Roles,
    ) -> Result<PoolAddSummary, AppError>;
    /// Whether cookies must carry `Secure` (the app is served over https).
    fn secure_cookies(&self) -> bool;
}

pub type SharedBackend = Arc<dyn Backend>;

pub const SESSION_COOKIE: &str = "roster_session";
/// Served over https, the cookie's name carries the `__Host-` prefix: the
/// browser then keeps it only if it is `Secure`, for this host alone and
/// for every path, so no other site of the domain can set or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-roster_session";

fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token among a request's cookies, if any.
pub fn session_token_in(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    let name = session_cookie_name(secure);
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that sets the session cookie to `value` for
/// `max_age` seconds (an empty value and 0: clears it).
pub fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let name = session_cookie_name(secure);
    let flag = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{flag}")
}

/// One server function call's view of its request. Take it before the first
/// `.await`: leptos context is only reachable synchronously at the start of
/// the call (during server rendering the rest may be polled elsewhere).
pub struct Call {
    owner: Owner,
    backend: SharedBackend,
    parts: Option<http::request::Parts>,
    response: Option<leptos_axum::ResponseOptions>,
}

impl Call {
    pub fn begin() -> Result<Self, AppError> {
        let backend = use_context::<SharedBackend>().ok_or_else(|| {
            leptos::logging::error!("no Backend in context: the server must provide one");
            AppError::Internal
        })?;
        Ok(Call {
            owner: Owner::current().unwrap_or_default(),
            backend,
            parts: use_context::<http::request::Parts>(),
            response: use_context::<leptos_axum::ResponseOptions>(),
        })
    }

    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    /// The session token from the request's cookies, if any.
    pub fn session_token(&self) -> Option<String> {
        session_token_in(&self.parts.as_ref()?.headers, self.backend.secure_cookies())
    }

    /// The address the request came from (the connection's peer).
    pub fn client_address(&self) -> Option<std::net::IpAddr> {
        self.parts
            .as_ref()?
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
    }

    /// The signed-in admin, or `NotSignedIn` / `SessionExpired`. While a
    /// page renders, the server has already looked the session up and put
    /// the admin on the request.
    pub async fn admin(&self) -> Result<Admin, AppError> {
        if let Some(admin) = self
            .parts
            .as_ref()
            .and_then(|p| p.extensions.get::<Admin>())
        {
            return Ok(admin.clone());
        }
        let token = self.session_token().ok_or(AppError::NotSignedIn)?;
        self.backend.authenticate(&token).await
    }

    /// Passes the result on; when the call came over HTTP, an error also
    /// sets the response status. During server rendering the same function
    /// runs inside a page's request, whose status the page decides.
    pub fn answer<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result {
            let over_http = self
                .parts
                .as_ref()
                .is_some_and(|p| p.uri.path().starts_with(crate::api::PREFIX));
            if let (true, Some(response), Ok(status)) = (
                over_http,
                &self.response,
                http::StatusCode::from_u16(err.status()),
            ) {
                response.set_status(status);
            }
        }
        result
    }

    pub fn set_session_cookie(&self, session: &NewSession) {
        self.set_cookie(&session.token, session.max_age_secs);
    }

    pub fn clear_session_cookie(&self) {
        self.set_cookie("", 0);
    }

    fn set_cookie(&self, value: &str, max_age: i64) {
        let Some(response) = &self.response else {
            return;
        };
        let cookie = session_cookie(value, max_age, self.backend.secure_cookies());
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Sends the browser to `path` once the call returns.
    pub fn redirect(&self, path: &str) {
        self.owner.with(|| leptos_axum::redirect(path));
    }
}
