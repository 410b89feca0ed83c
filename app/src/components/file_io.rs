//! The wizard's two contacts with browser APIs: reading a chosen or dropped
//! file, and handing the admin a generated file. On the server (which never
//! runs event handlers) they do nothing.

use leptos::ev::{DragEvent, Event};

/// A chosen file's name and bytes.
pub struct PickedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads the file of a file input's `change` event, then calls `then`.
pub fn read_input_file(ev: &Event, then: impl FnOnce(Result<PickedFile, String>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            browser::read(file, then);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, then);
}

/// Reads the first file dropped on a drop zone, then calls `then`.
pub fn read_dropped_file(ev: &DragEvent, then: impl FnOnce(Result<PickedFile, String>) + 'static) {
    ev.prevent_default();
    #[cfg(feature = "hydrate")]
    {
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            browser::read(file, then);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = then;
}

/// Offers `text` as a CSV download named `name`, behind a UTF-8 byte-order
/// mark: without it Excel reads the file as Windows-1252 and garbles accents.
pub fn download_csv(name: &str, text: &str) {
    let bytes = format!("\u{feff}{text}");
    download(name, bytes.as_bytes(), "text/csv;charset=utf-8");
}

/// Offers an .xlsx workbook as a download named `name`; a workbook that
/// could not be written is logged (it would be a bug, not the admin's).
pub fn download_xlsx(name: &str, made: Result<Vec<u8>, impl std::fmt::Display>) {
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    match made {
        Ok(bytes) => download(name, &bytes, XLSX),
        Err(e) => leptos::logging::error!("{name} could not be written: {e}"),
    }
}

fn download(name: &str, bytes: &[u8], mime: &str) {
    #[cfg(feature = "hydrate")]
    if let Err(e) = browser::download(name, bytes, mime) {
        leptos::logging::error!("download failed: {e:?}");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, bytes, mime);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::PickedFile;
    use gloo_file::{Blob, File, ObjectUrl};
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use std::time::Duration;

    pub fn read(file: web_sys::File, then: impl FnOnce(Result<PickedFile, String>) + 'static) {
        let file = File::from(file);
        leptos::task::spawn_local(async move {
            let read = gloo_file::futures::read_as_bytes(&file).await;
            then(match read {
                Ok(bytes) => Ok(PickedFile {
                    name: file.name(),
                    bytes,
                }),
                Err(_) => Err(
                    "The file could not be read: check it is still there and choose it again."
                        .to_owned(),
                ),
            });
        });
    }

    pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), JsValue> {
        let blob = Blob::new_with_options(bytes, Some(mime));
        let url = ObjectUrl::from(blob);
        let anchor: web_sys::HtmlAnchorElement = leptos::prelude::document()
            .create_element("a")?
            .dyn_into()
            .map_err(JsValue::from)?;
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        // The download has its own copy once started; dropping the
        // `ObjectUrl` revokes it.
        leptos::prelude::set_timeout(move || drop(url), Duration::from_secs(10));
        Ok(())
    }
}
