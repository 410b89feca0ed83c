//! Holes a hostile caller or an unlucky moment could open (issue 18), each
//! closed and shown closed on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::domain::csv_upload::RoleChoice;
use app::domain::{Role, Roles};
use common::{import, signed_in, start_import, TestApp};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::entities::{import_row, membership, user};

on_both_databases!(
    after_sign_in_only_a_plain_path_on_this_site_is_followed,
    a_batch_with_a_line_twice_is_refused_and_writes_nothing,
    a_name_of_kilobytes_is_a_row_error_not_a_failed_batch,
    roles_that_do_not_exist_are_refused_from_the_wire,
);

const PASSWORD: &str = "correct horse battery";

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    (
        user::Entity::find().count(&app.db).await.unwrap(),
        membership::Entity::find().count(&app.db).await.unwrap(),
        import_row::Entity::find().count(&app.db).await.unwrap(),
    )
}

async fn after_sign_in_only_a_plain_path_on_this_site_is_followed(app: TestApp) {
    signed_in(&app).await;
    for (next, expected) in [
        ("/tracks/engineering/members", "/tracks/engineering/members"),
        ("/\t/evil.example", "/"),
        ("/\n", "/"),
        ("/%09/x\r\n", "/"),
        ("//evil.example", "/"),
    ] {
        let answer = app
            .client
            .post(format!("{}/api/login", app.base))
            .header(reqwest::header::ACCEPT, "text/html")
            .form(&[
                ("email", "ann@example.com"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 302, "{next:?}");
        assert_eq!(answer.headers()["location"], expected, "{next:?}");
    }
}

const TWO: &str = "First Name,Last Name,Email\nAnn,Lee,ann@example.org\nBo,Li,bo@example.org\n";

async fn a_batch_with_a_line_twice_is_refused_and_writes_nothing(app: TestApp) {
    signed_in(&app).await;
    let mentees = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
    let (id, table) = start_import(&app, Some("engineering"), TWO, mentees).await;
    let mut twice = table.rows.clone();
    twice[1].line = twice[0].line;
    let mut beyond = table.rows.clone();
    beyond[0].line = u64::from(u32::MAX) + 2;
    beyond[1].line = u64::from(u32::MAX) + 3;
    for rows in [twice, beyond] {
        let answer = app
            .call_json(
                "apply_batch",
                serde_json::json!({ "import_id": id, "rows": rows }),
            )
            .await;
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert!(
            answer.body.contains("upload the file again"),
            "{}",
            answer.body
        );
        assert_eq!(counts(&app).await, (0, 0, 0));
    }
}

async fn a_name_of_kilobytes_is_a_row_error_not_a_failed_batch(app: TestApp) {
    signed_in(&app).await;
    let text = format!(
        "First Name,Last Name,Email\n{},Lee,ann@example.org\nBo,Li,bo@example.org\n",
        "N".repeat(5_000)
    );
    let mentees = RoleChoice::Everyone(Roles::empty().with(Role::Mentee));
    let done = import(&app, Some("engineering"), &text, mentees, 250).await;
    assert_eq!(done.counts.created, 1);
    assert_eq!(done.counts.skipped, 1);
    let skipped = done.rows.iter().find(|r| r.line == 2).unwrap();
    assert!(
        format!("{skipped:?}").contains("First Name is too long: use at most 200 characters"),
        "{skipped:?}"
    );
}

async fn roles_that_do_not_exist_are_refused_from_the_wire(app: TestApp) {
    signed_in(&app).await;
    let dormant = import(&app, None, TWO, RoleChoice::Dormant, 250).await;
    assert_eq!(dormant.counts.created, 2);
    let ids: Vec<i64> = user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    let answer = app
        .call_json(
            "add_from_pool",
            serde_json::json!({ "track_slug": "engineering", "user_ids": ids, "roles": 16 }),
        )
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(membership::Entity::find().count(&app.db).await.unwrap(), 0);
}
