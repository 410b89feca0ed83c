//! The session cookie: its name, reading it from a request, setting it
//! (through the `cookie` crate, which axum-extra's `CookieJar` wraps).

use cookie::time::Duration;
use cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "roster_session";
/// Served over https, the cookie's name carries the `__Host-` prefix: the
/// browser then keeps it only if it is `Secure`, for this host alone and
/// for every path, so no other site of the domain can set or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-roster_session";

fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token among a request's cookies, if any.
pub fn session_token_in(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    let name = session_cookie_name(secure);
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that sets the session cookie to `value` for
/// `max_age` seconds (an empty value and 0: clears it).
pub fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
    Cookie::build((session_cookie_name(secure), value))
        .path("/")
        .max_age(Duration::seconds(max_age))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_https() {
        let plain = session_cookie("abc", 7200, false);
        for part in [
            "roster_session=abc",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/",
            "Max-Age=7200",
        ] {
            assert!(plain.contains(part), "{plain} lacks {part}");
        }
        assert!(!plain.contains("Secure"), "{plain}");
        let secure = session_cookie("abc", 7200, true);
        assert!(secure.starts_with("__Host-roster_session=abc"), "{secure}");
        assert!(secure.contains("; Secure"), "{secure}");
        let cleared = session_cookie("", 0, false);
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
    }

    #[test]
    fn the_token_is_found_among_other_cookies_and_an_empty_one_is_none() {
        let mut headers = http::HeaderMap::new();
        headers.append(
            http::header::COOKIE,
            "theme=dark; roster_session=t0k3n".parse().unwrap(),
        );
        assert_eq!(session_token_in(&headers, false).as_deref(), Some("t0k3n"));
        assert_eq!(session_token_in(&headers, true), None);
        let mut empty = http::HeaderMap::new();
        empty.append(http::header::COOKIE, "roster_session=".parse().unwrap());
        assert_eq!(session_token_in(&empty, false), None);
    }
}
