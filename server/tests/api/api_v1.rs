//! `POST /api/v1/imports` and `GET /api/v1/imports/{id}` (docs/api.md): a
//! whole CSV file imported, or checked, in one call with an API token,
//! through the wizard's own path — on SQLite and PostgreSQL.

use crate::helpers::{import_at, signed_in, Answer, TestApp};
use app::api::history::ImportDetail;
use app::api::imports::FileImportAnswer;
use app::api::tokens::{CreateApiToken, NewToken, TokenScope};
use app::backend::entities::{import, user};
use app::domain::Role;
use sea_orm::{EntityTrait, PaginatorTrait};

const FILE: &str = "First Name,Last Name,Email,Department\n\
                    Ann,Lee,ann@example.com,Engineering\n\
                    Bo,Chen,bo@example.com,Sales\n\
                    Cy,Ng,not-an-email,Sales\n";

async fn engineering_token(app: &TestApp) -> String {
    let new: NewToken = app
        .send_ok(CreateApiToken {
            name: "HR feed".into(),
            scope: TokenScope::Tracks(vec!["engineering".into()]),
        })
        .await;
    new.token
}

async fn post(app: &TestApp, token: Option<&str>, query: &str, body: &'static str) -> Answer {
    post_keyed(app, token, query, body, None).await
}

async fn post_keyed(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    body: &'static str,
    key: Option<&str>,
) -> Answer {
    let mut request = app
        .client
        .post(format!("{}/api/v1/imports?{query}", app.base))
        .header("Content-Type", "text/csv")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    Answer::read(request.send().await.unwrap()).await
}

async fn users(app: &TestApp) -> u64 {
    user::Entity::find().count(&app.db).await.unwrap()
}

async fn imports(app: &TestApp) -> u64 {
    import::Entity::find().count(&app.db).await.unwrap()
}

on_both_databases!(
    a_csv_file_is_imported_in_one_call,
    a_dry_run_answers_what_the_preview_shows_and_writes_nothing,
    callers_and_options_that_do_not_fit_are_refused,
    a_request_sent_again_with_its_key_is_answered_once,
    a_remembered_mapping_is_named,
    the_openapi_document_describes_the_calls,
    the_curl_examples_in_the_docs_work_as_written,
);

/// The `curl` commands of docs/api.md, each with its continued lines.
fn curl_examples() -> Vec<String> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).unwrap();
    let mut examples = Vec::new();
    let mut in_shell = false;
    let mut command = String::new();
    for line in doc.lines() {
        match line.trim() {
            "```sh" => in_shell = true,
            "```" => in_shell = false,
            text if in_shell && (text.starts_with("curl ") || !command.is_empty()) => {
                command.push_str(text.trim_end_matches('\\'));
                command.push(' ');
                if !text.ends_with('\\') {
                    examples.push(std::mem::take(&mut command));
                }
            }
            _ => {}
        }
    }
    examples
}

async fn the_curl_examples_in_the_docs_work_as_written(app: TestApp) {
    signed_in(&app).await;
    let token = engineering_token(&app).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), FILE).unwrap();
    let examples = curl_examples();
    assert_eq!(examples.len(), 3, "{examples:?}");
    let mut import_id = String::new();
    for example in examples {
        let command = example.replace("http://127.0.0.1:3000", &app.base);
        // Not std's: the app answers on this test's own thread meanwhile.
        let output = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(dir.path())
            .env("ROSTER_TOKEN", &token)
            .env("IMPORT_ID", &import_id)
            .output()
            .await
            .expect("curl is installed (Debian's curl)");
        assert!(output.status.success(), "{command}: {output:?}");
        let answer: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{command}: not JSON ({e}): {output:?}"));
        // What each call answers when it works: people, an import, its detail.
        let worked = answer.is_array()
            || answer.get("import_id").is_some()
            || answer.get("summary").is_some();
        assert!(worked, "{command}: {answer}");
        if let Some(id) = answer.get("import_id").and_then(|id| id.as_i64()) {
            import_id = id.to_string();
        }
    }
    assert!(!import_id.is_empty(), "the import example imported");
}

async fn the_openapi_document_describes_the_calls(app: TestApp) {
    let answer = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    let doc = Answer::read(answer).await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let post = &doc["paths"]["/api/v1/imports"]["post"];
    let params: Vec<&str> = post["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "track",
        "roles",
        "dormant",
        "add",
        "write",
        "sheet",
        "mapping",
        "dry_run",
        "Idempotency-Key",
    ] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }
    assert!(doc["paths"]["/api/v1/imports/{id}"]["get"].is_object());
    let schemas = &doc["components"]["schemas"];
    for name in [
        "FileImportAnswer",
        "DryRunCounts",
        "ImportCounts",
        "CellError",
        "AppError",
    ] {
        assert!(schemas[name].is_object(), "{name} is described");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["api_token"]["scheme"],
        "bearer"
    );
}

async fn a_remembered_mapping_is_named(app: TestApp) {
    use app::api::mappings::{RenameSavedMapping, SavedMapping, SavedMappings};
    signed_in(&app).await;
    let token = engineering_token(&app).await;
    let query = "track=engineering&roles=mentee";
    // Completing an import remembers its pairs, as the wizard's do.
    post(&app, Some(&token), query, FILE)
        .await
        .ok::<FileImportAnswer>();
    let saved: Vec<SavedMapping> = app
        .send_ok(SavedMappings {
            track_slug: Some("engineering".into()),
        })
        .await;
    app.send_ok(RenameSavedMapping {
        id: saved[0].id,
        name: "HR".into(),
    })
    .await;
    let named: FileImportAnswer = post(&app, Some(&token), &format!("{query}&mapping=HR"), FILE)
        .await
        .ok();
    assert_eq!(named.counts.unwrap().updated, 2);
    let unknown = post(
        &app,
        Some(&token),
        &format!("{query}&mapping=Payroll"),
        FILE,
    )
    .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert!(unknown
        .body
        .contains("No remembered mapping at this level is called “Payroll”"));
}

async fn a_request_sent_again_with_its_key_is_answered_once(app: TestApp) {
    signed_in(&app).await;
    let token = engineering_token(&app).await;
    let query = "track=engineering&roles=mentee";
    let send = |key: &'static str, body: &'static str| {
        let (app, token) = (&app, token.clone());
        async move { post_keyed(app, Some(&token), query, body, Some(key)).await }
    };
    let first: FileImportAnswer = send("nightly-2026-12-07", FILE).await.ok();
    let again: FileImportAnswer = send("nightly-2026-12-07", FILE).await.ok();
    assert_eq!(again, first, "the first answer, word for word");
    assert_eq!(imports(&app).await, 1, "imported once");

    // A refused request frees its key for the corrected one.
    let refused = send("nightly-2026-12-08", "Given,Family\nAnn,Lee\n").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let fixed: FileImportAnswer = send("nightly-2026-12-08", FILE).await.ok();
    assert_ne!(fixed.import_id, first.import_id);
    assert_eq!(imports(&app).await, 2);

    // Keys are the token's own: another token's same key imports anew.
    let other = engineering_token(&app).await;
    let theirs: FileImportAnswer =
        post_keyed(&app, Some(&other), query, FILE, Some("nightly-2026-12-07"))
            .await
            .ok();
    assert_ne!(theirs.import_id, first.import_id);
    let long = "k".repeat(256);
    let answer = app
        .client
        .post(format!("{}/api/v1/imports?{query}", app.base))
        .bearer_auth(&token)
        .header("Idempotency-Key", long)
        .body(FILE)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 422);
}

async fn a_csv_file_is_imported_in_one_call(app: TestApp) {
    signed_in(&app).await;
    let token = engineering_token(&app).await;
    let done: FileImportAnswer = post(&app, Some(&token), "track=engineering&roles=mentee", FILE)
        .await
        .ok();
    assert_eq!(done.rows, 3);
    let counts = done.counts.unwrap();
    assert_eq!(
        (counts.created, counts.emails_queued, counts.skipped),
        (2, 2, 1)
    );
    assert_eq!(done.errors_total, 1);
    assert_eq!(
        (done.errors[0].line, done.errors[0].column.as_str()),
        (4, "Email")
    );

    // The import is in the history, as the status call answers it.
    let id = done.import_id.unwrap();
    let answer = app
        .client
        .get(format!("{}/api/v1/imports/{id}", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let detail: ImportDetail = Answer::read(answer).await.ok();
    assert_eq!(detail.summary.counts.created, 2);
    assert_eq!(detail.rows.len(), 3);
}

async fn a_dry_run_answers_what_the_preview_shows_and_writes_nothing(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n",
        &[Role::Mentee],
    )
    .await;
    let token = engineering_token(&app).await;
    let (users_before, imports_before) = (users(&app).await, imports(&app).await);

    let checked: FileImportAnswer = post(
        &app,
        Some(&token),
        "track=engineering&roles=mentee&dry_run=true",
        FILE,
    )
    .await
    .ok();
    assert_eq!(checked.import_id, None);
    let would = checked.dry_run.unwrap();
    assert_eq!((would.new, would.updated, would.emails), (1, 1, 1));
    assert_eq!(checked.errors_total, 1);
    assert_eq!(users(&app).await, users_before, "nobody written");
    assert_eq!(imports(&app).await, imports_before, "no import recorded");
}

async fn callers_and_options_that_do_not_fit_are_refused(app: TestApp) {
    signed_in(&app).await;
    let token = engineering_token(&app).await;
    let status = |a: &Answer| a.status;
    assert_eq!(
        status(&post(&app, None, "track=engineering&roles=mentee", FILE).await),
        401
    );
    let revoked = post(
        &app,
        Some("roster_made-up"),
        "track=engineering&roles=mentee",
        FILE,
    )
    .await;
    assert_eq!(revoked.status, 401);
    let elsewhere = post(&app, Some(&token), "track=leadership&roles=mentee", FILE).await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.body);

    let refused = |query: &'static str, body: &'static str, says: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            let answer = post(app, Some(&token), query, body).await;
            assert_eq!(answer.status, 422, "{query}: {}", answer.body);
            assert!(answer.body.contains(says), "{query}: {}", answer.body);
        }
    };
    refused("track=engineering", FILE, "Say which roles the people get").await;
    refused(
        "track=engineering&roles=mentee,boss",
        FILE,
        "“boss” is not a role",
    )
    .await;
    refused(
        "track=engineering&roles=mentee&add=maybe",
        FILE,
        "`add` is add_and_update",
    )
    .await;
    refused(
        "track=engineering&roles=mentee",
        "Given,Family\nAnn,Lee\n",
        "Choose the column that holds",
    )
    .await;
    refused("track=engineering&roles=mentee", "", "The file is empty").await;
    assert_eq!(users(&app).await, 0, "nothing was written");
}
