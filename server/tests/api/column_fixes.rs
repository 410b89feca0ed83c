//! Whole-column fixes (docs/importing.md, "Fixing whole columns"): the
//! server applies the fixes the plan names with the same code as the
//! preview, refuses fixes that do not fit their field, and remembers them
//! with the mapping — on SQLite and PostgreSQL.

use crate::helpers::{
    apply_and_finish, everyone, plan_for, profile_answer, signed_in, user_by_email, TestApp,
};
use app::api::imports::{LoadImportContext, StartImport};
use app::api::mappings::{LoadMappingStart, MappingStart};
use app::domain::csv_upload::{
    read_table, ColumnFixes, DateOrder, Delimiter, Mapping, Replacement, Separator, Target,
};
use app::domain::Role;

const FILE: &str = "Name,Email,Languages,Start Date,Job Title\n\
                    Ann Marie Lee,ANN@Example.com,English; French,05/01/2024,Sr. Designer\n\
                    \"Chen, Bo\",bo@example.com,German,2024-02-03,Engineer\n";

fn fixes() -> ColumnFixes {
    ColumnFixes {
        trim: true,
        lower_case_emails: true,
        separators: [("languages".to_owned(), Separator::Semicolon)].into(),
        dates: [("start_date".to_owned(), DateOrder::DayFirst)].into(),
        replacements: vec![Replacement {
            target: Target::Field("job_title".into()),
            find: "Sr.".into(),
            replace: "Senior".into(),
        }],
    }
}

async fn mapping_with(
    app: &TestApp,
    fixes: ColumnFixes,
) -> (Mapping, app::domain::csv_upload::CsvTable) {
    let table = read_table(FILE, Delimiter::Comma, 100).unwrap();
    let fields = app
        .send_ok(LoadImportContext {
            track_slug: Some("engineering".into()),
            dormant: false,
        })
        .await
        .fields;
    let mut mapping = Mapping::suggest(&table.headers, &fields, false);
    assert_eq!(mapping.columns[0], Some(Target::FullName));
    mapping.fixes = fixes;
    (mapping, table)
}

on_both_databases!(
    the_server_applies_the_fixes_and_remembers_them,
    fixes_that_do_not_fit_their_field_are_refused,
);

async fn the_server_applies_the_fixes_and_remembers_them(app: TestApp) {
    signed_in(&app).await;
    let (mapping, table) = mapping_with(&app, fixes()).await;
    let plan = plan_for(
        Some("engineering"),
        &table,
        mapping,
        everyone(&[Role::Mentee]),
    );
    let id = app.send_ok(StartImport { plan }).await;
    let done = apply_and_finish(&app, id, &table.rows, 10).await;
    assert_eq!(done.counts.created, 2, "{:?}", done.rows);

    let ann = user_by_email(&app, "ann@example.com").await.unwrap();
    assert_eq!(
        (ann.first_name.as_str(), ann.last_name.as_str()),
        ("Ann Marie", "Lee")
    );
    assert_eq!(ann.email, "ann@example.com", "lower-cased as the fix said");
    let answer = |key: &'static str| profile_answer(&app, "ann@example.com", key);
    assert_eq!(
        answer("languages").await.as_deref(),
        Some("English, French")
    );
    assert_eq!(answer("start_date").await.as_deref(), Some("2024-01-05"));
    assert_eq!(
        answer("job_title").await.as_deref(),
        Some("Senior Designer")
    );
    let bo = user_by_email(&app, "bo@example.com").await.unwrap();
    assert_eq!(
        (bo.first_name.as_str(), bo.last_name.as_str()),
        ("Bo", "Chen")
    );

    // The next file with these headers starts with these fixes.
    let start: MappingStart = app
        .send_ok(LoadMappingStart {
            track_slug: Some("engineering".into()),
            headers: table.headers.clone(),
        })
        .await;
    assert_eq!(start.found.unwrap().mapping.fixes, fixes());
}

async fn fixes_that_do_not_fit_their_field_are_refused(app: TestApp) {
    signed_in(&app).await;
    let refused = |fixes: ColumnFixes| {
        let app = &app;
        async move {
            let (mapping, table) = mapping_with(app, fixes).await;
            let plan = plan_for(
                Some("engineering"),
                &table,
                mapping,
                everyone(&[Role::Mentee]),
            );
            let answer = app.send(StartImport { plan }).await;
            assert_eq!(answer.status, 422, "{}", answer.body);
            answer.body
        }
    };
    let mut single = fixes();
    single.separators = [("department".to_owned(), Separator::Pipe)].into();
    let body = refused(single).await;
    assert!(
        body.contains("not a field whose options are separated"),
        "{body}"
    );

    let mut many = fixes();
    many.replacements = vec![fixes().replacements[0].clone(); 51];
    let body = refused(many).await;
    assert!(body.contains("At most 50 find-and-replace fixes"), "{body}");
}
