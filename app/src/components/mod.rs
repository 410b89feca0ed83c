//! Pieces shared by several pages.

mod layout;
mod widgets;

pub use layout::AdminLayout;
pub use widgets::{ErrorNotice, LicenseMeter, Loading};
