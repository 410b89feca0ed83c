//! SCIM 2.0 (RFC 7643, RFC 7644) in plain Rust (docs/scim.md): what an
//! identity provider's request says, worked out before anything is read
//! or written — its filter, its PATCH operations, the user it describes,
//! the attributes it asks back — and the documents that describe the
//! service. The server turns users into resources and writes through the
//! import path.

mod error;
mod filter;
mod patch;
mod projection;
mod resources;
mod users;

pub use error::ScimError;
pub use filter::Filter;
pub use patch::PatchOp;
pub use projection::Projection;
pub use resources::{
    resource_types, schemas, service_provider_config, EXTENSION, GROUP, LIST, MAX_RESULTS,
    PATCH_OP, USER,
};
pub use users::{with_address, GroupRef, UserView, UserWrite};

#[cfg(test)]
mod tests;
