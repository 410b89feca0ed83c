//! The error every server function returns: a sentence a person can act on.
//!
//! Internal details never cross the wire; the server logs them and sends
//! `Internal`, whose message only says what to do next.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AppError {
    #[error("Please sign in to continue.")]
    NotSignedIn,
    #[error("Your session has expired: please sign in again.")]
    SessionExpired,
    /// An `Authorization: Bearer` token that is unknown or revoked.
    #[error("This API token is unknown or has been revoked: ask a global admin for a new one.")]
    TokenRefused,
    /// The same words for an unknown email and a wrong password.
    #[error("That email and password do not match an admin account. Check both and try again.")]
    SignInFailed,
    #[error("You do not have access to this. Ask a global admin if you need it.")]
    Forbidden,
    /// Said alike for every address, known or not.
    #[error("Too many failed sign-ins from here: wait {minutes} minutes and try again. Someone signing in from another place is not held up.")]
    TooManySignIns { minutes: u64 },
    /// More sign-ins at once than the server checks at a time.
    #[error("Roster is busy checking other sign-ins: try again in a few seconds.")]
    Busy,
    /// What was looked for, as a sentence ("No track is called …").
    #[error("{0}")]
    NotFound(String),
    /// Input the server refused, with what to do about it.
    #[error("{0}")]
    Invalid(String),
    #[error("Something went wrong on our side. Please try again; if it keeps happening, tell your Roster administrator.")]
    Internal,
    /// The request never got a proper answer (network down, server restarting).
    #[error("Roster could not be reached: check your connection and try again.")]
    Unreachable,
}

impl AppError {
    /// The HTTP status a server function answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn
            | AppError::SessionExpired
            | AppError::SignInFailed
            | AppError::TokenRefused => 401,
            AppError::Forbidden => 403,
            AppError::TooManySignIns { .. } | AppError::Busy => 429,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Internal => 500,
            AppError::Unreachable => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(err: ServerFnErrorErr) -> Self {
        match err {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                // The request could not be read: a 400, not the 500 that
                // server_fn answers for any error before the function runs.
                #[cfg(feature = "ssr")]
                if let Some(response) =
                    leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                {
                    response.set_status(http::StatusCode::BAD_REQUEST);
                }
                AppError::Invalid(
                    "The form was incomplete or malformed: reload the page and try again.".into(),
                )
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unreachable,
            _ => AppError::Internal,
        }
    }
}
