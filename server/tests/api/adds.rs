//! Adding people manually and from the global pool at a track (docs/adding.md),
//! and the members list — on SQLite and PostgreSQL.

use crate::helpers::{import, import_at, roles, roles_in, signed_in, user_by_email, TestApp};
use app::api::adds::{
    AddFromPool, AddPerson, AddPersonResult, ExistingPerson, FindPerson, FoundPerson,
    PoolAddSummary, PoolMatchingIds,
};
use app::api::overview::TrackOverview;
use app::api::users::ListUsers;
use app::backend::entities::{import as import_entity, outbox, user};
use app::domain::csv_upload::{RoleChoice, RowOutcome};
use app::domain::{ImportKind, PersonForm, Role, Roles};
use app::{UserPage, UserQuery, UserScope};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::LazyLock;

fn form(first: &str, last: &str, email: &str, answers: &[(&str, &str)]) -> PersonForm {
    PersonForm {
        email: email.into(),
        first_name: first.into(),
        last_name: last.into(),
        answers: answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

async fn add(app: &TestApp, track: &str, held: Roles, person: PersonForm) -> AddPersonResult {
    app.send_ok(AddPerson {
        track_slug: track.into(),
        roles: held,
        form: person,
    })
    .await
}

fn added(result: AddPersonResult) -> RowOutcome {
    match result {
        AddPersonResult::Added(p) => p.outcome,
        AddPersonResult::Refused(errors) => panic!("refused: {errors:?}"),
    }
}

async fn find(app: &TestApp, track: &str, email: &str) -> Option<ExistingPerson> {
    let found = app
        .send_ok(FindPerson {
            track_slug: track.into(),
            email: email.into(),
        })
        .await;
    match found {
        Some(FoundPerson::Known(person)) => Some(person),
        Some(FoundPerson::InPlatform) => panic!("{email} was hidden from a global admin"),
        None => None,
    }
}

async fn emails_to(app: &TestApp, address: &str) -> u64 {
    outbox::Entity::find()
        .filter(outbox::Column::ToAddress.eq(address))
        .count(&app.db)
        .await
        .unwrap()
}

on_both_databases!(
    a_new_email_is_created_with_its_membership_answers_and_email,
    existing_people_join_or_gain_roles_instead_of_failing,
    a_form_with_errors_writes_nothing,
    the_pool_adds_the_selected_and_reports_who_already_was_a_member,
    select_all_matching_leaves_out_members_of_the_track,
    the_members_list_is_for_the_tracks_admins,
);

async fn a_new_email_is_created_with_its_membership_answers_and_email(app: TestApp) {
    signed_in(&app).await;
    assert_eq!(find(&app, "engineering", "ada@example.com").await, None);
    let result = add(
        &app,
        "engineering",
        roles(&[Role::Mentee]),
        form(
            "Ada",
            "Lovelace",
            " Ada@Example.com",
            &[
                ("department", "Engineering"),
                ("languages", "French, English"),
            ],
        ),
    )
    .await;
    let AddPersonResult::Added(person) = result else {
        panic!("refused: {result:?}");
    };
    assert_eq!(person.outcome, RowOutcome::Created);
    assert!(person.emailed);
    assert_eq!(person.name, "Ada Lovelace");
    assert_eq!(
        roles_in(&app, "ada@example.com", "engineering").await,
        Some(roles(&[Role::Mentee]))
    );
    assert_eq!(emails_to(&app, "Ada@Example.com").await, 1);

    let found = find(&app, "engineering", "ADA@example.com ").await.unwrap();
    assert_eq!(found.roles_here, Some(roles(&[Role::Mentee])));
    assert_eq!(found.form.answer("department"), "Engineering");
    assert_eq!(found.form.answer("languages"), "French, English");
    let recorded = import_entity::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (*recorded.kind, recorded.created_count),
        (ImportKind::Manual, 1)
    );
}

async fn existing_people_join_or_gain_roles_instead_of_failing(app: TestApp) {
    signed_in(&app).await;
    let text = "First Name,Last Name,Email\nDora,Dormant,dora@example.com\nOtto,Other,otto@example.com\nMia,Member,mia@example.com\n";
    import(&app, None, text, RoleChoice::Dormant, 10).await;
    import_at(
        &app,
        "leadership",
        "First Name,Last Name,Email\nOtto,Other,otto@example.com\n",
        &[Role::Mentor],
    )
    .await;
    import_at(
        &app,
        "engineering",
        "First Name,Last Name,Email\nMia,Member,mia@example.com\n",
        &[Role::Mentor],
    )
    .await;
    let emails_before = outbox::Entity::find().count(&app.db).await.unwrap();

    // Step 1 recognises each of them, pre-filled.
    let dora = find(&app, "engineering", "dora@example.com").await.unwrap();
    assert!(dora.memberships.is_empty(), "dormant");
    let otto = find(&app, "engineering", "otto@example.com").await.unwrap();
    assert_eq!(otto.memberships[0].track.slug, "leadership");
    assert_eq!(otto.roles_here, None);
    let mia = find(&app, "engineering", "mia@example.com").await.unwrap();
    assert_eq!(mia.roles_here, Some(roles(&[Role::Mentor])));

    let mentee = roles(&[Role::Mentee]);
    assert_eq!(
        added(add(&app, "engineering", mentee, dora.form).await),
        RowOutcome::Added
    );
    assert_eq!(
        added(add(&app, "engineering", mentee, otto.form).await),
        RowOutcome::Added
    );
    assert_eq!(
        added(add(&app, "engineering", mentee, mia.form).await),
        RowOutcome::RolesAdded
    );
    assert_eq!(
        roles_in(&app, "mia@example.com", "engineering").await,
        Some(roles(&[Role::Mentor, Role::Mentee])),
        "roles are added, never removed"
    );
    assert_eq!(
        roles_in(&app, "otto@example.com", "leadership").await,
        Some(roles(&[Role::Mentor])),
        "the other track is untouched"
    );
    assert_eq!(
        outbox::Entity::find().count(&app.db).await.unwrap(),
        emails_before + 2,
        "the two who joined are emailed, the member who gained a role is not"
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 3);
}

async fn a_form_with_errors_writes_nothing(app: TestApp) {
    signed_in(&app).await;
    let result = add(
        &app,
        "engineering",
        roles(&[Role::Mentor]),
        form("Al", "", "al@", &[("department", "engineering")]),
    )
    .await;
    let AddPersonResult::Refused(errors) = result else {
        panic!("added: {result:?}");
    };
    let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, ["Last Name", "Email", "Department"]);
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(
        import_entity::Entity::find().count(&app.db).await.unwrap(),
        0
    );

    let al = |held: Roles| AddPerson {
        track_slug: "engineering".into(),
        roles: held,
        form: form("Al", "Bo", "al@example.com", &[]),
    };
    let no_roles = app.send(al(Roles::empty())).await;
    assert_eq!(no_roles.status, 422, "{}", no_roles.body);
    let tara = app.admin_client("tara@example.com", &["leadership"]).await;
    let elsewhere = tara.send(al(roles(&[Role::Mentor]))).await;
    assert_eq!(elsewhere.status, 403);
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 0);
}

/// Five dormant people (p1…p5) and p1, p2 already mentors of engineering.
async fn pool(app: &TestApp) -> Vec<i64> {
    let mut text = String::from("First Name,Last Name,Email\n");
    for i in 1..=5 {
        text.push_str(&format!("P{i},Pool,p{i}@example.com\n"));
    }
    import(app, None, &text, RoleChoice::Dormant, 10).await;
    import_at(
        app,
        "engineering",
        "First Name,Last Name,Email\nP1,Pool,p1@example.com\nP2,Pool,p2@example.com\n",
        &[Role::Mentor],
    )
    .await;
    let mut ids = Vec::new();
    for i in 1..=5 {
        let u = user_by_email(app, &format!("p{i}@example.com")).await;
        ids.push(u.unwrap().id);
    }
    ids
}

async fn add_from_pool(app: &TestApp, ids: &[i64], held: Roles) -> crate::helpers::Answer {
    app.send(AddFromPool {
        track_slug: "engineering".into(),
        user_ids: ids.to_vec(),
        roles: held,
    })
    .await
}

/// A list of the users of engineering's pool (`Pool`) or members (`Members`).
fn at_engineering(scope: fn(String) -> UserScope, search: &str) -> UserQuery {
    UserQuery {
        scope: scope("engineering".into()),
        search: search.into(),
        ..UserQuery::default()
    }
}

async fn the_pool_adds_the_selected_and_reports_who_already_was_a_member(app: TestApp) {
    signed_in(&app).await;
    let ids = pool(&app).await;
    let emails_before = outbox::Entity::find().count(&app.db).await.unwrap();
    let answer = add_from_pool(&app, &ids[..4], roles(&[Role::Mentee])).await;
    let summary: PoolAddSummary = answer.ok();
    assert_eq!(summary.added, ["P3 Pool", "P4 Pool"]);
    assert_eq!(summary.already, ["P1 Pool", "P2 Pool"]);
    assert_eq!(summary.emails_queued, 2);
    assert_eq!(
        outbox::Entity::find().count(&app.db).await.unwrap(),
        emails_before + 2
    );
    assert_eq!(
        roles_in(&app, "p1@example.com", "engineering").await,
        Some(roles(&[Role::Mentor])),
        "members are left as they were"
    );
    assert_eq!(
        roles_in(&app, "p3@example.com", "engineering").await,
        Some(roles(&[Role::Mentee]))
    );
    assert_eq!(roles_in(&app, "p5@example.com", "engineering").await, None);
    let recorded = import_entity::Entity::find()
        .filter(import_entity::Column::Kind.eq("pool"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recorded.added_count, 2);

    assert_eq!(
        add_from_pool(&app, &ids, Roles::empty()).await.status,
        422,
        "roles are required"
    );
}

async fn select_all_matching_leaves_out_members_of_the_track(app: TestApp) {
    signed_in(&app).await;
    let ids = pool(&app).await;
    let matching = |query: UserQuery| {
        let app = &app;
        async move {
            let mut found = app.send_ok(PoolMatchingIds { query }).await;
            found.sort();
            found
        }
    };
    let all = matching(at_engineering(UserScope::Pool, "")).await;
    assert_eq!(all, ids[2..].to_vec());
    let searched = matching(at_engineering(UserScope::Pool, "p4")).await;
    assert_eq!(searched, vec![ids[3]]);

    // The list marks members, filters by role, and pages like the others.
    let query = UserQuery {
        role: Some(Role::Mentor),
        ..at_engineering(UserScope::Pool, "")
    };
    let answer = app.send(ListUsers { query }).await;
    let page: UserPage = serde_json::from_str(&answer.body).unwrap();
    let emails: Vec<&str> = page.users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, ["p1@example.com", "p2@example.com"]);
}

async fn the_members_list_is_for_the_tracks_admins(app: TestApp) {
    signed_in(&app).await;
    pool(&app).await;
    let eve = app.admin_client("eve@example.com", &["engineering"]).await;
    let members = |slug: &str| ListUsers {
        query: UserQuery {
            scope: UserScope::Members(slug.into()),
            search: "pool".into(),
            ..UserQuery::default()
        },
    };
    let page = eve.send_ok(members("engineering")).await;
    assert_eq!(page.total, 2);
    assert_eq!(eve.send(members("leadership")).await.status, 403);
    // The pool is open to track admins here (the demo instance allows it).
    let pool = ListUsers {
        query: at_engineering(UserScope::Pool, ""),
    };
    assert_eq!(eve.send(pool).await.status, 200);
}

static POOL_CLOSED: LazyLock<String> =
    LazyLock::new(crate::helpers::demo_instance_with_the_pool_closed);

on_both_databases!(
    instance = Some(super::POOL_CLOSED.as_str());
    track_admins_are_refused_the_pool_when_the_instance_closes_it,
);

async fn track_admins_are_refused_the_pool_when_the_instance_closes_it(app: TestApp) {
    signed_in(&app).await;
    let ids = pool(&app).await;
    let eve = app.admin_client("eve@example.com", &["engineering"]).await;
    let overview = eve
        .send(TrackOverview {
            slug: "engineering".into(),
        })
        .await
        .json();
    assert_eq!(overview["pool_allowed"], false, "the entry is hidden");
    let query = at_engineering(UserScope::Pool, "");
    let pool = ListUsers {
        query: query.clone(),
    };
    assert_eq!(eve.send(pool.clone()).await.status, 403);
    assert_eq!(eve.send(PoolMatchingIds { query }).await.status, 403);
    assert_eq!(
        add_from_pool(&eve, &ids[2..], roles(&[Role::Mentee]))
            .await
            .status,
        403
    );
    assert_eq!(roles_in(&app, "p3@example.com", "engineering").await, None);
    // A global admin still may.
    assert_eq!(app.send(pool).await.status, 200);
    // Adding one person by hand stays open to the track's admin.
    let person = form("Nia", "New", "nia@example.com", &[]);
    assert_eq!(
        added(add(&eve, "engineering", roles(&[Role::Mentee]), person).await),
        RowOutcome::Created
    );
}
