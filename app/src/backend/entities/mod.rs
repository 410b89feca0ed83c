//! sea-orm entities for the tables the server reads and writes.
//! The schema itself lives in the `migrations` crate.

pub mod admin;
pub mod admin_invite;
pub mod admin_track;
pub mod api_token;
pub mod email_template;
pub mod idempotency_key;
pub mod import;
pub mod import_row;
pub mod instance_settings;
pub mod membership;
pub mod outbox;
pub mod profile_answer;
pub mod profile_field;
pub mod profile_field_option;
pub mod saved_mapping;
pub mod scim_user;
pub mod session;
pub mod sign_in_failure;
pub mod stored;
pub mod track;
pub mod user;
