//! Roster's server: configuration, the database pool and its schema, the
//! instance file, the mail worker and the HTTP app. What server functions
//! run lives in `app::backend`. `main.rs` is a thin CLI over this.

pub mod api_v1;
pub mod config;
pub mod db;
pub mod error;
pub mod import_command;
pub mod instance_file;
pub mod instance_sync;
pub mod mail_delivery;
mod page_access;
mod reactive_owner;
pub mod scim;
pub mod startup;
pub mod web_guard;
