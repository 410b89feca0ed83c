//! What every request passes before it reaches a page or a server function,
//! and what every response carries (docs/access-and-security.md; issue 9 "web hardening"):
//! changes only from Roster's own pages, bodies of a bounded size, and
//! headers that keep the pages out of frames and sniffing.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest request body accepted. A batch of 250 rows with long
/// answers is well under 1 MB; the largest call, 5,000 emails for the
/// preview's look-up, about 150 KB.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// For responses that are not pages (server functions, files, errors):
/// nothing may load from them, and nobody may frame them. Pages get
/// their own policy with the render's nonce ([`page_policy`]).
const POLICY_FOR_THE_REST: &str = "default-src 'none'; frame-ancestors 'none'";

/// The workbook worker's script (`workbook/worker.js`): a worker lives by
/// the policy of its own script's response, and this one imports the
/// workbook module and fetches and compiles its wasm, from Roster only.
const WORKER_SCRIPT: &str = "/workbook/worker.js";
const WORKER_POLICY: &str =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'";

/// Where requests that change something may come from.
#[derive(Clone)]
pub struct Origins {
    /// `scheme://host[:port]` of `ROSTER_PUBLIC_URL`, when set.
    public: Option<Arc<str>>,
}

impl Origins {
    pub fn new(public_url: Option<&str>) -> Self {
        Origins {
            public: public_url.map(|u| Arc::from(origin_of(u))),
        }
    }

    /// A browser names the page a request came from in `Origin`; a request
    /// without one (curl, scripts, old browsers on a same-origin form) is
    /// judged by its session cookie alone, which is `SameSite=Strict`.
    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true;
        };
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        // With a public URL, Roster's pages are there and nowhere else: a
        // Host header is the caller's to write.
        if let Some(public) = self.public.as_deref() {
            return public == origin;
        }
        // Without one, the page's own address is the one the browser asked for.
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
    }
}

/// `https://example.org/roster` → `https://example.org`.
fn origin_of(url: &str) -> String {
    match url.find("://") {
        Some(i) => match url[i + 3..].find('/') {
            Some(j) => url[..i + 3 + j].to_owned(),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Refuses cross-site changes and oversized bodies before any work is done.
pub async fn guard_requests(
    State(origins): State<Origins>,
    request: Request,
    next: Next,
) -> Response {
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes && !origins.allows(request.headers()) {
        return refusal(
            StatusCode::FORBIDDEN,
            "This request came from another website: Roster accepts changes only from its own pages. \
             Open Roster at its own address and try again.",
        );
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "This request is larger than Roster accepts ({} MB): send fewer rows at a time, \
                 or split the file.",
                MAX_BODY_BYTES / (1024 * 1024)
            ),
        );
    }
    next.run(request).await
}

fn refusal(status: StatusCode, sentence: &str) -> Response {
    let mut response = (status, sentence.to_owned()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The Content-Security-Policy of every response, and the nonce of every
/// page (the other security headers are tower-http layers: see
/// [`fixed_headers`]). The nonce is
/// made here, before the page is rendered, handed to the render through the
/// request ([`provide_page_nonce`]), and named in the page's policy here
/// once the render has answered: the header never depends on what a render
/// manages to put on its response (issue 17).
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    // A bool, not the path: nothing copied from every request.
    let worker_script = request.uri().path() == WORKER_SCRIPT;
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = response_policy(is_page, worker_script, &nonce);
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// The policy of a response: a page's, with its nonce; the workbook
/// worker's; or nothing allowed.
fn response_policy(is_page: bool, worker_script: bool, nonce: &Nonce) -> HeaderValue {
    if is_page {
        HeaderValue::from_str(&page_policy(nonce))
            .unwrap_or(HeaderValue::from_static(POLICY_FOR_THE_REST))
    } else if worker_script {
        HeaderValue::from_static(WORKER_POLICY)
    } else {
        HeaderValue::from_static(POLICY_FOR_THE_REST)
    }
}

/// The security headers that are the same on every response: no type
/// sniffing, no framing (for browsers that predate `frame-ancestors`), and
/// no referrer to other sites (setup links carry a token in the URL).
pub fn fixed_headers() -> [SetResponseHeaderLayer<HeaderValue>; 3] {
    [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ]
    .map(|(name, value)| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)))
}

/// Gives the page being rendered the nonce [`security_headers`] made for
/// its request, so that its scripts carry the nonce its policy names.
/// Runs in the render's context, after leptos_axum provided one of its own.
pub fn provide_page_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// The policy of a page whose scripts carry `nonce`: scripts only from
/// Roster itself or with this nonce (the hydration script), WebAssembly
/// allowed to compile, nothing framed, nothing from elsewhere. Style
/// *attributes* stay allowed: the server-rendered licence meter sets its
/// width with one, and an attribute cannot run code; `<style>` elements
/// and stylesheets from elsewhere do not.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_workbook_worker_may_fetch_and_compile_its_module() {
        let nonce = Nonce::new();
        let policy_of =
            |path: &str, is_page| response_policy(is_page, path == WORKER_SCRIPT, &nonce);
        let worker = policy_of(WORKER_SCRIPT, false);
        let worker = worker.to_str().unwrap();
        for part in ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'"] {
            assert!(worker.contains(part), "{part} in {worker}");
        }
        assert!(worker.starts_with("default-src 'none'"), "{worker}");
        for other in ["/workbook/roster_workbook.js", "/pkg/roster.js", "/health"] {
            assert_eq!(policy_of(other, false), POLICY_FOR_THE_REST);
        }
        let page = policy_of("/login", true);
        assert!(page.to_str().unwrap().contains(&format!("'nonce-{nonce}'")));
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn own_pages_and_the_public_url_may_change_things_other_sites_may_not() {
        let local = Origins::new(None);
        let same = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://127.0.0.1:3000"),
        ]);
        assert!(local.allows(&same));
        assert!(local.allows(&headers(&[(header::HOST, "127.0.0.1:3000")])));
        let other = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "https://evil.example"),
        ]);
        assert!(!local.allows(&other));
        assert!(!local.allows(&headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "null"),
        ])));

        let public = Origins::new(Some("https://roster.example.org/app"));
        assert!(public.allows(&headers(&[
            (header::HOST, "10.0.0.5:3000"),
            (header::ORIGIN, "https://roster.example.org"),
        ])));
        assert!(!public.allows(&other));
        // The address the request names itself is not enough once the
        // public URL is known.
        assert!(!public.allows(&headers(&[
            (header::HOST, "10.0.0.5:3000"),
            (header::ORIGIN, "http://10.0.0.5:3000"),
        ])));
    }
}
