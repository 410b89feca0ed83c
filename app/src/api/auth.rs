//! Signing in and out, and the one-time setup link.

use crate::api::{SetupLinkInfo, Viewer};
use crate::error::AppError;
use leptos::prelude::*;

/// Where to go after signing in: only a path on this site written in the
/// characters of a plain address, so a crafted link can neither send an
/// admin elsewhere (`//host`, `/\host`, `/<tab>/host`, which browsers read
/// as `//host`) nor break the redirect header (control characters).
pub fn safe_next(next: Option<&str>) -> String {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-._~/?=&%+,:;@!$'()*".contains(&b);
    match next {
        Some(path)
            if path.len() <= 2_000
                && path.starts_with('/')
                && !path.starts_with("//")
                && path.bytes().all(plain) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The sign-in page, coming back to `path` once signed in.
pub fn sign_in_path(path: &str) -> String {
    format!(
        "/login?next={}",
        crate::domain::text::encode_query_value(path)
    )
}

/// Where an expired session is sent.
pub const SESSION_EXPIRED_PATH: &str = "/login?expired=1";

/// The signed-in admin, or `None` when nobody is signed in.
#[server(prefix = "/api", endpoint = "get_viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    use crate::backend::{overview, Call};
    let call = Call::begin()?;
    call.answer(
        async {
            match call.admin().await {
                Ok(admin) => Ok(Some(overview::viewer(call.db(), &admin).await?)),
                Err(AppError::NotSignedIn) => Ok(None),
                Err(AppError::SessionExpired) => {
                    call.clear_session_cookie();
                    Err(AppError::SessionExpired)
                }
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::backend::{accounts, sessions, Call};
    let call = Call::begin()?;
    call.answer(
        async {
            let session =
                accounts::login(call.db(), &email, &password, call.client_address()).await?;
            // A new session id at every sign-in; the one the browser had
            // (another admin's, or one planted by someone else) ends.
            if let Some(previous) = call.session_token() {
                sessions::logout(call.db(), &previous).await?;
            }
            call.set_session_cookie(&session);
            call.redirect(&safe_next(next.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::{sessions, Call};
    let call = Call::begin()?;
    call.answer(
        async {
            if let Some(token) = call.session_token() {
                sessions::logout(call.db(), &token).await?;
            }
            call.clear_session_cookie();
            call.redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// What a setup link is for; an error if it is unknown, used or expired.
#[server(prefix = "/api", endpoint = "setup_info")]
pub async fn setup_info(token: String) -> Result<SetupLinkInfo, AppError> {
    use crate::backend::{accounts, Call};
    let call = Call::begin()?;
    call.answer(
        accounts::setup_info(call.db(), &token)
            .await
            .map_err(AppError::from),
    )
}

/// Sets the password of the account a setup link is for (creating the first
/// global admin for the first start's link) and signs them in.
#[server(prefix = "/api", endpoint = "complete_setup")]
pub async fn complete_setup(
    token: String,
    email: Option<String>,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::backend::{accounts, Call};
    use crate::domain::{Email, NewPassword};
    let call = Call::begin()?;
    call.answer(
        async {
            let email = match email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                Some(raw) => Some(Email::parse(raw).map_err(|e| AppError::Invalid(e.to_string()))?),
                None => None,
            };
            let password = NewPassword::parse(&password, &confirm)
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            let session = accounts::complete_setup(call.db(), &token, email, password).await?;
            call.set_session_cookie(&session);
            call.redirect("/");
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/tracks/engineering/members")),
            "/tracks/engineering/members"
        );
        assert_eq!(safe_next(Some("//evil.example.com")), "/");
        assert_eq!(safe_next(Some("https://evil.example.com")), "/");
        assert_eq!(safe_next(Some("/\\evil.example.com")), "/");
        assert_eq!(safe_next(None), "/");
        // Browsers drop tabs and line breaks from addresses: "/\t/evil"
        // would be "//evil"; and a line break cannot go in a header.
        for crafted in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/%09/x\r\n",
            "/\u{0}",
            "/ünï",
        ] {
            assert_eq!(safe_next(Some(crafted)), "/", "{crafted:?}");
        }
        assert_eq!(
            safe_next(Some("/users?q=ann%20lee&state=dormant")),
            "/users?q=ann%20lee&state=dormant"
        );
    }
}
