//! Update rules (docs/importing.md, "Update rules"): whom an import adds
//! and what it writes over, decided by the server from who exists, each
//! undone exactly — on SQLite and PostgreSQL.

use crate::helpers::{
    apply_and_finish, confirm_undo, everyone, import_at, import_with_rule, profile_answer,
    signed_in, start_import_with_rule, user_by_email, TestApp,
};
use app::api::history::{ImportDetail, LoadImportDetail};
use app::api::imports::{ApplyBatch, ImportCounts, ImportPlan};
use app::api::undo::UndoCounts;
use app::backend::entities::{import_row, outbox};
use app::domain::csv_upload::{CsvRow, Mapping, RoleChoice, RowOutcome, Target};
use app::domain::{AddRule, Role, UpdateRule, WriteRule};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const HEADER: &str = "First Name,Last Name,Email,Job Title,Department\n";

fn rule(add: AddRule, write: WriteRule) -> UpdateRule {
    UpdateRule { add, write }
}

async fn names(app: &TestApp, email: &str) -> (String, String) {
    let u = user_by_email(app, email).await.expect("the user exists");
    (u.first_name, u.last_name)
}

/// Ann's answer in the field `key`.
async fn ann(app: &TestApp, key: &str) -> Option<String> {
    profile_answer(app, "ann@example.com", key).await
}

async fn emails_of(app: &TestApp, import_id: i64) -> Vec<String> {
    let mut to: Vec<String> = outbox::Entity::find()
        .filter(outbox::Column::ImportId.eq(import_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.to_address)
        .collect();
    to.sort();
    to
}

on_both_databases!(
    only_new_leaves_existing_people_alone,
    only_existing_leaves_new_emails_out,
    fill_empty_writes_blank_fields_only_and_undo_restores_exactly,
    a_later_fill_empty_import_does_not_keep_an_earlier_ones_names,
    skipped_rows_count_against_the_files_rows_and_retry_alike,
    a_plan_without_a_rule_adds_and_overwrites,
);

async fn only_new_leaves_existing_people_alone(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Ann,Lee,ann@example.com,Designer,Sales\n"),
        &[Role::Mentee],
    )
    .await;
    // Cy is in the pool, known to the platform but in no track.
    import_with_rule(
        &app,
        None,
        &format!("{HEADER}Cy,Poole,cy@example.com,,\n"),
        RoleChoice::Dormant,
        UpdateRule::default(),
    )
    .await;

    let text = format!(
        "{HEADER}Annie,Lee,ANN@example.com,Architect,Finance\n\
         Bo,Chen,bo@example.com,,\n\
         Cy,Changed,cy@example.com,,\n"
    );
    let done = import_with_rule(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentor]),
        rule(AddRule::OnlyNew, WriteRule::Overwrite),
    )
    .await;
    assert_eq!(
        done.counts,
        ImportCounts {
            created: 1,
            added: 1,
            emails_queued: 1,
            skipped_existing: 2,
            ..Default::default()
        }
    );
    assert_eq!(done.outcome(2), RowOutcome::SkippedExisting);
    assert_eq!(done.outcome(3), RowOutcome::Created);
    assert_eq!(done.outcome(4), RowOutcome::SkippedExisting);
    // Nothing of Ann or Cy was written: no names, answers, roles or email.
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Ann".into(), "Lee".into())
    );
    assert_eq!(ann(&app, "department").await.as_deref(), Some("Sales"));
    assert_eq!(
        names(&app, "cy@example.com").await,
        ("Cy".into(), "Poole".into())
    );
    assert_eq!(
        crate::helpers::roles_in(&app, "cy@example.com", "engineering").await,
        None
    );
    assert_eq!(
        emails_of(&app, done.id).await,
        vec!["bo@example.com".to_owned()]
    );
    // The skipped rows are recorded, with no person written.
    let rows = import_row::Entity::find()
        .filter(import_row::Column::ImportId.eq(done.id))
        .filter(import_row::Column::UserId.is_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 2);

    let detail: ImportDetail = app.send_ok(LoadImportDetail { id: done.id }).await;
    assert_eq!(detail.summary.rule.add, AddRule::OnlyNew);
    assert_eq!(detail.summary.counts.skipped_existing, 2);
    let listed: Vec<(Option<String>, RowOutcome)> = detail
        .rows
        .iter()
        .map(|r| (r.email.clone(), r.outcome))
        .collect();
    assert_eq!(
        listed[0],
        (Some("ann@example.com".into()), RowOutcome::SkippedExisting)
    );

    // Undo takes back Bo and nothing of the people it skipped.
    let undone = confirm_undo(&app, done.id).await;
    assert_eq!(
        undone,
        UndoCounts {
            users_deleted: 1,
            emails_cancelled: 1,
            ..Default::default()
        }
    );
    assert!(user_by_email(&app, "bo@example.com").await.is_none());
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Ann".into(), "Lee".into())
    );
}

async fn only_existing_leaves_new_emails_out(app: TestApp) {
    signed_in(&app).await;
    import_with_rule(
        &app,
        None,
        &format!("{HEADER}Ann,Lee,ann@example.com,Designer,Sales\n"),
        RoleChoice::Dormant,
        UpdateRule::default(),
    )
    .await;
    let text = format!(
        "{HEADER}Annie,Lee,ann@example.com,Architect,Finance\n\
         Bo,Chen,bo@example.com,,\n"
    );
    // At a track: Ann, in the pool, is existing and joins it; Bo is new.
    let done = import_with_rule(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentee]),
        rule(AddRule::OnlyExisting, WriteRule::Overwrite),
    )
    .await;
    assert_eq!(done.outcome(2), RowOutcome::Added);
    assert_eq!(done.outcome(3), RowOutcome::SkippedNew);
    assert_eq!(
        done.counts,
        ImportCounts {
            updated: 1,
            added: 1,
            emails_queued: 1,
            skipped_new: 1,
            ..Default::default()
        }
    );
    assert!(user_by_email(&app, "bo@example.com").await.is_none());
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Annie".into(), "Lee".into())
    );
    assert_eq!(
        emails_of(&app, done.id).await,
        vec!["ann@example.com".to_owned()]
    );

    let undone = confirm_undo(&app, done.id).await;
    assert_eq!(
        undone,
        UndoCounts {
            memberships_removed: 1,
            profiles_restored: 1,
            emails_cancelled: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Ann".into(), "Lee".into())
    );
    assert_eq!(ann(&app, "department").await.as_deref(), Some("Sales"));
}

async fn fill_empty_writes_blank_fields_only_and_undo_restores_exactly(app: TestApp) {
    signed_in(&app).await;
    // Ann has a department and no job title.
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Ann,Lee,ann@example.com,,Sales\n"),
        &[Role::Mentee],
    )
    .await;
    let text = format!(
        "{HEADER}Annie,Leigh,ann@example.com,Architect,Finance\n\
         Bo,Chen,bo@example.com,Chef,Finance\n"
    );
    let done = import_with_rule(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentee, Role::Mentor]),
        rule(AddRule::AddAndUpdate, WriteRule::FillEmpty),
    )
    .await;
    assert_eq!(done.outcome(2), RowOutcome::RolesAdded);
    assert_eq!(done.outcome(3), RowOutcome::Created);
    // What Ann had stays; the blank job title is filled; roles are added.
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Ann".into(), "Lee".into())
    );
    assert_eq!(ann(&app, "department").await.as_deref(), Some("Sales"));
    assert_eq!(ann(&app, "job_title").await.as_deref(), Some("Architect"));
    assert_eq!(
        crate::helpers::roles_in(&app, "ann@example.com", "engineering").await,
        Some(crate::helpers::roles(&[Role::Mentee, Role::Mentor]))
    );
    // A new person gets the whole row.
    assert_eq!(
        profile_answer(&app, "bo@example.com", "department")
            .await
            .as_deref(),
        Some("Finance")
    );

    let detail: ImportDetail = app.send_ok(LoadImportDetail { id: done.id }).await;
    assert_eq!(detail.summary.rule.write, WriteRule::FillEmpty);

    let undone = confirm_undo(&app, done.id).await;
    assert_eq!(
        undone,
        UndoCounts {
            users_deleted: 1,
            roles_removed: 1,
            profiles_restored: 1,
            emails_cancelled: 1,
            ..Default::default()
        }
    );
    assert_eq!(ann(&app, "job_title").await, None);
    assert_eq!(ann(&app, "department").await.as_deref(), Some("Sales"));
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Ann".into(), "Lee".into())
    );
}

/// Undo leaves what a later import wrote; an import that only filled
/// fields wrote no names, so an earlier import's names still go back.
async fn a_later_fill_empty_import_does_not_keep_an_earlier_ones_names(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Ann,Lee,ann@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;
    let renamed = import_at(
        &app,
        "engineering",
        &format!("{HEADER}Anne,Lee-Park,ann@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;
    import_with_rule(
        &app,
        Some("engineering"),
        &format!("{HEADER}Whoever,Else,ann@example.com,Architect,\n"),
        everyone(&[Role::Mentee]),
        rule(AddRule::OnlyExisting, WriteRule::FillEmpty),
    )
    .await;
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Anne".into(), "Lee-Park".into())
    );

    let undone = confirm_undo(&app, renamed.id).await;
    assert_eq!(undone.profiles_restored, 1);
    assert_eq!(undone.kept_for_later_imports, 1);
    assert_eq!(
        names(&app, "ann@example.com").await,
        ("Ann".into(), "Lee".into())
    );
    // The job title the later import filled stays.
    assert_eq!(ann(&app, "job_title").await.as_deref(), Some("Architect"));
}

async fn skipped_rows_count_against_the_files_rows_and_retry_alike(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Ann,Lee,ann@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;
    let text = format!("{HEADER}Ann,Lee,ann@example.com,,\nBo,Chen,bo@example.com,,\n");
    let (id, table) = start_import_with_rule(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentee]),
        rule(AddRule::OnlyNew, WriteRule::Overwrite),
    )
    .await;
    let first: Vec<_> = app
        .send_ok(ApplyBatch {
            import_id: id,
            rows: table.rows.clone(),
        })
        .await;
    // A retry is answered from the record, the skip included.
    let again: Vec<_> = app
        .send_ok(ApplyBatch {
            import_id: id,
            rows: table.rows.clone(),
        })
        .await;
    assert_eq!(first, again);
    // The file had two rows: both are recorded, one of them skipped.
    let extra = CsvRow {
        line: 4,
        cells: ["Cy", "Poole", "cy@example.com", "", ""]
            .into_iter()
            .collect(),
    };
    let refused = app
        .send(ApplyBatch {
            import_id: id,
            rows: vec![extra],
        })
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("file of 2 rows"), "{}", refused.body);
    let done = apply_and_finish(&app, id, &[], 10).await;
    assert_eq!((done.counts.created, done.counts.skipped_existing), (1, 1));
}

/// A client that knows nothing of rules (an older page, a script) gets
/// what imports always did.
async fn a_plan_without_a_rule_adds_and_overwrites(app: TestApp) {
    signed_in(&app).await;
    let plan = ImportPlan {
        track_slug: None,
        file_name: "x.csv".into(),
        sheet: None,
        file_hash: "x".into(),
        headers: vec!["First Name".into(), "Last Name".into(), "Email".into()],
        mapping: Mapping::new(vec![
            Some(Target::FirstName),
            Some(Target::LastName),
            Some(Target::Email),
        ]),
        roles: RoleChoice::Dormant,
        rows_total: 1,
        rule: rule(AddRule::OnlyNew, WriteRule::FillEmpty),
    };
    let mut body = serde_json::json!({ "plan": plan });
    body["plan"].as_object_mut().unwrap().remove("rule");
    let answer = app.call_json("start_import", body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let id: i64 = answer.ok();
    let detail: ImportDetail = app.send_ok(LoadImportDetail { id }).await;
    assert_eq!(detail.summary.rule, UpdateRule::default());
}
