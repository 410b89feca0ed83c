//! Admin accounts over HTTP (docs/access-and-security.md): the setup link, sign-in, sessions,
//! and rights on every server function — on SQLite and PostgreSQL.

use crate::helpers::{login, signs_in_from_elsewhere, ServerCall, TestApp};
use app::api::auth::{CompleteSetup, GetViewer, Logout, SetupInfo};
use app::api::overview::{GlobalOverview, InstanceOverview, TrackOverview};
use app::backend::entities::{admin, session};
use chrono::{Duration, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};

const PASSWORD: &str = "correct horse battery";

on_both_databases!(
    setup_link_creates_the_first_global_admin_and_works_once,
    setup_link_checks_the_email_and_password_before_using_the_link,
    create_admin_invite_sets_the_password_of_that_admin,
    sign_in_failure_says_the_same_for_unknown_email_and_wrong_password,
    session_cookie_is_http_only_and_same_site_strict,
    sign_out_ends_the_session_on_the_server,
    an_expired_session_is_told_to_sign_in_again,
    anonymous_callers_are_refused_everything,
    track_admins_see_only_their_tracks,
    global_admins_see_every_track_and_the_global_level,
    repeated_failed_sign_ins_are_refused_for_a_while,
    signing_in_again_starts_a_new_session_and_ends_the_old,
);

async fn setup_link_creates_the_first_global_admin_and_works_once(app: TestApp) {
    let token = app.setup_token();
    let info = app
        .send(SetupInfo {
            token: token.clone(),
        })
        .await;
    assert_eq!(info.status, 200, "{}", info.body);
    assert_eq!(
        info.json()["email"],
        serde_json::Value::Null,
        "the first link asks for the email"
    );

    let answer = app.sign_up_first_admin("Ann@Example.com", PASSWORD).await;
    assert!(
        answer
            .set_cookie
            .iter()
            .any(|c| c.starts_with("roster_session=")),
        "signed in at once"
    );
    let viewer = app.send(GetViewer {}).await.json();
    assert_eq!(viewer["email"], "Ann@Example.com");
    assert_eq!(viewer["is_global"], true);

    let again = app
        .send(CompleteSetup {
            token,
            email: Some("eve@example.com".into()),
            password: PASSWORD.into(),
            confirm: PASSWORD.into(),
        })
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already been used"), "{}", again.body);
    assert_eq!(admin::Entity::find().count(&app.db).await.unwrap(), 1);
}

async fn setup_link_checks_the_email_and_password_before_using_the_link(app: TestApp) {
    let token = app.setup_token();
    let cases = [
        ("ann@", PASSWORD, PASSWORD, "domain"),
        ("ann@example.com", "short", "short", "at least 10"),
        ("ann@example.com", PASSWORD, "something else", "differ"),
        ("", PASSWORD, PASSWORD, "Enter your email"),
    ];
    for (email, password, confirm, expected) in cases {
        let answer = app
            .send(CompleteSetup {
                token: token.clone(),
                email: Some(email.into()),
                password: password.into(),
                confirm: confirm.into(),
            })
            .await;
        assert_eq!(answer.status, 422, "{email} {password}: {}", answer.body);
        assert!(
            answer.body.contains(expected),
            "{expected}: {}",
            answer.body
        );
    }
    // None of those used up the link.
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
}

async fn create_admin_invite_sets_the_password_of_that_admin(app: TestApp) {
    let email = app::domain::Email::parse("tara@example.com").unwrap();
    let created =
        app::backend::accounts::create_admin(&app.db, &email, &["engineering".into()], None)
            .await
            .unwrap();
    let token = created.invite_token.expect("no password given, so a link");
    // The first start's link is void once an admin exists.
    let first = app
        .send(SetupInfo {
            token: app.setup_token(),
        })
        .await;
    assert_eq!(first.status, 422);

    let info = app
        .send(SetupInfo {
            token: token.clone(),
        })
        .await;
    assert_eq!(info.json()["email"], "tara@example.com");
    let done = app
        .send(CompleteSetup {
            token,
            email: None,
            password: PASSWORD.into(),
            confirm: PASSWORD.into(),
        })
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let viewer = app.send(GetViewer {}).await.json();
    assert_eq!(viewer["is_global"], false);
    assert_eq!(viewer["tracks"][0]["slug"], "engineering");
    assert_eq!(viewer["tracks"].as_array().unwrap().len(), 1);

    let unknown_track = app::backend::accounts::create_admin(
        &app.db,
        &app::domain::Email::parse("x@example.com").unwrap(),
        &["nope".into()],
        None,
    )
    .await;
    let message = unknown_track.err().unwrap().to_string();
    assert!(message.contains("engineering, leadership"), "{message}");
}

async fn sign_in_failure_says_the_same_for_unknown_email_and_wrong_password(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let wrong = app.send(login("ann@example.com", "wrong password!")).await;
    let unknown = app.send(login("nobody@example.com", PASSWORD)).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.json(), "SignInFailed");
    let right = app.send(login(" ANN@example.com ", PASSWORD)).await;
    assert_eq!(
        right.status, 200,
        "emails are compared trimmed and case-insensitively: {}",
        right.body
    );
}

async fn session_cookie_is_http_only_and_same_site_strict(app: TestApp) {
    let answer = app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let cookie = answer
        .set_cookie
        .iter()
        .find(|c| c.starts_with("roster_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
}

async fn sign_out_ends_the_session_on_the_server(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 1);
    let out = app.send(Logout {}).await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(
        session::Entity::find().count(&app.db).await.unwrap(),
        0,
        "deleted, not just forgotten by the browser"
    );
    assert_eq!(app.send(GetViewer {}).await.json(), serde_json::Value::Null);
    assert_eq!(app.send(InstanceOverview {}).await.status, 401);
}

async fn an_expired_session_is_told_to_sign_in_again(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let past = Utc::now() - Duration::minutes(1);
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(past),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let answer = app.send(GetViewer {}).await;
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("SessionExpired"), "{}", answer.body);
    let page = app.get("/").await;
    assert_eq!(page.0, 302);
    assert!(
        page.1["location"].to_str().unwrap().starts_with("/login"),
        "{:?}",
        page.1
    );
}

async fn anonymous_callers_are_refused_everything(app: TestApp) {
    for call in [
        ServerCall::new(InstanceOverview {}),
        ServerCall::new(GlobalOverview {}),
        ServerCall::new(TrackOverview {
            slug: "engineering".into(),
        }),
    ] {
        let answer = app.send_call(&call).await;
        assert_eq!(answer.status, 401, "{call}: {}", answer.body);
    }
    assert_eq!(app.send(GetViewer {}).await.json(), serde_json::Value::Null);
    let (status, headers, _) = app.get("/tracks/engineering/members").await;
    assert_eq!(status, 302);
    assert_eq!(
        headers["location"],
        "/login?next=/tracks/engineering/members"
    );
}

async fn track_admins_see_only_their_tracks(app: TestApp) {
    let tara = app.admin_client("tara@example.com", &["engineering"]).await;
    let track = |slug: &str| TrackOverview { slug: slug.into() };
    let own = tara.send(track("engineering")).await;
    assert_eq!(own.status, 200, "{}", own.body);
    let other = tara.send(track("leadership")).await;
    assert_eq!(other.status, 403, "{}", other.body);
    assert!(other.body.contains("Forbidden"));
    assert_eq!(tara.send(GlobalOverview {}).await.status, 403);

    let overview = tara.send(InstanceOverview {}).await.json();
    let slugs: Vec<&str> = overview["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["track"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["engineering"]);
    assert_eq!(
        overview["dormant_users"],
        serde_json::Value::Null,
        "global figures are for global admins"
    );

    let (status, _, html) = tara.get("/tracks/leadership/members").await;
    assert_eq!(
        status, 200,
        "the page is served; what it shows is the refusal"
    );
    assert!(html.contains("You do not have access"), "the page says so");
}

async fn global_admins_see_every_track_and_the_global_level(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let overview = app.send(GlobalOverview {}).await.json();
    assert_eq!(overview["tracks"].as_array().unwrap().len(), 2);
    assert_eq!(overview["license"]["limit"], 250);
    assert_eq!(overview["dormant_users"], 0);
    assert_eq!(overview["profile_fields"].as_array().unwrap().len(), 8);
    let missing = app
        .send(TrackOverview {
            slug: "nope".into(),
        })
        .await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("no track called"), "{}", missing.body);
}

async fn repeated_failed_sign_ins_are_refused_for_a_while(app: TestApp) {
    app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let try_sign_in =
        |email: &'static str, password: &'static str| app.send(login(email, password));
    for email in ["ann@example.com", "nobody@example.com"] {
        for _ in 0..app::backend::sign_in_throttle::MAX_PER_EMAIL {
            assert_eq!(try_sign_in(email, "wrong password!").await.status, 401);
        }
    }
    // Now even the right password waits, and an unknown address is told
    // the same: the refusal does not say which emails have accounts.
    let known = try_sign_in("ann@example.com", PASSWORD).await;
    let unknown = try_sign_in("nobody@example.com", PASSWORD).await;
    assert_eq!((known.status, unknown.status), (429, 429));
    assert_eq!(known.body, unknown.body);
    let said = serde_json::from_str::<app::AppError>(&known.body)
        .unwrap()
        .to_string();
    assert!(
        said.starts_with("Too many failed sign-ins from here: wait 15 minutes"),
        "{said}"
    );
    // Other admins are not locked out by someone guessing Ann's password,
    // nor is Ann herself from anywhere else.
    app.admin_client("bo@example.com", &["engineering"]).await;
    signs_in_from_elsewhere(&app.base, "ann@example.com", PASSWORD).await;
}

async fn signing_in_again_starts_a_new_session_and_ends_the_old(app: TestApp) {
    let first = app.sign_up_first_admin("ann@example.com", PASSWORD).await;
    let token = |answer: &crate::helpers::Answer| {
        answer
            .set_cookie
            .iter()
            .find_map(|c| c.strip_prefix("roster_session="))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned()
    };
    let again = app.send(login("ann@example.com", PASSWORD)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_ne!(token(&first), token(&again), "a new session id");
    assert_eq!(
        session::Entity::find().count(&app.db).await.unwrap(),
        1,
        "the session the browser had before is gone from the server"
    );
}
