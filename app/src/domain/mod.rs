//! The platform's rules, in plain Rust.
//!
//! This crate (re-exported as `app::domain`) is compiled into the wasm
//! bundle *and* into the server, so the browser and the server give the
//! same verdict. It stays free of leptos, sea-orm and web-sys — its
//! Cargo.toml lists only std-level, pure crates.

pub mod access;
pub mod csv_upload;
pub mod email;
pub mod email_text;
pub mod pace;
pub mod password;
pub mod person_form;
pub mod profile;
pub mod records;
pub mod roles;
#[cfg(feature = "scim")]
pub mod scim;
pub mod system_email;
pub mod text;

pub use access::{Admin, AdminScope};
pub use email::{Email, EmailError};
pub use password::{NewPassword, PasswordError};
pub use person_form::PersonForm;
pub use profile::{FieldKind, ProfileField};
pub use records::{AddRule, ImportKind, ImportStatus, OutboxStatus, UpdateRule, WriteRule};
pub use roles::{Role, Roles};
pub use system_email::SystemEmail;
