//! The server's integration tests: the real app on a random port with a
//! fresh database, SQLite and PostgreSQL (zero-to-production's `tests/api`).
//! One binary with a module per area, so `cargo test` links them once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod helpers;

mod access;
mod accounts;
mod adds;
mod api_v1;
mod cli_import;
mod column_fixes;
mod concurrency;
mod crash;
mod external_ids;
mod history;
mod import_statistics;
mod imports;
mod mail;
mod mappings;
mod scim;
mod scim_compliance;
mod startup;
mod tokens;
mod trust;
mod undo;
mod update_rules;
mod users;
mod value_maps;
mod web_guard;
