//! The session cookie: its name, reading it from a request, setting it.

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
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that sets the session cookie to `value` for
/// `max_age` seconds (an empty value and 0: clears it).
pub fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let name = session_cookie_name(secure);
    let flag = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{flag}")
}
