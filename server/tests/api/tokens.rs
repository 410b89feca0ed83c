//! API tokens (docs/api.md): created by a signed-in global admin, shown
//! once and kept hashed; a call with the token acts as its creator within
//! the token's scope, until it is revoked — on SQLite and PostgreSQL.

use crate::helpers::{import_at, signed_in, TestApp};
use app::api::imports::{KnownPeople, LoadImportContext};
use app::api::tokens::{ApiToken, ApiTokens, CreateApiToken, NewToken, RevokeApiToken, TokenScope};
use app::backend::entities::api_token;
use app::domain::Role;
use sea_orm::EntityTrait;

async fn create(app: &TestApp, name: &str, scope: TokenScope) -> NewToken {
    app.send_ok(CreateApiToken {
        name: name.into(),
        scope,
    })
    .await
}

fn context(track: Option<&str>) -> LoadImportContext {
    LoadImportContext {
        track_slug: track.map(str::to_owned),
        dormant: false,
    }
}

on_both_databases!(
    a_token_acts_within_its_scope_until_revoked,
    a_token_cannot_make_or_revoke_tokens,
    tokens_are_named_and_kept_hashed,
    a_token_imports_a_file_through_the_wizards_own_calls,
);

async fn a_token_imports_a_file_through_the_wizards_own_calls(app: TestApp) {
    signed_in(&app).await;
    let new = create(
        &app,
        "HR feed",
        TokenScope::Tracks(vec!["engineering".into()]),
    )
    .await;
    let feed = TestApp::with_token(&app, &new.token);
    let text = "First Name,Last Name,Email\nBo,Chen,bo@example.com\n";
    let done = import_at(&feed, "engineering", text, &[Role::Mentor]).await;
    assert_eq!((done.counts.created, done.counts.emails_queued), (1, 1));
    // In the history as any import, started by the token's creator.
    let detail: app::api::history::ImportDetail = app
        .send_ok(app::api::history::LoadImportDetail { id: done.id })
        .await;
    assert_eq!(detail.summary.counts.created, 1);
    assert_eq!(
        detail.summary.admin_email.as_deref(),
        Some("ann@example.com")
    );
    // Undone by the token, as its admin could.
    let undone = crate::helpers::confirm_undo(&feed, done.id).await;
    assert_eq!(undone.users_deleted, 1);
}

async fn a_token_acts_within_its_scope_until_revoked(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n",
        &[Role::Mentee],
    )
    .await;
    let new = create(
        &app,
        "HR feed",
        TokenScope::Tracks(vec!["engineering".into()]),
    )
    .await;
    assert!(new.token.starts_with("roster_"), "{}", new.token);
    let feed = TestApp::with_token(&app, &new.token);

    // Engineering's functions answer as they would to its admin...
    assert_eq!(feed.send(context(Some("engineering"))).await.status, 200);
    let known = feed
        .send(KnownPeople {
            track_slug: Some("engineering".into()),
            emails: vec!["ann@example.com".into()],
            ids: Vec::new(),
        })
        .await;
    assert_eq!(known.status, 200, "{}", known.body);
    // ...and another track's, or the global level's, refuse it.
    assert_eq!(feed.send(context(Some("leadership"))).await.status, 403);
    assert_eq!(feed.send(context(None)).await.status, 403);

    // Its use is noted: when, and from where.
    let listed: Vec<ApiToken> = app.send_ok(ApiTokens {}).await;
    assert_eq!(listed[0].last_used_from.as_deref(), Some("127.0.0.1"));
    assert!(listed[0].last_used_at.is_some());
    assert_eq!(listed[0].scope, "Engineering Mentoring");

    app.send_ok(RevokeApiToken { id: new.id }).await;
    let refused = feed.send(context(Some("engineering"))).await;
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(
        refused.body, "\"TokenRefused\"",
        "the error, as every function answers one"
    );
    let listed: Vec<ApiToken> = app.send_ok(ApiTokens {}).await;
    assert!(listed[0].revoked_at.is_some());

    // A made-up token is refused alike.
    let stranger = TestApp::with_token(&app, "roster_not-a-token");
    assert_eq!(
        stranger.send(context(Some("engineering"))).await.status,
        401
    );
}

async fn a_token_cannot_make_or_revoke_tokens(app: TestApp) {
    signed_in(&app).await;
    let new = create(&app, "Everything", TokenScope::Global).await;
    let script = TestApp::with_token(&app, &new.token);
    assert_eq!(script.send(context(None)).await.status, 200, "global scope");
    let made = script
        .send(CreateApiToken {
            name: "Another".into(),
            scope: TokenScope::Global,
        })
        .await;
    assert_eq!(made.status, 403, "{}", made.body);
    assert_eq!(script.send(ApiTokens {}).await.status, 403);
    assert_eq!(script.send(RevokeApiToken { id: new.id }).await.status, 403);
    // Nor may a track admin, signed in.
    let tara = app.admin_client("tara@example.com", &["engineering"]).await;
    let made = tara
        .send(CreateApiToken {
            name: "Mine".into(),
            scope: TokenScope::Tracks(vec!["engineering".into()]),
        })
        .await;
    assert_eq!(made.status, 403, "{}", made.body);
    assert_eq!(
        api_token::Entity::find().all(&app.db).await.unwrap().len(),
        1
    );
}

async fn tokens_are_named_and_kept_hashed(app: TestApp) {
    signed_in(&app).await;
    let refused = |name: &str, scope: TokenScope| {
        let call = CreateApiToken {
            name: name.into(),
            scope,
        };
        let app = &app;
        async move { app.send(call).await }
    };
    let unnamed = refused("  ", TokenScope::Global).await;
    assert_eq!(unnamed.status, 422, "{}", unnamed.body);
    let long = refused(&"x".repeat(101), TokenScope::Global).await;
    assert_eq!(long.status, 422, "{}", long.body);
    let nowhere = refused("Feed", TokenScope::Tracks(Vec::new())).await;
    assert!(
        nowhere.body.contains("Choose the tracks"),
        "{}",
        nowhere.body
    );
    let unknown = refused("Feed", TokenScope::Tracks(vec!["nope".into()])).await;
    assert!(
        unknown.body.contains("There is no track “nope”"),
        "{}",
        unknown.body
    );

    let new = create(&app, " HR feed ", TokenScope::Global).await;
    let stored = api_token::Entity::find_by_id(new.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name, "HR feed");
    assert_ne!(stored.token_hash, new.token, "only a hash is kept");
    assert!(!stored.token_hash.contains(&new.token[7..]));
    // The list never shows the token.
    let listed = app.send(ApiTokens {}).await;
    assert!(!listed.body.contains(&new.token), "{}", listed.body);
}
