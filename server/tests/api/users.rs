//! The global user repository (issue 4): the list's search, filters, order
//! and paging, one user in full, and who may see them — on SQLite and
//! PostgreSQL.

use crate::helpers::{import, import_at, roles, signed_in, TestApp};
use app::api::users::{ListUsers, LoadUserDetail};
use app::domain::csv_upload::RoleChoice;
use app::domain::{Role, Roles};
use app::{UserDetail, UserPage, UserQuery, UserState};

/// The repository's list, asked with the default query as `set` changes it.
async fn list(app: &TestApp, set: impl FnOnce(&mut UserQuery)) -> UserPage {
    let mut query = UserQuery::default();
    set(&mut query);
    app.send_ok(ListUsers { query }).await
}

fn emails(page: &UserPage) -> Vec<&str> {
    page.users.iter().map(|u| u.email.as_str()).collect()
}

/// 120 dormant people (`p000@example.com`…, last names Adams/Baker/Clark
/// by turn, first names numbered), then three of them made active: p001
/// in engineering, p002 in both tracks.
async fn people(app: &TestApp) {
    let mut text = String::from("First Name,Last Name,Email,Department\n");
    for i in 0..120 {
        let last = ["Adams", "baker", "Clark"][i % 3];
        text.push_str(&format!("Person{i:03},{last},p{i:03}@example.com,Sales\n"));
    }
    import(app, None, &text, RoleChoice::Dormant, 250).await;
    let two = "First Name,Last Name,Email\nPerson001,baker,p001@example.com\nPerson002,Clark,p002@example.com\n";
    import_at(app, "engineering", two, &[Role::Mentor]).await;
    let one = "First Name,Last Name,Email\nPerson002,Clark,p002@example.com\n";
    import_at(app, "leadership", one, &[Role::Mentee, Role::Teacher]).await;
}

on_both_databases!(
    the_list_is_ordered_by_name_and_paged_on_the_server,
    search_matches_every_word_in_names_or_emails,
    filters_pick_dormant_active_or_track_members,
    one_user_in_full_shows_answers_and_memberships,
    only_global_admins_see_the_repository,
);

async fn the_list_is_ordered_by_name_and_paged_on_the_server(app: TestApp) {
    signed_in(&app).await;
    people(&app).await;
    let first = list(&app, |_| {}).await;
    assert_eq!(first.total, 120);
    assert_eq!(first.pages(), 3);
    assert_eq!(first.users.len(), 50);
    assert_eq!(first.license.active_users, 2);
    // Last name ignoring case (Adams, baker, Clark), then first name.
    assert_eq!(first.users[0].email, "p000@example.com");
    assert_eq!(first.users[39].email, "p117@example.com");
    assert_eq!(
        first.users[40].email, "p001@example.com",
        "baker after Adams"
    );

    let last = list(&app, |q| q.page = 2).await;
    assert_eq!((last.page, last.users.len()), (2, 20));
    assert_eq!(last.users.last().unwrap().email, "p119@example.com");
    let past_the_end = list(&app, |q| q.page = 40).await;
    assert_eq!(
        past_the_end.page, 2,
        "a page past the end shows the last one"
    );
    assert_eq!(emails(&past_the_end), emails(&last));

    let mut seen: Vec<&str> = Vec::new();
    let middle = list(&app, |q| q.page = 1).await;
    for page in [&first, &middle, &last] {
        seen.extend(emails(page));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 120, "every user on exactly one page");
}

async fn search_matches_every_word_in_names_or_emails(app: TestApp) {
    signed_in(&app).await;
    people(&app).await;
    let found = list(&app, |q| q.search = "  PERSON007 ".into()).await;
    assert_eq!(emails(&found), ["p007@example.com"]);
    let found = list(&app, |q| q.search = "p01 adams".into()).await;
    // p010–p019 whose last name is Adams: 012, 015, 018.
    assert_eq!(
        emails(&found),
        ["p012@example.com", "p015@example.com", "p018@example.com"]
    );
    let found = list(&app, |q| q.search = "Baker".into()).await;
    assert_eq!(found.total, 40, "case does not matter");
    let found = list(&app, |q| q.search = "p_0".into()).await;
    assert_eq!(found.total, 0, "_ is a character, not a wildcard");
    let found = list(&app, |q| q.search = "%".into()).await;
    assert_eq!(found.total, 0, "% is a character, not a wildcard");
    assert!(found.users.is_empty());
}

async fn filters_pick_dormant_active_or_track_members(app: TestApp) {
    signed_in(&app).await;
    people(&app).await;
    let dormant = list(&app, |q| q.state = UserState::Dormant).await;
    assert_eq!(dormant.total, 118);
    assert!(dormant.users.iter().all(|u| u.memberships.is_empty()));

    let active = list(&app, |q| q.state = UserState::Active).await;
    assert_eq!(emails(&active), ["p001@example.com", "p002@example.com"]);
    let both = &active.users[1];
    let held: Vec<(&str, Roles)> = both
        .memberships
        .iter()
        .map(|m| (m.track.slug.as_str(), m.roles))
        .collect();
    assert_eq!(
        held,
        [
            ("engineering", roles(&[Role::Mentor])),
            ("leadership", roles(&[Role::Mentee, Role::Teacher])),
        ],
        "in track order, with roles"
    );
    assert_eq!(both.state(), "Active in 2 tracks");

    let leadership = list(&app, |q| q.track = Some("leadership".into())).await;
    assert_eq!(emails(&leadership), ["p002@example.com"]);
    let searched = list(&app, |q| {
        q.track = Some("engineering".into());
        q.search = "baker".into();
    })
    .await;
    assert_eq!(emails(&searched), ["p001@example.com"]);
    let nothing = list(&app, |q| {
        q.track = Some("engineering".into());
        q.state = UserState::Dormant;
    })
    .await;
    assert_eq!(nothing.total, 0);

    let unknown = app
        .send(ListUsers {
            query: UserQuery {
                track: Some("nope".into()),
                ..UserQuery::default()
            },
        })
        .await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
}

async fn one_user_in_full_shows_answers_and_memberships(app: TestApp) {
    signed_in(&app).await;
    people(&app).await;
    let id = list(&app, |q| q.search = "p002".into()).await.users[0].id;
    let detail: UserDetail = app.send_ok(LoadUserDetail { id }).await;
    assert_eq!(detail.user.full_name(), "Person002 Clark");
    assert_eq!(detail.user.memberships.len(), 2);
    let titles: Vec<&str> = detail.answers.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Job Title",
            "Employee ID",
            "Department",
            "Languages",
            "Goals",
            "Start Date",
            "Years of Experience",
            "About Me"
        ],
        "every field, in the instance's order"
    );
    let value = |title: &str| {
        detail
            .answers
            .iter()
            .find(|a| a.title == title)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(value("Department").as_deref(), Some("Sales"));
    assert_eq!(value("Job Title"), None);
    assert_eq!(detail.added_on.len(), 10, "YYYY-MM-DD: {}", detail.added_on);

    let missing = app.send(LoadUserDetail { id: id + 10_000 }).await;
    assert_eq!(missing.status, 404, "{}", missing.body);
}

async fn only_global_admins_see_the_repository(app: TestApp) {
    signed_in(&app).await;
    people(&app).await;
    let tara = app.admin_client("tara@example.com", &["engineering"]).await;
    let everyone_listed = ListUsers {
        query: UserQuery::default(),
    };
    assert_eq!(tara.send(everyone_listed.clone()).await.status, 403);
    assert_eq!(tara.send(LoadUserDetail { id: 1 }).await.status, 403);
    let anonymous = TestApp::anonymous_like(&app);
    assert_eq!(anonymous.send(everyone_listed).await.status, 401);
}
