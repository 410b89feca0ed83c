//! Matching people by an ID (docs/importing.md, "Matching people by an
//! ID"): a row finds its person by the instance's external ID before its
//! email, changes their email when HR did, refuses an ID and an email of
//! two people, and undo gives the old address back — on SQLite and
//! PostgreSQL.

use crate::helpers::{
    apply_and_finish, confirm_undo, import_at, import_with_rule, profile_answer, signed_in,
    start_import, user_by_email, TestApp,
};
use app::api::undo::UndoCounts;
use app::backend::entities::user;
use app::domain::{AddRule, Role, UpdateRule, WriteRule};
use app::RowOutcome;
use sea_orm::{EntityTrait, PaginatorTrait};
use std::sync::LazyLock;

/// The demo instance, with Employee ID as the people's external ID.
static WITH_AN_ID: LazyLock<String> = LazyLock::new(|| {
    let demo = std::fs::read_to_string(crate::helpers::demo_instance()).unwrap();
    let field = "key = \"employee_id\"\ntitle = \"Employee ID\"\ntype = \"text\"\n";
    assert!(demo.contains(field));
    demo.replace(field, &format!("{field}external_id = true\n"))
});

const HEADER: &str = "First Name,Last Name,Email,Employee ID,Job Title\n";

async fn users(app: &TestApp) -> u64 {
    user::Entity::find().count(&app.db).await.unwrap()
}

async fn id_of(app: &TestApp, email: &str) -> Option<String> {
    user_by_email(app, email).await.and_then(|u| u.external_id)
}

/// Ann (E1) and Bo (E2), mentees of Engineering.
async fn ann_and_bo(app: &TestApp) {
    signed_in(app).await;
    let text = format!(
        "{HEADER}Ann,Lee,ann@example.com,E1,Designer\nBo,Chen,bo@example.com,E2,Engineer\n"
    );
    import_at(app, "engineering", &text, &[Role::Mentee]).await;
}

on_both_databases!(
    instance = Some(super::WITH_AN_ID.as_str());
    an_id_finds_its_person_under_a_new_email_and_undo_gives_the_old_one_back,
    an_id_of_one_person_with_the_email_of_another_is_a_row_error_naming_both,
    an_id_an_earlier_batch_wrote_is_a_repeat,
    only_new_people_leaves_a_person_found_by_id_alone,
    the_preview_learns_who_an_id_is,
    undo_stops_when_the_old_address_is_another_persons_now,
);

async fn undo_stops_when_the_old_address_is_another_persons_now(app: TestApp) {
    ann_and_bo(&app).await;
    let text = format!("{HEADER}Ann,Lee,ann.lee@example.com,E1,\n");
    let moved = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    // Her old address is given to someone new.
    let text = format!("{HEADER}Dee,Ray,ann@example.com,E4,\n");
    import_at(&app, "engineering", &text, &[Role::Mentee]).await;

    let shown: app::api::undo::UndoPlan = app
        .send_ok(app::api::undo::PreviewUndo { id: moved.id })
        .await;
    let refused = app
        .send(app::api::undo::UndoImport {
            id: moved.id,
            expected: shown.counts,
        })
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains(
            "An address this undo would give back is another person's now: give that person \
             another one first, then undo again."
        ),
        "{}",
        refused.body
    );
    // Nothing was undone.
    assert!(user_by_email(&app, "ann.lee@example.com").await.is_some());
    assert_eq!(id_of(&app, "ann@example.com").await.as_deref(), Some("E4"));
}

async fn an_id_finds_its_person_under_a_new_email_and_undo_gives_the_old_one_back(app: TestApp) {
    ann_and_bo(&app).await;
    let ann = user_by_email(&app, "ann@example.com").await.unwrap();
    assert_eq!(ann.external_id.as_deref(), Some("E1"));

    let text = format!("{HEADER}Ann,Lee,Ann.Lee@example.com,E1,Architect\n");
    let done = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    assert_eq!(done.outcome(2), RowOutcome::Updated);
    assert_eq!(users(&app).await, 2, "no second Ann");
    assert!(user_by_email(&app, "ann@example.com").await.is_none());
    let moved = user_by_email(&app, "ann.lee@example.com").await.unwrap();
    assert_eq!(moved.id, ann.id);
    assert_eq!(moved.email, "Ann.Lee@example.com", "kept as written");
    assert_eq!(moved.external_id.as_deref(), Some("E1"));
    let answer = profile_answer(&app, "ann.lee@example.com", "job_title").await;
    assert_eq!(answer.as_deref(), Some("Architect"));
    // Found by her new address, as the search reads it.
    assert!(moved.search_key.contains("ann.lee@example.com"));

    let undone = confirm_undo(&app, done.id).await;
    assert_eq!(
        undone,
        UndoCounts {
            profiles_restored: 1,
            ..Default::default()
        }
    );
    let back = user_by_email(&app, "ann@example.com").await.unwrap();
    assert_eq!((back.id, back.email.as_str()), (ann.id, "ann@example.com"));
    assert_eq!(back.search_key, ann.search_key);
    assert!(user_by_email(&app, "ann.lee@example.com").await.is_none());
    let answer = profile_answer(&app, "ann@example.com", "job_title").await;
    assert_eq!(answer.as_deref(), Some("Designer"));
}

async fn an_id_of_one_person_with_the_email_of_another_is_a_row_error_naming_both(app: TestApp) {
    ann_and_bo(&app).await;
    let text =
        format!("{HEADER}Ann,Lee,bo@example.com,E1,Architect\nCy,Ng,cy@example.com,E3,Engineer\n");
    let done = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    assert_eq!(done.outcome(2), RowOutcome::Skipped);
    assert_eq!(done.outcome(3), RowOutcome::Created);
    let error = &done.rows[0].errors[0];
    assert_eq!(error.column, "Employee ID");
    assert_eq!(
        error.message,
        "Employee ID E1 is Ann Lee (ann@example.com)'s, but bo@example.com is Bo Chen \
         (bo@example.com)'s: correct the Employee ID or the email, so that both find the same \
         person."
    );
    // Neither of them was written.
    let bo = profile_answer(&app, "bo@example.com", "job_title").await;
    assert_eq!(bo.as_deref(), Some("Engineer"));
    assert_eq!(id_of(&app, "bo@example.com").await.as_deref(), Some("E2"));
    assert_eq!(id_of(&app, "cy@example.com").await.as_deref(), Some("E3"));
}

async fn an_id_an_earlier_batch_wrote_is_a_repeat(app: TestApp) {
    ann_and_bo(&app).await;
    // One row per batch: the browser's check of the whole file is not
    // trusted; the server finds the repeat from what it recorded.
    let text = format!(
        "{HEADER}Cy,Ng,cy@example.com,E3,\nCy,Ng,cy.ng@example.com,E3,\nAnn,Lee,ann@example.com,E3,\n"
    );
    let (id, table) = start_import(
        &app,
        Some("engineering"),
        &text,
        crate::helpers::everyone(&[Role::Mentee]),
    )
    .await;
    let done = apply_and_finish(&app, id, &table.rows, 1).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    assert_eq!(done.outcome(3), RowOutcome::Skipped);
    assert_eq!(
        done.rows[1].errors[0].message,
        "Employee ID has to be unique: E3 is also on line 2. Keep one row per person."
    );
    // Ann's row would give her Cy's ID: the same person twice, refused.
    assert_eq!(done.outcome(4), RowOutcome::Skipped);
    assert_eq!(id_of(&app, "ann@example.com").await.as_deref(), Some("E1"));
    assert!(user_by_email(&app, "cy.ng@example.com").await.is_none());
}

async fn only_new_people_leaves_a_person_found_by_id_alone(app: TestApp) {
    ann_and_bo(&app).await;
    let text = format!("{HEADER}Ann,Lee,ann.lee@example.com,E1,Architect\n");
    let rule = UpdateRule {
        add: AddRule::OnlyNew,
        write: WriteRule::Overwrite,
    };
    let choice = crate::helpers::everyone(&[Role::Mentor]);
    let done = import_with_rule(&app, Some("engineering"), &text, choice, rule).await;
    assert_eq!(done.outcome(2), RowOutcome::SkippedExisting);
    assert!(user_by_email(&app, "ann.lee@example.com").await.is_none());
    assert_eq!(users(&app).await, 2);

    // Filling empty fields still follows her to her new address.
    let rule = UpdateRule {
        add: AddRule::AddAndUpdate,
        write: WriteRule::FillEmpty,
    };
    let choice = crate::helpers::everyone(&[Role::Mentee]);
    import_with_rule(&app, Some("engineering"), &text, choice, rule).await;
    let ann = user_by_email(&app, "ann.lee@example.com").await.unwrap();
    assert_eq!(ann.external_id.as_deref(), Some("E1"));
    let answer = profile_answer(&app, "ann.lee@example.com", "job_title").await;
    assert_eq!(answer.as_deref(), Some("Designer"), "not empty: kept");
}

async fn the_preview_learns_who_an_id_is(app: TestApp) {
    ann_and_bo(&app).await;
    let body = serde_json::json!({
        "track_slug": "engineering",
        "emails": ["ann.lee@example.com"],
        "ids": ["E1", "E9"],
    });
    let known: Vec<app::KnownPerson> = app.call_json("known_people", body).await.ok();
    assert_eq!(known.len(), 1, "unknown IDs are left out");
    assert_eq!(known[0].email, "ann@example.com");
    assert_eq!(known[0].external_id.as_deref(), Some("E1"));
    assert!(known[0].active);
    // A caller that asks by email alone, as before IDs, is answered too.
    let body = serde_json::json!({ "track_slug": "engineering", "emails": ["bo@example.com"] });
    let known: Vec<app::KnownPerson> = app.call_json("known_people", body).await.ok();
    assert_eq!(known[0].external_id.as_deref(), Some("E2"));
}

on_both_databases!(naming_a_field_the_id_copies_every_answer_and_refuses_a_shared_one);

async fn naming_a_field_the_id_copies_every_answer_and_refuses_a_shared_one(app: TestApp) {
    use server::instance_file::parse;
    use server::instance_sync::sync;
    // The demo instance names no ID: answers are not copied.
    ann_and_bo(&app).await;
    assert_eq!(id_of(&app, "ann@example.com").await, None);

    let with_id = parse(&WITH_AN_ID).unwrap();
    assert!(sync(&app.db, &with_id).await.unwrap().external_ids_copied);
    assert_eq!(id_of(&app, "ann@example.com").await.as_deref(), Some("E1"));
    assert_eq!(id_of(&app, "bo@example.com").await.as_deref(), Some("E2"));
    assert!(
        sync(&app.db, &with_id).await.unwrap().is_empty(),
        "nothing changed"
    );

    let demo = std::fs::read_to_string(crate::helpers::demo_instance()).unwrap();
    let demo = parse(&demo).unwrap();
    assert!(sync(&app.db, &demo).await.unwrap().external_ids_copied);
    assert_eq!(id_of(&app, "ann@example.com").await, None);
    // While no field is the ID, two people may share an Employee ID...
    let text = format!("{HEADER}Cy,Ng,cy@example.com,E1,\n");
    import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    // ...and then it cannot become the ID, said in a sentence.
    let error = sync(&app.db, &with_id).await.unwrap_err().to_string();
    assert!(
        error.contains(
            "2 people have \"E1\" as their Employee ID, so it cannot be the external ID: give \
             each person their own Employee ID, or remove `external_id` from the field."
        ),
        "{error}"
    );
    assert_eq!(
        id_of(&app, "ann@example.com").await,
        None,
        "nothing was changed"
    );
}
