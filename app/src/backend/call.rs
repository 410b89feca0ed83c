//! One server function call's view of its request, and [`for_admin`], the
//! shape of nearly every server function: who is calling, then the work.

use super::api_tokens;
use super::error::ServiceError;
use super::session_cookie::{session_cookie, session_token_in};
use super::sessions::{self, NewSession};
use crate::domain::Admin;
use crate::error::AppError;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;
use std::future::Future;
use tracing::Instrument;

/// What every call on this server shares, put into leptos context at start:
/// the one database pool, and whether cookies must carry `Secure` (the app
/// is served over https). Nothing else lives in a server's memory.
#[derive(Clone)]
pub struct ServerState {
    pub db: DatabaseConnection,
    pub secure_cookies: bool,
}

/// Runs `work` for the signed-in admin with the database pool: a refusal
/// if nobody is signed in, and over HTTP any error as the response status.
/// A server function is then who may call it and what it does:
/// `for_admin(|admin, db| async move { users::list(&db, &admin, query).await }).await`.
pub async fn for_admin<T, Work, Done>(work: Work) -> Result<T, AppError>
where
    Work: FnOnce(Admin, DatabaseConnection) -> Done,
    Done: Future<Output = Result<T, ServiceError>>,
{
    let call = Call::begin()?;
    let span = tracing::info_span!(
        "server_call",
        endpoint = call.endpoint(),
        admin = tracing::field::Empty
    );
    let result = async {
        match call.admin().await {
            Ok(admin) => {
                tracing::Span::current().record("admin", admin.id);
                work(admin, call.db().clone()).await.map_err(AppError::from)
            }
            Err(refused) => Err(refused),
        }
    }
    .instrument(span)
    .await;
    call.answer(result)
}

/// One server function call's view of its request. Take it before the first
/// `.await`: leptos context is only reachable synchronously at the start of
/// the call (during server rendering the rest may be polled elsewhere).
pub struct Call {
    owner: Owner,
    state: ServerState,
    parts: Option<http::request::Parts>,
    response: Option<leptos_axum::ResponseOptions>,
}

impl Call {
    pub fn begin() -> Result<Self, AppError> {
        let state = use_context::<ServerState>().ok_or_else(|| {
            leptos::logging::error!("no ServerState in context: the server must provide one");
            AppError::Internal
        })?;
        Ok(Call {
            owner: Owner::current().unwrap_or_default(),
            state,
            parts: use_context::<http::request::Parts>(),
            response: use_context::<leptos_axum::ResponseOptions>(),
        })
    }

    /// The path the call came in on (the page's, during server rendering);
    /// never the query string, which may carry a token.
    pub fn endpoint(&self) -> &str {
        self.parts.as_ref().map_or("", |p| p.uri.path())
    }

    /// The database pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// The session token from the request's cookies, if any.
    pub fn session_token(&self) -> Option<String> {
        session_token_in(&self.parts.as_ref()?.headers, self.state.secure_cookies)
    }

    /// The API token of an `Authorization: Bearer` header, if any.
    fn bearer_token(&self) -> Option<&str> {
        api_tokens::bearer_token(&self.parts.as_ref()?.headers)
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
        if let Some(token) = self.bearer_token() {
            let from = self.client_address();
            return Ok(api_tokens::authenticate(&self.state.db, token, from).await?);
        }
        if let Some(admin) = self
            .parts
            .as_ref()
            .and_then(|p| p.extensions.get::<Admin>())
        {
            return Ok(admin.clone());
        }
        let token = self.session_token().ok_or(AppError::NotSignedIn)?;
        Ok(sessions::authenticate(&self.state.db, &token).await?)
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
        let cookie = session_cookie(value, max_age, self.state.secure_cookies);
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Sends the browser to `path` once the call returns.
    pub fn redirect(&self, path: &str) {
        self.owner.with(|| leptos_axum::redirect(path));
    }
}
