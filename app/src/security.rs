//! The Content-Security-Policy of Roster's pages (issue 9): scripts only
//! from Roster itself or with this render's nonce (the hydration script),
//! WebAssembly allowed to compile, nothing framed, nothing from elsewhere.

/// The policy for a page rendered with `nonce`. Style *attributes* stay
/// allowed: the server-rendered licence meter sets its width with one, and
/// an attribute cannot run code; `<style>` elements and stylesheets from
/// elsewhere do not.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the page's policy on the response being rendered. leptos_axum
/// makes a nonce for every render and puts it on the scripts it writes.
pub fn send_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
