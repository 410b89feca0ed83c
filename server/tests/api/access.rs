//! Rights on every server function (issue 9, docs/access-and-security.md): each is refused to
//! anonymous callers (401) and to the admin of another track (403), and a
//! refused call changes nothing — on SQLite and PostgreSQL.

use crate::helpers::{import_at, roles, signed_in, user_by_email, ServerCall, TestApp};
use app::api::adds::{AddFromPool, AddPerson, FindPerson, PoolMatchingIds};
use app::api::auth::{CompleteSetup, GetViewer, Login, Logout, SetupInfo};
use app::api::emails::{EmailTemplate, LoadTrackEmails, SaveEmailTemplate};
use app::api::history::{ImportHistory, LoadImportDetail};
use app::api::imports::{ApplyBatch, FinishImport, KnownPeople, LoadImportContext, StartImport};
use app::api::mappings::{DeleteSavedMapping, LoadMappingStart, RenameSavedMapping, SavedMappings};
use app::api::overview::{GlobalOverview, InstanceOverview, TrackOverview};
use app::api::tokens::{ApiTokens, CreateApiToken, RevokeApiToken, TokenScope};
use app::api::undo::{PreviewUndo, UndoCounts, UndoImport};
use app::api::users::{ListUsers, LoadUserDetail};
use app::backend::entities::{
    api_token, email_template, import as imports, membership, outbox, profile_answer,
    saved_mapping, session, user,
};
use app::domain::csv_upload::{Mapping, RoleChoice};
use app::domain::{PersonForm, Role, SystemEmail};
use app::{ImportPlan, UserQuery};
use leptos::server_fn::ServerFn;
use sea_orm::{EntityTrait, PaginatorTrait};
use std::collections::BTreeSet;

on_both_databases!(every_server_function_refuses_callers_without_rights_and_changes_nothing,);

/// Rows in the tables a call could change.
async fn tables(app: &TestApp) -> [u64; 8] {
    [
        user::Entity::find().count(&app.db).await.unwrap(),
        membership::Entity::find().count(&app.db).await.unwrap(),
        profile_answer::Entity::find().count(&app.db).await.unwrap(),
        imports::Entity::find().count(&app.db).await.unwrap(),
        outbox::Entity::find().count(&app.db).await.unwrap(),
        email_template::Entity::find().count(&app.db).await.unwrap(),
        saved_mapping::Entity::find().count(&app.db).await.unwrap(),
        api_token::Entity::find().count(&app.db).await.unwrap(),
    ]
}

/// Every server function that needs a signed-in admin, asked about the
/// Leadership track or the global level, with arguments it would accept.
fn calls(import_id: i64, user_id: i64, mapping_id: i64) -> Vec<ServerCall> {
    let mentee = roles(&[Role::Mentee]);
    let leadership = || "leadership".to_owned();
    let plan = ImportPlan {
        track_slug: Some(leadership()),
        file_name: "people.csv".into(),
        sheet: None,
        file_hash: "x".into(),
        headers: vec!["First Name".into(), "Last Name".into(), "Email".into()],
        mapping: Mapping::new(vec![None, None, None]),
        roles: RoleChoice::Everyone(mentee),
        rows_total: 1,
        rule: Default::default(),
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
        ServerCall::new(FindPerson {
            track_slug: leadership(),
            email: "x@example.com".into(),
        }),
        ServerCall::new(AddPerson {
            track_slug: leadership(),
            roles: mentee,
            form,
        }),
        ServerCall::new(AddFromPool {
            track_slug: leadership(),
            user_ids: vec![user_id],
            roles: mentee,
        }),
        ServerCall::new(LoadTrackEmails {
            track_slug: leadership(),
        }),
        ServerCall::new(SaveEmailTemplate {
            track_slug: leadership(),
            template,
        }),
        ServerCall::new(ImportHistory {
            track_slug: Some(leadership()),
            page: 0,
        }),
        ServerCall::new(ImportHistory {
            track_slug: None,
            page: 0,
        }),
        ServerCall::new(LoadImportDetail { id: import_id }),
        ServerCall::new(LoadImportContext {
            track_slug: Some(leadership()),
            dormant: false,
        }),
        ServerCall::new(LoadImportContext {
            track_slug: None,
            dormant: true,
        }),
        ServerCall::new(KnownPeople {
            track_slug: Some(leadership()),
            emails: vec!["x@example.com".into()],
            ids: vec!["E1".into()],
        }),
        ServerCall::new(StartImport { plan }),
        ServerCall::new(ApplyBatch {
            import_id,
            rows: Vec::new(),
        }),
        ServerCall::new(FinishImport { import_id }),
        ServerCall::new(PreviewUndo { id: import_id }),
        ServerCall::new(UndoImport {
            id: import_id,
            expected: UndoCounts::default(),
        }),
        ServerCall::new(ListUsers {
            query: UserQuery::default(),
        }),
        ServerCall::new(LoadUserDetail { id: user_id }),
        ServerCall::new(LoadMappingStart {
            track_slug: Some(leadership()),
            headers: vec!["Email".into()],
        }),
        ServerCall::new(LoadMappingStart {
            track_slug: None,
            headers: vec!["Email".into()],
        }),
        ServerCall::new(SavedMappings {
            track_slug: Some(leadership()),
        }),
        ServerCall::new(SavedMappings { track_slug: None }),
        ServerCall::new(RenameSavedMapping {
            id: mapping_id,
            name: "Taken over".into(),
        }),
        ServerCall::new(DeleteSavedMapping { id: mapping_id }),
        ServerCall::new(CreateApiToken {
            name: "HR feed".into(),
            scope: TokenScope::Tracks(vec![leadership()]),
        }),
        ServerCall::new(ApiTokens {}),
        ServerCall::new(RevokeApiToken { id: 1 }),
    ]
}

/// The form-encoded ones; a track admin may ask for the instance's
/// overview (of their own tracks), so only the first two refuse them.
fn form_calls() -> [ServerCall; 3] {
    [
        ServerCall::new(GlobalOverview {}),
        ServerCall::new(TrackOverview {
            slug: "leadership".into(),
        }),
        ServerCall::new(InstanceOverview {}),
    ]
}

async fn every_server_function_refuses_callers_without_rights_and_changes_nothing(app: TestApp) {
    signed_in(&app).await;
    let imported = import_at(
        &app,
        "leadership",
        "First Name,Last Name,Email\nLea,Lead,lea@example.com\n",
        &[Role::Mentee],
    )
    .await;
    let lea = user_by_email(&app, "lea@example.com").await.unwrap();
    // The import remembered its mapping at Leadership.
    let remembered = saved_mapping::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let before = tables(&app).await;

    let anonymous = TestApp::anonymous_like(&app);
    let tara = app.admin_client("tara@example.com", &["engineering"]).await;
    let sessions = session::Entity::find().count(&app.db).await.unwrap();
    for call in calls(imported.id, lea.id, remembered.id) {
        let answer = anonymous.send_call(&call).await;
        assert_eq!(answer.status, 401, "anonymous {call}: {}", answer.body);
        let answer = tara.send_call(&call).await;
        assert_eq!(
            answer.status, 403,
            "Engineering's admin: {call}: {}",
            answer.body
        );
    }
    // The pool is open to track admins in the demo instance (docs/adding.md);
    // nobody signed out may search it.
    let pool = PoolMatchingIds {
        query: UserQuery::default(),
    };
    assert_eq!(anonymous.send(pool).await.status, 401);
    for call in form_calls() {
        let answer = anonymous.send_call(&call).await;
        assert_eq!(answer.status, 401, "anonymous {call}: {}", answer.body);
    }
    for call in &form_calls()[..2] {
        let answer = tara.send_call(call).await;
        assert_eq!(
            answer.status, 403,
            "Engineering's admin: {call}: {}",
            answer.body
        );
    }
    assert_eq!(
        tables(&app).await,
        before,
        "no refused call changed anything"
    );
    assert_eq!(
        saved_mapping::Entity::find_by_id(remembered.id)
            .one(&app.db)
            .await
            .unwrap(),
        Some(remembered.clone()),
        "nor renamed a remembered mapping"
    );

    // Every server function the app serves is checked above, or is one of
    // those open to anyone: a new one fails here until it is listed.
    let open = [
        GetViewer::PATH,
        Login::PATH,
        Logout::PATH,
        SetupInfo::PATH,
        CompleteSetup::PATH,
    ];
    let listed: BTreeSet<&str> = calls(imported.id, lea.id, remembered.id)
        .iter()
        .chain(&form_calls())
        .map(|call| call.path)
        .chain([PoolMatchingIds::PATH])
        .chain(open)
        .collect();
    let served: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(listed, served, "every server function is listed here");
    assert_eq!(
        session::Entity::find().count(&app.db).await.unwrap(),
        sessions
    );
}
