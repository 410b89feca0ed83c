//! Server functions: the only way the browser reaches persistence. Each has
//! a stable path, `/api/<name>`, so scripts and tests can call them too.
//!
//! Their bodies run on the server only, where they find the caller from the
//! session cookie and call `crate::backend` (compiled with `ssr` only)
//! directly, most through `backend::for_admin`.

/// Where every server function lives.
pub const PREFIX: &str = "/api/";

pub mod adds;
pub mod auth;
pub mod emails;
pub mod history;
pub mod imports;
pub mod mappings;
pub mod overview;
pub mod tokens;
mod types;
pub mod undo;
pub mod users;

pub use imports::{ImportContext, ImportCounts, ImportPlan, KnownPerson, RowOutcome, RowResult};
pub use types::*;
pub use users::{
    ProfileAnswer, TrackRoles, UserDetail, UserListing, UserPage, UserQuery, UserScope, UserState,
};
