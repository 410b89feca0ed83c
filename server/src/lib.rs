//! Roster's server: configuration, database, the service behind the server
//! functions, and the HTTP app. `main.rs` is a thin CLI over this.

pub mod accounts;
pub mod adds;
mod bulk_insert;
pub mod config;
pub mod db;
pub mod emails;
pub mod entities;
pub mod error;
pub mod history;
pub mod imports;
pub mod instance_file;
pub mod instance_sync;
pub mod mail_delivery;
pub mod overview;
mod page_access;
mod reactive_owner;
pub mod secrets;
pub mod service;
pub mod sessions;
pub mod sign_in_throttle;
pub mod startup;
pub mod undo;
pub mod users;
pub mod web_guard;
