//! Long work in slices, so that the page keeps answering taps and keys
//! while a big file is read and checked (docs/performance.md: no task over 50 ms).

/// Work runs for about this long before the browser gets a turn: well
/// under the 50 ms that makes a task "long", even on a slow phone.
const SLICE_MS: f64 = 12.0;

/// Calls `step` until it returns `true` (done), letting the browser handle
/// input and paint about every [`SLICE_MS`]. Work that finishes within one
/// slice, like a file of a few thousand rows, runs in one go. Either way it
/// yields once more at the end, so that what the caller does with the
/// result (drawing it, working out counts) gets a task of its own instead
/// of lengthening the last slice's: the two together made the wizard's long
/// tasks (docs/performance.md).
pub async fn in_slices(mut step: impl FnMut() -> bool) {
    loop {
        let start = now();
        loop {
            if step() {
                yield_to_browser().await;
                return;
            }
            if now() - start >= SLICE_MS {
                break;
            }
        }
        yield_to_browser().await;
    }
}

/// Milliseconds by the browser's clock.
#[cfg(feature = "hydrate")]
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// On the server nothing is interactive: the work runs in one go.
#[cfg(not(feature = "hydrate"))]
pub fn now() -> f64 {
    0.0
}

/// `scheduler.yield()` where the browser has it (it resumes ahead of other
/// tasks), else a zero timeout.
#[cfg(feature = "hydrate")]
pub async fn yield_to_browser() {
    use leptos::wasm_bindgen::JsCast;
    let scheduler_yield = || -> Option<js_sys::Promise> {
        let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok()?;
        let function = js_sys::Reflect::get(&scheduler, &"yield".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        function.call0(&scheduler).ok()?.dyn_into().ok()
    };
    let promise = scheduler_yield().unwrap_or_else(|| {
        js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback(&resolve);
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(not(feature = "hydrate"))]
pub async fn yield_to_browser() {}
