//! Start-up, the instance definition, and the pages as served — on SQLite
//! and PostgreSQL.

use crate::helpers::{Db, TestApp};
use app::backend::entities::{profile_field, profile_field_option, track};
use sea_orm::{EntityTrait, QueryOrder};
use server::instance_file::InstanceDefinition;
use server::instance_sync::sync;

on_both_databases!(
    loading_the_instance_definition_twice_changes_nothing,
    removed_tracks_and_fields_are_archived_and_come_back,
    pages_render_and_redirect_as_a_browser_expects,
    responses_carry_security_headers,
);

async fn loading_the_instance_definition_twice_changes_nothing(app: TestApp) {
    let def = server::instance_file::load(&crate::helpers::demo_instance()).unwrap();
    let tracks_before = track::Entity::find()
        .order_by_asc(track::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let options_before = profile_field_option::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let report = sync(&app.db, &def).await.unwrap();
    assert!(
        report.is_empty(),
        "the app already loaded it at start: {report:?}"
    );
    assert_eq!(
        track::Entity::find()
            .order_by_asc(track::Column::Id)
            .all(&app.db)
            .await
            .unwrap(),
        tracks_before
    );
    assert_eq!(
        profile_field_option::Entity::find()
            .all(&app.db)
            .await
            .unwrap(),
        options_before
    );
}

async fn removed_tracks_and_fields_are_archived_and_come_back(app: TestApp) {
    let full = server::instance_file::load(&crate::helpers::demo_instance()).unwrap();
    let mut smaller: InstanceDefinition = full.clone();
    smaller.tracks.retain(|t| t.slug != "leadership");
    smaller.profile_fields.retain(|f| f.key != "languages");
    smaller.profile_fields[2].options.reverse();
    let report = sync(&app.db, &smaller).await.unwrap();
    assert_eq!(report.tracks_written, 1);
    assert_eq!(
        report.fields_written,
        1 + 4,
        "one archived, the four after it moved up a place"
    );

    let leadership = track::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.slug == "leadership")
        .unwrap();
    assert!(leadership.archived, "kept with its history, hidden");
    let languages = profile_field::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.key == "languages")
        .unwrap();
    assert!(languages.archived);

    let back = sync(&app.db, &full).await.unwrap();
    assert!(!back.is_empty());
    let leadership_again = track::Entity::find_by_id(leadership.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!leadership_again.archived, "the same row, unarchived");
    assert!(sync(&app.db, &full).await.unwrap().is_empty());
}

async fn pages_render_and_redirect_as_a_browser_expects(app: TestApp) {
    let (status, headers, _) = app.get("/").await;
    assert_eq!(status, 302, "anonymous visitors are sent to sign in");
    assert_eq!(headers["location"], "/login?next=/");

    let (status, _, html) = app.get("/login").await;
    assert_eq!(status, 200);
    assert!(html.contains("Sign in to Roster"));
    assert!(html.contains("/pkg/roster.css"), "the stylesheet is linked");

    let (status, _, html) = app
        .get(&format!("/setup?token={}", app.setup_token()))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("first global admin"), "{html}");
    let (status, _, html) = app.get("/setup?token=forged").await;
    assert_eq!(status, 200);
    assert!(html.contains("already been used or has expired"), "{html}");

    let (status, _, html) = app.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));

    app.sign_up_first_admin("ann@example.com", "correct horse battery")
        .await;
    for (path, heading) in [
        ("/", "Overview"),
        ("/users", "Users"),
        ("/import", "Add dormant users from CSV"),
        ("/tracks/engineering/import", "Add users from CSV"),
        ("/tracks/engineering/add-users", "Add users"),
        ("/tracks/engineering/members", "Members"),
        ("/tracks/leadership/emails", "System emails"),
        ("/tracks/leadership/history", "Import history"),
    ] {
        let (status, _, html) = app.get(path).await;
        // Hydration markers aside, the page is plain HTML.
        let html = html.replace("<!>", "");
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&format!("<h1>{heading}</h1>")),
            "{path} lacks its heading: {html}"
        );
        assert!(
            html.contains("Leadership Circle"),
            "{path} has the navigation"
        );
    }
    let (_, _, html) = app.get("/tracks/nope/members").await;
    assert!(html.contains("There is no track called"), "{html}");
}

async fn responses_carry_security_headers(app: TestApp) {
    let (status, headers, body) = app.get("/health").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let (_, headers, _) = app.get("/login").await;
    assert_eq!(headers["referrer-policy"], "same-origin");
}

#[tokio::test]
async fn a_bad_database_url_gets_a_sentence_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::test_config(Db::Sqlite, &dir).await.unwrap();
    for (url, expected) in [
        (
            "mysql://root@localhost/roster",
            "neither sqlite:// nor postgres://",
        ),
        (
            "postgres://roster:secret@127.0.0.1:1/roster",
            "Check DATABASE_URL",
        ),
        (
            "sqlite:///proc/roster/roster.db?mode=rwc",
            "cannot create the data folder",
        ),
    ] {
        config.database_url = url.into();
        let err =
            server::startup::Application::build(config.clone(), crate::helpers::leptos_options())
                .await
                .err()
                .expect("refused");
        let message = err.to_string();
        assert!(message.contains(expected), "{message}");
        assert!(
            !message.contains("secret"),
            "passwords stay out of messages: {message}"
        );
    }
}

#[tokio::test]
async fn a_bad_instance_file_names_the_line_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::helpers::test_config(Db::Sqlite, &dir).await.unwrap();
    let file = dir.path().join("instance.toml");
    std::fs::write(&file, "name = \"Acme\"\nlicense_limit = 5\n\n[[tracks]]\nslug = \"Main Track\"\nname = \"Main\"\n").unwrap();
    config.instance_file = file;
    let err = server::startup::Application::build(config, crate::helpers::leptos_options())
        .await
        .err()
        .expect("refused");
    let message = err.to_string();
    assert!(message.contains("instance.toml, line 5"), "{message}");
    assert!(message.contains("lowercase letters"), "{message}");
}

/// Prepared statements are reused; a generic plan made without the values
/// walked every row of an import to find one batch's emails (87 ms a batch
/// at 10,000 rows, `cargo bench -p server --bench apply`).
#[tokio::test]
async fn postgres_plans_every_statement_with_its_values() {
    let Some(app) = crate::helpers::spawn_app(Db::Postgres).await else {
        return;
    };
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let mode: String = app
        .db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SHOW plan_cache_mode",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "plan_cache_mode")
        .unwrap();
    assert_eq!(mode, "force_custom_plan");
}
