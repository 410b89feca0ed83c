//! Pieces shared by several pages.

pub mod file_io;
mod layout;
pub mod slices;
pub mod user_search;
pub mod virtual_rows;
mod widgets;
pub mod workbook_module;

pub use layout::AdminLayout;
pub use widgets::{ErrorNotice, LicenseMeter, Loading, RoleBoxes};
