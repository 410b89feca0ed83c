//! Applying CSV imports on the server (docs/importing.md, step 4): semantics,
//! retries, errors inside a batch and rights — on SQLite and PostgreSQL.

use crate::helpers::{
    everyone, import, import_at, profile_answer, roles, roles_in, signed_in, user_by_email, TestApp,
};
use app::api::imports::{ApplyBatch, FinishImport, KnownPeople, LoadImportContext, StartImport};
use app::api::overview::{GlobalOverview, InstanceOverview, TrackOverview};
use app::backend::entities::stored::Named;
use app::backend::entities::{membership, outbox, user};
use app::domain::csv_upload::{read_table, CsvRow, Delimiter, Mapping, RoleChoice, Target};
use app::domain::{ImportKind, Role, SystemEmail};
use app::{ImportCounts, ImportPlan, RowOutcome, RowResult};
use sea_orm::{EntityTrait, PaginatorTrait};

const HEADER: &str = "First Name,Last Name,Email,Department,Job Title\n";

/// A plan for a one-line file of first name, last name and email, mapped
/// as such, to start at `track` with `roles`.
fn one_line_plan(track: Option<&str>, roles: RoleChoice) -> StartImport {
    StartImport {
        plan: ImportPlan {
            track_slug: track.map(str::to_owned),
            file_name: "x.csv".into(),
            sheet: None,
            file_hash: "x".into(),
            headers: vec!["First Name".into(), "Last Name".into(), "Email".into()],
            mapping: Mapping::new(vec![
                Some(Target::FirstName),
                Some(Target::LastName),
                Some(Target::Email),
            ]),
            roles,
            rows_total: 1,
            rule: Default::default(),
        },
    }
}

on_both_databases!(
    an_hr_export_is_applied_with_its_leading_zeros_and_its_repeat_skipped,
    a_new_email_creates_the_user_their_membership_answers_and_email,
    a_dormant_user_and_a_member_of_another_track_join,
    an_existing_member_gains_roles_and_keeps_the_old_ones,
    mapped_values_overwrite_and_unmapped_fields_are_left_alone,
    a_retried_batch_creates_nothing_twice,
    a_failing_row_leaves_the_rest_of_its_batch_written,
    a_repeated_email_in_a_later_batch_is_refused,
    a_dormant_import_adds_no_membership_and_sends_nothing,
    nobody_applies_an_import_they_have_no_rights_to,
    roles_can_come_from_a_column,
    a_workbook_import_records_its_sheet_and_names_are_bounded,
    values_are_written_exactly_as_given_whatever_their_characters,
);

/// PostgreSQL writes a batch as one array per column, in array literal
/// text: quotes, backslashes, braces, commas, the word NULL and line
/// breaks must come back as they went in, and a skipped row's record
/// (no user) beside a written one.
async fn values_are_written_exactly_as_given_whatever_their_characters(app: TestApp) {
    signed_in(&app).await;
    let title = "Lead \\\"R&D\\\", {North}, \\ \\\\ NULL\nnext line";
    let text = format!(
        "{HEADER}NULL,\"O'Brien, {{x}}\",ob@example.com,Engineering,\"{}\"\nBad,Row,not-an-email,,\n",
        title.replace('"', "\"\"")
    );
    let done = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    // The line after the cell's line break.
    assert_eq!(done.outcome(4), RowOutcome::Skipped);
    let u = user_by_email(&app, "ob@example.com").await.unwrap();
    assert_eq!(
        (u.first_name.as_str(), u.last_name.as_str()),
        ("NULL", "O'Brien, {x}")
    );
    assert_eq!(
        profile_answer(&app, "ob@example.com", "job_title")
            .await
            .as_deref(),
        Some(title)
    );
}

/// The history names the sheet a workbook's people came from; a file or
/// sheet name no spreadsheet would make is refused before anything starts.
async fn a_workbook_import_records_its_sheet_and_names_are_bounded(app: TestApp) {
    use app::api::history::{ImportDetail, LoadImportDetail};
    signed_in(&app).await;
    let mut plan = one_line_plan(Some("engineering"), everyone(&[Role::Mentor]));
    plan.plan.file_name = "staff.xlsx".into();
    plan.plan.sheet = Some("Pay 2024".into());
    let id: i64 = app.send(plan.clone()).await.ok();
    let detail: ImportDetail = app.send(LoadImportDetail { id }).await.ok();
    assert_eq!(detail.summary.file_name.as_deref(), Some("staff.xlsx"));
    assert_eq!(detail.summary.sheet.as_deref(), Some("Pay 2024"));

    plan.plan.sheet = Some("x".repeat(256));
    let refused = app.send(plan.clone()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("over 255 characters"),
        "{}",
        refused.body
    );
    plan.plan.sheet = None;
    plan.plan.file_name = "é".repeat(256);
    assert_eq!(app.send(plan).await.status, 422);
}

async fn roles_can_come_from_a_column(app: TestApp) {
    signed_in(&app).await;
    let text = "First Name,Last Name,Email,Role\nA,One,a@example.com,\"Mentor, Admin\"\nB,Two,b@example.com,coach\n";
    let done = import(&app, Some("engineering"), text, RoleChoice::FromColumn, 10).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    assert_eq!(done.outcome(3), RowOutcome::Skipped);
    let held = roles_in(&app, "a@example.com", "engineering")
        .await
        .unwrap();
    assert!(held.contains(Role::Mentor) && held.contains(Role::Admin));
    let mail = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        *mail.template,
        SystemEmail::NewAdministrator,
        "admin wins the template choice"
    );
}

async fn a_new_email_creates_the_user_their_membership_answers_and_email(app: TestApp) {
    signed_in(&app).await;
    let text = format!("{HEADER}Zoë,Lee, Zoe@Example.com ,Engineering,Engineer\n");
    let done = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    assert_eq!(
        (
            done.counts.created,
            done.counts.added,
            done.counts.emails_queued
        ),
        (1, 1, 1)
    );
    let u = user_by_email(&app, "zoe@example.com").await.unwrap();
    assert_eq!(
        (u.email.as_str(), u.first_name.as_str()),
        ("Zoe@Example.com", "Zoë"),
        "casing kept, trimmed"
    );
    assert_eq!(
        roles_in(&app, "zoe@example.com", "engineering").await,
        Some(roles(&[Role::Mentee]))
    );
    assert_eq!(
        profile_answer(&app, "zoe@example.com", "department")
            .await
            .as_deref(),
        Some("Engineering")
    );
    let mail = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (*mail.template, mail.to_address.as_str()),
        (SystemEmail::NewMentee, "Zoe@Example.com")
    );
    assert_eq!(mail.subject, "Welcome to Engineering Mentoring");
    assert!(mail.body.starts_with("Hello Zoë,"), "{}", mail.body);
    assert!(
        mail.not_before > mail.created_at,
        "held for the undo window"
    );
    let license = app.send(InstanceOverview {}).await.json()["license"]["active_users"].clone();
    assert_eq!(license, 1);
}

async fn a_dormant_user_and_a_member_of_another_track_join(app: TestApp) {
    signed_in(&app).await;
    let dormant = format!("{HEADER}Dee,Orm,dee@example.com,,\n");
    import(&app, None, &dormant, RoleChoice::Dormant, 10).await;
    let other = format!("{HEADER}Lea,Der,lea@example.com,,\n");
    import_at(&app, "leadership", &other, &[Role::Mentor]).await;

    let text = format!("{HEADER}Dee,Orm,dee@example.com,,\nLea,Der,LEA@example.com,,\n");
    let done = import_at(&app, "engineering", &text, &[Role::Mentor]).await;
    assert_eq!(done.outcome(2), RowOutcome::Added);
    assert_eq!(done.outcome(3), RowOutcome::Added);
    assert_eq!(
        (done.counts.created, done.counts.updated, done.counts.added),
        (0, 2, 2)
    );
    assert_eq!(done.counts.emails_queued, 2);
    assert!(
        roles_in(&app, "lea@example.com", "leadership")
            .await
            .unwrap()
            .contains(Role::Mentor),
        "other track untouched"
    );
    assert_eq!(
        user::Entity::find().count(&app.db).await.unwrap(),
        2,
        "nobody created twice"
    );
}

async fn an_existing_member_gains_roles_and_keeps_the_old_ones(app: TestApp) {
    signed_in(&app).await;
    let text = format!("{HEADER}Mo,Lee,mo@example.com,,\n");
    import_at(&app, "engineering", &text, &[Role::Mentor]).await;
    let done = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    assert_eq!(done.outcome(2), RowOutcome::RolesAdded);
    assert_eq!(done.counts.roles_added, 1);
    assert_eq!(
        done.counts.emails_queued, 0,
        "only people newly added to the track are emailed"
    );
    let held = roles_in(&app, "mo@example.com", "engineering")
        .await
        .unwrap();
    assert!(held.contains(Role::Mentor) && held.contains(Role::Mentee));
    let again = import_at(&app, "engineering", &text, &[Role::Mentor]).await;
    assert_eq!(again.outcome(2), RowOutcome::Updated, "nothing new to add");
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 1);
}

async fn mapped_values_overwrite_and_unmapped_fields_are_left_alone(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Al,Lee,al@example.com,Sales,Clerk\n"),
        &[Role::Mentee],
    )
    .await;
    let update = "Email,First Name,Last Name,Department\nal@example.com,Albert,Lee,Finance\n";
    let done = import(&app, None, update, RoleChoice::Dormant, 10).await;
    assert_eq!(done.outcome(2), RowOutcome::Updated);
    assert_eq!(
        profile_answer(&app, "al@example.com", "department")
            .await
            .as_deref(),
        Some("Finance")
    );
    assert_eq!(
        profile_answer(&app, "al@example.com", "job_title")
            .await
            .as_deref(),
        Some("Clerk"),
        "unmapped: untouched"
    );
    let al = user_by_email(&app, "al@example.com").await.unwrap();
    assert_eq!(al.first_name, "Albert");
    assert!(
        roles_in(&app, "al@example.com", "engineering")
            .await
            .is_some(),
        "a dormant import keeps memberships"
    );
}

async fn a_retried_batch_creates_nothing_twice(app: TestApp) {
    signed_in(&app).await;
    let text = format!("{HEADER}A,One,a@example.com,,\nB,Two,b@example.com,,\n");
    let table = read_table(&text, Delimiter::Comma, 10).unwrap();
    let done = import_at(&app, "engineering", &text, &[Role::Mentor]).await;
    // The same batch again, as a browser retries after a lost answer.
    let reopened = app::backend::entities::import::Entity::update_many()
        .col_expr(
            app::backend::entities::import::Column::Status,
            sea_orm::sea_query::Expr::value(Named(app::domain::ImportStatus::InProgress)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(reopened.rows_affected, 1);
    let retry = app
        .send(ApplyBatch {
            import_id: done.id,
            rows: table.rows,
        })
        .await;
    let rows: Vec<RowResult> = serde_json::from_str(&retry.body).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.outcome).collect::<Vec<_>>(),
        [RowOutcome::Created, RowOutcome::Created]
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 2);
    assert_eq!(membership::Entity::find().count(&app.db).await.unwrap(), 2);
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 2);
    let counts = app.send(FinishImport { import_id: done.id }).await.json();
    assert_eq!(counts["created"], 2, "counted once");
}

async fn a_failing_row_leaves_the_rest_of_its_batch_written(app: TestApp) {
    signed_in(&app).await;
    let text = format!(
        "{HEADER}A,One,a@example.com,,\nB,Two,john@,,\nC,Three,c@example.com,engineering,\n"
    );
    let done = import_at(&app, "engineering", &text, &[Role::Mentor]).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    assert_eq!(done.outcome(3), RowOutcome::Skipped);
    assert_eq!(done.outcome(4), RowOutcome::Skipped);
    let near = &done.rows.iter().find(|r| r.line == 4).unwrap().errors[0];
    assert_eq!(
        near.suggestion.as_deref(),
        Some("Engineering"),
        "the server gives the browser's verdict"
    );
    assert_eq!(done.counts.skipped, 2);
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 1);
}

async fn a_repeated_email_in_a_later_batch_is_refused(app: TestApp) {
    signed_in(&app).await;
    let text =
        format!("{HEADER}A,One,a@example.com,,\nB,Two,b@example.com,,\nA,Again,A@example.com,,\n");
    let done = import(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentor]),
        2,
    )
    .await;
    let repeat = done.rows.iter().find(|r| r.line == 4).unwrap();
    assert_eq!(repeat.outcome, RowOutcome::Skipped);
    assert!(
        repeat.errors[0].message.contains("also on line 2"),
        "{:?}",
        repeat.errors
    );
    let a = user_by_email(&app, "a@example.com").await.unwrap();
    assert_eq!(a.last_name, "One");
}

async fn a_dormant_import_adds_no_membership_and_sends_nothing(app: TestApp) {
    signed_in(&app).await;
    let text = format!("{HEADER}A,One,a@example.com,Sales,\nB,Two,b@example.com,,\n");
    let done = import(&app, None, &text, RoleChoice::Dormant, 10).await;
    assert_eq!(done.counts.created, 2);
    assert_eq!(membership::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 0);
    let overview = app.send(GlobalOverview {}).await.json();
    assert_eq!(
        (
            overview["license"]["active_users"].clone(),
            overview["dormant_users"].clone()
        ),
        (0.into(), 2.into())
    );
}

async fn nobody_applies_an_import_they_have_no_rights_to(app: TestApp) {
    signed_in(&app).await;
    let tara = app.admin_client("tara@example.com", &["leadership"]).await;
    let plan = one_line_plan(Some("engineering"), everyone(&[Role::Mentor]));
    assert_eq!(tara.send(plan.clone()).await.status, 403);
    let dormant = one_line_plan(None, RoleChoice::Dormant);
    assert_eq!(
        tara.send(dormant).await.status,
        403,
        "dormant imports are for global admins"
    );

    // An import of Ann's at engineering cannot be fed by Tara.
    let started = app.send(plan).await;
    let id: i64 = serde_json::from_str(&started.body).unwrap();
    let batch = ApplyBatch {
        import_id: id,
        rows: vec![CsvRow {
            line: 2,
            cells: ["A", "B", "a@example.com"].into_iter().collect(),
        }],
    };
    let answer = tara.send(batch.clone()).await;
    assert_eq!(answer.status, 403);
    let anonymous = TestApp::anonymous_like(&app);
    assert_eq!(anonymous.send(batch).await.status, 401);
    assert_eq!(
        user::Entity::find().count(&app.db).await.unwrap(),
        0,
        "nothing written"
    );
}

on_both_databases!(the_preview_learns_which_emails_exist_and_only_for_permitted_tracks);

async fn the_preview_learns_which_emails_exist_and_only_for_permitted_tracks(app: TestApp) {
    signed_in(&app).await;
    import(
        &app,
        None,
        &format!("{HEADER}D,Orm,dee@example.com,,\n"),
        RoleChoice::Dormant,
        10,
    )
    .await;
    import_at(
        &app,
        "leadership",
        &format!("{HEADER}L,Ead,lea@example.com,,\n"),
        &[Role::Mentor],
    )
    .await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}E,Ng,eng@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;

    let ask = |track: Option<&str>, emails: &[&str]| KnownPeople {
        track_slug: track.map(str::to_owned),
        emails: emails.iter().map(|e| e.to_string()).collect(),
        ids: Vec::new(),
    };
    let emails = [
        " DEE@example.com",
        "lea@example.com",
        "eng@example.com",
        "new@example.com",
    ];
    let engineering = ask(Some("engineering"), &emails);
    let known: Vec<app::KnownPerson> =
        serde_json::from_str(&app.send(engineering.clone()).await.body).unwrap();
    let by_email: std::collections::HashMap<_, _> =
        known.iter().map(|k| (k.email.as_str(), k)).collect();
    assert_eq!(by_email.len(), 3, "unknown emails are left out");
    assert!(
        !by_email["dee@example.com"].active && by_email["dee@example.com"].roles_in_track.is_none()
    );
    assert!(
        by_email["lea@example.com"].active && by_email["lea@example.com"].roles_in_track.is_none()
    );
    assert_eq!(
        by_email["eng@example.com"].roles_in_track,
        Some(roles(&[Role::Mentee]))
    );

    let tara = app.admin_client("tara@example.com", &["leadership"]).await;
    assert_eq!(tara.send(engineering).await.status, 403);
    let global = ask(None, &["dee@example.com"]);
    assert_eq!(tara.send(global).await.status, 403);

    // The preview asks in chunks; one call asking about more is refused.
    let most = app::api::imports::KNOWN_PEOPLE_PER_CALL;
    let many: Vec<String> = (0..=most).map(|i| format!("p{i}@example.com")).collect();
    let too_many = app
        .send(KnownPeople {
            track_slug: Some("engineering".into()),
            emails: many.clone(),
            ids: Vec::new(),
        })
        .await;
    assert_eq!(too_many.status, 422, "{}", too_many.body);
    assert!(
        too_many.body.contains("smaller groups"),
        "{}",
        too_many.body
    );
    let enough = app
        .send(KnownPeople {
            track_slug: Some("engineering".into()),
            emails: many[..most].to_vec(),
            ids: many[..most].to_vec(),
        })
        .await;
    assert_eq!(enough.status, 200, "{}", enough.body);
    let too_many_ids = app
        .send(KnownPeople {
            track_slug: Some("engineering".into()),
            emails: Vec::new(),
            ids: many,
        })
        .await;
    assert_eq!(too_many_ids.status, 422, "{}", too_many_ids.body);
}

on_both_databases!(the_same_batch_sent_twice_at_once_is_applied_once);

async fn the_same_batch_sent_twice_at_once_is_applied_once(app: TestApp) {
    signed_in(&app).await;
    // Big enough that the two requests overlap on the server, within the
    // test instance's licence of 250.
    let mut text = String::from(HEADER);
    for i in 0..250 {
        text.push_str(&format!("P{i},Lee,p{i}@example.com,,\n"));
    }
    let table = read_table(&text, Delimiter::Comma, 1_000).unwrap();
    let n = table.rows.len() as u64;
    let plan = ImportPlan {
        track_slug: Some("engineering".into()),
        file_name: "people.csv".into(),
        sheet: None,
        file_hash: "x".into(),
        headers: table.headers.clone(),
        mapping: Mapping::suggest(&table.headers, &[], false),
        roles: everyone(&[Role::Mentee]),
        rows_total: n as u32,
        rule: Default::default(),
    };
    let id: i64 = serde_json::from_str(&app.send(StartImport { plan }).await.body).unwrap();
    let batch = ApplyBatch {
        import_id: id,
        rows: table.rows,
    };
    let (first, second) = tokio::join!(app.send(batch.clone()), app.send(batch));
    assert_eq!(
        (first.status, second.status),
        (200, 200),
        "{} / {}",
        first.body,
        second.body
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), n);
    assert_eq!(
        outbox::Entity::find().count(&app.db).await.unwrap(),
        n,
        "one email each, not two"
    );
    let counts = app.send(FinishImport { import_id: id }).await.json();
    assert_eq!(counts["created"], n, "counted once");
}

/// Sets instance settings directly, as an edited instance file would.
async fn set_limits(app: &TestApp, license: i32, rows: i32) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let mut settings = app::backend::entities::instance_settings::Entity::find_by_id(1)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    settings.license_limit = Set(license);
    settings.upload_row_limit = Set(rows);
    settings.update(&app.db).await.unwrap();
}

/// Starts an import of `text` at the engineering track as mentees.
async fn start(app: &TestApp, text: &str) -> crate::helpers::Answer {
    let table = read_table(text, Delimiter::Comma, 1_000).unwrap();
    let plan = ImportPlan {
        track_slug: Some("engineering".into()),
        file_name: "people.csv".into(),
        sheet: None,
        file_hash: "test".into(),
        mapping: Mapping::suggest(&table.headers, &[], false),
        headers: table.headers,
        roles: everyone(&[Role::Mentee]),
        rows_total: table.rows.len() as u32,
        rule: Default::default(),
    };
    app.send(StartImport { plan }).await
}

on_both_databases!(
    the_wizard_learns_fields_limits_and_switched_off_emails,
    an_import_over_the_licence_is_refused_and_writes_nothing,
    a_file_over_the_row_limit_cannot_start,
    an_import_takes_no_more_rows_than_it_was_started_for,
);

async fn the_wizard_learns_fields_limits_and_switched_off_emails(app: TestApp) {
    signed_in(&app).await;
    crate::helpers::switch_off(&app, "engineering", app::domain::SystemEmail::NewMentor).await;

    let ask = LoadImportContext {
        track_slug: Some("engineering".into()),
        dormant: false,
    };
    let context: app::ImportContext = app.send_ok(ask.clone()).await;
    assert_eq!(context.track.unwrap().slug, "engineering");
    assert_eq!(context.row_limit, 1_000);
    assert_eq!(context.license.limit, 250);
    assert!(context.fields.iter().any(|f| f.key == "department"));
    assert_eq!(
        context.emails_off,
        vec![app::domain::SystemEmail::NewMentor]
    );

    let tara = app.admin_client("tara@example.com", &["leadership"]).await;
    assert_eq!(tara.send(ask).await.status, 403);
}

async fn an_import_over_the_licence_is_refused_and_writes_nothing(app: TestApp) {
    signed_in(&app).await;
    set_limits(&app, 2, 1_000).await;
    let text = format!("{HEADER}A,A,a@example.com,,\nB,B,b@example.com,,\nC,C,c@example.com,,\n");
    let started = start(&app, &text).await;
    let id: i64 = serde_json::from_str(&started.body).unwrap();
    let table = read_table(&text, Delimiter::Comma, 1_000).unwrap();
    let batch = ApplyBatch {
        import_id: id,
        rows: table.rows,
    };
    let answer = app.send(batch.clone()).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer.body.contains("over the licence of 2 by 1"),
        "{}",
        answer.body
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 0);

    // Within the licence the same import goes through.
    set_limits(&app, 3, 1_000).await;
    let answer = app.send(batch).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(membership::Entity::find().count(&app.db).await.unwrap(), 3);
}

async fn a_file_over_the_row_limit_cannot_start(app: TestApp) {
    signed_in(&app).await;
    set_limits(&app, 250, 2).await;
    let text = format!("{HEADER}A,A,a@example.com,,\nB,B,b@example.com,,\nC,C,c@example.com,,\n");
    let answer = start(&app, &text).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("3 rows of people, but one upload may hold at most 2"),
        "{}",
        answer.body
    );
}

/// The row limit is checked when an import starts, against the rows it says
/// it has; a caller cannot then send more in batches.
async fn an_import_takes_no_more_rows_than_it_was_started_for(app: TestApp) {
    signed_in(&app).await;
    set_limits(&app, 250, 2).await;
    let two = format!("{HEADER}A,A,a@example.com,,\nB,B,b@example.com,,\n");
    let started = start(&app, &two).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let id: i64 = serde_json::from_str(&started.body).unwrap();
    let more = format!("{two}C,C,c@example.com,,\nD,D,d@example.com,,\n");
    let rows = read_table(&more, Delimiter::Comma, 1_000).unwrap().rows;
    let apply = |rows: &[CsvRow]| {
        app.send(ApplyBatch {
            import_id: id,
            rows: rows.to_vec(),
        })
    };

    // All four at once, or the two it declared and then two more.
    let answer = apply(&rows).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("started for a file of 2 rows, and this batch would take it past that"),
        "{}",
        answer.body
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(apply(&rows[..2]).await.status, 200);
    // Sent again, the two are answered from the record, not refused.
    assert_eq!(apply(&rows[..2]).await.status, 200);
    let answer = apply(&rows[2..]).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 2);
}

on_both_databases!(
    a_dormant_import_updates_an_active_users_profile_and_leaves_their_memberships,
    one_track_of_several_refuses_a_dormant_import,
);

async fn a_dormant_import_updates_an_active_users_profile_and_leaves_their_memberships(
    app: TestApp,
) {
    signed_in(&app).await;
    let text = format!("{HEADER}Ann,Lee,ann.lee@example.com,Sales,\n");
    import_at(&app, "engineering", &text, &[Role::Mentor]).await;
    let memberships = membership::Entity::find().all(&app.db).await.unwrap();
    let emails = outbox::Entity::find().count(&app.db).await.unwrap();

    let text = format!(
        "{HEADER}Ann,Lee-Park,ANN.LEE@example.com,Engineering,Architect\nBo,Chen,bo@example.com,,\n"
    );
    let done = import(&app, None, &text, RoleChoice::Dormant, 10).await;
    assert_eq!(
        done.counts,
        ImportCounts {
            created: 1,
            updated: 1,
            ..Default::default()
        }
    );
    assert_eq!(done.outcome(2), RowOutcome::Updated);
    assert_eq!(done.outcome(3), RowOutcome::Created);

    let ann = user_by_email(&app, "ann.lee@example.com").await.unwrap();
    assert_eq!(ann.last_name, "Lee-Park");
    assert_eq!(
        profile_answer(&app, "ann.lee@example.com", "department")
            .await
            .as_deref(),
        Some("Engineering")
    );
    assert_eq!(
        membership::Entity::find().all(&app.db).await.unwrap(),
        memberships,
        "memberships untouched"
    );
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), emails);
    let overview = app.send(GlobalOverview {}).await.json();
    assert_eq!(overview["license"]["active_users"], 1);
    assert_eq!(overview["dormant_users"], 1);
}

async fn one_track_of_several_refuses_a_dormant_import(app: TestApp) {
    signed_in(&app).await;
    let overview = app
        .send(TrackOverview {
            slug: "engineering".into(),
        })
        .await
        .json();
    assert_eq!(overview["single_track"], false, "not offered");

    let context = app
        .send(LoadImportContext {
            track_slug: Some("engineering".into()),
            dormant: true,
        })
        .await;
    assert_eq!(context.status, 422, "{}", context.body);
    assert!(
        context.body.contains("at the global level"),
        "{}",
        context.body
    );

    let plan = one_line_plan(Some("engineering"), RoleChoice::Dormant);
    let started = app.send(plan).await;
    assert_eq!(started.status, 422, "{}", started.body);
    assert_eq!(
        app::backend::entities::import::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

const SINGLE_TRACK_PROGRAM: &str = r#"
name = "Solo Mentoring"
license_limit = 10
upload_row_limit = 100
track_admins_use_global_pool = false
email_hold_minutes = 10

[[tracks]]
slug = "mentoring"
name = "Mentoring"

[[profile_fields]]
key = "department"
title = "Department"
type = "pick_one"
options = ["Engineering", "Sales"]
"#;

on_both_databases!(
    instance = Some(super::SINGLE_TRACK_PROGRAM);
    a_single_track_program_offers_the_dormant_import_at_its_track,
);

async fn a_single_track_program_offers_the_dormant_import_at_its_track(app: TestApp) {
    signed_in(&app).await;
    // Its track admin, not only a global one, may use it.
    let tom = app.admin_client("tom@example.com", &["mentoring"]).await;
    let mentoring = TrackOverview {
        slug: "mentoring".into(),
    };
    let overview = tom.send(mentoring.clone()).await.json();
    assert_eq!(overview["single_track"], true, "offered");

    let text =
        "First Name,Last Name,Email,Department\nA,One,a@example.com,Sales\nB,Two,b@example.com,\n";
    let done = import(&tom, Some("mentoring"), text, RoleChoice::Dormant, 10).await;
    assert_eq!(done.counts.created, 2);
    assert_eq!(done.counts.added, 0);
    assert_eq!(done.counts.emails_queued, 0);
    assert_eq!(membership::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(outbox::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(
        profile_answer(&app, "a@example.com", "department")
            .await
            .as_deref(),
        Some("Sales")
    );
    // Recorded at the track, so its admins find it in the track's history.
    let recorded = app::backend::entities::import::Entity::find_by_id(done.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(*recorded.kind, ImportKind::CsvDormant);
    assert!(recorded.track_id.is_some());
    let overview = tom.send(mentoring).await.json();
    assert_eq!(overview["license"]["active_users"], 0);
    assert_eq!(overview["members"], 0);
}

async fn an_hr_export_is_applied_with_its_leading_zeros_and_its_repeat_skipped(app: TestApp) {
    signed_in(&app).await;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/files/hris-export.csv"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let done = import_at(&app, "engineering", &text, &[Role::Mentee]).await;
    assert_eq!(done.outcome(2), RowOutcome::Created);
    assert_eq!(
        done.outcome(3),
        RowOutcome::Skipped,
        "the same address as line 2"
    );
    assert_eq!(
        profile_answer(&app, "ann@example.com", "employee_id")
            .await
            .as_deref(),
        Some("000123"),
        "stored as written, zeros and all"
    );
    assert_eq!(
        profile_answer(&app, "ann@example.com", "years_experience")
            .await
            .as_deref(),
        Some("3.5")
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 1);
}
