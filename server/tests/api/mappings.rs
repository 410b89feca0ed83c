//! Remembered mappings (docs/importing.md, "Remembered mappings"): saved
//! when a file import finishes, found again for the same headers at the
//! same level, listed, renamed and deleted — on SQLite and PostgreSQL.

use crate::helpers::{apply_and_finish, everyone, plan_for, roles, signed_in, TestApp};
use app::api::adds::AddPerson;
use app::api::imports::{ImportPlan, StartImport};
use app::api::mappings::{
    DeleteSavedMapping, LoadMappingStart, MappingStart, RenameSavedMapping, SavedMapping,
    SavedMappings,
};
use app::domain::csv_upload::{read_table, Closeness, Delimiter, Mapping, RoleChoice, Target};
use app::domain::{PersonForm, Role};

const FILE: &str = "Given,Family,Mail,Unit,Notes\nAnn,Lee,ann@example.com,Eng,x\n";

fn department() -> Option<Target> {
    Some(Target::Field("department".into()))
}

/// The mapping an admin made by hand for `FILE`: "Unit" is the department,
/// "Eng" means Engineering.
fn by_hand() -> Mapping {
    let mut mapping = Mapping::new(vec![
        Some(Target::FirstName),
        Some(Target::LastName),
        Some(Target::Email),
        department(),
        None,
    ]);
    mapping.values.set("department", "Eng", "Engineering");
    mapping
}

async fn import_by_hand(app: &TestApp, track: Option<&str>, text: &str, mapping: Mapping) {
    let table = read_table(text, Delimiter::Comma, 1_000).unwrap();
    let roles = match track {
        Some(_) => everyone(&[Role::Mentee]),
        None => RoleChoice::Dormant,
    };
    let plan = ImportPlan {
        file_name: "hr-export.csv".into(),
        ..plan_for(track, &table, mapping, roles)
    };
    let id: i64 = app.send_ok(StartImport { plan }).await;
    apply_and_finish(app, id, &table.rows, 10).await;
}

async fn start_for(app: &TestApp, track: Option<&str>, headers: &[&str]) -> MappingStart {
    app.send_ok(LoadMappingStart {
        track_slug: track.map(str::to_owned),
        headers: headers.iter().map(|h| h.to_string()).collect(),
    })
    .await
}

async fn listed(app: &TestApp, track: Option<&str>) -> Vec<SavedMapping> {
    app.send_ok(SavedMappings {
        track_slug: track.map(str::to_owned),
    })
    .await
}

on_both_databases!(
    a_finished_import_is_found_again_for_its_headers_at_its_level,
    remembered_mappings_are_renamed_updated_and_deleted,
    people_added_one_by_one_leave_no_mapping,
);

async fn a_finished_import_is_found_again_for_its_headers_at_its_level(app: TestApp) {
    signed_in(&app).await;
    import_by_hand(&app, Some("engineering"), FILE, by_hand()).await;

    // Another order and case: the same headers.
    let start = start_for(
        &app,
        Some("engineering"),
        &["UNIT", "mail", "Given", "Family", "Notes"],
    )
    .await;
    let found = start.found.expect("the mapping is found");
    assert_eq!(found.closeness, Closeness::Same);
    assert_eq!(found.saved.name, "hr-export.csv");
    assert_eq!(found.saved.saved_by.as_deref(), Some("ann@example.com"));
    assert_eq!(found.mapping.targets, by_hand().columns);
    assert_eq!(found.mapping.values, by_hand().values);

    // One column more is near; two are not, but what was mapped by hand
    // is a hint for any file of this level.
    let one_more = start_for(
        &app,
        Some("engineering"),
        &["Given", "Family", "Mail", "Unit", "Notes", "Badge"],
    )
    .await;
    assert_eq!(one_more.found.unwrap().closeness, Closeness::OneAdded);
    let other = start_for(&app, Some("engineering"), &["Mail", "Unit", "A", "B"]).await;
    assert!(other.found.is_none());
    assert!(other
        .hints
        .contains(&("unit".to_owned(), Target::Field("department".into()))));

    // Another level has its own.
    let elsewhere = start_for(
        &app,
        Some("leadership"),
        &["Given", "Family", "Mail", "Unit", "Notes"],
    )
    .await;
    assert_eq!(elsewhere, MappingStart::default());
    assert!(
        start_for(&app, None, &["Given", "Family", "Mail", "Unit", "Notes"])
            .await
            .found
            .is_none()
    );

    // Bounds: a header row no file has is refused with a sentence.
    let answer = app
        .send(LoadMappingStart {
            track_slug: None,
            headers: vec!["x".repeat(1_001)],
        })
        .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
}

async fn remembered_mappings_are_renamed_updated_and_deleted(app: TestApp) {
    signed_in(&app).await;
    import_by_hand(&app, None, FILE, by_hand()).await;
    let saved = listed(&app, None).await;
    assert_eq!(saved.len(), 1);
    let id = saved[0].id;
    assert_eq!(
        saved[0].headers,
        ["Given", "Family", "Mail", "Unit", "Notes"]
    );

    app.send_ok(RenameSavedMapping {
        id,
        name: "  HR monthly ".into(),
    })
    .await;
    let refused = app
        .send(RenameSavedMapping {
            id,
            name: " ".into(),
        })
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);

    // The same headers again, mapped otherwise: one mapping, its name kept.
    let mut changed = by_hand();
    changed.columns[4] = Some(Target::Field("bio".into()));
    let next = FILE.replace("ann@", "bo@");
    import_by_hand(&app, None, &next, changed.clone()).await;
    let saved = listed(&app, None).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].name, "HR monthly");
    let found = start_for(&app, None, &["Given", "Family", "Mail", "Unit", "Notes"])
        .await
        .found
        .unwrap();
    assert_eq!(found.mapping.targets, changed.columns);

    app.send_ok(DeleteSavedMapping { id }).await;
    assert!(listed(&app, None).await.is_empty());
    let gone = app.send(DeleteSavedMapping { id }).await;
    assert_eq!(gone.status, 404, "{}", gone.body);
}

async fn people_added_one_by_one_leave_no_mapping(app: TestApp) {
    signed_in(&app).await;
    let answer = app
        .send(AddPerson {
            track_slug: "engineering".into(),
            roles: roles(&[Role::Mentee]),
            form: PersonForm {
                email: "new@example.com".into(),
                first_name: "New".into(),
                last_name: "Person".into(),
                answers: Vec::new(),
            },
        })
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(listed(&app, Some("engineering")).await.is_empty());
}
