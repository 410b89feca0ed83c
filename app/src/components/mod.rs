//! Pieces shared by several pages.

pub mod file_io;
mod layout;
pub mod slices;
mod widgets;

pub(crate) use layout::encode_query_value;
pub use layout::AdminLayout;
pub use widgets::{ErrorNotice, LicenseMeter, Loading, RoleBoxes};
