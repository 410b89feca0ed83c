//! Web hardening (issue 9): cross-site changes refused, a Content-Security-
//! Policy on every response, bounded bodies, malformed calls answered 400.

use crate::helpers::{create_admin, login, ServerCall, TestApp};
use app::api::auth::{Login, Logout};
use app::api::imports::ApplyBatch;
use app::backend::entities::session;
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

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
    let logout = ServerCall::new(Logout {});
    let forged = logout
        .request(&app.client, &app.base)
        .header(reqwest::header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let sentence = forged.text().await.unwrap();
    assert!(sentence.contains("only from its own pages"), "{sentence}");
    assert_eq!(sessions(&app).await, 1, "the session was not touched");

    // The same call from Roster's own page goes through.
    let own = logout
        .request(&app.client, &app.base)
        .header(reqwest::header::ORIGIN, &app.base)
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
        .post(format!("{}{}", app.base, ApplyBatch::PATH))
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
    // Raw bodies: no value of the functions' argument types is malformed.
    for (path, content_type, body) in [
        (ApplyBatch::PATH, "application/json", "{not json"),
        (
            ApplyBatch::PATH,
            "application/json",
            r#"{"import_id": "seven"}"#,
        ),
        (
            Login::PATH,
            "application/x-www-form-urlencoded",
            "email=only",
        ),
    ] {
        let answer = app
            .client
            .post(format!("{}{path}", app.base))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{path} {body}");
        let text = answer.text().await.unwrap();
        assert!(text.contains("malformed"), "{path} {body}: {text}");
    }
}

/// Issue 17: admins who click on before a page has finished loading make
/// page renders overlap with each other and with the files the previous
/// page still loads. Every page must carry the policy with its own nonce,
/// every redirect its status and address, every 404 its status, and every
/// sign-in its cookie, whatever else is being answered at that moment.
mod overlapping_requests {
    use super::*;
    use crate::helpers::{spawn_app, Db};

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        if let Some(app) = spawn_app(Db::Sqlite).await {
            each_response_keeps_its_own_headers(app).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if let Some(app) = spawn_app(Db::Postgres).await {
            each_response_keeps_its_own_headers(app).await;
        }
    }
}

const PAGES: [&str; 7] = [
    "/",
    "/users",
    "/import",
    "/history",
    "/tracks/engineering/import",
    "/tracks/engineering/emails",
    "/tracks/engineering/members",
];
const FILES: [&str; 2] = ["/favicon.svg", "/pkg/roster.css"];

/// What one response of the burst was asked for.
enum Ask {
    Page,
    File,
    Redirect,
    Missing,
    SignIn,
    Expired,
}

async fn each_response_keeps_its_own_headers(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let tara = app.admin_client("tara@example.com", &["engineering"]).await;
    let gil = app.admin_client("gil@example.com", &[]).await;
    let admins = [&app.client, &tara.client, &gil.client];
    let nobody = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for n in 0..15 {
        let email = format!("signer{n}@example.com");
        create_admin(&app.db, &email, &[], "a long password").await;
    }
    // Admins whose sessions ran out: their page render clears the cookie.
    let signed_in: Vec<i64> = session::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut expired = Vec::new();
    for _ in 0..15 {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let answer = ServerCall::new(login("gil@example.com", "a long password"))
            .request(&client, &app.base)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        expired.push(client);
    }
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(session::Column::Id.is_not_in(signed_in))
        .exec(&app.db)
        .await
        .unwrap();

    let mut burst = Vec::new();
    for i in 0..240 {
        let (client, ask, path) = match i % 8 {
            0 | 3 | 5 => (admins[i % 3], Ask::Page, PAGES[i % PAGES.len()]),
            1 | 6 => (admins[i % 3], Ask::File, FILES[i % FILES.len()]),
            2 => (&nobody, Ask::Redirect, PAGES[i % PAGES.len()]),
            4 if i % 16 == 4 => (&expired[i / 16], Ask::Expired, PAGES[i % PAGES.len()]),
            4 => (admins[i % 3], Ask::Missing, "/no/such/page"),
            _ if i % 16 == 7 => (&nobody, Ask::SignIn, Login::PATH),
            _ => (admins[i % 3], Ask::Page, PAGES[i % PAGES.len()]),
        };
        let request = match ask {
            // Each its own admin: attempts at one email from one address
            // count against its limit until they succeed.
            Ask::SignIn => ServerCall::new(login(
                &format!("signer{}@example.com", i / 16),
                "a long password",
            ))
            .request(client, &app.base),
            _ => client
                .get(format!("{}{path}", app.base))
                .header(reqwest::header::ACCEPT, "text/html,*/*;q=0.8"),
        };
        burst.push(async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.text().await.unwrap();
            (ask, path, status, headers, body)
        });
    }
    let answers = futures::future::join_all(burst).await;

    let mut wrong = Vec::new();
    for (ask, path, status, headers, body) in &answers {
        let policy = headers
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let fault = match ask {
            Ask::Page | Ask::Missing => {
                let expected = if matches!(ask, Ask::Page) { 200 } else { 404 };
                let nonce = policy
                    .split("'nonce-")
                    .nth(1)
                    .and_then(|rest| rest.split('\'').next())
                    .unwrap_or("");
                let carried: Vec<&str> = body
                    .split("nonce=\"")
                    .skip(1)
                    .filter_map(|rest| rest.split('"').next())
                    .collect();
                if *status != expected {
                    Some(format!("status {status}, not {expected}"))
                } else if nonce.is_empty()
                    || carried.is_empty()
                    || carried.iter().any(|n| *n != nonce)
                {
                    Some(format!(
                        "policy {policy:?} for scripts with nonces {carried:?}"
                    ))
                } else {
                    None
                }
            }
            Ask::File => (*status != 200).then(|| format!("status {status}")),
            Ask::Redirect => {
                let to = headers.get("location").map(|v| v.to_str().unwrap_or(""));
                (*status != 302 || !to.is_some_and(|to| to.starts_with("/login?next=")))
                    .then(|| format!("status {status} to {to:?}"))
            }
            Ask::Expired => {
                let to = headers.get("location").map(|v| v.to_str().unwrap_or(""));
                let cleared = headers
                    .get_all("set-cookie")
                    .iter()
                    .any(|c| c.to_str().unwrap_or("").starts_with("roster_session=;"));
                (*status != 302 || to != Some("/login?expired=1") || !cleared)
                    .then(|| format!("status {status} to {to:?}, cookie cleared {cleared}"))
            }
            Ask::SignIn => {
                let cookie = headers
                    .get_all("set-cookie")
                    .iter()
                    .any(|c| c.to_str().unwrap_or("").starts_with("roster_session="));
                (*status != 200 || !cookie)
                    .then(|| format!("status {status}, session cookie {cookie}: {body}"))
            }
        };
        if let Some(fault) = fault {
            wrong.push(format!("{path}: {fault}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} responses came out wrong:\n{}",
        wrong.len(),
        answers.len(),
        wrong.join("\n")
    );
}
