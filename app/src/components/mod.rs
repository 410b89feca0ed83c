//! Pieces shared by several pages.

pub mod file_io;
mod layout;
pub mod slices;
mod widgets;

pub use layout::AdminLayout;
pub use widgets::{ErrorNotice, LicenseMeter, Loading, RoleBoxes};
