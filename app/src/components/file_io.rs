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
    #[cfg(feature = "hydrate")]
    if let Err(e) = browser::download(name, text) {
        leptos::logging::error!("download failed: {e:?}");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, text);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::PickedFile;
    use leptos::wasm_bindgen::{JsCast, JsValue};

    pub fn read(file: web_sys::File, then: impl FnOnce(Result<PickedFile, String>) + 'static) {
        leptos::task::spawn_local(async move {
            let read = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
            then(match read {
                Ok(buffer) => Ok(PickedFile {
                    name: file.name(),
                    bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
                }),
                Err(_) => Err(
                    "The file could not be read: check it is still there and choose it again."
                        .to_owned(),
                ),
            });
        });
    }

    pub fn download(name: &str, text: &str) -> Result<(), JsValue> {
        let parts = js_sys::Array::of1(&JsValue::from_str(&format!("\u{feff}{text}")));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let anchor: web_sys::HtmlAnchorElement = leptos::prelude::document()
            .create_element("a")?
            .dyn_into()
            .map_err(JsValue::from)?;
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        // The download has its own copy once started.
        let revoke = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        });
        leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            10_000,
        )?;
        Ok(())
    }
}
