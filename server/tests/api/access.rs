//! Rights on every server function (issue 9, docs/access-and-security.md): each is refused to
//! anonymous callers (401) and to the admin of another track (403), and a
//! refused call changes nothing — on SQLite and PostgreSQL.

use crate::helpers::{import, signed_in, TestApp};
use app::api::emails::EmailTemplate;
use app::api::undo::UndoCounts;
use app::backend::entities::{
    email_template, import as imports, membership, outbox, profile_answer, session, user,
};
use app::domain::csv_upload::{Mapping, RoleChoice};
use app::domain::{PersonForm, Role, Roles, SystemEmail};
use app::{ImportPlan, UserQuery};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

on_both_databases!(every_server_function_refuses_callers_without_rights_and_changes_nothing,);

/// Rows in the tables a call could change.
async fn tables(app: &TestApp) -> [u64; 6] {
    [
        user::Entity::find().count(&app.db).await.unwrap(),
        membership::Entity::find().count(&app.db).await.unwrap(),
        profile_answer::Entity::find().count(&app.db).await.unwrap(),
        imports::Entity::find().count(&app.db).await.unwrap(),
        outbox::Entity::find().count(&app.db).await.unwrap(),
        email_template::Entity::find().count(&app.db).await.unwrap(),
    ]
}

/// Every server function that needs a signed-in admin, asked about the
/// Leadership track or the global level, with arguments it would accept.
fn calls(import_id: i64, user_id: i64) -> Vec<(&'static str, Value)> {
    let mentee = Roles::empty().with(Role::Mentee);
    let plan = ImportPlan {
        track_slug: Some("leadership".into()),
        file_name: "people.csv".into(),
        file_hash: "x".into(),
        headers: vec!["First Name".into(), "Last Name".into(), "Email".into()],
        mapping: Mapping {
            columns: vec![None, None, None],
        },
        roles: RoleChoice::Everyone(mentee),
        rows_total: 1,
    };
    let (subject, body) = SystemEmail::NewMentee.default_text();
    let template = EmailTemplate {
        email: SystemEmail::NewMentee,
        subject: subject.into(),
        body: body.into(),
        enabled: false,
        edited: true,
    };
    let form = PersonForm {
        email: "new@example.com".into(),
        first_name: "New".into(),
        last_name: "Person".into(),
        answers: Vec::new(),
    };
    vec![
        (
            "find_person",
            json!({ "track_slug": "leadership", "email": "x@example.com" }),
        ),
        (
            "add_person",
            json!({ "track_slug": "leadership", "roles": mentee, "form": form }),
        ),
        (
            "add_from_pool",
            json!({ "track_slug": "leadership", "user_ids": [user_id], "roles": mentee }),
        ),
        ("track_emails", json!({ "track_slug": "leadership" })),
        (
            "save_email_template",
            json!({ "track_slug": "leadership", "template": template }),
        ),
        (
            "import_history",
            json!({ "track_slug": "leadership", "page": 0 }),
        ),
        ("import_history", json!({ "track_slug": null, "page": 0 })),
        ("import_detail", json!({ "id": import_id })),
        (
            "import_context",
            json!({ "track_slug": "leadership", "dormant": false }),
        ),
        (
            "import_context",
            json!({ "track_slug": null, "dormant": true }),
        ),
        (
            "known_people",
            json!({ "track_slug": "leadership", "emails": ["x@example.com"] }),
        ),
        ("start_import", json!({ "plan": plan })),
        ("apply_batch", json!({ "import_id": import_id, "rows": [] })),
        ("finish_import", json!({ "import_id": import_id })),
        ("preview_undo", json!({ "id": import_id })),
        (
            "undo_import",
            json!({ "id": import_id, "expected": UndoCounts::default() }),
        ),
        ("users", json!({ "query": UserQuery::default() })),
        ("user", json!({ "id": user_id })),
    ]
}

/// The form-encoded ones.
const FORM_CALLS: [(&str, &[(&str, &str)]); 3] = [
    ("global_overview", &[]),
    ("track_overview", &[("slug", "leadership")]),
    ("instance_overview", &[]),
];

async fn every_server_function_refuses_callers_without_rights_and_changes_nothing(app: TestApp) {
    signed_in(&app).await;
    let imported = import(
        &app,
        Some("leadership"),
        "First Name,Last Name,Email\nLea,Lead,lea@example.com\n",
        RoleChoice::Everyone(Roles::empty().with(Role::Mentee)),
        10,
    )
    .await;
    let lea = user::Entity::find()
        .filter(user::Column::EmailNormalized.eq("lea@example.com"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let before = tables(&app).await;

    let anonymous = TestApp::anonymous_like(&app);
    let tara = app.admin_client("tara@example.com", &["engineering"]).await;
    let sessions = session::Entity::find().count(&app.db).await.unwrap();
    for (name, args) in calls(imported.id, lea.id) {
        let answer = anonymous.call_json(name, args.clone()).await;
        assert_eq!(
            answer.status, 401,
            "anonymous {name} {args}: {}",
            answer.body
        );
        let answer = tara.call_json(name, args.clone()).await;
        assert_eq!(
            answer.status, 403,
            "Engineering's admin: {name} {args}: {}",
            answer.body
        );
    }
    // The pool is open to track admins in the demo instance (docs/adding.md);
    // nobody signed out may search it.
    let pool = json!({ "query": UserQuery::default() });
    assert_eq!(
        anonymous.call_json("pool_matching_ids", pool).await.status,
        401
    );
    for (name, form) in FORM_CALLS {
        let answer = anonymous.call(name, form).await;
        assert_eq!(answer.status, 401, "anonymous {name}: {}", answer.body);
    }
    for (name, form) in &FORM_CALLS[..2] {
        let answer = tara.call(name, form).await;
        assert_eq!(
            answer.status, 403,
            "Engineering's admin: {name}: {}",
            answer.body
        );
    }
    assert_eq!(
        tables(&app).await,
        before,
        "no refused call changed anything"
    );
    assert_eq!(
        session::Entity::find().count(&app.db).await.unwrap(),
        sessions
    );
}
