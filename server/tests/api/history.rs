//! Import history (docs/history-and-undo.md): what is listed, to whom, and one import's
//! rows — on SQLite and PostgreSQL.

use crate::helpers::{everyone, import, import_at, signed_in, TestApp};
use app::api::history::{HistoryPage, ImportDetail, ImportHistory, LoadImportDetail};
use app::domain::csv_upload::{RoleChoice, RowOutcome};
use app::domain::Role;

async fn history(app: &TestApp, track: Option<&str>) -> crate::helpers::Answer {
    app.send(ImportHistory {
        track_slug: track.map(str::to_owned),
        page: 0,
    })
    .await
}

fn page(answer: crate::helpers::Answer) -> HistoryPage {
    answer.ok()
}

on_both_databases!(
    every_import_is_listed_newest_first_for_those_with_rights,
    one_import_shows_each_row_with_its_outcome_and_errors,
    a_state_the_code_does_not_know_is_an_error_not_a_guess,
);

/// A stored name no state has (written by a newer version, or by hand) is
/// not read as some other state: the call fails, and says nothing wrong.
async fn a_state_the_code_does_not_know_is_an_error_not_a_guess(app: TestApp) {
    use app::backend::entities::{import as import_entity, import_row};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    signed_in(&app).await;
    let done = import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nA,One,a@example.com\n",
        &[Role::Mentee],
    )
    .await;
    assert_eq!(page(history(&app, None).await).imports.len(), 1);
    import_row::Entity::update_many()
        .col_expr(import_row::Column::Outcome, Expr::value("exploded"))
        .filter(import_row::Column::ImportId.eq(done.id))
        .exec(&app.db)
        .await
        .unwrap();
    let detail = app.send(LoadImportDetail { id: done.id }).await;
    assert_eq!(detail.status, 500, "{}", detail.body);
    import_entity::Entity::update_many()
        .col_expr(import_entity::Column::Status, Expr::value("paused"))
        .exec(&app.db)
        .await
        .unwrap();
    let listed = history(&app, None).await;
    assert_eq!(listed.status, 500, "{}", listed.body);
    assert!(!listed.body.contains("paused"), "{}", listed.body);
}

async fn every_import_is_listed_newest_first_for_those_with_rights(app: TestApp) {
    signed_in(&app).await;
    let mentees = everyone(&[Role::Mentee]);
    import(
        &app,
        None,
        "First Name,Last Name,Email\nA,One,a@example.com\n",
        RoleChoice::Dormant,
        10,
    )
    .await;
    import(
        &app,
        Some("engineering"),
        "First Name,Last Name,Email\nA,One,a@example.com\nB,Two,b@example.com\n",
        mentees.clone(),
        10,
    )
    .await;
    import(
        &app,
        Some("leadership"),
        "First Name,Last Name,Email\nC,Three,c@example.com\n",
        mentees,
        10,
    )
    .await;

    let everything = page(history(&app, None).await);
    assert_eq!(everything.total, 3);
    let kinds: Vec<(&str, Option<&str>)> = everything
        .imports
        .iter()
        .map(|i| (i.kind.label(), i.track.as_ref().map(|t| t.slug.as_str())))
        .collect();
    assert_eq!(
        kinds,
        [
            ("CSV file", Some("leadership")),
            ("CSV file", Some("engineering")),
            ("Dormant CSV file", None)
        ],
        "newest first"
    );
    let engineering = &everything.imports[1];
    assert_eq!(
        (
            engineering.counts.created,
            engineering.counts.added,
            engineering.counts.emails_queued
        ),
        (1, 2, 2)
    );
    assert_eq!(engineering.admin_email.as_deref(), Some("ann@example.com"));
    assert_eq!(engineering.file_name.as_deref(), Some("people.csv"));

    let eve = app.admin_client("eve@example.com", &["engineering"]).await;
    let hers = page(history(&eve, Some("engineering")).await);
    assert_eq!(hers.total, 1);
    assert_eq!(history(&eve, Some("leadership")).await.status, 403);
    assert_eq!(
        history(&eve, None).await.status,
        403,
        "the global history is for global admins"
    );
    let other = everything.imports[0].id;
    assert_eq!(eve.send(LoadImportDetail { id: other }).await.status, 403);
}

async fn one_import_shows_each_row_with_its_outcome_and_errors(app: TestApp) {
    signed_in(&app).await;
    let text = "First Name,Last Name,Email,Department\nA,One,a@example.com,Sales\nB,,b@example.com,\nC,Three,c@,engineering\n";
    let done = import_at(&app, "engineering", text, &[Role::Mentor]).await;
    let detail: ImportDetail = app.send_ok(LoadImportDetail { id: done.id }).await;
    let outcomes: Vec<(u64, RowOutcome, usize)> = detail
        .rows
        .iter()
        .map(|r| (r.line, r.outcome, r.errors.len()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (2, RowOutcome::Created, 0),
            (3, RowOutcome::Skipped, 1),
            (4, RowOutcome::Skipped, 2)
        ]
    );
    assert_eq!(detail.rows[0].email.as_deref(), Some("a@example.com"));
    assert_eq!(detail.summary.counts.skipped, 2);
    let missing = LoadImportDetail { id: done.id + 99 };
    assert_eq!(app.send(missing).await.status, 404);
}
