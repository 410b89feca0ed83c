//! Web hardening (issue 9): cross-site changes refused, a Content-Security-
//! Policy on every response, bounded bodies, malformed calls answered 400.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use sea_orm::{EntityTrait, PaginatorTrait};
use server::entities::session;

on_both_databases!(
    a_change_from_another_site_is_refused_and_changes_nothing,
    pages_allow_only_their_own_scripts_and_the_wasm,
    an_oversized_body_is_refused_with_a_sentence,
    a_malformed_call_is_a_bad_request_not_a_server_error,
);

const PASSWORD: &str = "correct horse battery";

async fn sessions(app: &TestApp) -> u64 {
    session::Entity::find().count(&app.db).await.unwrap()
}

async fn a_change_from_another_site_is_refused_and_changes_nothing(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    assert_eq!(sessions(&app).await, 1);
    // A page on another site posting a form to Roster with Ann's cookie.
    let forged = app
        .client
        .post(format!("{}/api/logout", app.base))
        .header(reqwest::header::ORIGIN, "https://evil.example")
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let sentence = forged.text().await.unwrap();
    assert!(sentence.contains("only from its own pages"), "{sentence}");
    assert_eq!(sessions(&app).await, 1, "the session was not touched");

    // The same call from Roster's own page goes through.
    let own = app
        .client
        .post(format!("{}/api/logout", app.base))
        .header(reqwest::header::ORIGIN, &app.base)
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200, "{}", own.text().await.unwrap());
    assert_eq!(sessions(&app).await, 0);
}

async fn pages_allow_only_their_own_scripts_and_the_wasm(app: TestApp) {
    let (status, headers, html) = app.get("/login").await;
    assert_eq!(status, 200);
    let policy = headers["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }
    let scripts = policy
        .split(';')
        .find(|d| d.trim_start().starts_with("script-src "))
        .unwrap();
    assert!(!scripts.contains("unsafe-inline"), "{policy}");
    // The hydration script carries this response's nonce, and only it.
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
    let (_, again, _) = app.get("/login").await;
    assert_ne!(
        again["content-security-policy"], headers["content-security-policy"],
        "a new nonce for every page"
    );

    // Everything else may load nothing and be framed nowhere.
    let (_, headers, _) = app.get("/health").await;
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
}

async fn an_oversized_body_is_refused_with_a_sentence(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let too_big = "x".repeat(server::web_guard::MAX_BODY_BYTES + 1);
    let answer = app
        .client
        .post(format!("{}/api/apply_batch", app.base))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(too_big)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 413);
    let sentence = answer.text().await.unwrap();
    assert!(
        sentence.contains("larger than Roster accepts"),
        "{sentence}"
    );
}

async fn a_malformed_call_is_a_bad_request_not_a_server_error(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    for (name, content_type, body) in [
        ("apply_batch", "application/json", "{not json"),
        (
            "apply_batch",
            "application/json",
            r#"{"import_id": "seven"}"#,
        ),
        ("login", "application/x-www-form-urlencoded", "email=only"),
    ] {
        let answer = app
            .client
            .post(format!("{}/api/{name}", app.base))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{name} {body}");
        let text = answer.text().await.unwrap();
        assert!(text.contains("malformed"), "{name} {body}: {text}");
    }
}
