//! What server functions run on the server (feature `ssr` only): the
//! database, its entities and the rules that read and write them. A server
//! function calls these directly, through [`for_admin`] or [`Call`]; the
//! browser's build has none of it (no database crate reaches the wasm).

pub mod accounts;
pub mod adds;
pub mod api_tokens;
mod bulk;
mod call;
pub mod db;
pub mod emails;
pub mod entities;
pub mod error;
pub mod external_ids;
pub mod history;
pub mod idempotency;
pub mod imports;
pub mod overview;
pub mod saved_mappings;
pub mod scim;
pub mod secrets;
pub mod session_cookie;
pub mod sessions;
pub mod sign_in_throttle;
pub mod undo;
pub mod users;

pub use call::{for_admin, Call, ServerState};
