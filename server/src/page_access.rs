//! Pages that need a signed-in admin send everyone else to sign in before
//! anything is rendered (issue 17).
//!
//! The admin layout says the same while it renders, which is what a page
//! opened inside the app needs. But a page is streamed: when the layout's
//! part was not ready by the first chunk, the redirect it asked for came
//! after the headers had gone (1 expired session in ~15 under load), and
//! rendering whole pages instead (`SsrMode::Async`) hung now and then in
//! leptos. Decided here, the status, the address and the cleared cookie of
//! an expired session are on the response before a byte of it is written.

use app::api::auth::{sign_in_path, SESSION_EXPIRED_PATH};
use app::backend::session_cookie::{session_cookie, session_token_in};
use app::backend::{sessions, ServerState};
use app::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages anyone may open.
fn is_open(path: &str) -> bool {
    path.starts_with(app::api::PREFIX) || path == "/login" || path == "/setup"
}

pub async fn send_strangers_to_sign_in(
    State(access): State<ServerState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !matches!(*request.method(), Method::GET | Method::HEAD) || is_open(path) {
        return next.run(request).await;
    }
    let verdict = match session_token_in(request.headers(), access.secure_cookies) {
        None => Err(AppError::NotSignedIn),
        Some(token) => sessions::authenticate(&access.db, &token)
            .await
            .map_err(AppError::from),
    };
    match verdict {
        Err(AppError::NotSignedIn) => redirect(&sign_in_path(path), None),
        Err(AppError::SessionExpired) => redirect(
            SESSION_EXPIRED_PATH,
            Some(session_cookie("", 0, access.secure_cookies)),
        ),
        // The render's server functions take the admin from here instead
        // of looking the session up again (`Call::admin`).
        Ok(admin) => {
            request.extensions_mut().insert(admin);
            next.run(request).await
        }
        // An error the page itself will explain.
        Err(_) => next.run(request).await,
    }
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(to) {
        headers.insert(header::LOCATION, location);
    }
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}
