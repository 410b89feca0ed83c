//! Undoing an import (docs/history-and-undo.md): each rule, the confirmation's figures, later
//! imports, emails already sent, the window and the rights — on SQLite and
//! PostgreSQL.

use crate::helpers::smtp_sink::SmtpSink;
use crate::helpers::{
    apply_and_finish, everyone, import, import_at, profile_answer, roles, roles_in, signed_in,
    start_import, user_by_email, Db, TestApp,
};
use app::api::adds::{AddFromPool, AddPerson, AddPersonResult};
use app::api::history::{ImportDetail, LoadImportDetail};
use app::api::imports::ApplyBatch;
use app::api::overview::InstanceOverview;
use app::api::undo::{PreviewUndo, UndoCounts, UndoImport, UndoPlan, UndoWindow};
use app::backend::entities::{import as import_entity, import_row, outbox};
use app::domain::csv_upload::RoleChoice;
use app::domain::{ImportStatus, OutboxStatus, PersonForm, Role};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const HEADER: &str = "First Name,Last Name,Email,Job Title,Department\n";

async fn preview(app: &TestApp, id: i64) -> crate::helpers::Answer {
    app.send(PreviewUndo { id }).await
}

fn plan(answer: crate::helpers::Answer) -> UndoPlan {
    answer.ok()
}

async fn undo(app: &TestApp, id: i64, expected: UndoCounts) -> crate::helpers::Answer {
    app.send(UndoImport { id, expected }).await
}

/// Previews, then undoes with the figures the preview showed.
async fn confirm_undo(app: &TestApp, id: i64) -> UndoCounts {
    let shown = plan(preview(app, id).await).counts;
    let done: UndoCounts = undo(app, id, shown).await.ok();
    assert_eq!(done, shown, "the undo does what the confirmation said");
    done
}

async fn names(app: &TestApp, email: &str) -> (String, String) {
    let u = user_by_email(app, email).await.expect("the user exists");
    (u.first_name, u.last_name)
}

async fn email_statuses(app: &TestApp, import_id: i64) -> Vec<(String, OutboxStatus)> {
    let mut found: Vec<(String, OutboxStatus)> = outbox::Entity::find()
        .filter(outbox::Column::ImportId.eq(import_id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.to_address, *e.status))
        .collect();
    found.sort();
    found
}

async fn detail(app: &TestApp, id: i64) -> ImportDetail {
    app.send_ok(LoadImportDetail { id }).await
}

/// Moves an import's writes `minutes` into the past, as time passing would.
async fn age(app: &TestApp, import_id: i64, minutes: i64) {
    let then = Utc::now() - Duration::minutes(minutes);
    import_entity::Entity::update_many()
        .col_expr(import_entity::Column::StartedAt, Expr::value(then))
        .col_expr(import_entity::Column::FinishedAt, Expr::value(then))
        .filter(import_entity::Column::Id.eq(import_id))
        .exec(&app.db)
        .await
        .unwrap();
    import_row::Entity::update_many()
        .col_expr(import_row::Column::AppliedAt, Expr::value(then))
        .filter(import_row::Column::ImportId.eq(import_id))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn active_users(app: &TestApp) -> u64 {
    let answer = app.send(InstanceOverview {}).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["license"]["active_users"].as_u64().unwrap()
}

on_both_databases!(
    undo_takes_back_exactly_what_a_track_import_did,
    a_later_import_keeps_what_it_changed,
    later_means_written_later_not_a_larger_import_id,
    a_dormant_import_is_undone_at_the_global_level,
    manual_and_pool_adds_are_undone_too,
    undo_is_refused_outside_its_window_without_rights_or_after_a_change,
);

async fn undo_takes_back_exactly_what_a_track_import_did(app: TestApp) {
    signed_in(&app).await;
    // Before: a dormant user with a profile, and a mentee of Engineering.
    import(
        &app,
        None,
        &format!("{HEADER}Dora,Dormant,dora@example.com,Analyst,Sales\n"),
        RoleChoice::Dormant,
        10,
    )
    .await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Mia,Mentee,mia@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;
    let active_before = active_users(&app).await;

    let text = format!(
        "{HEADER}Dorothy,Dormant,dora@example.com,Lead Analyst,\n\
         Mia,Mentee,mia@example.com,,\n\
         New,Person,new@example.com,Engineer,Finance\n\
         Bad,Row,not-an-email,,\n"
    );
    let done = import(
        &app,
        Some("engineering"),
        &text,
        everyone(&[Role::Mentor]),
        2,
    )
    .await;
    assert_eq!(active_users(&app).await, active_before + 2);
    assert!(
        matches!(detail(&app, done.id).await.undo, UndoWindow::Open { .. }),
        "open for the 10 minutes the demo instance holds emails"
    );

    let shown = plan(preview(&app, done.id).await);
    assert_eq!(
        shown.counts,
        UndoCounts {
            users_deleted: 1,
            memberships_removed: 1,
            roles_removed: 1,
            profiles_restored: 1,
            emails_cancelled: 2,
            ..UndoCounts::default()
        }
    );
    assert_eq!(shown.track_name.as_deref(), Some("Engineering Mentoring"));
    assert_eq!(shown.license_now.active_users, active_before + 2);
    assert_eq!(shown.active_after, active_before);
    assert!(shown.later_imports.is_empty());

    confirm_undo(&app, done.id).await;
    assert!(
        user_by_email(&app, "new@example.com").await.is_none(),
        "created: deleted"
    );
    assert_eq!(
        roles_in(&app, "dora@example.com", "engineering").await,
        None
    );
    assert_eq!(
        names(&app, "dora@example.com").await,
        ("Dora".into(), "Dormant".into())
    );
    assert_eq!(
        profile_answer(&app, "dora@example.com", "job_title")
            .await
            .as_deref(),
        Some("Analyst"),
        "the value it overwrote is back"
    );
    assert_eq!(
        profile_answer(&app, "dora@example.com", "department")
            .await
            .as_deref(),
        Some("Sales"),
        "an empty cell never overwrote anything"
    );
    assert_eq!(
        roles_in(&app, "mia@example.com", "engineering").await,
        Some(roles(&[Role::Mentee])),
        "the role it added is gone, the one before stays"
    );
    assert_eq!(active_users(&app).await, active_before);
    assert_eq!(
        email_statuses(&app, done.id).await,
        [("dora@example.com".into(), OutboxStatus::Cancelled)],
        "queued emails cancelled (the deleted user's went with them)"
    );

    let after = detail(&app, done.id).await;
    assert_eq!(after.summary.status, ImportStatus::Undone);
    assert_eq!(
        after.summary.counts.created, 1,
        "the history keeps what it did"
    );
    assert!(matches!(
        after.undo,
        UndoWindow::Undone { by: Some(ref by), .. } if by == "ann@example.com"
    ));
    let twice = preview(&app, done.id).await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("already undone"), "{}", twice.body);
    assert_eq!(undo(&app, done.id, UndoCounts::default()).await.status, 422);
    let more = app
        .send(ApplyBatch {
            import_id: done.id,
            rows: Vec::new(),
        })
        .await;
    assert_eq!(more.status, 422, "an undone import takes no more batches");
}

/// Two imports of one person, started in one order and written in the
/// other (as when they run at once): undo goes by when each wrote Pat.
async fn later_means_written_later_not_a_larger_import_id(app: TestApp) {
    signed_in(&app).await;
    let (first, first_rows) = start_import(
        &app,
        Some("engineering"),
        &format!("{HEADER}Pat,One,pat@example.com,Designer,\n"),
        everyone(&[Role::Mentee]),
    )
    .await;
    let (second, second_rows) = start_import(
        &app,
        Some("leadership"),
        &format!("{HEADER}Pat,Two,pat@example.com,,Finance\n"),
        everyone(&[Role::Mentee]),
    )
    .await;
    assert!(first < second);
    apply_and_finish(&app, second, &second_rows.rows, 10).await;
    apply_and_finish(&app, first, &first_rows.rows, 10).await;

    let second_plan = plan(preview(&app, second).await);
    assert_eq!(
        (
            second_plan.counts.users_deleted,
            second_plan.counts.kept_for_later_imports
        ),
        (0, 1),
        "the import with the smaller id wrote Pat after the other created them: Pat stays"
    );
    let later: Vec<(i64, u64)> = second_plan
        .later_imports
        .iter()
        .map(|l| (l.id, l.people))
        .collect();
    assert_eq!(later, [(first, 1)]);
    let first_plan = plan(preview(&app, first).await);
    assert!(
        first_plan.later_imports.is_empty(),
        "nothing wrote Pat after the last import did"
    );
    assert_eq!(first_plan.counts.profiles_restored, 1);

    confirm_undo(&app, first).await;
    assert_eq!(
        names(&app, "pat@example.com").await,
        ("Pat".into(), "Two".into()),
        "the names go back to what the earlier write left"
    );
    assert_eq!(
        profile_answer(&app, "pat@example.com", "job_title").await,
        None
    );
    assert_eq!(roles_in(&app, "pat@example.com", "engineering").await, None);
    assert!(roles_in(&app, "pat@example.com", "leadership")
        .await
        .is_some());

    confirm_undo(&app, second).await;
    assert!(
        user_by_email(&app, "pat@example.com").await.is_none(),
        "with the later write undone, the import that created Pat takes Pat back"
    );
}

async fn a_later_import_keeps_what_it_changed(app: TestApp) {
    signed_in(&app).await;
    let first = import_at(
        &app,
        "engineering",
        &format!(
            "{HEADER}Pat,One,pat@example.com,Designer,\n\
             Quinn,One,quinn@example.com,,\n\
             Rae,One,rae@example.com,,\n"
        ),
        &[Role::Mentee],
    )
    .await;
    // Pat is listed again at the same track, Quinn is added to another.
    let second = import_at(
        &app,
        "engineering",
        &format!("{HEADER}Pat,Two,pat@example.com,,Finance\n"),
        &[Role::Mentor],
    )
    .await;
    import_at(
        &app,
        "leadership",
        &format!("{HEADER}Quinn,Two,quinn@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;
    // Rae was changed by an import that was then undone: Rae is the first's again.
    let undone = import(
        &app,
        None,
        &format!("{HEADER}Rae,Two,rae@example.com,Chef,\n"),
        RoleChoice::Dormant,
        10,
    )
    .await;
    confirm_undo(&app, undone.id).await;
    assert_eq!(
        names(&app, "rae@example.com").await,
        ("Rae".into(), "One".into())
    );

    let shown = plan(preview(&app, first.id).await);
    assert_eq!(
        shown.counts,
        UndoCounts {
            users_deleted: 1,
            memberships_removed: 1,
            emails_cancelled: 2,
            emails_kept: 1,
            kept_for_later_imports: 2,
            ..UndoCounts::default()
        },
        "Rae deleted; Quinn leaves Engineering but stays; Pat stays as the later import left them"
    );
    let later: Vec<(i64, u64)> = shown
        .later_imports
        .iter()
        .map(|l| (l.id, l.people))
        .collect();
    assert_eq!(later, [(second.id, 1), (second.id + 1, 1)]);

    confirm_undo(&app, first.id).await;
    assert!(user_by_email(&app, "rae@example.com").await.is_none());
    assert_eq!(
        roles_in(&app, "quinn@example.com", "engineering").await,
        None
    );
    assert!(roles_in(&app, "quinn@example.com", "leadership")
        .await
        .is_some());
    assert_eq!(
        roles_in(&app, "pat@example.com", "engineering").await,
        Some(roles(&[Role::Mentee, Role::Mentor])),
        "the later import listed Pat in the track: the membership stays"
    );
    assert_eq!(
        names(&app, "pat@example.com").await,
        ("Pat".into(), "Two".into())
    );
    assert_eq!(
        profile_answer(&app, "pat@example.com", "job_title")
            .await
            .as_deref(),
        Some("Designer"),
        "a value only the undone import wrote stays: Pat was created by it and stays"
    );
    assert_eq!(
        email_statuses(&app, first.id).await,
        [
            ("pat@example.com".into(), OutboxStatus::Queued),
            ("quinn@example.com".into(), OutboxStatus::Cancelled)
        ],
        "Pat is still a member: Pat's welcome still goes out"
    );
}

async fn a_dormant_import_is_undone_at_the_global_level(app: TestApp) {
    signed_in(&app).await;
    import_at(
        &app,
        "engineering",
        &format!("{HEADER}Sam,Member,sam@example.com,Analyst,\n"),
        &[Role::Mentee],
    )
    .await;
    let dormant = import(
        &app,
        None,
        &format!(
            "{HEADER}Samuel,Member,sam@example.com,,Sales\n\
             Dot,New,dot@example.com,,\n"
        ),
        RoleChoice::Dormant,
        10,
    )
    .await;
    assert_eq!(
        plan(preview(&app, dormant.id).await).counts,
        UndoCounts {
            users_deleted: 1,
            profiles_restored: 1,
            ..UndoCounts::default()
        }
    );
    confirm_undo(&app, dormant.id).await;
    assert!(user_by_email(&app, "dot@example.com").await.is_none());
    assert_eq!(
        names(&app, "sam@example.com").await,
        ("Sam".into(), "Member".into())
    );
    assert_eq!(
        profile_answer(&app, "sam@example.com", "department").await,
        None
    );
    assert_eq!(
        profile_answer(&app, "sam@example.com", "job_title")
            .await
            .as_deref(),
        Some("Analyst")
    );
    assert!(roles_in(&app, "sam@example.com", "engineering")
        .await
        .is_some());

    let eve = app.admin_client("eve@example.com", &["engineering"]).await;
    let other = import(
        &app,
        None,
        &format!("{HEADER}Zed,New,zed@example.com,,\n"),
        RoleChoice::Dormant,
        10,
    )
    .await;
    assert_eq!(
        preview(&eve, other.id).await.status,
        403,
        "a global import is undone by global admins"
    );
}

async fn manual_and_pool_adds_are_undone_too(app: TestApp) {
    signed_in(&app).await;
    import(
        &app,
        None,
        &format!("{HEADER}Pool,Person,pool@example.com,,\n"),
        RoleChoice::Dormant,
        10,
    )
    .await;
    let pool_id = user_by_email(&app, "pool@example.com").await.unwrap().id;
    let mentee = roles(&[Role::Mentee]);
    let pooled = app
        .send(AddFromPool {
            track_slug: "engineering".into(),
            user_ids: vec![pool_id],
            roles: mentee,
        })
        .await;
    assert_eq!(pooled.status, 200, "{}", pooled.body);
    let form = PersonForm {
        email: "typed@example.com".into(),
        first_name: "Typed".into(),
        last_name: "In".into(),
        answers: Default::default(),
    };
    let typed = app
        .send(AddPerson {
            track_slug: "engineering".into(),
            roles: mentee,
            form,
        })
        .await;
    assert_eq!(typed.status, 200, "{}", typed.body);
    assert!(matches!(
        serde_json::from_str(&typed.body).unwrap(),
        AddPersonResult::Added(_)
    ));
    let ids: Vec<i64> = import_entity::Entity::find()
        .order_by_asc(import_entity::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let (pool_add, manual_add) = (ids[1], ids[2]);
    assert_eq!(
        confirm_undo(&app, manual_add).await,
        UndoCounts {
            users_deleted: 1,
            emails_cancelled: 1,
            ..UndoCounts::default()
        }
    );
    assert!(user_by_email(&app, "typed@example.com").await.is_none());
    assert_eq!(
        confirm_undo(&app, pool_add).await,
        UndoCounts {
            memberships_removed: 1,
            emails_cancelled: 1,
            ..UndoCounts::default()
        }
    );
    assert!(
        user_by_email(&app, "pool@example.com").await.is_some(),
        "left dormant"
    );
    assert_eq!(
        roles_in(&app, "pool@example.com", "engineering").await,
        None
    );
}

async fn undo_is_refused_outside_its_window_without_rights_or_after_a_change(app: TestApp) {
    signed_in(&app).await;
    let done = import_at(
        &app,
        "engineering",
        &format!("{HEADER}Old,One,old@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;
    let fresh = import_at(
        &app,
        "engineering",
        &format!("{HEADER}New,One,new@example.com,,\n"),
        &[Role::Mentee],
    )
    .await;

    let leadership_admin = app.admin_client("lee@example.com", &["leadership"]).await;
    assert_eq!(preview(&leadership_admin, fresh.id).await.status, 403);
    assert_eq!(
        undo(&leadership_admin, fresh.id, UndoCounts::default())
            .await
            .status,
        403
    );
    let track_admin = app.admin_client("eve@example.com", &["engineering"]).await;
    let shown = plan(preview(&track_admin, fresh.id).await).counts;

    let stale = UndoCounts {
        users_deleted: shown.users_deleted + 1,
        ..shown
    };
    let refused = undo(&track_admin, fresh.id, stale).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("confirm again"), "{}", refused.body);
    assert!(
        user_by_email(&app, "new@example.com").await.is_some(),
        "nothing undone"
    );
    let answer = undo(&track_admin, fresh.id, shown).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(user_by_email(&app, "new@example.com").await.is_none());

    age(&app, done.id, 11).await;
    let late = preview(&app, done.id).await;
    assert_eq!(late.status, 422);
    assert!(late.body.contains("no longer be undone"), "{}", late.body);
    assert!(matches!(
        detail(&app, done.id).await.undo,
        UndoWindow::Closed(_)
    ));
    assert_eq!(undo(&app, done.id, shown).await.status, 422);
    assert!(user_by_email(&app, "old@example.com").await.is_some());
}

/// Emails that went out before the undo stay sent; their people stay, dormant.
async fn emails_already_sent_stay_sent(kind: Db) {
    let sink = SmtpSink::start(0).await;
    let Some(app) = crate::helpers::spawn_app_with(kind, None, Some(sink.url.clone())).await else {
        return;
    };
    signed_in(&app).await;
    let done = import_at(
        &app,
        "engineering",
        &format!(
            "{HEADER}Sent,Already,sent@example.com,,\n\
             Held,Still,held@example.com,,\n"
        ),
        &[Role::Mentee],
    )
    .await;
    // Time passes for one email only: it becomes due and the worker sends it.
    outbox::Entity::update_many()
        .col_expr(outbox::Column::NotBefore, Expr::value(Utc::now()))
        .filter(outbox::Column::ToAddress.eq("sent@example.com"))
        .exec(&app.db)
        .await
        .unwrap();
    let received = sink.wait_for(1).await;
    assert_eq!(received[0].to, ["sent@example.com"]);
    for _ in 0..100 {
        if email_statuses(&app, done.id).await[1].1 == OutboxStatus::Sent {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let shown = plan(preview(&app, done.id).await);
    assert_eq!(
        shown.counts,
        UndoCounts {
            users_deleted: 1,
            emailed_kept_dormant: 1,
            emails_cancelled: 1,
            emails_sent: 1,
            ..UndoCounts::default()
        }
    );
    confirm_undo(&app, done.id).await;
    assert!(user_by_email(&app, "held@example.com").await.is_none());
    assert!(
        user_by_email(&app, "sent@example.com").await.is_some(),
        "kept, dormant"
    );
    assert_eq!(
        roles_in(&app, "sent@example.com", "engineering").await,
        None
    );
    assert_eq!(
        email_statuses(&app, done.id).await,
        [("sent@example.com".into(), OutboxStatus::Sent)]
    );
}

mod emails_already_sent {
    #[tokio::test]
    async fn sqlite() {
        super::emails_already_sent_stay_sent(super::Db::Sqlite).await;
    }
    #[tokio::test]
    async fn postgres() {
        super::emails_already_sent_stay_sent(super::Db::Postgres).await;
    }
}
